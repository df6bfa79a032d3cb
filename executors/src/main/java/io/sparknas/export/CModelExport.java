package io.sparknas.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknas.cost.ArenaLayout;
import io.sparknas.cost.ArenaPlanner;
import io.sparknas.cost.FlashFootprint;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.LayerOp;
import io.sparknas.cost.Macs;
import io.sparknas.cost.TensorShape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An int8 detector as C source for a microcontroller, TinyEngine's way: the weights, biases and requantization
 * parameters as {@code const} arrays (Flash), one static arena whose size and offsets come from {@link ArenaPlanner}
 * under the in-place depthwise plan, and a fixed schedule of calls to the project's C99 kernels
 * ({@code sparknas_kernels.c}, copied beside the model). No allocation and no floating point in the inference path.
 *
 * <p>The files: {@code model.h} (sizes, quantization of input and output, the entry point
 * {@code sparknas_model_run}), {@code model.c}, the kernels, {@code model.json} (what the model should cost:
 * planned peak, arena, modelled Flash, MACs; read by {@code scripts/mcu-check.sh}) and check vectors:
 * {@code check/inputs.bin} (int8 images) with {@code check/expected.bin}, the outputs {@link IntegerReference}
 * computes for them, which the C code must reproduce bit for bit.
 */
public final class CModelExport {

    /** Where the kernels live among the resources. */
    private static final String KERNELS = "/io/sparknas/export/c/";
    private static final int VALUES_PER_LINE = 16;
    /** Check images of an export when the caller does not choose: enough to exercise every output, quick on a board. */
    public static final int DEFAULT_CHECK_IMAGES = 10;

    private CModelExport() {
    }

    /**
     * The files of {@code model}, by path relative to the export folder, in a stable order.
     *
     * @param metadata    what the model's ONNX export carries ({@link OnnxExport#metadata}), repeated in the header
     *                    and the manifest
     * @param checkImages int8 inputs ({@link IntegerModel#quantizeInput}) whose reference outputs become the check
     *                    vectors
     */
    public static Map<String, byte[]> files(IntegerModel model, Map<String, String> metadata,
                                            List<byte[]> checkImages) {
        LayerGraph graph = model.detector().graph();
        ArenaLayout layout = ArenaPlanner.plan(graph, true);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.h", utf8(header(model, layout, metadata)));
        files.put("model.c", utf8(source(model, layout)));
        files.put("sparknas_kernels.h", resource("sparknas_kernels.h"));
        files.put("sparknas_kernels.c", resource("sparknas_kernels.c"));
        files.put("model.json", utf8(manifest(model, layout, metadata, checkImages.size())));
        IntegerReference reference = new IntegerReference(model);
        ByteArrayOutputStream inputs = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        long inputBytes = graph.input().elements();
        for (byte[] image : checkImages) {
            if (image.length != inputBytes) {
                throw new IllegalArgumentException("a check image has " + image.length + " bytes; the model reads "
                        + inputBytes + " (" + graph.input() + ")");
            }
            List<byte[]> tensors = reference.runQuantized(image);
            inputs.writeBytes(image);
            expected.writeBytes(tensors.get(tensors.size() - 1));
        }
        files.put("check/inputs.bin", inputs.toByteArray());
        files.put("check/expected.bin", expected.toByteArray());
        return files;
    }

    private static String header(IntegerModel model, ArenaLayout layout, Map<String, String> metadata) {
        LayerGraph graph = model.detector().graph();
        TensorShape in = graph.input();
        TensorShape out = graph.output();
        int last = graph.tensorCount() - 1;
        StringBuilder h = new StringBuilder();
        h.append("/*\n * A SparkNAS int8 detector, generated: do not edit.\n *\n");
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            h.append(" * ").append(entry.getKey()).append(": ").append(comment(entry.getValue())).append('\n');
        }
        h.append(" *\n * Input: int8 [3][H][W], channel-major RGB; q = round(v / INPUT_SCALE) + INPUT_ZERO_POINT for v in\n"
                + " * [0, 1], which is q = pixel - 128 for 8-bit pixels (v = pixel / 255).\n"
                + " * Output: int8 [C][G][G]; value = OUTPUT_SCALE * (q - OUTPUT_ZERO_POINT), decoded as the ONNX model's.\n"
                + " * Memory: one static arena of SPARKNAS_ARENA_BYTES (the planned peak SRAM of the in-place plan),\n"
                + " * weights in const arrays (Flash); no allocation, no floating point while it runs.\n */\n");
        h.append("#ifndef SPARKNAS_MODEL_H\n#define SPARKNAS_MODEL_H\n\n#include <stdint.h>\n\n");
        define(h, "SPARKNAS_INPUT_CHANNELS", in.channels());
        define(h, "SPARKNAS_INPUT_HEIGHT", in.height());
        define(h, "SPARKNAS_INPUT_WIDTH", in.width());
        define(h, "SPARKNAS_INPUT_BYTES", in.elements());
        define(h, "SPARKNAS_INPUT_ZERO_POINT", model.zeroPoints()[0]);
        h.append("#define SPARKNAS_INPUT_SCALE ").append(floatLiteral(model.scales()[0])).append('\n');
        define(h, "SPARKNAS_OUTPUT_CHANNELS", out.channels());
        define(h, "SPARKNAS_OUTPUT_HEIGHT", out.height());
        define(h, "SPARKNAS_OUTPUT_WIDTH", out.width());
        define(h, "SPARKNAS_OUTPUT_BYTES", out.elements());
        define(h, "SPARKNAS_OUTPUT_ZERO_POINT", model.zeroPoints()[last]);
        h.append("#define SPARKNAS_OUTPUT_SCALE ").append(floatLiteral(model.scales()[last])).append('\n');
        define(h, "SPARKNAS_ARENA_BYTES", layout.bytes());
        define(h, "SPARKNAS_PLANNED_PEAK_BYTES", layout.plannedPeak());
        define(h, "SPARKNAS_MACS", Macs.of(graph));
        h.append("\n/* Runs the detector on one int8 image; input and output may live anywhere outside the arena. */\n"
                + "void sparknas_model_run(const int8_t *input, int8_t *output);\n\n#endif\n");
        return h.toString();
    }

    private static String source(IntegerModel model, ArenaLayout layout) {
        LayerGraph graph = model.detector().graph();
        StringBuilder c = new StringBuilder();
        c.append("/* A SparkNAS int8 detector, generated: do not edit. See model.h. */\n");
        c.append("#include \"model.h\"\n#include \"sparknas_kernels.h\"\n\n");
        c.append("/* The arena: words, so that every offset (a multiple of ").append(layout.alignment())
                .append(") is aligned for the int16 scratch. */\n");
        c.append("static int32_t sparknas_arena[SPARKNAS_ARENA_BYTES / 4];\n");
        c.append("#define ARENA ((int8_t *) sparknas_arena)\n\n");
        StringBuilder schedule = new StringBuilder();
        schedule.append("void sparknas_model_run(const int8_t *input, int8_t *output)\n{\n");
        schedule.append("    sn_copy(ARENA + ").append(layout.tensorOffsets()[0])
                .append(", input, SPARKNAS_INPUT_BYTES);\n");
        for (int i = 0; i < model.steps().size(); i++) {
            IntegerModel.Step step = model.steps().get(i);
            String name = "L" + i;
            int output = step.output();
            if (step instanceof IntegerModel.ConvStep conv) {
                constants(c, conv, name, graph);
                int input = conv.conv().input();
                String in = "ARENA + " + layout.tensorOffsets()[input];
                String out = "ARENA + " + layout.tensorOffsets()[output];
                schedule.append("    ");
                if (conv.conv().layer().op() == LayerOp.DEPTHWISE) {
                    if (layout.inPlace()[i]) {
                        schedule.append("sn_depthwise_in_place(&").append(name).append(", ").append(in)
                                .append(", ARENA + ").append(layout.temporaryOffsets()[i]).append(");");
                    } else {
                        schedule.append("sn_depthwise(&").append(name).append(", ").append(in).append(", ")
                                .append(out).append(");");
                    }
                } else if (conv.conv().layer().kernel() == 1) {
                    schedule.append("sn_pointwise(&").append(name).append(", ").append(in).append(", ").append(out)
                            .append(");");
                } else {
                    schedule.append("sn_conv(&").append(name).append(", ").append(in).append(", ").append(out)
                            .append(", (int16_t *) (ARENA + ").append(layout.scratchOffsets()[i]).append("));");
                }
            } else if (step instanceof IntegerModel.AddStep add) {
                c.append("static const sn_add_t ").append(name).append(" = {")
                        .append(graph.shape(output).elements()).append(", ")
                        .append(add.leftZero()).append(", ").append(add.rightZero()).append(", ")
                        .append(add.outputZero()).append(", ")
                        .append(multiplier(add.leftMultiplier())).append(", ")
                        .append(multiplier(add.rightMultiplier())).append(", ")
                        .append(multiplier(add.outputMultiplier())).append("};\n\n");
                schedule.append("    sn_add(&").append(name).append(", ARENA + ")
                        .append(layout.tensorOffsets()[add.add().left()]).append(", ARENA + ")
                        .append(layout.tensorOffsets()[add.add().right()]).append(", ARENA + ")
                        .append(layout.tensorOffsets()[output]).append(");");
            }
            schedule.append(" /* ").append(graph.layers().get(i).name()).append(" */\n");
        }
        schedule.append("    sn_copy(output, ARENA + ").append(layout.tensorOffsets()[graph.tensorCount() - 1])
                .append(", SPARKNAS_OUTPUT_BYTES);\n}\n");
        return c.append(schedule).toString();
    }

    /** The const arrays and the descriptor of one convolution. */
    private static void constants(StringBuilder c, IntegerModel.ConvStep conv, String name, LayerGraph graph) {
        FoldedDetector.Conv op = conv.conv();
        TensorShape in = graph.shape(op.input());
        TensorShape out = graph.shape(conv.output());
        int channels = out.channels();
        int[] multipliers = new int[channels];
        int[] shifts = new int[channels];
        for (int oc = 0; oc < channels; oc++) {
            multipliers[oc] = conv.multipliers()[oc].multiplier();
            shifts[oc] = checkedShift(conv.multipliers()[oc], op.layer().name());
        }
        c.append("/* ").append(op.layer().name()).append(": ").append(op.layer().op().name().toLowerCase(Locale.ROOT))
                .append(' ').append(op.layer().kernel()).append('x').append(op.layer().kernel()).append(" stride ")
                .append(op.layer().stride()).append(", ").append(in).append(" -> ").append(out).append(" */\n");
        array(c, "int8_t", name + "_w", conv.weights().weights());
        array(c, "int32_t", name + "_b", conv.weights().bias());
        array(c, "int32_t", name + "_m", multipliers);
        array(c, "int32_t", name + "_s", shifts);
        c.append("static const sn_conv_t ").append(name).append(" = {")
                .append(in.channels()).append(", ").append(in.height()).append(", ").append(in.width()).append(", ")
                .append(out.channels()).append(", ").append(out.height()).append(", ").append(out.width()).append(", ")
                .append(op.layer().kernel()).append(", ").append(op.layer().stride()).append(", ")
                .append(op.pads()[0]).append(", ").append(op.pads()[1]).append(", ")
                .append(conv.inputZero()).append(", ").append(conv.outputZero()).append(", ")
                .append(conv.low()).append(", ").append(conv.high()).append(", ")
                .append(name).append("_w, ").append(name).append("_b, ").append(name).append("_m, ").append(name)
                .append("_s};\n\n");
    }

    /** A fixed-point multiplier as the kernels' two fields, the shift refused outside what they compute. */
    private static String multiplier(FixedPoint.Multiplier multiplier) {
        return multiplier.multiplier() + ", " + checkedShift(multiplier, "a residual addition");
    }

    private static int checkedShift(FixedPoint.Multiplier multiplier, String where) {
        if (multiplier.shift() < -31 || multiplier.shift() > 30) {
            throw new IllegalArgumentException(where + ": requantization multiplier " + multiplier.value()
                    + " needs a shift of " + multiplier.shift() + ", outside the kernels' [-31, 30]");
        }
        return multiplier.shift();
    }

    private static void array(StringBuilder c, String type, String name, byte[] values) {
        int[] widened = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            widened[i] = values[i];
        }
        array(c, type, name, widened);
    }

    private static void array(StringBuilder c, String type, String name, int[] values) {
        c.append("static const ").append(type).append(' ').append(name).append('[').append(values.length)
                .append("] = {");
        for (int i = 0; i < values.length; i++) {
            c.append(i % VALUES_PER_LINE == 0 ? "\n    " : " ");
            // INT32_MIN has no decimal literal of type int32_t in C; written as an expression
            c.append(values[i] == Integer.MIN_VALUE ? "(-2147483647 - 1)" : Integer.toString(values[i]));
            if (i + 1 < values.length) {
                c.append(',');
            }
        }
        c.append("\n};\n");
    }

    private static String manifest(IntegerModel model, ArenaLayout layout, Map<String, String> metadata,
                                   int checkImages) {
        LayerGraph graph = model.detector().graph();
        int last = graph.tensorCount() - 1;
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("format", "sparknas-c-1");
        root.put("arena_bytes", layout.bytes());
        root.put("planned_peak_bytes", layout.plannedPeak());
        root.put("modeled_flash_bytes", FlashFootprint.of(graph, 0).modelBytes());
        root.put("macs", Macs.of(graph));
        root.put("layers", graph.size());
        ObjectNode input = root.putObject("input");
        input.put("shape", "[" + graph.input().channels() + ", " + graph.input().height() + ", "
                + graph.input().width() + "]");
        input.put("bytes", graph.input().elements());
        input.put("scale", model.scales()[0]);
        input.put("zero_point", model.zeroPoints()[0]);
        ObjectNode output = root.putObject("output");
        output.put("shape", "[" + graph.output().channels() + ", " + graph.output().height() + ", "
                + graph.output().width() + "]");
        output.put("bytes", graph.output().elements());
        output.put("scale", model.scales()[last]);
        output.put("zero_point", model.zeroPoints()[last]);
        root.put("check_images", checkImages);
        ObjectNode described = root.putObject("metadata");
        metadata.forEach(described::put);
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void define(StringBuilder h, String name, long value) {
        h.append("#define ").append(name).append(' ').append(value).append('\n');
    }

    private static String floatLiteral(float value) {
        return String.format(Locale.ROOT, "%.9ef", value);
    }

    /** Text safe inside a C block comment. */
    private static String comment(String text) {
        return text.replace("*/", "* /").replace("\n", " ");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) {
        try (InputStream in = CModelExport.class.getResourceAsStream(KERNELS + name)) {
            if (in == null) {
                throw new IllegalStateException("the C kernels " + name + " are missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
