package io.sparknas.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparknas.config.ConfigLoader;
import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import io.sparknas.space.SearchSpace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchitectureProxiesTest {

    /** The best candidate of a default search (docs/bench/default-run.json): three separable blocks of eight. */
    private static final String FOUND = "{\"resolution\":80,\"width\":0.9,\"stages\":["
            + "[{\"type\":\"depthwise-separable\",\"kernel\":5,\"expand\":1,\"skip\":true}],"
            + "[{\"type\":\"depthwise-separable\",\"kernel\":7,\"expand\":1,\"skip\":false}],"
            + "[{\"type\":\"depthwise-separable\",\"kernel\":7,\"expand\":1,\"skip\":false},"
            + "{\"type\":\"mbconv\",\"kernel\":5,\"expand\":4,\"skip\":false}],"
            + "[{\"type\":\"standard\",\"kernel\":5,\"expand\":1,\"skip\":false},"
            + "{\"type\":\"standard\",\"kernel\":5,\"expand\":1,\"skip\":true}],"
            + "[{\"type\":\"mbconv\",\"kernel\":5,\"expand\":3,\"skip\":false},"
            + "{\"type\":\"mbconv\",\"kernel\":7,\"expand\":3,\"skip\":true}]]}";

    @Test
    void theCellsEndsScoreAsTheirShapesAndCostsSay() {
        SparkNasConfig config = ConfigLoader.load(null, List.of());
        SearchSpace cell = config.space().narrow(80, 0.9);
        CostModel costModel = new CostModel(cell, config.target(), config.cost());
        Architecture largest = cell.largest();
        Architecture found = ArchitectureJson.decode(FOUND);

        Map<String, double[]> scores = ArchitectureProxies.scores(List.of(largest, found), costModel);

        assertEquals(List.of("macs", "latency_ms", "fewer_separable_blocks", "fewer_blocks"),
                List.copyOf(scores.keySet()));
        assertArrayEquals(new double[] {costModel.evaluate(largest).macs(), 11_878_600}, scores.get("macs"));
        assertTrue(scores.get("latency_ms")[0] > scores.get("latency_ms")[1]);
        assertEquals(-3, scores.get("fewer_separable_blocks")[1]);
        assertEquals(-8, scores.get("fewer_blocks")[1]);
        assertEquals(-largest.blockCount(), scores.get("fewer_blocks")[0]);
    }
}
