package io.sparknas.cost;

/**
 * One (resolution, width) cell of the stage-1 space selection grid.
 *
 * @param resolution input side in pixels
 * @param width      width multiplier
 */
public record SpaceCell(int resolution, double width) implements java.io.Serializable {
}
