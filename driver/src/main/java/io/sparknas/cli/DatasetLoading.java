package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DataFormatException;
import io.sparknas.data.DetectionDataset;

/** Loads the configured dataset for a command; unusable data is the user's input error (exit status 2). */
final class DatasetLoading {

    private DatasetLoading() {
    }

    static DetectionDataset load(SparkNasConfig config) {
        try {
            return config.data().load(DataFiles.local());
        } catch (DataFormatException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }
}
