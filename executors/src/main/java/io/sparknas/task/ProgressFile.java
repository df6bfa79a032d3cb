package io.sparknas.task;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The progress lines of a long task (a final training's epochs), written where the driver can read them while the
 * task runs: Spark returns a task's result only when it ends, so a training that prints one line per epoch on its
 * executor would otherwise show nothing on the driver's console for many minutes. The whole file is rewritten at
 * every line (object stores cannot append); a line that cannot be written is dropped, never failing the training.
 */
public final class ProgressFile implements Consumer<String> {

    /** The suffix of a progress file beside its artifact. */
    public static final String SUFFIX = ".progress";

    private final Path path;
    private final List<String> lines = new ArrayList<>();

    /** Progress of the artifact {@code artifact}, written to {@code artifact + SUFFIX}. */
    public ProgressFile(Path artifact) {
        this.path = artifact.suffix(SUFFIX);
    }

    @Override
    public void accept(String line) {
        lines.add(line);
        try {
            FileSystem fs = path.getFileSystem(new Configuration());
            try (OutputStream out = fs.create(path, true)) {
                out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            lines.add("(progress file " + path + " not written: " + e.getMessage() + ")");
        }
    }
}
