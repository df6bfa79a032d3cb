package io.sparknas.cli;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.data.AnchorFit;
import io.sparknas.data.DetectionDataset;
import io.sparknas.space.Anchor;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The head's anchor boxes fitted to the training labels ({@code space.head.fit-anchors}, on by default): k-means on
 * 1 − IoU over the training boxes as fractions of the image side, as many anchors as {@code space.head.anchor-boxes}
 * lists, seeded by {@code run.seed}. The commands that start a search or a training call it once their data is
 * loaded, so the configuration they record carries the fitted boxes.
 */
final class FittedAnchors {

    private FittedAnchors() {
    }

    /** {@code config} with anchor boxes fitted to {@code dataset}'s training split, or as it is when fitting is off. */
    static SparkNasConfig apply(SparkNasConfig config, DetectionDataset dataset, PrintWriter printer) {
        if (!config.resolved().getBoolean("space.head.fit-anchors")) {
            return config;
        }
        List<Anchor> configured = config.space().anchorBoxes();
        int side = config.space().resolutions().get(config.space().resolutions().size() - 1);
        List<double[]> boxes = AnchorFit.boxesInCells(dataset.train(), side, 1);
        if (boxes.size() < configured.size()) {
            printer.printf("anchors: %d training boxes, fewer than the %d anchors; space.head.anchor-boxes kept%n",
                    boxes.size(), configured.size());
            return config;
        }
        AnchorFit.Result fitted = AnchorFit.fit(boxes, configured.size(), config.run().seed());
        List<List<Double>> pairs = fitted.anchors().stream()
                .map(a -> List.of(round(a.width()), round(a.height()))).toList();
        printer.printf(Locale.ROOT, "anchors: fitted to %,d training boxes: %s (mean best IoU %.3f; configured %.3f)%n",
                boxes.size(), pairs.stream().map(p -> "[" + p.get(0) + ", " + p.get(1) + "]")
                        .collect(Collectors.joining(", ", "[", "]")), fitted.meanBestIou(),
                AnchorFit.meanBestIou(boxes, configured));
        printer.flush();
        return ConfigLoader.with(config, "space.head.anchor-boxes", pairs, "fitted to the training boxes");
    }

    /**
     * {@code config} with the anchor boxes a supernet checkpoint was trained with (a search or evaluation on a given
     * supernet uses its head as it was trained), or as it is for a checkpoint that does not record them.
     */
    static SparkNasConfig fromCheckpoint(SparkNasConfig config, java.nio.file.Path checkpoint, PrintWriter printer) {
        List<List<Double>> boxes;
        try {
            boxes = io.sparknas.supernet.SupernetCheckpoint.anchorBoxes(checkpoint);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        if (boxes == null || boxes.isEmpty()) {
            return config;
        }
        printer.println("anchors: " + boxes + " (fractions of the image side), as the supernet was trained");
        printer.flush();
        return ConfigLoader.with(config, "space.head.anchor-boxes", boxes, "the supernet checkpoint " + checkpoint);
    }

    private static double round(double value) {
        return Math.max(0.001, Math.round(value * 1000) / 1000.0);
    }
}
