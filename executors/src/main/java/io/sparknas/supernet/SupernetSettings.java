package io.sparknas.supernet;

import io.sparknas.data.Augmentation;
import io.sparknas.train.WarmupCosineSchedule;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * How the supernet is trained and how its subnets are scored.
 *
 * @param epochs                epochs over the training split
 * @param batchSize             images per step (every subnet of a step sees the same images)
 * @param stepsPerEpoch         steps per epoch, each epoch on the next part of a fresh shuffle; 0: the whole split
 * @param randomSubnets         random subnets per step besides the largest and the smallest (the sandwich rule's k)
 * @param learningRate          peak Adam learning rate (after warm-up, cosine decay to 2 % of it)
 * @param warmupEpochs          epochs of linear warm-up
 * @param weightDecay           decoupled weight decay on convolution weights, once per step ({@link SharedWeightOptimizer})
 * @param progressiveShrinking  train the largest subnet first, then unlock kernel, depth, then every other choice
 *                              (Once-for-All's progressive shrinking), each for a quarter of the epochs
 * @param recalibrationBatches  training batches used to recalibrate a subnet's BatchNorm statistics before scoring
 * @param evalEvery             score the largest and smallest subnets on the validation split every this many epochs
 *                              (and after the last); 0 never
 * @param augmentation          training augmentation
 * @param seed                  seed of initialisation, sampling, shuffling and augmentation
 * @param weightSharing         which conv types of a block slot share weights
 * @param inplaceDistillation   in-place distillation (Once-for-All, BigNAS): every member but the largest also
 *                              imitates the largest member's outputs on the same batch, with the detection
 *                              distillation loss; weight 0 turns it off
 * @param zeroKernelRings       initialise the part of each shared kernel outside the smallest kernel's centre at zero,
 *                              so a larger kernel starts as the smaller one that the sandwich ends train, and its ring
 *                              grows from the random members' gradients instead of adding untrained noise
 * @param memberTypes           how the random members choose each block's conv type ({@link MemberConvTypes})
 * @param smallestEvery         the sandwich's smallest end is trained on every this many steps (1: every step, the
 *                              sandwich rule; 0: never), a further random member taking its place on the others
 * @param largestEvery          the sandwich's largest end is trained on every this many steps (1: every step, the
 *                              sandwich rule; 0: never, except in progressive shrinking's first phase, where it is the
 *                              only member), a further random member taking its place on the others; in-place
 *                              distillation imitates it on the steps that train it
 */
public record SupernetSettings(int epochs, int batchSize, int stepsPerEpoch, int randomSubnets, double learningRate, double warmupEpochs,
                               double weightDecay, boolean progressiveShrinking, int recalibrationBatches,
                               int evalEvery, Augmentation augmentation, long seed, WeightSharing weightSharing,
                               io.sparknas.train.DistillationSettings inplaceDistillation, boolean zeroKernelRings,
                               MemberConvTypes memberTypes, int smallestEvery, int largestEvery)
        implements java.io.Serializable {

    /** No in-place distillation. */
    public static final io.sparknas.train.DistillationSettings NO_DISTILLATION =
            new io.sparknas.train.DistillationSettings(0, 1, 0.5);

    /** Settings whose kernel rings start random (as DL4J initialises the largest kernel). */
    public SupernetSettings(int epochs, int batchSize, int stepsPerEpoch, int randomSubnets, double learningRate,
                            double warmupEpochs, double weightDecay, boolean progressiveShrinking,
                            int recalibrationBatches, int evalEvery, Augmentation augmentation, long seed,
                            WeightSharing weightSharing, io.sparknas.train.DistillationSettings inplaceDistillation) {
        this(epochs, batchSize, stepsPerEpoch, randomSubnets, learningRate, warmupEpochs, weightDecay,
                progressiveShrinking, recalibrationBatches, evalEvery, augmentation, seed, weightSharing,
                inplaceDistillation, false);
    }

    /** Settings whose random members draw conv types uniformly, as the search space samples. */
    public SupernetSettings(int epochs, int batchSize, int stepsPerEpoch, int randomSubnets, double learningRate,
                            double warmupEpochs, double weightDecay, boolean progressiveShrinking,
                            int recalibrationBatches, int evalEvery, Augmentation augmentation, long seed,
                            WeightSharing weightSharing, io.sparknas.train.DistillationSettings inplaceDistillation,
                            boolean zeroKernelRings) {
        this(epochs, batchSize, stepsPerEpoch, randomSubnets, learningRate, warmupEpochs, weightDecay,
                progressiveShrinking, recalibrationBatches, evalEvery, augmentation, seed, weightSharing,
                inplaceDistillation, zeroKernelRings, MemberConvTypes.UNIFORM);
    }

    /** Settings that train the sandwich's smallest end on every step. */
    public SupernetSettings(int epochs, int batchSize, int stepsPerEpoch, int randomSubnets, double learningRate,
                            double warmupEpochs, double weightDecay, boolean progressiveShrinking,
                            int recalibrationBatches, int evalEvery, Augmentation augmentation, long seed,
                            WeightSharing weightSharing, io.sparknas.train.DistillationSettings inplaceDistillation,
                            boolean zeroKernelRings, MemberConvTypes memberTypes) {
        this(epochs, batchSize, stepsPerEpoch, randomSubnets, learningRate, warmupEpochs, weightDecay,
                progressiveShrinking, recalibrationBatches, evalEvery, augmentation, seed, weightSharing,
                inplaceDistillation, zeroKernelRings, memberTypes, 1);
    }

    /** Settings that train the sandwich's largest end on every step. */
    public SupernetSettings(int epochs, int batchSize, int stepsPerEpoch, int randomSubnets, double learningRate,
                            double warmupEpochs, double weightDecay, boolean progressiveShrinking,
                            int recalibrationBatches, int evalEvery, Augmentation augmentation, long seed,
                            WeightSharing weightSharing, io.sparknas.train.DistillationSettings inplaceDistillation,
                            boolean zeroKernelRings, MemberConvTypes memberTypes, int smallestEvery) {
        this(epochs, batchSize, stepsPerEpoch, randomSubnets, learningRate, warmupEpochs, weightDecay,
                progressiveShrinking, recalibrationBatches, evalEvery, augmentation, seed, weightSharing,
                inplaceDistillation, zeroKernelRings, memberTypes, smallestEvery, 1);
    }

    public SupernetSettings {
        java.util.Objects.requireNonNull(weightSharing, "weightSharing");
        java.util.Objects.requireNonNull(inplaceDistillation, "inplaceDistillation");
        java.util.Objects.requireNonNull(memberTypes, "memberTypes");
        if (epochs < 1 || batchSize < 1 || stepsPerEpoch < 0 || randomSubnets < 0 || recalibrationBatches < 1
                || evalEvery < 0 || smallestEvery < 0 || largestEvery < 0) {
            throw new IllegalArgumentException("epochs, batch size and recalibration batches must be positive; "
                    + "random subnets, eval interval and the ends' intervals >= 0");
        }
        if (!(learningRate > 0) || warmupEpochs < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("learning rate must be positive, warm-up and weight decay >= 0");
        }
    }

    /** The same settings with another epoch count. */
    public SupernetSettings withEpochs(int newEpochs) {
        return new SupernetSettings(newEpochs, batchSize, stepsPerEpoch, randomSubnets, learningRate, warmupEpochs, weightDecay,
                progressiveShrinking, recalibrationBatches, evalEvery, augmentation, seed, weightSharing,
                inplaceDistillation, zeroKernelRings, memberTypes, smallestEvery, largestEvery);
    }

    /** The same settings with another seed (initialisation, sampling, shuffling and augmentation). */
    public SupernetSettings withSeed(long newSeed) {
        return new SupernetSettings(epochs, batchSize, stepsPerEpoch, randomSubnets, learningRate, warmupEpochs,
                weightDecay, progressiveShrinking, recalibrationBatches, evalEvery, augmentation, newSeed, weightSharing,
                inplaceDistillation, zeroKernelRings, memberTypes, smallestEvery, largestEvery);
    }

    /** The expected updates per step that the smallest end gives the weights it uses. */
    public double smallestShare() {
        return SandwichSampler.share(smallestEvery);
    }

    /** The expected updates per step that the largest end gives the weights it uses (outside progressive shrinking). */
    public double largestShare() {
        return SandwichSampler.share(largestEvery);
    }

    /** Optimizer steps per epoch over {@code images} training images. */
    public int steps(int images) {
        int all = (images + batchSize - 1) / batchSize;
        return stepsPerEpoch > 0 ? Math.min(stepsPerEpoch, all) : all;
    }

    /** Adam with the warm-up cosine schedule, for {@code stepsPerEpoch} optimizer steps per epoch. */
    public IUpdater updater(int stepsPerEpoch) {
        return new Adam(new WarmupCosineSchedule(learningRate, (int) Math.round(warmupEpochs * stepsPerEpoch),
                epochs * stepsPerEpoch, 0.02));
    }
}
