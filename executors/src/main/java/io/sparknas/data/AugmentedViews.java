package io.sparknas.data;

import io.sparknas.seed.Seeds;
import java.util.SplittableRandom;

/**
 * A fixed number of augmented versions ("views") of every training image, for trainings that need something
 * computed per input ahead of time: a teacher's outputs can be cached once per view, where augmentation drawn
 * afresh every epoch would need the teacher at every step. View {@code v} of an image is drawn from
 * ({@code seed}, {@code v}, the image's id), so it is the same at every input side and in any subset or order of
 * the images; epoch {@code e} shows view {@code e mod count}.
 *
 * @param count        views per image, at least 1
 * @param augmentation how each view is drawn
 * @param seed         the views' seed: the data's, not a training's, so every student of a run sees the same views
 */
public record AugmentedViews(int count, Augmentation augmentation, long seed) implements java.io.Serializable {

    public AugmentedViews {
        if (count < 1) {
            throw new IllegalArgumentException("augmented views need at least one view, got " + count);
        }
        if (augmentation == null) {
            throw new IllegalArgumentException("augmented views need an augmentation");
        }
    }

    /** The view epoch {@code epoch} shows. */
    public int viewOf(int epoch) {
        return Math.floorMod(epoch, count);
    }

    /** The randomness that draws view {@code view} of {@code image}. */
    public SplittableRandom random(int view, DetectionImage image) {
        return new SplittableRandom(Seeds.derive(seed, "view:" + image.id(), view));
    }
}
