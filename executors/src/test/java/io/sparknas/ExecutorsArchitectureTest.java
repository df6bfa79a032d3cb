package io.sparknas;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the executors module, checked on its production classes (test code is not imported):
 * no package cycles; {@code space} and {@code cost} stay free of DL4J and ND4J; Spark types appear only in
 * {@code task}; nothing here uses, or lives in, a package that belongs to the driver.
 *
 * <p>Named for its module: the driver puts the executors test jar on its test classpath (driver/pom.xml), so a
 * driver rules test of the same name would be shadowed by, or shadow, this one.
 */
class ExecutorsArchitectureTest {

    /** The packages of the driver module; executors must not know them. */
    private static final String[] DRIVER_PACKAGES = {
        "io.sparknas.cli..", "io.sparknas.run..", "io.sparknas.search..", "io.sparknas.config..",
        "io.sparknas.results..", "io.sparknas.finalmodels..", "io.sparknas.report..", "io.sparknas.sweep..",
        "io.sparknas.selection..", "io.sparknas.spark..",
    };

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("io.sparknas");
    }

    @Test
    void importsTheProductionClassesOnly() {
        assertTrue(production.contain("io.sparknas.space.Architecture"));
        assertTrue(production.contain("io.sparknas.task.CandidateEvaluationTask"));
        assertFalse(production.contain(ExecutorsArchitectureTest.class));
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.sparknas.(*)..").should().beFreeOfCycles().check(production);
    }

    @Test
    void spaceAndCostDoNotUseDl4jOrNd4j() {
        noClasses().that().resideInAnyPackage("io.sparknas.space..", "io.sparknas.cost..")
                .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.nd4j..")
                .because("the search space and the cost model must work without a deep learning runtime")
                .check(production);
    }

    @Test
    void onlyTheTaskPackageUsesSpark() {
        noClasses().that().resideOutsideOfPackage("io.sparknas.task..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.spark..")
                .because("the executors are a plain library; the task package is its one Spark adapter")
                .check(production);
    }

    @Test
    void executorsDoNotUseDriverPackages() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(DRIVER_PACKAGES)
                .because("the driver depends on the executors, never the other way round")
                .check(production);
    }

    @Test
    void executorsDefineNoClassInADriverPackage() {
        noClasses().should().resideInAnyPackage(DRIVER_PACKAGES)
                .because("a package split across both modules would let executors code reach driver internals")
                .check(production);
    }
}
