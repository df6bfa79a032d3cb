package io.sparknas.search;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A Spark listener (registered by class name through {@code spark.extraListeners}) that records which executors ran
 * tasks, for tests that must show work spread over a cluster.
 */
public final class TaskExecutors extends SparkListener {

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        SEEN.add(taskEnd.taskInfo().executorId());
    }

    /** The executors that ran a task since the last {@link #clear()}. */
    public static Set<String> seen() {
        return Set.copyOf(SEEN);
    }

    /** Forgets what was seen. */
    public static void clear() {
        SEEN.clear();
    }
}
