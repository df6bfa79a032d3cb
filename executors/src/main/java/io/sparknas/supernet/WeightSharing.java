package io.sparknas.supernet;

import io.sparknas.space.ConvType;
import io.sparknas.text.TextForms;
import java.util.Locale;

/**
 * Which conv types of a block slot share weights in the supernet ({@code supernet.weight-sharing}).
 *
 * <p>{@link #PER_TYPE}: each block slot keeps one set of weights per conv type, so each set sees only the steps
 * whose subnet chose its type there. {@link #SEPARABLE_IN_MBCONV}: a depthwise-separable block is an MBConv block
 * without the expansion, so it uses the slot's MBConv depthwise and projection weights: its depthwise k×k kernel is
 * the first {@code in} channels of MBConv's (of {@code in × expansion}), its 1×1 projection the first {@code in}
 * input channels of MBConv's, and the BatchNorm after the depthwise the first {@code in} of MBConv's. The two
 * types then train one set of weights; a standard convolution keeps its own.
 */
public enum WeightSharing {
    /** One set of weights per conv type in every block slot. */
    PER_TYPE("per-type"),
    /** Depthwise-separable blocks use the slot's MBConv depthwise and projection weights. */
    SEPARABLE_IN_MBCONV("separable-in-mbconv");

    private final String configName;

    WeightSharing(String configName) {
        this.configName = configName;
    }

    /** The configuration's spelling. */
    public String configName() {
        return configName;
    }

    /** The conv type whose weights a block of {@code type} uses. */
    ConvType weightsOf(ConvType type) {
        return this == SEPARABLE_IN_MBCONV && type == ConvType.DEPTHWISE_SEPARABLE ? ConvType.MBCONV : type;
    }

    /**
     * The mode spelled {@code name}.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static WeightSharing fromConfigName(String name) {
        return TextForms.parse(values(), WeightSharing::configName, name.trim().toLowerCase(Locale.ROOT), "weight-sharing mode");
    }
}
