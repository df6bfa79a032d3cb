package io.sparknas.supernet;

import io.sparknas.space.SearchSpace;
import java.io.Serializable;

/**
 * What every computation of a sandwich step needs besides the weights and the images: the cell the supernet is
 * trained for and its training settings. Small and serializable, so it travels to Spark tasks.
 */
public record SandwichTraining(SearchSpace space, SupernetSettings settings) implements Serializable {
}
