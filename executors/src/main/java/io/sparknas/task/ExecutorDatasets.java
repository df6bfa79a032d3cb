package io.sparknas.task;

import io.sparknas.data.DataFiles;
import io.sparknas.data.DatasetSource;
import io.sparknas.data.DetectionDataset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The datasets an executor JVM has loaded, by source: every task of every job on it reads them once. */
final class ExecutorDatasets {

    private static final Map<DatasetSource, DetectionDataset> LOADED = new ConcurrentHashMap<>();

    private ExecutorDatasets() {
    }

    static DetectionDataset get(DatasetSource source) {
        return LOADED.computeIfAbsent(source, s -> s.load(DataFiles.local()));
    }
}
