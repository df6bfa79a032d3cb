package io.sparknas.train;

import io.sparknas.data.Augmentation;
import java.util.Locale;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * How one detector is trained.
 *
 * @param epochs        most epochs
 * @param batchSize     images per step
 * @param optimizer     {@code adam} or {@code sgd} (Nesterov momentum)
 * @param learningRate  peak learning rate
 * @param momentum      SGD momentum (ignored by Adam)
 * @param warmupEpochs  epochs of linear warm-up before the cosine decay
 * @param weightDecay   decoupled weight decay coefficient
 * @param patience      stop after this many evaluations without a better val mAP, once the best has left the floor
 *                      of the metric ({@link DetectorTrainer#EARLY_STOP_FLOOR}); 0 never stops early
 * @param evalEvery     evaluate on the validation split every this many epochs (and after the last)
 * @param augmentation  training augmentation
 * @param seed          seed of initialisation, shuffling and augmentation
 */
public record TrainingSettings(int epochs, int batchSize, String optimizer, double learningRate, double momentum,
                               double warmupEpochs, double weightDecay, int patience, int evalEvery,
                               Augmentation augmentation, long seed) implements java.io.Serializable {

    public TrainingSettings {
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        if (epochs < 1 || batchSize < 1 || evalEvery < 1 || patience < 0) {
            throw new IllegalArgumentException("epochs, batch size and eval interval must be positive, patience >= 0");
        }
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("optimizer must be adam or sgd, got " + optimizer);
        }
        if (!(learningRate > 0) || warmupEpochs < 0 || weightDecay < 0 || momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("learning rate must be positive; warm-up, decay, momentum in range");
        }
    }

    /** The same settings with another epoch count. */
    public TrainingSettings withEpochs(int newEpochs) {
        return new TrainingSettings(newEpochs, batchSize, optimizer, learningRate, momentum, warmupEpochs,
                weightDecay, patience, evalEvery, augmentation, seed);
    }

    /** The same settings with another seed. */
    public TrainingSettings withSeed(long newSeed) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, momentum, warmupEpochs,
                weightDecay, patience, evalEvery, augmentation, newSeed);
    }

    /** The same settings with another augmentation. */
    public TrainingSettings withAugmentation(Augmentation newAugmentation) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, momentum, warmupEpochs,
                weightDecay, patience, evalEvery, newAugmentation, seed);
    }

    /** The DL4J updater with the warm-up cosine schedule for {@code iterationsPerEpoch}. */
    public IUpdater updater(int iterationsPerEpoch) {
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(learningRate,
                (int) Math.round(warmupEpochs * iterationsPerEpoch), epochs * iterationsPerEpoch, 0.02);
        return optimizer.equals("adam") ? new Adam(schedule) : new Nesterovs(schedule, momentum);
    }
}
