package io.sparknas.cost;

/**
 * A microcontroller that models must fit: its memories, clock, kernel cycle costs and optional latency budget.
 *
 * @param name             short name, e.g. {@code stm32f746}
 * @param core             processor core, e.g. {@code Cortex-M7}
 * @param clockMhz         core clock in MHz
 * @param sramBytes        SRAM available to the model's activations, in bytes
 * @param flashBytes       Flash available to the model and its runtime, in bytes
 * @param runtimeSramBytes SRAM the inference runtime itself keeps (stack, state), in bytes
 * @param runtimeFlashBytes Flash the inference runtime takes (code, tables), in bytes
 * @param cycles           cycle costs of the int8 kernels
 * @param latencyBudgetMs  the largest acceptable latency in milliseconds; 0 for none
 */
public record Target(String name, String core, double clockMhz, long sramBytes, long flashBytes,
                     long runtimeSramBytes, long runtimeFlashBytes, CycleCosts cycles, double latencyBudgetMs)
        implements java.io.Serializable {

    public Target {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("target name must not be blank");
        }
        if (!(clockMhz > 0)) {
            throw new IllegalArgumentException("clock must be positive, got " + clockMhz);
        }
        if (sramBytes <= 0 || flashBytes <= 0) {
            throw new IllegalArgumentException("SRAM and Flash must be positive");
        }
        if (runtimeSramBytes < 0 || runtimeFlashBytes < 0 || latencyBudgetMs < 0) {
            throw new IllegalArgumentException("runtime overheads and latency budget must not be negative");
        }
    }

    /** Whether a latency budget is set. */
    public boolean hasLatencyBudget() {
        return latencyBudgetMs > 0;
    }
}
