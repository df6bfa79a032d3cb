package io.sparknas.train;

import io.sparknas.space.HeadSpec;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The ViT teacher as a {@link NetworkRecipe}: {@link VitTeacherBuilder} at {@code side} with {@code head} and
 * {@code spec}. Tasks only compute gradients, so the recipe's network has no updater; the driver's network keeps
 * the real one.
 */
public record TeacherRecipe(int side, HeadSpec head, TeacherSpec spec, long seed, double weightDecay)
        implements NetworkRecipe {

    @Override
    public ComputationGraph build() {
        return VitTeacherBuilder.build(side, head, spec, seed, new NoOp(), weightDecay);
    }
}
