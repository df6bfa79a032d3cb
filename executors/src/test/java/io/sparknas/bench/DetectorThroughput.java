package io.sparknas.bench;

import io.sparknas.cost.ArchitectureLowering;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.data.Split;
import io.sparknas.data.SyntheticDetectionSet;
import io.sparknas.data.SyntheticSpec;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.net.DetectorNetworkBuilder;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Training and inference throughput of one detector at a fixed batch, in images per second: the median of
 * {@code reps} timed steps after {@code warmup} untimed ones. Run by bench/nd4j-backends.sh once per ND4J build.
 *
 * <p>Arguments: architecture file, batch size, warm-up steps, timed steps.
 */
public final class DetectorThroughput {

    private DetectorThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Architecture architecture = ArchitectureJson.decode(Files.readString(Path.of(args[0])));
        int batch = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        SearchSpace space = TestSpaces.standard();
        int side = architecture.resolution();
        List<DetectionImage> images = new SyntheticDetectionSet(new SyntheticSpec(160, batch, 1, 1, 1)).split(Split.TRAIN);
        DataSet data = new DetectionBatches(images, side, side / space.head().outputStride(),
                DetectorEvaluator.anchorPairs(space.head()), space.head().classes(), batch, Augmentation.DEFAULT,
                true, 1).next();
        ComputationGraph network = DetectorNetworkBuilder.build(new ArchitectureLowering(space).lower(architecture),
                space.head(), 1, new Adam(1e-3), 0);
        double[] train = new double[reps];
        double[] infer = new double[reps];
        for (int i = 0; i < warmup; i++) {
            network.fit(data);
            network.outputSingle(false, data.getFeatures());
        }
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            network.fit(data);
            train[i] = batch / ((System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            network.outputSingle(false, data.getFeatures());
            infer[i] = batch / ((System.nanoTime() - start) / 1e9);
        }
        Arrays.sort(train);
        Arrays.sort(infer);
        Object onednn = Nd4j.getExecutioner().getEnvironmentInformation().get("backend");
        System.out.printf(Locale.ROOT, "%s batch %d, %s, helpers %s: train %.1f img/s (median of %d; %.1f-%.1f), "
                        + "inference %.1f img/s (%.1f-%.1f)%n", architecture.shortName(), batch,
                System.getProperty("sparknas.bench.label", String.valueOf(onednn)),
                System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "enabled by SparkNAS").equals("true")
                        ? "off" : "on",
                train[reps / 2], reps, train[0], train[reps - 1], infer[reps / 2], infer[0], infer[reps - 1]);
    }
}
