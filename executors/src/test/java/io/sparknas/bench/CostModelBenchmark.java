package io.sparknas.bench;

import io.sparknas.cost.CostModel;
import io.sparknas.cost.CostSettings;
import io.sparknas.cost.Costs;
import io.sparknas.space.Architecture;
import io.sparknas.space.SearchSpace;
import io.sparknas.space.TestSpaces;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost-model throughput on one core: architectures fully costed per second (lowering, MACs, parameters, Flash,
 * the three memory plans, latency and feasibility). Architectures are pre-sampled so sampling is not timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 7, time = 2)
public class CostModelBenchmark {

    private Architecture[] architectures;
    private CostModel model;
    private int next;

    @Setup
    public void setUp() {
        SearchSpace space = TestSpaces.standard();
        model = new CostModel(space, TestSpaces.stm32f746(), CostSettings.DEFAULT);
        SplittableRandom random = new SplittableRandom(2026);
        architectures = new Architecture[4096];
        for (int i = 0; i < architectures.length; i++) {
            architectures[i] = space.sample(random);
        }
    }

    /** One architecture costed completely, all three memory plans included. */
    @Benchmark
    public Costs evaluateArchitecture() {
        Architecture architecture = architectures[next];
        next = (next + 1) & (architectures.length - 1);
        return model.evaluate(architecture);
    }
}
