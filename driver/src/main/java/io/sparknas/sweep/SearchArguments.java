package io.sparknas.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options a sweep hands to every {@code sparknas search} it runs or emits: the user's configuration file and
 * {@code --set} overrides, flags, the supernet checkpoint and the results folder (each null or empty when not given).
 */
public record SearchArguments(String configFile, List<String> overrides, boolean strict, boolean verbose,
                              String supernet, String output) {

    public SearchArguments {
        overrides = List.copyOf(overrides);
    }

    /**
     * The command line of one point: {@code search --run-id ID --target T}, the spec's {@code set} entries, then the
     * user's {@code --set}s, then the point's latency budget and seed (last, so they win).
     */
    public List<String> forPoint(SweepPoint point, Map<String, String> set) {
        List<String> args = new ArrayList<>(List.of("search", "--run-id", point.runId(), "--target", point.target()));
        if (configFile != null) {
            args.addAll(List.of("--config", configFile));
        }
        set.forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
        overrides.forEach(override -> args.addAll(List.of("--set", override)));
        args.addAll(List.of("--set", "budgets.latency-ms=" + point.latencyText(), "--set", "run.seed=" + point.seed()));
        if (strict) {
            args.add("--strict");
        }
        if (verbose) {
            args.add("--verbose");
        }
        if (supernet != null) {
            args.addAll(List.of("--supernet", supernet));
        }
        if (output != null) {
            args.addAll(List.of("--output", output));
        }
        return args;
    }
}
