package io.sparknas.sweep;

import java.util.List;

/**
 * A sweep point made concrete: the {@code sparknas} arguments that run it, the folder it writes, and what a finished
 * run of it holds: {@code generations} committed generations, and final models when it {@code finalizes}.
 */
public record PlannedRun(SweepPoint point, List<String> arguments, String runDir, int generations,
                         boolean finalizes) {

    public PlannedRun {
        arguments = List.copyOf(arguments);
    }

    /** The arguments that continue an unfinished run of this point: {@code --resume ID} in place of {@code --run-id}. */
    public List<String> resumeArguments() {
        List<String> resume = new java.util.ArrayList<>(arguments);
        int option = resume.indexOf("--run-id");
        if (option < 0) {
            throw new IllegalStateException("a sweep point's arguments name its run: " + arguments);
        }
        resume.set(option, "--resume");
        return resume;
    }
}
