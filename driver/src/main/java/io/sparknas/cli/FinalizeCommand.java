package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.finalmodels.FinalizeJob;
import io.sparknas.run.FinalModelRow;
import io.sparknas.run.LocalCopy;
import io.sparknas.run.Run;
import io.sparknas.spark.SparkSessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparknas finalize}: train a run's best candidates fully, without and with distillation. */
@Command(name = "finalize", mixinStandardHelpOptions = true,
        description = {"Train the run's best feasible candidates fully (final.*): each seed once without and once "
                + "with distillation from a teacher, one Spark task per training, scored on the test split (never "
                + "used for any choice). The teacher is --teacher-onnx, --teacher, or a ViT trained now on the "
                + "run's dataset (kept in RUN/teacher/); its outputs for the training images are computed once and "
                + "cached in RUN/teacher_outputs/. Writes RUN/final_models/ and the trained models to RUN/models/. "
                + "The configuration is the run's own (run.json): --config, --set and --target may change only "
                + "final.*, train.*, spark.*, run.output-dir and search.threads-per-task; the data, space, target and "
                + "costs stay the run's.",
                "", "Example: sparknas finalize --run search-20261126-101500-ab12 --top 3 --seeds 3"})
public final class FinalizeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    RunSelection selection;

    @Option(names = "--top", paramLabel = "K", description = "Candidates to train (default: final.top).")
    Integer top;

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds per candidate (default: final.seeds).")
    Integer seeds;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per training (default: final.epochs).")
    Integer epochs;

    @Option(names = "--teacher", paramLabel = "FILE",
            description = "A teacher from 'sparknas teacher train' (teacher.zip, with its teacher.json).")
    Path teacher;

    @Option(names = "--teacher-onnx", paramLabel = "FILE",
            description = "A teacher as an ONNX model: input [N, 3, S, S] in [0, 1], output the students' raw "
                    + "prediction grid [N, A*(5+C), G, G].")
    Path teacherOnnx;

    @Option(names = "--supernet", paramLabel = "FILE", description = "With final.init = inherited: the supernet "
            + "checkpoint the run searched with, a local or any Hadoop path (default: the run's own --supernet, else "
            + "RUN/supernet/supernet.ckpt).")
    String supernet;

    /** The configuration keys finalize decides; every other key is the run's, from its run.json. */
    static final List<String> FINALIZE_KEYS = List.of("final.", "train.", "spark.", "run.output-dir",
            "search.threads-per-task");

    @Override
    public Integer call() {
        if (teacher != null && teacherOnnx != null) {
            throw new UserInputException("--teacher and --teacher-onnx exclude each other: give one teacher");
        }
        SparkNasConfig config = common.load();
        for (Integer value : new Integer[] {top, seeds, epochs}) {
            if (value != null && value < 1) {
                throw new UserInputException("--top, --seeds and --epochs must be at least 1, got " + value);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        SparkSession spark = SparkSessions.create(config.spark());
        Run opened = selection.open(spark, config, line -> {
            out.println(line);
            out.flush();
        });
        config = common.loadRecorded(opened.manifest(), "finalize", FINALIZE_KEYS);
        Run run = opened.withConfig(config);
        String log = run.keepLog();
        List<FinalModelRow> rows;
        try {
            String given = supernet != null ? supernet : run.manifest().option("supernet");
            Path supernetFile = given == null ? null : LocalCopy.of(given, spark, "--supernet");
            rows = new FinalizeJob(run).run(new FinalizeJob.Request(top != null ? top : config.finals().top(),
                    seeds != null ? seeds : config.finals().seeds(), epochs != null ? epochs : config.finals().epochs(),
                    teacher, teacherOnnx, supernetFile));
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        print(out, rows, run);
        ReportCommand.writeAfterJob(run, out);
        out.printf("log: %s%n", log);
        out.flush();
        return 0;
    }

    /** The final models as a table, with where they were written. */
    static void print(PrintWriter out, List<FinalModelRow> rows, Run run) {
        out.printf("%nFinal models (test mAP@0.5; the teacher: %s, test mAP@0.5 %.4f):%n",
                rows.isEmpty() ? "-" : rows.get(0).teacher(), rows.isEmpty() ? Double.NaN : rows.get(0).teacherTestMap50());
        out.printf("%-4s %-16s %4s %8s %9s %10s %10s %10s %9s  %s%n", "rank", "candidate", "seed", "MMACs", "SRAM KiB",
                "latency ms", "without KD", "with KD", "minutes", "architecture");
        for (FinalModelRow r : rows) {
            out.printf(Locale.ROOT, "%-4d %-16s %4d %8.2f %9.1f %10.1f %10.4f %10s %9.1f  %s%n", r.rank(),
                    r.candidateId(), r.seed(), r.macs() / 1e6, r.peakSram() / 1024.0, r.latencyMs(),
                    r.withoutKd().testMap50(), r.withKd() == null ? "-"
                            : String.format(Locale.ROOT, "%.4f", r.withKd().testMap50()),
                    r.trainingSeconds() / 60,
                    io.sparknas.space.ArchitectureJson.decode(r.architecture()).shortName());
        }
        java.util.Optional<FinalModelRow> best = rows.stream().filter(r -> r.rank() == 1)
                .max(java.util.Comparator.comparingDouble(FinalModelRow::bestTestMap50));
        java.util.Optional<FinalModelRow> baseline = rows.stream().filter(r -> r.rank() == 0)
                .max(java.util.Comparator.comparingDouble(r -> r.withoutKd().testMap50()));
        if (best.isPresent() && baseline.isPresent()) {
            double found = best.get().withoutKd().testMap50();
            double hand = baseline.get().withoutKd().testMap50();
            out.printf(Locale.ROOT, "%nthe found model against the MobileNetV2-style baseline (rank 0), both without "
                    + "distillation: test mAP@0.5 %.4f against %.4f (%+.4f), %.2f against %.2f MMACs%n", found, hand,
                    found - hand, best.get().macs() / 1e6, baseline.get().macs() / 1e6);
        }
        out.printf("%nresults: %s (Parquet), models in %s%n", run.finalModels().location(),
                run.location(Run.MODELS));
        best.ifPresent(row -> {
            FinalModelRow.Training deployed = row.deployed();
            String c = deployed.file(io.sparknas.task.FinalExport::cModel);
            if (c != null) {
                out.printf("deploy: %s (int8 ONNX for ONNX Runtime, ST Edge AI Core or a TFLite converter), %s (C for "
                                + "a Cortex-M: check it with scripts/mcu-check.sh %s); README 'Export and deploy'%n",
                        deployed.file(io.sparknas.task.FinalExport::onnxInt8), c, c);
            }
        });
        out.flush();
    }
}
