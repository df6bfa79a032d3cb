package io.sparknas.train;

import java.io.Serializable;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * How to build a network, small enough to send to Spark tasks, which build it once per executor and then only load
 * the weights of each step (a network itself never crosses: its configuration holds layers that Java serialization
 * cannot carry).
 */
public interface NetworkRecipe extends Serializable {

    /** A new, initialised network; its parameters are overwritten before use. */
    ComputationGraph build();
}
