package io.sparknas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.cost.LayerGraph;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.Split;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.HeadSpec;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/** The ViT teacher on real DL4J: shapes aligned with the student, training, serialization, positions. */
class VitTeacherBuilderTest {

    private static final SearchSpace SPACE = TestSpaces.standard();
    private static final HeadSpec HEAD = SPACE.head();
    private static final int SIDE = 64;
    private static final int GRID = SIDE / HEAD.outputStride();
    private static final TeacherSpec TINY = new TeacherSpec(32, 2, 4, 2);

    @TempDir
    Path dir;

    private static ComputationGraph teacher() {
        return VitTeacherBuilder.build(SIDE, HEAD, TINY, 5, new Adam(2e-3), 0);
    }

    private static DataSet fixedBatch(int images) {
        SyntheticDetectionSet set = new SyntheticDetectionSet(new SyntheticSpec(SIDE, images, 1, 1, 9));
        return new DetectionBatches(set.split(Split.TRAIN), SIDE, GRID, DetectorEvaluator.anchorPairs(HEAD),
                HEAD.classes(), images, Augmentation.NONE, false, 9).next();
    }

    @Test
    void outputIsTheStudentsPredictionGrid() {
        LayerGraph studentGraph = new ArchitectureLowering(SPACE).lower(SPACE.smallest().withInput(SIDE, 0.3));
        ComputationGraph student = DetectorNetworkBuilder.build(studentGraph, HEAD, 5, new Adam(1e-3), 0);
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, SIDE, SIDE);
        INDArray out = teacher().outputSingle(false, images);
        assertArrayEquals(new long[] {2, HEAD.predictionChannels(), 4, 4}, out.shape());
        assertArrayEquals(student.outputSingle(false, images).shape(), out.shape());
    }

    @Test
    void aWiderStemDoublesFromItsFirstWidthAndAddsStrideOneLayersFromTheThirdLevel() {
        int levels = Integer.numberOfTrailingZeros(HEAD.outputStride());
        TeacherSpec wide = new TeacherSpec(32, 1, 4, 2, true, 6, 2);
        ComputationGraph teacher = VitTeacherBuilder.build(SIDE, HEAD, wide, 5, new Adam(2e-3), 0);
        java.util.Map<String, Long> widths = new java.util.TreeMap<>();
        for (org.deeplearning4j.nn.api.Layer layer : teacher.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (name.matches("stem\\d+(\\.\\d+)?")) {
                widths.put(name, ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) layer.conf().getLayer())
                        .getNOut());
            }
        }
        java.util.Map<String, Long> expected = new java.util.TreeMap<>();
        for (int i = 0; i < levels; i++) {
            long channels = Math.min(32, 6L << i);
            expected.put("stem" + i, channels);
            for (int b = 1; i >= 2 && b <= 2; b++) {
                expected.put("stem" + i + "." + b, channels);
            }
        }
        assertEquals(expected, widths);
        assertArrayEquals(new long[] {1, HEAD.predictionChannels(), GRID, GRID},
                teacher.outputSingle(false, Nd4j.rand(DataType.FLOAT, 1, 3, SIDE, SIDE)).shape());
        assertEquals("TeacherSpec[dim=32, depth=2, heads=4, mlpRatio=2, convStem=true]",
                new TeacherSpec(32, 2, 4, 2, true).toString(), "the first stem's description, as caches keyed it");
        assertEquals("TeacherSpec[dim=32, depth=1, heads=4, mlpRatio=2, convStem=true, stemWidth=6, stemBlocks=2]",
                wide.toString());
    }

    @Test
    void aConvolutionalStemReachesTheSameGridAndLearns() throws Exception {
        TeacherSpec stem = new TeacherSpec(32, 2, 4, 2, true);
        ComputationGraph teacher = VitTeacherBuilder.build(SIDE, HEAD, stem, 5, new Adam(2e-3), 0);
        int convolutions = stemConvolutions(teacher);
        assertEquals(Integer.numberOfTrailingZeros(HEAD.outputStride()), convolutions,
                "one stride-2 convolution per halving from the input to the students' grid");
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, SIDE, SIDE);
        assertArrayEquals(new long[] {2, HEAD.predictionChannels(), GRID, GRID}, teacher.outputSingle(false, images)
                .shape());
        assertHalvesItsLossOnOneBatch(teacher);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        org.deeplearning4j.util.ModelSerializer.writeModel(teacher, bytes, false);
        ComputationGraph restored = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(
                new java.io.ByteArrayInputStream(bytes.toByteArray()), false);
        assertEquals(teacher.outputSingle(false, images), restored.outputSingle(false, images));
        assertThrows(IllegalArgumentException.class, () -> VitTeacherBuilder.build(48, new HeadSpec(HEAD.channels(),
                HEAD.classes(), HEAD.anchors(), 12), stem, 5, new Adam(2e-3), 0), "stride 12 is not a power of two");
    }

    @Test
    void fourTokensPerCellAttendAtTwiceTheGridAndPredictOnTheStudentsGrid() {
        TeacherSpec fine = new TeacherSpec(32, 1, 4, 2, true, 0, 0, 2);
        ComputationGraph teacher = VitTeacherBuilder.build(SIDE, HEAD, fine, 5, new Adam(2e-3), 0);
        int convolutions = stemConvolutions(teacher);
        assertEquals(Integer.numberOfTrailingZeros(HEAD.outputStride()) - 1, convolutions,
                "the stem stops one halving before the students' grid");
        assertEquals(32L * (2 * GRID) * (2 * GRID), teacher.getLayer(VitTeacherBuilder.POSITION).numParams(),
                "one position per token of the 2G x 2G token grid");
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer prediction = (org.deeplearning4j.nn.conf.layers.ConvolutionLayer)
                teacher.getLayer(VitTeacherBuilder.PREDICTION).conf().getLayer();
        assertArrayEquals(new int[] {2, 2}, prediction.getKernelSize());
        assertArrayEquals(new int[] {2, 2}, prediction.getStride());
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, SIDE, SIDE);
        assertArrayEquals(new long[] {2, HEAD.predictionChannels(), GRID, GRID}, teacher.outputSingle(false, images)
                .shape());
        assertHalvesItsLossOnOneBatch(teacher);
        assertEquals("TeacherSpec[dim=32, depth=1, heads=4, mlpRatio=2, convStem=true, tokensPerCell=2]",
                fine.toString());
        assertThrows(IllegalArgumentException.class, () -> new TeacherSpec(32, 1, 4, 2, true, 0, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> VitTeacherBuilder.build(SIDE, HEAD,
                new TeacherSpec(32, 1, 4, 2, true, 0, 0, 2 * HEAD.outputStride()), 5, new Adam(2e-3), 0),
                "more tokens per cell side than the cell has pixels");
    }

    /** The number of stride-2 stem convolutions ({@code stem0}, {@code stem1}, ...) of {@code teacher}. */
    private static int stemConvolutions(ComputationGraph teacher) {
        int convolutions = 0;
        for (org.deeplearning4j.nn.api.Layer layer : teacher.getLayers()) {
            if (layer.conf().getLayer().getLayerName().matches("stem\\d+")) {
                convolutions++;
            }
        }
        return convolutions;
    }

    /** Forty steps on one fixed batch of 8 images take {@code teacher}'s loss on it below half. */
    private static void assertHalvesItsLossOnOneBatch(ComputationGraph teacher) {
        DataSet batch = fixedBatch(8);
        double initial = teacher.score(batch);
        for (int step = 0; step < 40; step++) {
            teacher.fit(batch);
        }
        assertTrue(teacher.score(batch) < 0.5 * initial, initial + " -> " + teacher.score(batch));
    }

    @Test
    void fittingOneBatchDrivesTheLossDown() {
        ComputationGraph teacher = teacher();
        DataSet batch = fixedBatch(8);
        double initial = teacher.score(batch);
        for (int step = 0; step < 40; step++) {
            teacher.fit(batch);
        }
        double last = teacher.score(batch);
        assertTrue(last < 0.7 * initial, "loss " + initial + " -> " + last);
    }

    /**
     * Every parameter's backpropagated gradient against central differences, in double precision, through the whole
     * teacher (patches, reshapes, position embedding, blocks, prediction). The loss is swapped for mean squared error
     * because {@link io.sparknas.net.YoloLoss} scores in single precision, too coarse for finite differences.
     */
    @Test
    void backpropagationMatchesFiniteDifferences() {
        int side = 2 * HEAD.outputStride();
        int grid = side / HEAD.outputStride();
        ComputationGraphConfiguration configuration =
                VitTeacherBuilder.configuration(side, HEAD, TINY, 5, new NoOp(), 0);
        LayerVertex output = (LayerVertex) configuration.getVertices().get(DetectorNetworkBuilder.OUTPUT);
        ((CnnLossLayer) output.getLayerConf().getLayer()).setLossFn(new LossMSE());
        ComputationGraph teacher = new ComputationGraph(configuration);
        teacher.init();
        teacher = teacher.convertDataType(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(3);
        DataSet batch = new DataSet(Nd4j.rand(DataType.DOUBLE, 2, 3, side, side),
                Nd4j.rand(DataType.DOUBLE, 2, HEAD.predictionChannels(), grid, grid));
        teacher.setInputs(batch.getFeatures());
        teacher.setLabels(batch.getLabels());
        teacher.computeGradientAndScore();
        Gradient gradient = teacher.gradient();
        List<String> failures = new ArrayList<>();
        for (String key : teacher.paramTable().keySet()) {
            INDArray param = teacher.getParam(key);
            long n = param.length();
            for (long i : new long[] {0, n / 2, n - 1}) {
                // DL4J divides gradients by the minibatch size in the updater, not in backpropagation
                double exact = gradient.getGradientFor(key).getDouble(i) / batch.numExamples();
                double numeric = centralDifference(teacher, batch, param, i);
                double error = Math.abs(exact - numeric) / Math.max(1e-12, Math.abs(exact) + Math.abs(numeric));
                if (error > 1e-4 && Math.abs(exact - numeric) > 1e-7) {
                    failures.add(key + "[" + i + "]: backprop " + exact + ", finite difference " + numeric);
                }
            }
        }
        assertEquals(29, teacher.paramTable().size());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static double centralDifference(ComputationGraph network, DataSet batch, INDArray param, long index) {
        double eps = 1e-6;
        double original = param.getDouble(index);
        param.putScalar(index, original + eps);
        double plus = network.score(batch);
        param.putScalar(index, original - eps);
        double minus = network.score(batch);
        param.putScalar(index, original);
        return (plus - minus) / (2 * eps);
    }

    @Test
    void saveAndRestoreGiveIdenticalOutputs() throws Exception {
        ComputationGraph teacher = teacher();
        DataSet batch = fixedBatch(4);
        teacher.fit(batch);
        Path file = dir.resolve("teacher.zip");
        ModelSerializer.writeModel(teacher, file.toFile(), true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        INDArray probe = Nd4j.rand(DataType.FLOAT, 2, 3, SIDE, SIDE);
        assertEquals(teacher.getConfiguration().toJson(), restored.getConfiguration().toJson());
        assertEquals(teacher.outputSingle(false, probe), restored.outputSingle(false, probe));
        teacher.fit(batch);
        restored.fit(batch);
        assertEquals(teacher.params(), restored.params(), "the updater state is restored too");
    }

    /** Both stems resume from an epoch checkpoint (last.zip with the updater) and train on to the same weights. */
    @Test
    void aTeacherResumedFromItsEpochCheckpointTrainsOnAsIfNeverStopped() {
        for (boolean conv : new boolean[] {false, true}) {
            TeacherSpec spec = new TeacherSpec(32, 2, 4, 2, conv);
            SyntheticDetectionSet set = new SyntheticDetectionSet(new SyntheticSpec(SIDE, 16, 4, 1, 9));
            TrainingCheckpoint.State fresh = new TrainingCheckpoint.State(0, -1, 0, List.of());
            Path folder = dir.resolve("resume-" + conv);
            TrainingSettings two = new TrainingSettings(2, 8, "adam", 2e-3, 0.9, 1, 0, 0, 1, Augmentation.NONE, 11);
            TrainingSettings three = new TrainingSettings(3, 8, "adam", 2e-3, 0.9, 1, 0, 0, 1, Augmentation.NONE, 11);
            int iterations = 2;
            new DetectorTrainer(HEAD, two, folder, line -> { }).run(VitTeacherBuilder.build(SIDE, HEAD, spec, 5,
                    three.updater(iterations), 0), SIDE, set.split(Split.TRAIN), set.split(Split.VAL), fresh);
            TrainingCheckpoint checkpoint = new TrainingCheckpoint(folder);
            DetectorTrainer.Trained resumed = new DetectorTrainer(HEAD, three, folder, line -> { })
                    .run(checkpoint.loadLast(), SIDE, set.split(Split.TRAIN), set.split(Split.VAL),
                            checkpoint.loadState());
            DetectorTrainer.Trained straight = new DetectorTrainer(HEAD, three, null, line -> { })
                    .run(VitTeacherBuilder.build(SIDE, HEAD, spec, 5, three.updater(iterations), 0), SIDE,
                            set.split(Split.TRAIN), set.split(Split.VAL), fresh);
            double lossResumed = resumed.result().history().get(2).loss();
            double lossStraight = straight.result().history().get(2).loss();
            assertTrue(Double.isFinite(lossResumed), (conv ? "conv" : "patch") + " stem: epoch 3 loss " + lossResumed);
            assertEquals(lossStraight, lossResumed, 1e-3 * Math.abs(lossStraight),
                    (conv ? "conv" : "patch") + " stem: the resumed epoch is the uninterrupted one");
        }
    }

    @Test
    void thePositionEmbeddingIsLearned() {
        ComputationGraph teacher = teacher();
        String key = VitTeacherBuilder.POSITION + "_" + LearnedPositionEmbedding.EMBEDDING;
        INDArray before = teacher.getParam(key).dup();
        assertArrayEquals(new long[] {TINY.dim(), GRID * GRID}, before.shape());
        DataSet batch = fixedBatch(4);
        for (int step = 0; step < 5; step++) {
            teacher.fit(batch);
        }
        assertNotEquals(before, teacher.getParam(key));
    }

    @Test
    void theStudentsTrainerTrainsTheTeacherUnchanged() {
        SyntheticDetectionSet set = new SyntheticDetectionSet(new SyntheticSpec(SIDE, 16, 4, 1, 9));
        TrainingSettings settings = new TrainingSettings(2, 8, "adam", 2e-3, 0.9, 0, 0, 0, 1, Augmentation.NONE, 11);
        List<String> lines = new ArrayList<>();
        TrainingCheckpoint.State fresh = new TrainingCheckpoint.State(0, -1, 0, List.of());
        DetectorTrainer.Trained trained = new DetectorTrainer(HEAD, settings, null, lines::add)
                .run(teacher(), SIDE, set.split(Split.TRAIN), set.split(Split.VAL), fresh);
        assertEquals(2, trained.result().history().size());
        assertEquals(2, lines.size());
        assertTrue(Double.isFinite(trained.result().history().get(1).loss()), lines.toString());
        assertTrue(trained.result().bestValMap50() >= 0, lines.toString());
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        assertEquals(teacher().params(), teacher().params());
        assertNotEquals(teacher().params(), VitTeacherBuilder.build(SIDE, HEAD, TINY, 6, new Adam(2e-3), 0).params());
    }

    @Test
    void rejectsSidesOffTheGrid() {
        assertThrows(IllegalArgumentException.class,
                () -> VitTeacherBuilder.configuration(72, HEAD, TINY, 1, new Adam(1e-3), 0));
        assertThrows(IllegalArgumentException.class, () -> new TeacherSpec(30, 2, 4, 2));
    }
}
