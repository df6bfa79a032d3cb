package io.sparknas.sweep;

import java.math.BigDecimal;

/**
 * One search of a sweep: a target (name or .conf path, as {@code --target} accepts), a latency budget in
 * milliseconds (0: none beyond the target's own) and a root seed, run under {@code runId}.
 */
public record SweepPoint(String target, double latencyMs, long seed, String runId) {

    /** The latency budget as written in run ids and {@code --set} values: {@code 60}, {@code 62.5}. */
    public String latencyText() {
        return plain(latencyMs);
    }

    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
