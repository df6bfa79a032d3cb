package io.sparknas.space;

import io.sparknas.text.TextForms;
import java.util.Locale;

/**
 * The kind of convolution block a searched layer uses.
 *
 * <p>Each has a stable lower-case JSON name, so architecture files and Parquet rows stay readable.
 */
public enum ConvType {
    /** A full k×k convolution followed by BatchNorm and ReLU6. */
    STANDARD("standard"),
    /** A k×k depthwise convolution then a 1×1 pointwise projection (MobileNetV1 style). */
    DEPTHWISE_SEPARABLE("depthwise-separable"),
    /** An inverted bottleneck: 1×1 expansion, k×k depthwise, 1×1 linear projection (MobileNetV2 style). */
    MBCONV("mbconv");

    private final String jsonName;

    ConvType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON, configuration and Parquet. */
    public String jsonName() {
        return jsonName;
    }

    /** Whether the block has an expansion ratio that is searched. */
    public boolean hasExpandRatio() {
        return this == MBCONV;
    }

    /**
     * Parses a JSON or configuration name.
     *
     * @throws IllegalArgumentException naming the allowed values when the name is unknown
     */
    public static ConvType fromJsonName(String name) {
        return TextForms.parse(values(), ConvType::jsonName, name.trim().toLowerCase(Locale.ROOT), "conv type");
    }
}
