package io.tidings.job;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering README's module table describes, checked on the bytecode of every module's main
 * classes (the job's test class path holds them all): data flows sources → operators (with models)
 * → lake, and each layer knows only what is below it. Maven's module dependencies keep most of these
 * today; these rules say why, and fail the day a dependency is added that breaks one.
 */
class LayeringTest {
    private static JavaClasses tidings;

    @BeforeAll
    static void importMainClasses() {
        tidings = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tidings");
    }

    @Test
    void everyModuleIsImported() {
        // A rule over no classes proves nothing: every layer named below must be there.
        assertThat(tidings.stream().map(c -> c.getPackageName().split("\\.")[2]).collect(Collectors.toSet()))
                .contains("records", "models", "operators", "source", "job", "athena", "glue", "dashboard");
        assertThat(tidings.stream().filter(c -> c.getPackageName().startsWith("io.tidings.source."))
                        .map(c -> String.join(".", java.util.Arrays.copyOf(c.getPackageName().split("\\."), 4)))
                        .collect(Collectors.toSet()))
                .contains("io.tidings.source.x", "io.tidings.source.bluesky", "io.tidings.source.mastodon",
                        "io.tidings.source.common");
    }

    @Test
    void recordsDependOnNothingButTheJdk() {
        // Records cross every boundary (Flink serializes them, the sinks write them): no library may ride along.
        classes().that().resideInAPackage("io.tidings.records..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.tidings.records..")
                .check(tidings);
    }

    @Test
    void modelsKnowNoFlinkAndNoPipeline() {
        // The models score texts anywhere: in an operator, the eval CLI, a notebook.
        noClasses().that().resideInAPackage("io.tidings.models..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "io.tidings.operators..",
                        "io.tidings.source..", "io.tidings.job..", "io.tidings.athena..", "io.tidings.glue..",
                        "io.tidings.dashboard..")
                .check(tidings);
    }

    @Test
    void operatorsKnowNoSourceAndNoLake() {
        // Operators take RawRecords from any source and hand posts on; where they come from or go is the job's.
        noClasses().that().resideInAPackage("io.tidings.operators..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tidings.source..", "io.tidings.job..",
                        "io.tidings.athena..", "io.tidings.glue..", "io.tidings.dashboard..")
                .check(tidings);
    }

    @Test
    void sourcesEmitRawRecordsAndKnowNothingDownstream() {
        noClasses().that().resideInAPackage("io.tidings.source..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tidings.operators..", "io.tidings.models..",
                        "io.tidings.job..", "io.tidings.athena..", "io.tidings.glue..", "io.tidings.dashboard..")
                .check(tidings);
        // Each platform's source stands alone on source-common.
        slices().matching("io.tidings.source.(x|bluesky|mastodon)..").should().notDependOnEachOther().check(tidings);
        noClasses().that().resideInAPackage("io.tidings.source.common..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tidings.source.x..", "io.tidings.source.bluesky..",
                        "io.tidings.source.mastodon..")
                .check(tidings);
    }

    @Test
    void theLakesReadersKnowNoJob() {
        // The SQL, the catalog and the dashboard read a lake any writer made: none of them runs Flink.
        noClasses().that().resideInAnyPackage("io.tidings.athena..", "io.tidings.glue..", "io.tidings.dashboard..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tidings.job..", "io.tidings.operators..",
                        "io.tidings.source..", "io.tidings.models..", "org.apache.flink..")
                .check(tidings);
    }

    @Test
    void noCyclesBetweenLayers() {
        slices().matching("io.tidings.(*)..").should().beFreeOfCycles().check(tidings);
    }
}
