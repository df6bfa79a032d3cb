package io.sparknas.supernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.Architecture;
import io.sparknas.space.Block;
import io.sparknas.space.ConvType;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

class SupernetTest {

    private static final SearchSpace SPACE = TestSpaces.standard();
    private static final Supernet SUPERNET = Supernet.initialize(SPACE, 5, new Sgd(0.01));

    /** Stage 1: one MBConv with kernel 3 of the largest 7, expansion 3 of 6; stage 4: one block of 3; width 0.5. */
    private static Architecture sample() {
        Architecture base = SPACE.sample(new SplittableRandom(8), 64, 0.5);
        List<List<Block>> stages = new java.util.ArrayList<>(base.stages());
        stages.set(1, List.of(new Block(ConvType.MBCONV, 3, 3, false)));
        stages.set(4, List.of(new Block(ConvType.MBCONV, 5, 4, false)));
        return new Architecture(64, 0.5, stages);
    }

    @Test
    void withZeroKernelRingsEveryLargerKernelFirstComputesWhatItsSmallestCentreDoes() {
        INDArray images = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 64, 64);
        for (WeightSharing sharing : WeightSharing.values()) {
            Supernet zeroed = Supernet.initialize(SPACE, 5, new Sgd(0.01), sharing, true);
            Supernet random = Supernet.initialize(SPACE, 5, new Sgd(0.01), sharing, false);
            for (ConvType type : SPACE.orderedConvTypes()) {
                Architecture k3 = withStage2(type, 3);
                INDArray small = zeroed.extract(k3, 1, new Sgd(0.01)).outputSingle(true, images);
                assertEquals(small, random.extract(k3, 1, new Sgd(0.01)).outputSingle(true, images),
                        "the centres are the same initialisation either way: " + sharing + " " + type);
                for (int kernel : List.of(5, 7)) {
                    Architecture larger = withStage2(type, kernel);
                    INDArray zeroRing = zeroed.extract(larger, 1, new Sgd(0.01)).outputSingle(true, images);
                    INDArray randomRing = random.extract(larger, 1, new Sgd(0.01)).outputSingle(true, images);
                    assertTrue(zeroRing.equalsWithEps(small, 1e-5), sharing + " " + type + " k" + kernel
                            + " computes what k3 does");
                    assertFalse(randomRing.equalsWithEps(small, 1e-5), sharing + " " + type + " k" + kernel
                            + ": a random ring changes the output");
                }
            }
        }
    }

    /** {@link #sample()} with kernel 3 everywhere but stage 2: two blocks of {@code type} and {@code kernel}. */
    private static Architecture withStage2(ConvType type, int kernel) {
        List<List<Block>> stages = new java.util.ArrayList<>();
        for (List<Block> stage : sample().stages()) {
            stages.add(stage.stream().map(b -> new Block(b.type(), 3, b.expand(), b.skip())).toList());
        }
        stages.set(2, List.of(new Block(type, kernel, 4, false), new Block(type, kernel, 3, true)));
        return new Architecture(64, 0.5, stages);
    }

    @Test
    void forEachConvTypeASubnetsWeightsAreTheDocumentedSlicesOfTheSharedOnes() {
        for (WeightSharing sharing : WeightSharing.values()) {
            Supernet supernet = Supernet.initialize(SPACE, 5, new Sgd(0.01), sharing);
            for (ConvType type : SPACE.orderedConvTypes()) {
                Architecture base = sample();
                List<List<Block>> stages = new java.util.ArrayList<>(base.stages());
                stages.set(2, List.of(new Block(type, 5, 3, false), new Block(type, 3, 4, false)));
                Architecture architecture = new Architecture(64, 0.5, stages);
                ComputationGraph subnet = supernet.extract(architecture, 1, new Sgd(0.01));
                String weightsOf = sharing == WeightSharing.SEPARABLE_IN_MBCONV
                        && type == ConvType.DEPTHWISE_SEPARABLE ? "mbconv" : type.jsonName();
                int checked = 0;
                for (org.deeplearning4j.nn.api.Layer layer : subnet.getLayers()) {
                    String name = layer.conf().getLayer().getLayerName();
                    if (!name.startsWith("s2.b")) {
                        continue;
                    }
                    boolean depthwise = layer.conf().getLayer()
                            instanceof org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
                    for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                        INDArray full = supernet.weight(name + "|" + weightsOf + ":" + param.getKey());
                        INDArray part = param.getValue();
                        // The documented slice: kernel centre, first channels.
                        org.nd4j.linalg.indexing.INDArrayIndex[] index =
                                new org.nd4j.linalg.indexing.INDArrayIndex[full.rank()];
                        for (int d = 0; d < full.rank(); d++) {
                            boolean spatial = full.rank() == 4 && (depthwise ? d < 2 : d >= 2);
                            long start = spatial ? (full.size(d) - part.size(d)) / 2 : 0;
                            index[d] = org.nd4j.linalg.indexing.NDArrayIndex.interval(start, start + part.size(d));
                        }
                        assertEquals(full.get(index).reshape(part.shape()), part, sharing + " " + type + " " + name
                                + " " + param.getKey());
                        checked++;
                    }
                }
                assertTrue(checked >= 4, sharing + " " + type + ": checked " + checked);
            }
            boolean separableKeys = supernet.keys().stream().anyMatch(k -> k.contains("|depthwise-separable:"));
            assertEquals(sharing == WeightSharing.PER_TYPE, separableKeys, sharing + ": separable keys");
            assertEquals(sharing, Supernet.fromBytes(SPACE, supernet.toBytes()).sharing(), "read back from the keys");
        }
    }

    @Test
    void aSeparableBlockTrainsTheFirstChannelsOfItsSlotsMbconvWeightsWhenShared() {
        Supernet supernet = Supernet.initialize(SPACE, 5, new Sgd(0.01), WeightSharing.SEPARABLE_IN_MBCONV);
        Architecture base = sample();
        List<List<Block>> stages = new java.util.ArrayList<>(base.stages());
        stages.set(2, List.of(new Block(ConvType.DEPTHWISE_SEPARABLE, 3, 3, false)));
        Architecture separable = new Architecture(64, 0.5, stages);
        stages.set(2, List.of(new Block(ConvType.MBCONV, 3, 6, false)));
        Architecture mbconv = new Architecture(64, 0.5, stages);
        ComputationGraph subnet = supernet.extract(separable, 1, new Sgd(0.01));
        INDArray dw = subnet.getLayer("s2.b0.dw").getParam("W");
        dw.assign(7.0);
        supernet.writeBack(separable, subnet);
        INDArray mbconvDw = supernet.extract(mbconv, 1, new Sgd(0.01)).getLayer("s2.b0.dw").getParam("W");
        long in = dw.size(2);
        assertEquals(7.0, mbconvDw.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, in),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).minNumber().doubleValue(), 0.0,
                "the MBConv block reads what the separable block wrote, in its first channels");
        assertTrue(mbconvDw.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(in, mbconvDw.size(2)),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).maxNumber().doubleValue() < 7.0, "and only there");
    }

    @Test
    void extractedWeightsAreTheKernelCentreAndTheFirstChannels() {
        Architecture architecture = sample();
        ComputationGraph subnet = SUPERNET.extract(architecture, 1, new Adam(1e-3));
        INDArray fullDw = SUPERNET.weight("s1.b0.dw|mbconv:W");       // [7, 7, 16*6, 1] at width 1.0
        INDArray subDw = subnet.getLayer("s1.b0.dw").getParam("W");   // [3, 3, 8*3, 1] at width 0.5
        assertEquals(List.of(3L, 3L, 24L, 1L), List.of(subDw.shape()[0], subDw.shape()[1], subDw.shape()[2], subDw.shape()[3]));
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                for (int c = 0; c < 24; c++) {
                    assertEquals(fullDw.getDouble(y + 2, x + 2, c, 0), subDw.getDouble(y, x, c, 0));
                }
            }
        }
        INDArray fullExpand = SUPERNET.weight("s1.b0.expand|mbconv:W"); // [96, 16, 1, 1]
        INDArray subExpand = subnet.getLayer("s1.b0.expand").getParam("W"); // [24, 8, 1, 1]
        assertEquals(fullExpand.get(Supernet.slice(fullExpand.shape(), subExpand.shape(), false)), subExpand);
        assertEquals(fullExpand.getDouble(23, 7, 0, 0), subExpand.getDouble(23, 7, 0, 0));
        INDArray fullStem = SUPERNET.weight("stem:W");
        INDArray subStem = subnet.getLayer("stem").getParam("W");
        assertEquals(fullStem.getDouble(7, 2, 1, 1), subStem.getDouble(7, 2, 1, 1));
        INDArray gamma = subnet.getLayer("s1.b0.expand.bn").getParam("gamma");
        assertEquals(SUPERNET.weight("s1.b0.expand.bn|mbconv:gamma").get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 24)), gamma);
    }

    @Test
    void aShallowerStageUsesTheFirstBlocksSlots() {
        Architecture architecture = sample();
        ComputationGraph subnet = SUPERNET.extract(architecture, 1, new Adam(1e-3));
        int depth = architecture.depth(3);
        for (int b = 0; b < depth; b++) {
            String type = architecture.stages().get(3).get(b).type().jsonName();
            String layer = switch (type) {
                case "standard" -> "s3.b" + b + ".conv";
                default -> "s3.b" + b + ".project";
            };
            INDArray full = SUPERNET.weight(layer + "|" + type + ":W");
            INDArray part = subnet.getLayer(layer).getParam("W");
            assertEquals(full.get(Supernet.slice(full.shape(), part.shape(), false)), part, layer);
        }
    }

    @Test
    void extractingTwiceGivesIdenticalOutputs() {
        Architecture architecture = sample();
        INDArray input = Nd4j.rand(2, 3, 64, 64);
        INDArray a = SUPERNET.extract(architecture, 1, new Adam(1e-3)).outputSingle(false, input);
        INDArray b = SUPERNET.extract(architecture, 99, new Adam(1e-3)).outputSingle(false, input);
        assertEquals(a, b, "the extraction seed does not matter: every weight comes from the supernet");
    }

    @Test
    void trainingASubnetChangesOnlyTheSlicesItUsed() {
        Supernet supernet = Supernet.initialize(SPACE, 6, new Sgd(0.01));
        Architecture architecture = sample();
        Map<String, INDArray> before = new TreeMap<>();
        for (String key : supernet.keys()) {
            before.put(key, supernet.weight(key));
        }
        ComputationGraph subnet = supernet.extract(architecture, 1, new Sgd(0.05));
        DataSet batch = new DetectionBatches(new SyntheticDetectionSet(new SyntheticSpec(64, 8, 1, 1, 2)).generate().train(),
                64, 4, DetectorEvaluator.anchorPairs(SPACE.head()), 4, 8, Augmentation.NONE, false, 1).next();
        subnet.fit(batch);
        supernet.writeBack(architecture, subnet);

        INDArray after = supernet.weight("s1.b0.dw|mbconv:W");
        INDArray old = before.get("s1.b0.dw|mbconv:W");
        INDArray used = Nd4j.zeros(after.shape()).castTo(after.dataType());
        used.put(Supernet.slice(after.shape(), new long[] {3, 3, 24, 1}, true), Nd4j.ones(3, 3, 24, 1));
        INDArray diff = after.sub(old);
        assertEquals(0.0, diff.mul(used.rsub(1)).norm1Number().doubleValue(), 0.0, "outside the slice nothing moves");
        assertTrue(diff.mul(used).norm1Number().doubleValue() > 0, "inside the slice the update landed");
        assertEquals(before.get("s1.b0.dw|depthwise-separable:W"), supernet.weight("s1.b0.dw|depthwise-separable:W"),
                "another conv type's weights are untouched");
        for (String key : supernet.keys()) {
            if (key.startsWith("s4.b1") || key.startsWith("s4.b2")) {
                assertEquals(before.get(key), supernet.weight(key), "blocks the subnet does not have keep " + key);
            }
        }
        assertNotEquals(before.get("s4.b0.project|mbconv:W"), supernet.weight("s4.b0.project|mbconv:W"),
                "the block it has was trained");
    }

    @Test
    void checkpointBytesRoundTrip() {
        Architecture architecture = sample();
        Supernet copy = Supernet.fromBytes(SPACE, SUPERNET.toBytes());
        assertEquals(SUPERNET.keys(), copy.keys());
        INDArray input = Nd4j.rand(1, 3, 64, 64);
        assertEquals(SUPERNET.extract(architecture, 1, new Adam(1e-3)).outputSingle(false, input),
                copy.extract(architecture, 1, new Adam(1e-3)).outputSingle(false, input));
        assertNotEquals(0, SUPERNET.toBytes().length);
    }

    @Test
    void batchNormRecalibrationSetsTheStatisticsOfTheSubnetsOwnActivations() {
        Architecture architecture = sample();
        ComputationGraph subnet = SUPERNET.extract(architecture, 1, new Adam(1e-3));
        List<DataSet> batches = List.of(
                new DetectionBatches(new SyntheticDetectionSet(new SyntheticSpec(64, 16, 1, 1, 3)).generate().train(),
                        64, 4, DetectorEvaluator.anchorPairs(SPACE.head()), 4, 8, Augmentation.NONE, false, 1).next(),
                new DetectionBatches(new SyntheticDetectionSet(new SyntheticSpec(64, 16, 1, 1, 4)).generate().train(),
                        64, 4, DetectorEvaluator.anchorPairs(SPACE.head()), 4, 8, Augmentation.NONE, false, 1).next());
        INDArray staleMean = subnet.getLayer("stem.bn").getParam("mean").dup();
        int layers = BatchNormRecalibration.recalibrate(subnet, batches);
        assertTrue(layers > 10, "every BatchNorm layer: " + layers);
        // The stem's BatchNorm sees the stem convolution's output, which does not depend on any other statistics.
        INDArray stem0 = subnet.feedForward(batches.get(0).getFeatures(), true).get("stem");
        INDArray stem1 = subnet.feedForward(batches.get(1).getFeatures(), true).get("stem");
        INDArray expectedMean = stem0.mean(0, 2, 3).add(stem1.mean(0, 2, 3)).div(2);
        INDArray mean = subnet.getLayer("stem.bn").getParam("mean");
        assertTrue(expectedMean.reshape(mean.shape()).equalsWithEps(mean, 1e-4), expectedMean + " vs " + mean);
        assertNotEquals(staleMean, mean, "the inherited statistics changed");
        INDArray variance = stem0.mul(stem0).mean(0, 2, 3).add(stem1.mul(stem1).mean(0, 2, 3)).div(2)
                .sub(expectedMean.mul(expectedMean));
        INDArray std = org.nd4j.linalg.ops.transforms.Transforms.sqrt(variance.add(1e-5), false);
        INDArray log10 = org.nd4j.linalg.ops.transforms.Transforms.log(std, 10, false);
        assertTrue(log10.reshape(mean.shape()).equalsWithEps(subnet.getLayer("stem.bn").getParam("log10stdev"), 1e-3));
    }
}
