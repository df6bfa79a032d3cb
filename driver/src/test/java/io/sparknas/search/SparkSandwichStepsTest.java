package io.sparknas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.data.DataFiles;
import io.sparknas.data.DetectionImage;
import io.sparknas.space.SearchSpace;
import io.sparknas.supernet.LocalSandwichSteps;
import io.sparknas.supernet.SandwichStep;
import io.sparknas.supernet.SandwichTraining;
import io.sparknas.train.StepGradients;
import io.sparknas.supernet.Supernet;
import io.sparknas.supernet.SupernetEpoch;
import io.sparknas.supernet.SupernetTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Data-parallel sandwich steps on a real local Spark session with two task slots: a distributed step equals the
 * same step computed in one process, shard by shard, and trains a supernet.
 */
class SparkSandwichStepsTest {

    private static SparkSession spark;
    private static SparkNasConfig config;
    private static SearchSpace cell;
    private static List<DetectionImage> train;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
        config = ConfigLoader.load(null, List.of("data.synthetic.train=32", "data.synthetic.val=8",
                "data.synthetic.test=4", "data.synthetic.image-size=64", "supernet.batch-size=16",
                "supernet.random-subnets=1", "supernet.recalibration-batches=1", "supernet.epochs=1",
                "supernet.eval-every=0"));
        cell = config.space().narrow(64, 0.3);
        train = config.data().load(DataFiles.local()).train();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SandwichStep step() {
        return new SandwichStep(1, 1, List.of(cell.largest(), cell.smallest(), cell.sample(new SplittableRandom(3))));
    }

    @Test
    void aDistributedStepEqualsTheSameStepInOneProcess() {
        Supernet supernet = Supernet.initialize(cell, 5, new NoOp());
        SandwichTraining training = new SandwichTraining(cell, config.supernet());
        for (int shards : new int[] {1, 2}) {
            StepGradients local;
            try (LocalSandwichSteps steps = new LocalSandwichSteps(training, train, shards)) {
                local = steps.run(supernet, step());
            }
            SparkSandwichSteps distributed = new SparkSandwichSteps(spark, training, config.data(), shards, 1);
            StepGradients first = distributed.run(supernet, step());
            StepGradients again = distributed.run(supernet, step());
            assertEquals(16, first.images(), shards + " shard(s)");
            assertEquals(local.sums().keySet(), first.sums().keySet());
            assertEquals(local.used(), first.used(), "the weight-decay masks");
            for (String key : local.sums().keySet()) {
                INDArray expected = local.sums().get(key);
                double scale = Math.max(1e-6, expected.amaxNumber().doubleValue());
                assertEquals(0.0, first.sums().get(key).sub(expected).amaxNumber().doubleValue() / scale, 1e-4,
                        shards + " shard(s): " + key);
                assertEquals(first.sums().get(key), again.sums().get(key), "deterministic: " + key);
            }
            assertEquals(local.loss(), first.loss(), 1e-4 * Math.abs(local.loss()));
            long weights = supernet.toTransferBytes(supernet.keysFor(step().members())).length;
            assertTrue(distributed.bytesPerStep() > weights * shards, distributed.bytesPerStep() + " bytes per step");
            assertTrue(first.communicationSeconds() >= 0);
        }
    }

    @Test
    void aSupernetTrainsOnTheExecutorsWithOneLinePerEpoch() {
        List<String> lines = new ArrayList<>();
        SupernetTrainer.Trained trained = new SupernetTrainer(cell, config.supernet(), null, lines::add)
                .withSteps(SparkSandwichSteps.on(spark, config.data(), 0, 1)).train(train, List.of());
        SupernetEpoch epoch = trained.history().get(0);
        assertEquals(2, epoch.shards(), "parallelism 0: one shard per core of local[2]");
        assertEquals(2 * 3, epoch.subnetSteps(), "2 steps of 16 x (largest + smallest + 1 random)");
        assertTrue(Double.isFinite(epoch.loss()) && epoch.loss() > 0, "loss " + epoch.loss());
        assertTrue(lines.get(0).contains("2 shard(s), communication "), lines.get(0));
    }
}
