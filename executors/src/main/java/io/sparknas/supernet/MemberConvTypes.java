package io.sparknas.supernet;

import io.sparknas.text.TextForms;
import java.util.Locale;

/**
 * How the random members of a sandwich step choose each block's conv type ({@code supernet.member-types}).
 *
 * <p>{@link #UNIFORM}: every conv type equally likely in every block slot, as the search space samples.
 * {@link #BALANCED}: per block slot, the types are drawn so that every set of shared weights there
 * ({@link WeightSharing}) expects as nearly as possible the same number of updates per step, the sandwich's two
 * ends counted ({@link ConvTypeBalance}), before the target's budget filter rejects the draws that do not fit.
 * {@link #BALANCED_FITTING}: the same levelling reached among the random members that fit, the probabilities
 * adjusted for what the filter rejects ({@link ConvTypeBalance#fitting}). With uniform draws a set that neither end uses (the standard convolution's,
 * when the ends are MBConv and depthwise-separable) is trained only by the random members that happen to pick it.
 */
public enum MemberConvTypes {
    /** Every conv type equally likely in every slot. */
    UNIFORM("uniform"),
    /** Conv types drawn per slot so that each shared weight set expects the same updates per step. */
    BALANCED("balanced"),
    /** As {@link #BALANCED}, levelled among the draws that pass the budget filter. */
    BALANCED_FITTING("balanced-fitting");

    private final String configName;

    MemberConvTypes(String configName) {
        this.configName = configName;
    }

    /** The configuration's spelling. */
    public String configName() {
        return configName;
    }

    /**
     * The mode spelled {@code name}.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static MemberConvTypes fromConfigName(String name) {
        return TextForms.parse(values(), MemberConvTypes::configName, name.trim().toLowerCase(Locale.ROOT), "member conv-type mode");
    }
}
