package io.sparknas.supernet;

import io.sparknas.space.Architecture;
import java.io.Serializable;
import java.util.List;

/**
 * One optimizer step of supernet training, as it crosses to the tasks that compute its gradients: the epoch
 * (1-based), the step within it (its batch of the epoch's shuffle) and the members trained on that batch, largest
 * first ({@link SandwichSampler#members}).
 */
public record SandwichStep(int epoch, int step, List<Architecture> members) implements Serializable {

    public SandwichStep {
        if (epoch < 1 || step < 0 || members.isEmpty()) {
            throw new IllegalArgumentException("a sandwich step needs epoch >= 1, step >= 0 and members, got epoch "
                    + epoch + ", step " + step + ", " + members.size() + " members");
        }
        members = List.copyOf(members);
    }
}
