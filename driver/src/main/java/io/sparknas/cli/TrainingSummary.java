package io.sparknas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sparknas.train.EpochRecord;
import io.sparknas.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code sparknas train} leaves beside {@code model.zip} as {@code training.json}: the architecture and its
 * costs, the data, the figures of the reloaded best model and every epoch, for a notebook or a benchmark script to
 * read instead of parsing the console.
 *
 * @param architecture   the architecture's short name
 * @param resolution     input side, pixels
 * @param macs           multiply-accumulates of one inference
 * @param params         parameters
 * @param peakSram       peak SRAM of the configured plan, bytes
 * @param data           the dataset, as the console describes it
 * @param epochs         epochs asked for
 * @param epochsRun      epochs run, over every session of a resumed training
 * @param bestEpoch      the epoch whose weights were kept
 * @param stoppedEarly   whether patience ran out
 * @param valMap50       val mAP@0.5 of the reloaded model
 * @param valMapCoco     val mAP@[.5:.95]
 * @param testMap50      test mAP@0.5
 * @param testMapCoco    test mAP@[.5:.95]
 * @param trainMinutes   wall time of every epoch run, evaluation included, over every session
 * @param history        one entry per epoch
 */
public record TrainingSummary(String architecture, int resolution, long macs, long params, long peakSram,
                              String data, int epochs, int epochsRun, int bestEpoch, boolean stoppedEarly,
                              double valMap50, double valMapCoco, double testMap50, double testMapCoco,
                              double trainMinutes, List<Epoch> history) {

    /** The file name in the output folder. */
    public static final String FILE = "training.json";

    /** One epoch; {@code valMap50} is null when the epoch was not validated. */
    public record Epoch(int epoch, double loss, Double valMap50, double imagesPerSecond, double seconds) {

        static Epoch of(EpochRecord record) {
            return new Epoch(record.epoch(), record.loss(), Double.isNaN(record.valMap50()) ? null : record.valMap50(),
                    record.imagesPerSecond(), record.seconds());
        }
    }

    /** The history of {@code result} as summary epochs. */
    static List<Epoch> history(TrainingResult result) {
        return result.history().stream().map(Epoch::of).toList();
    }

    /** Total minutes of the epochs in {@code result}'s history. */
    static double minutes(TrainingResult result) {
        return result.history().stream().mapToDouble(EpochRecord::seconds).sum() / 60;
    }

    /** Writes the summary as {@code folder/training.json}. */
    public Path write(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(this));
        return file;
    }

    /** Reads a summary written by {@link #write}. */
    public static TrainingSummary read(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), TrainingSummary.class);
    }
}
