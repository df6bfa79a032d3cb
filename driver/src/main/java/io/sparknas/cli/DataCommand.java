package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.data.AnchorFit;
import io.sparknas.data.BuiltInDataset;
import io.sparknas.data.ContactSheet;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DataIssue;
import io.sparknas.data.DatasetFormat;
import io.sparknas.data.DatasetSource;
import io.sparknas.data.DatasetWriter;
import io.sparknas.data.DetectionDataset;
import io.sparknas.data.LabeledObject;
import io.sparknas.eval.LabelGridCeiling;
import io.sparknas.logging.ConsoleText;
import io.sparknas.space.Anchor;
import io.sparknas.space.HeadSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sparknas data}: write a built-in dataset to disk, or check a dataset folder. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Work with detection datasets.",
        subcommands = {DataCommand.Synth.class, DataCommand.Check.class, DataCommand.Anchors.class})
public final class DataCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code sparknas data synth}. */
    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Generate the built-in dataset named by data.source, synthetic (data.synthetic.*, the "
                    + "default; also used when data.source names a folder) or synthetic-real (data.synthetic-real.*), "
                    + "and write it in VOC, COCO or YOLO layout, with contact-sheet.png showing the first images and "
                    + "their boxes.", "",
                    "Example: sparknas data synth --out /tmp/synth --format voc",
                    "         sparknas data synth --set data.source=synthetic-real --out /tmp/digits"})
    static final class Synth implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write (any Hadoop path).")
        String out;

        @Option(names = "--format", defaultValue = "voc", paramLabel = "FORMAT",
                description = "voc, coco or yolo (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--sheet", defaultValue = "8x6", paramLabel = "COLUMNSxROWS",
                description = "Images in contact-sheet.png, 1 to 16 each way (default: ${DEFAULT-VALUE}).")
        String sheetGrid;

        @Option(names = "--tile", defaultValue = "160", paramLabel = "PX",
                description = "Side of each image in contact-sheet.png, 32 to 512 pixels (default: ${DEFAULT-VALUE}).")
        int tile;

        @Override
        public Integer call() throws IOException {
            SparkNasConfig config = common.load();
            DatasetFormat layout;
            try {
                layout = DatasetFormat.parse(format);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--format: " + e.getMessage(), e);
            }
            int[] grid = grid(sheetGrid);
            if (tile < 32 || tile > 512) {
                throw new UserInputException("--tile: " + tile + " is outside 32 to 512 pixels");
            }
            DatasetSource source = config.data();
            BuiltInDataset set = source.isSynthetic() ? source.builtIn() : BuiltInDataset.SYNTHETIC;
            DetectionDataset dataset = set.generate(source.synthetic());
            DataFiles files = DataFiles.local();
            new DatasetWriter(files).write(dataset, out, layout);
            String sheet = DataFiles.join(out, "contact-sheet.png");
            try (OutputStream png = files.create(sheet)) {
                ImageIO.write(ContactSheet.draw(dataset.train(), dataset.classes(), grid[0], grid[1], tile), "png", png);
            }
            PrintWriter printer = spec.commandLine().getOut();
            printer.printf("wrote %d/%d/%d train/val/test images (%s layout) to %s%ncontact sheet: %s%n",
                    dataset.train().size(), dataset.val().size(), dataset.test().size(),
                    layout.name().toLowerCase(java.util.Locale.ROOT), out, sheet);
            printer.flush();
            return 0;
        }

        /** Columns and rows of {@code --sheet}, e.g. {@code 8x6}. */
        private static int[] grid(String text) {
            String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x", -1);
            try {
                int columns = Integer.parseInt(parts[0].trim());
                int rows = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : -1;
                if (columns >= 1 && columns <= 16 && rows >= 1 && rows <= 16) {
                    return new int[] {columns, rows};
                }
            } catch (NumberFormatException e) {
                throw new UserInputException("--sheet: '" + text + "' is not COLUMNSxROWS, e.g. 8x6", e);
            }
            throw new UserInputException("--sheet: '" + text + "' is not COLUMNSxROWS with 1 to 16 each way, e.g. 8x6");
        }
    }

    /** {@code sparknas data check}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Read the configured dataset (data.*) and report its size, objects per class, and every "
                    + "bad image or label with its file and reason. Exit status 2 when anything was skipped.", "",
                    "Example: sparknas data check --set data.source=voc --set data.path=/data/VOC2012"})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            SparkNasConfig config = common.load();
            PrintWriter out = spec.commandLine().getOut();
            DetectionDataset dataset = DatasetLoading.load(config, out);
            out.printf("%s: %d train, %d val, %d test images; classes %s%n", config.data().describe(),
                    dataset.train().size(), dataset.val().size(), dataset.test().size(),
                    ConsoleText.line(dataset.classes().toString()));
            long[] perClass = new long[dataset.classes().size()];
            for (var split : java.util.List.of(dataset.train(), dataset.val(), dataset.test())) {
                for (var image : split) {
                    for (LabeledObject object : image.objects()) {
                        perClass[object.classId()]++;
                    }
                }
            }
            for (int c = 0; c < perClass.length; c++) {
                out.printf("  %-20s %,d objects%n", ConsoleText.line(dataset.classes().get(c)), perClass[c]);
            }
            out.printf("%d problem(s)%n", dataset.issues().size());
            for (DataIssue issue : dataset.issues()) {
                out.println("  " + ConsoleText.line(issue.toString()));
            }
            out.flush();
            return dataset.issues().isEmpty() ? 0 : SparkNas.BAD_INPUT;
        }
    }

    /** {@code sparknas data anchors}. */
    @Command(name = "anchors", mixinStandardHelpOptions = true,
            description = {"Fit the head's anchor priors to the training boxes of the configured dataset (data.*), "
                    + "letterboxed to one input resolution: k-means with 1 - IoU as the distance, as fractions of the "
                    + "image side. Prints them as a space.head.anchor-boxes line, the same in grid cells at that "
                    + "resolution, and the mean IoU of each box with its best anchor, for the fitted and the "
                    + "configured anchors, and with either the val mAP@0.5 of an exact head: the val labels encoded "
                    + "on that grid and decoded again, the most any detector on that grid can reach (objects whose "
                    + "every slot a larger one holds are lost).", "",
                    "Example: sparknas data anchors --resolution 128 --set data.source=synthetic-real"})
    static final class Anchors implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--resolution", required = true, paramLabel = "PX",
                description = "Input side the boxes are letterboxed to.")
        int resolution;

        @Option(names = "--count", paramLabel = "K", description = "Anchors to fit (default: as many as configured).")
        Integer count;

        @Override
        public Integer call() {
            SparkNasConfig config = common.load();
            var head = config.space().head();
            if (resolution < head.outputStride() || resolution % head.outputStride() != 0) {
                throw new UserInputException("--resolution: " + resolution + " is not a multiple of the output "
                        + "stride " + head.outputStride());
            }
            int k = count == null ? head.anchors().size() : count;
            if (k < 1 || k > 16) {
                throw new UserInputException("--count: must be 1 to 16, got " + k);
            }
            PrintWriter out = spec.commandLine().getOut();
            DetectionDataset dataset = DatasetLoading.load(config, out);
            int grid = resolution / head.outputStride();
            java.util.List<double[]> boxes = AnchorFit.boxesInCells(dataset.train(), resolution, 1);
            if (boxes.size() < k) {
                throw new UserInputException("the training split has " + boxes.size() + " boxes, fewer than the " + k
                        + " anchors asked for");
            }
            AnchorFit.Result fitted = AnchorFit.fit(boxes, k, config.run().seed());
            out.printf(java.util.Locale.ROOT, "%,d training boxes letterboxed to %d px%n", boxes.size(), resolution);
            out.printf(java.util.Locale.ROOT, "mean best IoU: fitted %.3f, configured %.3f%n", fitted.meanBestIou(),
                    AnchorFit.meanBestIou(boxes, config.space().anchorBoxes()));
            out.println("space.head.anchor-boxes = " + fitted.anchors().stream()
                    .map(a -> String.format(java.util.Locale.ROOT, "[%.3f, %.3f]", a.width(), a.height()))
                    .collect(java.util.stream.Collectors.joining(", ", "[", "]")));
            out.println("  (fractions of the image side; at " + resolution + " px, a " + grid + "x" + grid
                    + " grid, that is " + fitted.anchors().stream()
                    .map(a -> String.format(java.util.Locale.ROOT, "[%.2f, %.2f]", a.width() * grid, a.height() * grid))
                    .collect(java.util.stream.Collectors.joining(", ", "[", "]")) + " cells)");
            printCeiling(out, dataset, head, fitted.anchors(), config.space().anchorBoxes(), resolution);
            out.flush();
            return 0;
        }

        /**
         * The mAP@0.5 an exact head would reach on the val split at this resolution, with the fitted and with the
         * configured anchors ({@link LabelGridCeiling}): what no detector on this grid can beat.
         */
        private static void printCeiling(PrintWriter out, DetectionDataset dataset, HeadSpec head,
                                         java.util.List<Anchor> fitted, java.util.List<Anchor> configured,
                                         int resolution) {
            if (dataset.val().isEmpty()) {
                return;
            }
            LabelGridCeiling withFitted = LabelGridCeiling.of(inCells(head, fitted, resolution), dataset.val(),
                    resolution);
            LabelGridCeiling withConfigured = configured.isEmpty() ? LabelGridCeiling.of(head, dataset.val(),
                    resolution) : LabelGridCeiling.of(inCells(head, configured, resolution), dataset.val(), resolution);
            out.printf(java.util.Locale.ROOT, "exact-head ceiling on val (%,d images, %,d objects): mAP@0.5 fitted "
                            + "%.3f (%d objects without a slot), configured %.3f (%d without a slot)%n",
                    dataset.val().size(), withFitted.objects(), withFitted.map50(), withFitted.withoutSlot(),
                    withConfigured.map50(), withConfigured.withoutSlot());
        }

        /** {@code head} with {@code boxes} (fractions of the image side) as anchors in cells at {@code resolution}. */
        private static HeadSpec inCells(HeadSpec head, java.util.List<Anchor> boxes, int resolution) {
            double cells = (double) resolution / head.outputStride();
            return new HeadSpec(head.channels(), head.classes(), boxes.stream()
                    .map(a -> new Anchor(a.width() * cells, a.height() * cells)).toList(), head.outputStride());
        }
    }
}
