package io.sparknas.cli;

import io.sparknas.config.OptionValue;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.data.DetectionDataset;
import io.sparknas.finalmodels.TeacherProvider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparknas teacher}: the ViT teacher that students are distilled from. */
@Command(name = "teacher", mixinStandardHelpOptions = true,
        description = "The Vision Transformer teacher students are distilled from (final.teacher.*).",
        subcommands = {TeacherCommand.Train.class})
public final class TeacherCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code sparknas teacher train}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train the ViT teacher on the configured dataset (no pretrained weights are downloaded): "
                    + "a convolutional stem (final.teacher.stem) or patch embedding, transformer encoder blocks with "
                    + "multi-head self-attention and a detection head on the tokens, whose grid is the students' "
                    + "output grid (or t times finer, final.teacher.tokens-per-cell); each step's batch spread "
                    + "over final.teacher.parallelism Spark tasks (spark.master). Writes OUT/teacher.zip and "
                    + "OUT/teacher.json (side, grid, val mAP), for 'sparknas finalize --teacher OUT/teacher.zip'.", "",
                    "Example: sparknas teacher train --out runs/teacher --student-side 80"})
    static final class Train implements Callable<Integer>, ConfiguredCommand {
        @Spec
        CommandSpec spec;

        @Mixin
        CommonOptions common;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the teacher.")
        Path out;

        @Option(names = "--student-side", required = true, paramLabel = "PX",
                description = "Input side of the students it will teach (their grid is side / head stride).")
        int studentSide;

        @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: final.teacher.epochs).")
        Integer epochs;

        @Override
        public SparkNasConfig configuration() {
            return common.load(epochs == null ? java.util.List.of()
                    : java.util.List.of(new OptionValue("final.teacher.epochs", epochs, "--epochs")));
        }

        @Override
        public Integer call() {
            SparkNasConfig config = configuration();
            int stride = config.space().head().outputStride();
            if (studentSide < stride || studentSide % stride != 0) {
                throw new UserInputException("--student-side: " + studentSide + " is not a multiple of the head's "
                        + "output stride " + stride);
            }
            PrintWriter printer = spec.commandLine().getOut();
            DetectionDataset data = DatasetLoading.load(config, printer);
            TeacherProvider provider = new TeacherProvider(config, line -> {
                printer.println(line);
                printer.flush();
            }, io.sparknas.spark.SparkSessions.create(config.spark()));
            int grid = studentSide / stride;
            try {
                provider.train(out, studentSide * config.finals().teacher().sideFactor(), grid,
                        config.space().withInputs(java.util.List.of(studentSide), config.space().widths()).head(),
                        data);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage(), e);
            }
            return 0;
        }
    }
}
