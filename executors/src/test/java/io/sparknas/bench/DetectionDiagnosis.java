package io.sparknas.bench;

import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.data.GeneratedDetectionSet;
import io.sparknas.data.RealObjectsDetectionSet;
import io.sparknas.data.Split;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.Detection;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.eval.GroundTruth;
import io.sparknas.eval.MeanAveragePrecision;
import io.sparknas.eval.YoloDecoder;
import io.sparknas.net.YoloLoss;
import io.sparknas.space.Anchor;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Where a trained detector fails, on a built-in set: localisation or classification. Prints
 * <ul>
 *   <li>mAP@0.5, and class-agnostic AP@0.5 and AP@0.3 (every box and object as one class);</li>
 *   <li>by object size (square root of the box area in input pixels), the share of objects that some decoded box
 *       (any score, before NMS) covers at IoU ≥ 0.5;</li>
 *   <li>at the label grid's responsible slots, per anchor, how often the highest class logit is the object's
 *       class (chance: 1 / classes), and the mean objectness there and elsewhere.</li>
 * </ul>
 * The head (anchors, classes) is read from the model's loss layer, so the figures use the anchors it was trained
 * with; the labels and decoding are those of the code it runs with.
 *
 * <p>Options: {@code --model=FILE} (a model zip of sparknas train), {@code --source=synthetic-real|synthetic},
 * {@code --split=val|train|test}, {@code --images=500}, {@code --image-size=160}, {@code --seed=7},
 * {@code --output-stride=16} (the model's input side is its grid times this).
 */
public final class DetectionDiagnosis {

    private static final double[] SIZE_EDGES = {16, 32, 64};

    private DetectionDiagnosis() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("model", "");
        defaults.put("source", "synthetic-real");
        defaults.put("split", "val");
        defaults.put("images", "500");
        defaults.put("image-size", "160");
        defaults.put("seed", "7");
        defaults.put("output-stride", "16");
        BenchOptions options = BenchOptions.parse(defaults, args);
        ComputationGraph network = ModelSerializer.restoreComputationGraph(new File(options.get("model")), false);
        YoloLoss loss = (YoloLoss) ((CnnLossLayer) network.getOutputLayer(0).conf().getLayer()).getLossFn();
        List<Anchor> anchors = new ArrayList<>();
        for (int a = 0; a < loss.getAnchorWidths().length; a++) {
            anchors.add(new Anchor(loss.getAnchorWidths()[a], loss.getAnchorHeights()[a]));
        }
        int classes = loss.getClasses();
        int grid = (int) Math.round(Math.sqrt(loss.getGridCells()));
        int side = grid * options.integer("output-stride");
        int n = options.integer("images");
        SyntheticSpec spec = new SyntheticSpec(options.integer("image-size"), n, n, n, options.integer("seed"));
        GeneratedDetectionSet set = options.get("source").equals("synthetic")
                ? new SyntheticDetectionSet(spec) : new RealObjectsDetectionSet(spec);
        Split split = Split.valueOf(options.get("split").toUpperCase(Locale.ROOT));
        List<DetectionImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(set.image(split, i));
        }
        diagnose(network, images, side, grid, anchors, classes);
    }

    static void diagnose(ComputationGraph network, List<DetectionImage> images, int side, int grid,
                         List<Anchor> anchors, int classes) {
        List<double[]> pairs = anchors.stream().map(a -> new double[] {a.width(), a.height()}).toList();
        int stride = 5 + classes;
        YoloDecoder scored = new YoloDecoder(anchors, classes, 0.005, 100);
        YoloDecoder everyBox = new YoloDecoder(anchors, classes, 0.0, Integer.MAX_VALUE);
        List<Detection> detections = new ArrayList<>();
        Map<Integer, List<Detection>> allBoxes = new HashMap<>();
        int[] positives = new int[anchors.size()];
        int[] rightClass = new int[anchors.size()];
        double objectnessAtObjects = 0;
        double objectnessElsewhere = 0;
        long slotsAtObjects = 0;
        long slotsElsewhere = 0;
        int first = 0;
        for (int start = 0; start < images.size(); start += 32) {
            List<DetectionImage> chunk = images.subList(start, Math.min(images.size(), start + 32));
            DataSet batch = new DetectionBatches(chunk, side, grid, pairs, classes, 32, Augmentation.NONE, false, 0L)
                    .next();
            INDArray output = network.outputSingle(false, batch.getFeatures());
            detections.addAll(scored.decode(output, side, first, 0.45));
            for (Detection d : everyBox.decode(output, side, first, 1.01)) {
                allBoxes.computeIfAbsent(d.image(), k -> new ArrayList<>()).add(d);
            }
            float[] o = output.dup('c').data().asFloat();
            float[] t = batch.getLabels().dup('c').data().asFloat();
            int plane = grid * grid;
            int perImage = anchors.size() * stride * plane;
            for (int img = 0; img < chunk.size(); img++) {
                for (int a = 0; a < anchors.size(); a++) {
                    for (int at = 0; at < plane; at++) {
                        int base = img * perImage + a * stride * plane + at;
                        double objectness = 1 / (1 + Math.exp(-o[base + 4 * plane]));
                        if (t[base + 4 * plane] > 0.5f) {
                            objectnessAtObjects += objectness;
                            slotsAtObjects++;
                            int best = 0;
                            int truth = -1;
                            for (int c = 0; c < classes; c++) {
                                if (o[base + (5 + c) * plane] > o[base + (5 + best) * plane]) {
                                    best = c;
                                }
                                if (t[base + (5 + c) * plane] > 0.5f) {
                                    truth = c;
                                }
                            }
                            positives[a]++;
                            rightClass[a] += best == truth ? 1 : 0;
                        } else {
                            objectnessElsewhere += objectness;
                            slotsElsewhere++;
                        }
                    }
                }
            }
            first += chunk.size();
        }
        List<GroundTruth> truths = DetectorEvaluator.truths(images, side);
        List<Detection> oneClass = detections.stream()
                .map(d -> new Detection(d.image(), 0, d.score(), d.box())).toList();
        List<GroundTruth> oneClassTruths = truths.stream().map(t -> new GroundTruth(t.image(), 0, t.box())).toList();
        System.out.printf(Locale.ROOT, "%d images at %d px, grid %d, %d classes, anchors %s%n", images.size(), side,
                grid, classes, anchors);
        System.out.printf(Locale.ROOT, "mAP@0.5 %.4f; class-agnostic AP@0.5 %.4f, AP@0.3 %.4f%n",
                MeanAveragePrecision.voc(detections, truths, classes, 0.5),
                MeanAveragePrecision.voc(oneClass, oneClassTruths, 1, 0.5),
                MeanAveragePrecision.voc(oneClass, oneClassTruths, 1, 0.3));
        int[] count = new int[SIZE_EDGES.length + 1];
        int[] covered = new int[SIZE_EDGES.length + 1];
        for (GroundTruth truth : truths) {
            double size = Math.sqrt(truth.box().area());
            int bucket = 0;
            while (bucket < SIZE_EDGES.length && size >= SIZE_EDGES[bucket]) {
                bucket++;
            }
            count[bucket]++;
            for (Detection d : allBoxes.getOrDefault(truth.image(), List.of())) {
                if (d.box().iou(truth.box()) >= 0.5) {
                    covered[bucket]++;
                    break;
                }
            }
        }
        for (int b = 0; b < count.length; b++) {
            String range = b == 0 ? "< " + (int) SIZE_EDGES[0] + " px" : b == SIZE_EDGES.length
                    ? ">= " + (int) SIZE_EDGES[b - 1] + " px" : (int) SIZE_EDGES[b - 1] + "-" + (int) SIZE_EDGES[b] + " px";
            System.out.printf(Locale.ROOT, "objects %-10s %5d, covered by some box at IoU >= 0.5: %.3f%n", range,
                    count[b], count[b] == 0 ? 0 : covered[b] / (double) count[b]);
        }
        for (int a = 0; a < anchors.size(); a++) {
            System.out.printf(Locale.ROOT, "anchor %d %s: %d responsible slots, right class %.3f (chance %.3f)%n", a,
                    anchors.get(a), positives[a], positives[a] == 0 ? 0 : rightClass[a] / (double) positives[a],
                    1.0 / classes);
        }
        System.out.printf(Locale.ROOT, "mean objectness: responsible slots %.3f, elsewhere %.4f%n",
                objectnessAtObjects / Math.max(1, slotsAtObjects), objectnessElsewhere / Math.max(1, slotsElsewhere));
    }
}
