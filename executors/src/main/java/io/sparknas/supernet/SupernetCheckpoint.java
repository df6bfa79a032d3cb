package io.sparknas.supernet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.space.SearchSpace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The supernet checkpoint: one zip file holding the shared weights ({@code weights.bin}), the optimizer moments
 * ({@code optimizer.bin}) and the training state ({@code state.json}: completed epochs and their history, the cell,
 * and the anchor boxes the head was trained with, which a later load must match). It is
 * written to a temporary file and moved into place, so a crash leaves the previous checkpoint intact.
 */
public final class SupernetCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEIGHTS = "weights.bin";
    private static final String OPTIMIZER = "optimizer.bin";
    private static final String STATE = "state.json";

    /** A loaded checkpoint; the supernet's space is the base space at the resolutions and widths it was trained for. */
    public record Contents(Supernet supernet, byte[] optimizerState, int epoch, List<SupernetEpoch> history) {
    }

    private SupernetCheckpoint() {
    }

    /** Writes the checkpoint after {@code history.size()} completed epochs. */
    public static void save(Path file, Supernet supernet, SharedWeightOptimizer optimizer, List<SupernetEpoch> history) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = parent.resolve(file.getFileName() + ".tmp");
            try (OutputStream raw = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(raw)) {
                put(zip, WEIGHTS, supernet.toBytes());
                put(zip, OPTIMIZER, optimizer.stateBytes());
                ObjectNode state = JSON.createObjectNode().put("epoch", history.isEmpty() ? 0
                        : history.get(history.size() - 1).epoch());
                state.set("resolutions", JSON.valueToTree(supernet.space().resolutions()));
                state.set("widths", JSON.valueToTree(supernet.space().widths()));
                state.set("anchor_boxes", JSON.valueToTree(anchorPairs(supernet.space().anchorBoxes())));
                state.set("history", JSON.valueToTree(history));
                put(zip, STATE, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the supernet checkpoint " + file, e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    /** The shared weights only, from checkpoint bytes (what executors receive). */
    public static Supernet weights(SearchSpace space, byte[] checkpoint) {
        return Supernet.fromBytes(space, entries(new java.io.ByteArrayInputStream(checkpoint), "checkpoint bytes")
                .get(WEIGHTS));
    }

    /**
     * Reads a checkpoint file. {@code baseSpace} gives every choice but the input resolutions and widths, which come
     * from the checkpoint (a supernet is usually trained in one stage-1 cell).
     */
    public static Contents load(Path file, SearchSpace baseSpace) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("supernet checkpoint not found: " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            Map<String, byte[]> entries = entries(in, file.toString());
            JsonNode state = JSON.readTree(entries.get(STATE));
            List<SupernetEpoch> history = JSON.convertValue(state.get("history"), new TypeReference<>() { });
            List<Integer> resolutions = JSON.convertValue(state.get("resolutions"), new TypeReference<>() { });
            List<Double> widths = JSON.convertValue(state.get("widths"), new TypeReference<>() { });
            if (resolutions == null || widths == null) {
                throw new IllegalArgumentException(file + " is not a supernet checkpoint: state.json has no "
                        + "resolutions or widths");
            }
            List<List<Double>> anchors = JSON.convertValue(state.get("anchor_boxes"), new TypeReference<>() { });
            if (anchors != null && !anchors.equals(anchorPairs(baseSpace.anchorBoxes()))) {
                throw new IllegalArgumentException(file + " was trained with anchor boxes " + anchors
                        + " (fractions of the image side), the configuration has "
                        + anchorPairs(baseSpace.anchorBoxes()) + ": set space.head.anchor-boxes to the supernet's "
                        + "to use it");
            }
            SearchSpace space = baseSpace.withInputs(resolutions, widths);
            Supernet supernet = Supernet.fromBytes(space, entries.get(WEIGHTS));
            supernet.requireMatchingShapes();
            return new Contents(supernet, entries.get(OPTIMIZER),
                    state.get("epoch").asInt(), history);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the supernet checkpoint " + file, e);
        }
    }

    /**
     * The anchor boxes (fractions of the image side, {@code [w, h]} pairs) the checkpoint's head was trained with, or
     * null for a checkpoint written before they were recorded.
     */
    public static List<List<Double>> anchorBoxes(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode state = JSON.readTree(entries(in, file.toString()).get(STATE));
            return JSON.convertValue(state.get("anchor_boxes"), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the supernet checkpoint " + file, e);
        }
    }

    private static List<List<Double>> anchorPairs(List<io.sparknas.space.Anchor> anchors) {
        return anchors.stream().map(a -> List.of(a.width(), a.height())).toList();
    }

    private static Map<String, byte[]> entries(InputStream in, String source) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                zip.transferTo(data);
                entries.put(entry.getName(), data.toByteArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + " is not a supernet checkpoint", e);
        }
        for (String name : List.of(WEIGHTS, OPTIMIZER, STATE)) {
            if (!entries.containsKey(name)) {
                throw new IllegalArgumentException(source + " is not a supernet checkpoint: it has no " + name);
            }
        }
        return entries;
    }
}
