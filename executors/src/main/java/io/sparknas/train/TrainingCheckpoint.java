package io.sparknas.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A training checkpoint folder: {@code last.zip} (network with updater state, to resume), {@code best.zip} (the
 * weights with the best validation mAP) and {@code state.json} (epoch, best mAP, history). Every file is written
 * to a temporary name and then moved into place, so a crash never leaves a half-written checkpoint.
 */
public final class TrainingCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;

    public TrainingCheckpoint(Path folder) {
        this.folder = folder;
    }

    /** The saved training state. */
    public record State(int epoch, double bestValMap50, int bestEpoch, List<EpochRecord> history) {
    }

    /** Whether a resumable checkpoint exists. */
    public boolean exists() {
        return Files.isRegularFile(folder.resolve("state.json")) && Files.isRegularFile(folder.resolve("last.zip"));
    }

    /** The file of the best weights. */
    public Path bestModel() {
        return folder.resolve("best.zip");
    }

    /** Saves the network after {@code state.epoch()}, and as best when {@code isBest}. */
    public void save(ComputationGraph network, State state, boolean isBest) {
        try {
            Files.createDirectories(folder);
            writeModel(network, folder.resolve("last.zip"));
            if (isBest) {
                writeModel(network, folder.resolve("best.zip"));
            }
            ObjectNode node = JSON.createObjectNode().put("epoch", state.epoch()).put("bestValMap50", state.bestValMap50())
                    .put("bestEpoch", state.bestEpoch());
            node.set("history", JSON.valueToTree(state.history()));
            Path tmp = folder.resolve("state.json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), node);
            Files.move(tmp, folder.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + folder, e);
        }
    }

    /** The last network, updater state included. */
    public ComputationGraph loadLast() {
        return load(folder.resolve("last.zip"));
    }

    /** The best network. */
    public ComputationGraph loadBest() {
        return load(folder.resolve("best.zip"));
    }

    /** The saved state. */
    public State loadState() {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(folder.resolve("state.json").toFile());
            List<EpochRecord> history = JSON.convertValue(node.get("history"), new TypeReference<List<EpochRecord>>() { });
            return new State(node.get("epoch").asInt(), node.get("bestValMap50").asDouble(),
                    node.get("bestEpoch").asInt(), history);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(folder.resolve("state.json") + ": unreadable checkpoint state: "
                    + e.getMessage(), e);
        }
    }

    private static ComputationGraph load(Path file) {
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file, e);
        }
    }

    private static void writeModel(ComputationGraph network, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        ModelSerializer.writeModel(network, tmp.toFile(), true);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
