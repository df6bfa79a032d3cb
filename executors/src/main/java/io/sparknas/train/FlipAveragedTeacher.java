package io.sparknas.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A teacher averaged with its own mirror image (horizontal-flip test-time augmentation): the raw predictions for
 * the images and, mapped back to the unflipped grid, those for the images flipped left to right, averaged. Mapping a
 * flipped prediction back mirrors the grid's columns and negates each anchor's x offset {@code tx}: the decoded
 * centre {@code (gx + 2σ(tx) − 0.5)·cell} ({@link io.sparknas.eval.YoloDecoder}) of column {@code gx} mirrors to
 * column {@code G − 1 − gx} exactly when {@code σ(tx') = 1 − σ(tx)}, that is {@code tx' = −tx}; sizes, objectness and
 * class logits are unchanged by the mirror. The teachers train with random flips, so both views are in their
 * training distribution; averaging two views of one model is a cheap way to a steadier teacher.
 */
public final class FlipAveragedTeacher implements DetectionTeacher {

    private static final int WIDTH_AXIS = 3;

    private final DetectionTeacher teacher;
    private final int fieldsPerAnchor;

    /**
     * @param teacher the teacher to average with its mirror image
     * @param classes the head's classes (each anchor's fields are {@code tx, ty, tw, th, objectness} and one logit
     *                per class)
     */
    public FlipAveragedTeacher(DetectionTeacher teacher, int classes) {
        this.teacher = teacher;
        this.fieldsPerAnchor = 5 + classes;
    }

    @Override
    public INDArray predict(INDArray images) {
        INDArray direct = teacher.predict(images);
        INDArray mirrored = unmirror(teacher.predict(mirror(images)));
        return direct.add(mirrored).muli(0.5);
    }

    /** {@code images} {@code [N, C, H, W]} flipped left to right. */
    static INDArray mirror(INDArray images) {
        INDArray out = images.ulike();
        Nd4j.exec(new Reverse(images, out, WIDTH_AXIS));
        return out;
    }

    /** A prediction for flipped images, as the prediction for the unflipped ones. */
    INDArray unmirror(INDArray prediction) {
        INDArray out = mirror(prediction);
        long channels = out.size(1);
        if (channels % fieldsPerAnchor != 0) {
            throw new IllegalArgumentException("a prediction of " + channels + " channels is not whole anchors of "
                    + fieldsPerAnchor + " fields");
        }
        for (long anchor = 0; anchor < channels / fieldsPerAnchor; anchor++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.point(anchor * fieldsPerAnchor)).negi();
        }
        return out;
    }

    @Override
    public String describe() {
        return teacher.describe() + ", averaged with its mirror image";
    }

    @Override
    public void close() {
        teacher.close();
    }
}
