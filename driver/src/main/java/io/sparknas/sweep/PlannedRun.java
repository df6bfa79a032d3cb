package io.sparknas.sweep;

import java.util.List;

/** A sweep point made concrete: the {@code sparknas} arguments that run it and the folder it writes. */
public record PlannedRun(SweepPoint point, List<String> arguments, String runDir) {

    public PlannedRun {
        arguments = List.copyOf(arguments);
    }
}
