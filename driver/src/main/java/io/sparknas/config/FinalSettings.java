package io.sparknas.config;

import io.sparknas.train.DistillationSettings;

/**
 * Stage 5: how the best candidates are trained fully ({@code final.*}).
 *
 * @param afterSearch  whether {@code sparknas search} ends by finalizing
 * @param top          candidates trained fully
 * @param seeds        seeds per candidate, each trained without and with distillation
 * @param epochs       epochs of each full training
 * @param inherited    whether training starts from the supernet's weights (else from scratch)
 * @param distillation the distillation loss's settings
 * @param teacher      the ViT teacher trained when none is given
 * @param calibrationImages training images that calibrate each final model's int8 export
 * @param baseline     whether a MobileNetV2-style baseline is trained beside the chosen candidates
 * @param baselineDistillation whether the baseline is also trained with distillation (else only without)
 * @param augmentedViews augmented views of every training image that the final trainings cycle through (the
 *                       teacher's outputs computed for each); 0 trains on the plain images
 */
public record FinalSettings(boolean afterSearch, int top, int seeds, int epochs, boolean inherited,
                            DistillationSettings distillation, TeacherSettings teacher, int calibrationImages,
                            boolean baseline, boolean baselineDistillation, int augmentedViews) {

    /**
     * The ViT teacher.
     *
     * @param sideFactor   its input side over the students'
     * @param dim          token width
     * @param depth        encoder blocks
     * @param heads        attention heads
     * @param mlpRatio     MLP width over the token width
     * @param epochs       training epochs
     * @param learningRate peak learning rate
     * @param cacheDir     local folder keeping trained teachers by fingerprint for later runs (empty: the results
     *                     folder's {@code teachers/} when it is local; none otherwise)
     * @param convStem     tokens from a convolutional stem instead of one patch-embedding convolution
     * @param stemWidth    the convolutional stem's first width (0: the first stem's widths)
     * @param stemBlocks   stride-1 convolutions after each stride-2 stem layer from the third on
     * @param tokensPerCell tokens along each side of a cell of the students' grid (1, 2, 4, ...)
     * @param flipAverage  teach with the teacher averaged with its mirror image (any teacher, ONNX included)
     * @param patience     the teacher's early stopping in validations without a better val mAP (0: every epoch,
     *                     keeping the best validated checkpoint)
     */
    public record TeacherSettings(int sideFactor, int dim, int depth, int heads, int mlpRatio, int epochs,
                                  double learningRate, String cacheDir, boolean convStem, int stemWidth,
                                  int stemBlocks, int tokensPerCell, boolean flipAverage, int patience) {

        /** The network's size and stem. */
        public io.sparknas.train.TeacherSpec spec() {
            return new io.sparknas.train.TeacherSpec(dim, depth, heads, mlpRatio, convStem, stemWidth, stemBlocks,
                    tokensPerCell);
        }
    }
}
