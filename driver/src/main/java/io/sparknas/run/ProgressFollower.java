package io.sparknas.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Follows the progress files that running tasks write ({@link io.sparknas.task.ProgressFile}) and prints each new
 * line once, prefixed with what the file belongs to, while a Spark job that returns only at its end runs. Reading is
 * best effort: a file not there yet, or unreadable for a moment, is tried again at the next poll.
 */
public final class ProgressFollower implements AutoCloseable {

    private final Map<Path, String> files;
    private final Map<Path, Integer> printed = new LinkedHashMap<>();
    private final Consumer<String> out;
    private final ScheduledExecutorService poller;

    /**
     * @param files   each progress file's location and the prefix of its lines
     * @param seconds how often to look
     */
    public ProgressFollower(Map<String, String> files, Consumer<String> out, int seconds) {
        this.files = new LinkedHashMap<>();
        files.forEach((location, prefix) -> this.files.put(new Path(location), prefix));
        this.out = out;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sparknas-progress");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::poll, seconds, seconds, TimeUnit.SECONDS);
    }

    /** Prints the lines written since the last look. */
    public synchronized void poll() {
        for (Map.Entry<Path, String> file : files.entrySet()) {
            String[] lines = read(file.getKey());
            int done = printed.getOrDefault(file.getKey(), 0);
            for (int i = done; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    out.accept(file.getValue() + lines[i]);
                }
            }
            printed.put(file.getKey(), Math.max(done, lines.length));
        }
    }

    private static String[] read(Path path) {
        try {
            FileSystem fs = path.getFileSystem(new Configuration());
            if (!fs.exists(path)) {
                return new String[0];
            }
            try (InputStream in = fs.open(path)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                // a file caught while it is rewritten may end in half a line: only whole lines count
                return text.substring(0, text.lastIndexOf('\n') + 1).split("\n");
            }
        } catch (IOException | RuntimeException e) {
            return new String[0];
        }
    }

    /** Deletes the files, so that lines of an earlier job are not shown as this one's. */
    public static void clear(Iterable<String> locations) {
        for (String location : locations) {
            try {
                Path path = new Path(location);
                path.getFileSystem(new Configuration()).delete(path, false);
            } catch (IOException | RuntimeException e) {
                // a stale file left behind only repeats old lines
            }
        }
    }

    /** Stops following after one last look. */
    @Override
    public void close() {
        poller.shutdownNow();
        poll();
    }
}
