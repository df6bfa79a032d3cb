package io.sparknas.finalmodels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.data.Augmentation;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DetectionBatches;
import io.sparknas.data.DetectionImage;
import io.sparknas.eval.DetectorEvaluator;
import io.sparknas.space.HeadSpec;
import io.sparknas.task.NetworkShardContext;
import io.sparknas.train.BatchFit;
import io.sparknas.train.LocalShardedFit;
import io.sparknas.train.TeacherRecipe;
import io.sparknas.train.TeacherSpec;
import io.sparknas.train.VitTeacherBuilder;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The ViT teacher's data-parallel steps on a real local Spark session with two task slots: one shard on the
 * executors is DL4J's own step, two shards are the in-process two-shard step.
 */
class SparkBatchFitTest {

    private static final int SIDE = 64;
    private static final TeacherSpec SPEC = new TeacherSpec(16, 1, 2, 2);
    private static SparkSession spark;
    private static SparkNasConfig config;
    private static HeadSpec head;
    private static List<DetectionImage> train;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
        config = ConfigLoader.load(null, List.of("data.synthetic.train=32", "data.synthetic.val=8",
                "data.synthetic.test=4", "data.synthetic.image-size=64"));
        head = config.space().narrow(SIDE, 0.3).head();
        train = config.data().load(DataFiles.local()).train();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static ComputationGraph teacher() {
        return VitTeacherBuilder.build(SIDE, head, SPEC, 11, new Adam(2e-3), 1e-3);
    }

    private static DetectionBatches batches() {
        DetectionBatches batches = new DetectionBatches(train, SIDE, SIDE / head.outputStride(),
                DetectorEvaluator.anchorPairs(head), head.classes(), 16, Augmentation.DEFAULT, true, 5);
        batches.startEpoch(1);
        return batches;
    }

    private static SparkBatchFit onSpark(int shards) {
        return new SparkBatchFit(spark, new NetworkShardContext(new TeacherRecipe(SIDE, head, SPEC, 11, 1e-3),
                config.data(), SIDE, head, 16, Augmentation.DEFAULT, 5, 1), shards);
    }

    @Test
    void distributedStepsEqualTheSameStepsInOneProcess() {
        for (int shards : new int[] {1, 2}) {
            ComputationGraph reference = teacher();
            ComputationGraph distributed = teacher();
            BatchFit local = shards == 1 ? BatchFit.IN_PROCESS : new LocalShardedFit(shards);
            SparkBatchFit fit = onSpark(shards);
            DetectionBatches batches = batches();
            double localLoss = 0;
            double distributedLoss = 0;
            for (int step = 0; step < 2; step++) {
                localLoss += local.step(reference, batches, 1, step);
                distributedLoss += fit.step(distributed, batches, 1, step);
            }
            double moved = reference.params().sub(teacher().params()).amaxNumber().doubleValue();
            double gap = reference.params().sub(distributed.params()).amaxNumber().doubleValue();
            assertTrue(moved > 1e-3, shards + " shard(s): moved " + moved);
            assertEquals(0.0, gap, 1e-5, shards + " shard(s): same parameters after two steps (moved " + moved + ")");
            assertEquals(localLoss, distributedLoss, 1e-4 * localLoss);
            assertEquals(shards, fit.shards());
            assertTrue(fit.communicationSeconds() > 0);
        }
    }
}
