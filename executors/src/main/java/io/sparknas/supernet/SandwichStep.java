package io.sparknas.supernet;

import io.sparknas.space.Architecture;
import java.io.Serializable;
import java.util.List;

/**
 * One optimizer step of supernet training, as it crosses to the tasks that compute its gradients: the epoch
 * (1-based), the step within it (its batch of the epoch's shuffle) and the members trained on that batch
 * ({@link SandwichSampler#members}); {@code largestFirst} says whether the first member is the sandwich's largest end,
 * the teacher of in-place distillation (not on the steps that {@code supernet.largest-every} leaves it out of).
 */
public record SandwichStep(int epoch, int step, List<Architecture> members, boolean largestFirst)
        implements Serializable {

    /** A step whose first member is the largest end. */
    public SandwichStep(int epoch, int step, List<Architecture> members) {
        this(epoch, step, members, true);
    }

    public SandwichStep {
        if (epoch < 1 || step < 0 || members.isEmpty()) {
            throw new IllegalArgumentException("a sandwich step needs epoch >= 1, step >= 0 and members, got epoch "
                    + epoch + ", step " + step + ", " + members.size() + " members");
        }
        members = List.copyOf(members);
    }
}
