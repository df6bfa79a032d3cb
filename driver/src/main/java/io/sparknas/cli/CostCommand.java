package io.sparknas.cli;

import io.sparknas.config.SparkNasConfig;
import io.sparknas.cost.CostModel;
import io.sparknas.cost.Costs;
import io.sparknas.cost.LayerGraph;
import io.sparknas.cost.ReferenceNetworks;
import io.sparknas.space.Architecture;
import io.sparknas.space.ArchitectureJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sparknas cost}: the per-layer cost table and totals of one architecture on one target. */
@Command(name = "cost", mixinStandardHelpOptions = true,
        description = {"Print an architecture's per-layer costs (MACs, parameters, Flash, activations, SRAM per "
                + "step, latency), its totals, its peak SRAM under the three execution plans and whether it fits "
                + "the target.", "",
                "Example: sparknas cost --arch examples/arch-small.json --target stm32f746"})
public final class CostCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @ArgGroup(multiplicity = "1")
    Network network;

    static final class Network {
        @Option(names = "--arch", paramLabel = "FILE", description = "Architecture JSON file (see examples/).")
        Path arch;

        @Option(names = "--reference", paramLabel = "NAME",
                description = "A published network instead: mobilenetv2 (1000 classes).")
        String reference;
    }

    @Option(names = "--chart", paramLabel = "PNG",
            description = "Also draw the per-layer SRAM profile (plans a, b; patch peak; budget) to this PNG file.")
    java.nio.file.Path chart;

    @Option(names = "--resolution", paramLabel = "PX", defaultValue = "224",
            description = "Input side for --reference (default: ${DEFAULT-VALUE}).")
    int resolution;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        SparkNasConfig config = common.load();
        CostModel model = new CostModel(config.space(), config.target(), config.cost());
        LayerGraph graph;
        String title;
        Architecture architecture = null;
        if (network.arch != null) {
            architecture = ArchitectureFiles.read(network.arch, config.space());
            graph = model.lower(architecture);
            title = architecture.shortName();
        } else {
            if (!"mobilenetv2".equalsIgnoreCase(network.reference)) {
                throw new UserInputException("--reference: unknown network '" + network.reference
                        + "'; known: mobilenetv2");
            }
            if (resolution < 32 || resolution > 1024) {
                throw new UserInputException("--resolution: " + resolution + " is outside [32, 1024]");
            }
            graph = ReferenceNetworks.mobileNetV2(resolution, 1000);
            title = "MobileNetV2 1.0 @" + resolution;
        }
        Costs costs = model.evaluate(graph);
        PrintWriter out = spec.commandLine().getOut();
        out.println(title + " on " + config.target().name());
        out.print(CostReportFormat.layerTable(model.layerTable(graph)));
        out.println();
        out.print(CostReportFormat.totals(costs, config.target(), graph));
        if (architecture != null) {
            out.println("canonical: " + ArchitectureJson.encode(architecture));
        }
        if (chart != null) {
            try {
                io.sparknas.report.MemoryProfileChart.write(title + " on " + config.target().name(),
                        model.layerTable(graph), costs, config.target(), chart.toFile(), 1100, 550);
            } catch (java.io.IOException e) {
                throw new UserInputException("--chart: cannot write " + chart + ": " + e.getMessage(), e);
            }
            out.println("memory chart: " + chart);
        }
        out.flush();
        return 0;
    }
}
