package io.sparknas;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the driver, checked on the production classes of both modules together (this module's
 * {@code target/classes} and the executors' {@code ../executors/target/classes}), so a cycle through the library
 * is seen too: no package cycles; {@code logging} and {@code config} at the bottom; the run folder has one home,
 * {@code run}, which knows nothing of the stages that use it; no table reader needs a cost model.
 */
class DriverArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().importPaths(List.of(Path.of("target/classes"),
                Path.of("../executors/target/classes")));
    }

    @Test
    void importsTheProductionClassesOfBothModulesOnly() {
        assertTrue(production.contain("io.sparknas.run.Run"));
        assertTrue(production.contain("io.sparknas.space.Architecture"));
        assertFalse(production.contain(DriverArchitectureTest.class));
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.sparknas.(*)..").should().beFreeOfCycles().check(production);
    }

    @Test
    void configurationDependsOnNoOtherDriverPackage() {
        noClasses().that().resideInAPackage("io.sparknas.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sparknas.cli..", "io.sparknas.run..",
                        "io.sparknas.search..", "io.sparknas.selection..", "io.sparknas.finalmodels..",
                        "io.sparknas.report..", "io.sparknas.sweep..", "io.sparknas.spark..")
                .because("every stage reads the configuration; it reads none of them")
                .check(production);
    }

    @Test
    void loggingDependsOnNoOtherSparkNasPackage() {
        noClasses().that().resideInAPackage("io.sparknas.logging..")
                .should().dependOnClassesThat(resideInAPackage("io.sparknas..")
                        .and(resideOutsideOfPackage("io.sparknas.logging..")))
                .because("the run folder, the commands and the search all call it")
                .check(production);
    }

    @Test
    void theRunKnowsNothingOfTheStagesThatUseIt() {
        noClasses().that().resideInAPackage("io.sparknas.run..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sparknas.cli..", "io.sparknas.search..",
                        "io.sparknas.selection..", "io.sparknas.finalmodels..", "io.sparknas.report..",
                        "io.sparknas.sweep..")
                .check(production);
    }

    @Test
    void onlyTheRunPackageTouchesFileSystemsInTheDriver() {
        noClasses().that().resideInAnyPackage("io.sparknas.cli..", "io.sparknas.config..", "io.sparknas.search..",
                        "io.sparknas.selection..", "io.sparknas.finalmodels..", "io.sparknas.report..",
                        "io.sparknas.sweep..", "io.sparknas.spark..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.hadoop.fs..")
                .because("the run folder and its tables have one home: io.sparknas.run.Run")
                .check(production);
    }

    @Test
    void noTableReaderNeedsACostModel() {
        classes().that(resideInAPackage("io.sparknas.run..").and(simpleNameEndingWith("Table")
                        .or(simpleNameEndingWith("Cache")).or(simpleNameEndingWith("Row"))))
                .should().onlyDependOnClassesThat().doNotHaveFullyQualifiedName("io.sparknas.cost.CostModel")
                .because("readers read the costs that were stored; they never recompute them")
                .check(production);
    }

    @Test
    void onlyTheCommandLineUsesTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("io.sparknas.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.sparknas.cli..")
                .check(production);
    }
}
