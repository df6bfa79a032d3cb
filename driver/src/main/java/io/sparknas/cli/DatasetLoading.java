package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DataFormatException;
import io.sparknas.data.DetectionDataset;
import java.io.PrintWriter;

/** Loads the configured dataset for a command; unusable data is the user's input error (exit status 2). */
final class DatasetLoading {

    private DatasetLoading() {
    }

    /** Loads the dataset, first printing its class list when that was gathered from the annotations. */
    static DetectionDataset load(SparkNasConfig config, PrintWriter printer) {
        config.gatheredClassesNotice().ifPresent(printer::println);
        try {
            return config.data().load(DataFiles.local());
        } catch (DataFormatException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }

    /**
     * Loads the dataset for training: its classes must match the detection head; prints how many bad images were
     * skipped and the split sizes.
     */
    static DetectionDataset loadForTraining(SparkNasConfig config, PrintWriter printer) {
        DetectionDataset dataset = load(config, printer);
        if (dataset.classes().size() != config.space().head().classes()) {
            throw new UserInputException("space.head.classes: " + config.space().head().classes()
                    + " does not match the dataset's " + dataset.classes().size() + " classes " + dataset.classes());
        }
        if (!dataset.issues().isEmpty()) {
            printer.printf("%d bad image(s) skipped (run 'sparknas data check' for the list)%n", dataset.issues().size());
        }
        printer.printf("data: %s -> %d train, %d val, %d test images%n", config.data().describe(),
                dataset.train().size(), dataset.val().size(), dataset.test().size());
        printer.flush();
        return dataset;
    }
}
