package io.sparknas.space;

import io.sparknas.cost.CycleCosts;
import io.sparknas.cost.Target;
import java.util.EnumSet;
import java.util.List;

/** The default search space and targets of conf/, rebuilt here because executors cannot read driver config. */
public final class TestSpaces {

    private TestSpaces() {
    }

    /** The space of conf/sparknas.conf. */
    public static SearchSpace standard() {
        return new SearchSpace(
                List.of(48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224),
                List.of(0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
                8, 16,
                List.of(new StageSpec(16, 1, List.of(1)), new StageSpec(24, 2, List.of(1, 2, 3)),
                        new StageSpec(40, 2, List.of(1, 2, 3)), new StageSpec(80, 2, List.of(1, 2, 3, 4)),
                        new StageSpec(96, 1, List.of(1, 2, 3))),
                EnumSet.allOf(ConvType.class), List.of(3, 5, 7), List.of(3, 4, 6),
                new HeadSpec(96, 4, List.of(new Anchor(0.8, 0.8), new Anchor(2.0, 2.0), new Anchor(4.5, 4.5)), 16));
    }

    /** conf/targets/stm32f746.conf. */
    public static Target stm32f746() {
        return new Target("stm32f746", "Cortex-M7", 216, 320 * 1024, 1024 * 1024, 16 * 1024, 64 * 1024,
                new CycleCosts(1.2, 1.0, 2.0, 1.0, 2.0, 1.0, 2000), 0);
    }

    /** stm32f746 with the default search's 80 ms latency budget. */
    public static Target stm32f746At80Ms() {
        Target stm32 = stm32f746();
        return new Target(stm32.name(), stm32.core(), stm32.clockMhz(), stm32.sramBytes(), stm32.flashBytes(),
                stm32.runtimeSramBytes(), stm32.runtimeFlashBytes(), stm32.cycles(), 80);
    }
}
