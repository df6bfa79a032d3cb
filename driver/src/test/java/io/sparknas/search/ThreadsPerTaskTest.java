package io.sparknas.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** ND4J threads per scoring task never oversubscribe the cores. */
class ThreadsPerTaskTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private static int threads(String master, int configured) {
        return SearchPipeline.threadsPerTask(new SparkConf(false).set("spark.master", master), configured);
    }

    @Test
    void coresAreSharedAmongTheTasksThatRunAtOnce() {
        assertEquals(CORES, threads("local[1]", 0), "one task gets every core");
        assertEquals(Math.max(1, CORES / 2), threads("local[2]", 0));
        assertEquals(Math.max(1, CORES / 2), threads("local[2,3]", 0), "retries do not change concurrency");
        assertEquals(1, threads("local[*]", 0), "one task per core");
        assertEquals(CORES, threads("local", 0));
        assertEquals(3, threads("local[2]", 3), "a configured value wins");
        assertEquals(Math.max(1, CORES / 4), SearchPipeline.threadsPerTask(new SparkConf(false)
                .set("spark.master", "spark://host:7077").set("spark.executor.cores", "4"), 0));
    }
}
