package io.sparknas.train;

import io.sparknas.cost.Layer;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.LayerOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Copies parameters between DL4J detectors whose layers are named after the same {@link LayerGraph}. */
public final class WeightTransfer {

    private WeightTransfer() {
    }

    /**
     * What a transfer copied.
     *
     * @param source  where the weights came from
     * @param copied  convolutions whose weights (and BatchNorm) were copied
     * @param total   convolutions of the receiving network
     * @param skipped the receiving network's convolutions left as initialised, each with the reason
     */
    public record Report(String source, int copied, int total, List<String> skipped) {

        public Report {
            skipped = List.copyOf(skipped);
        }

        /** One line for the console, e.g. {@code init: 21 of 22 convolutions from F; kept fresh: head.pred (...)}. */
        public String describe() {
            String line = "init: " + copied + " of " + total + " convolutions from " + source;
            return skipped.isEmpty() ? line : line + "; kept as initialised: " + String.join(", ", skipped);
        }
    }

    /**
     * Copies every convolution of {@code graph} (with its BatchNorm) whose name exists in {@code from} with the same
     * parameter shapes.
     */
    public static Report byName(ComputationGraph from, ComputationGraph to, LayerGraph graph, String source) {
        int copied = 0;
        int total = 0;
        List<String> skipped = new ArrayList<>();
        for (Layer layer : convolutions(graph)) {
            total++;
            String reason = copyIfSameShapes(from, to, layer.name());
            if (reason == null) {
                reason = copyIfSameShapes(from, to, layer.name() + ".bn");
            }
            if (reason == null) {
                if (to.getVertex(layer.name() + ".bn") != null) {
                    copyParams(from, to, layer.name() + ".bn");
                }
                copyParams(from, to, layer.name());
                copied++;
            } else {
                skipped.add(layer.name() + " (" + reason + ")");
            }
        }
        return new Report(source, copied, total, skipped);
    }

    /** The convolutions of {@code graph} in order: full and depthwise, the prediction layer included. */
    static List<Layer> convolutions(LayerGraph graph) {
        return graph.layers().stream().filter(l -> l.op() == LayerOp.CONV || l.op() == LayerOp.DEPTHWISE).toList();
    }

    /** Null when {@code name} can be copied from {@code from} to {@code to} (or is absent from both), else why not. */
    private static String copyIfSameShapes(ComputationGraph from, ComputationGraph to, String name) {
        boolean inFrom = from.getVertex(name) != null && from.getVertex(name).hasLayer();
        boolean inTo = to.getVertex(name) != null && to.getVertex(name).hasLayer();
        if (!inTo) {
            return null;
        }
        if (!inFrom) {
            return "not in the source";
        }
        Map<String, INDArray> source = from.getLayer(name).paramTable();
        Map<String, INDArray> target = to.getLayer(name).paramTable();
        if (!source.keySet().equals(target.keySet())) {
            return "parameters " + source.keySet() + " in the source, " + target.keySet() + " here";
        }
        for (Map.Entry<String, INDArray> entry : target.entrySet()) {
            long[] want = entry.getValue().shape();
            long[] have = source.get(entry.getKey()).shape();
            if (!Arrays.equals(want, have)) {
                return name + ":" + entry.getKey() + " " + Arrays.toString(have) + " in the source, "
                        + Arrays.toString(want) + " here";
            }
        }
        return null;
    }

    private static void copyParams(ComputationGraph from, ComputationGraph to, String name) {
        Map<String, INDArray> source = from.getLayer(name).paramTable();
        for (Map.Entry<String, INDArray> entry : to.getLayer(name).paramTable().entrySet()) {
            entry.getValue().assign(source.get(entry.getKey()));
        }
    }
}
