package io.sparknas.space;

import java.util.List;

/**
 * The answer to "is this architecture in the space?": contained, or the reasons why not, each naming its field
 * (for example {@code stages[2][0].kernel: 4 is not one of [3, 5, 7]}).
 *
 * @param reasons empty when contained
 */
public record SpaceCheck(List<String> reasons) implements java.io.Serializable {

    public SpaceCheck {
        reasons = List.copyOf(reasons);
    }

    /** Whether the architecture is a point of the space. */
    public boolean contained() {
        return reasons.isEmpty();
    }
}
