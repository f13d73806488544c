package io.tidings.kda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tidings.athena.LocalLake;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Managed Flink and QuickSight templates lint clean with {@code cfn-lint} (AWS's CloudFormation linter, which
 * checks every resource against the service schemas, runtime names included), and says what the
 * design asks of it.
 */
class CloudFormationTemplateTest {
    static final Path TEMPLATE = Path.of("cloudformation", "tidings.yaml");
    static final Path QUICKSIGHT = Path.of("cloudformation", "quicksight.yaml");

    @ParameterizedTest
    @ValueSource(strings = {"tidings.yaml", "quicksight.yaml"})
    void theTemplatePassesCfnLint(String template) throws Exception {
        Optional<Path> cfnLint = Tools.find("cfn-lint", "CFN_LINT", "cfn-venv");
        assumeTrue(cfnLint.isPresent() || Tools.required(), "cfn-lint not installed (see kinesis-analytics/README.md)");
        assertThat(cfnLint).as("cfn-lint (TIDINGS_REQUIRE_TOOLS is set)").isPresent();
        Path file = Path.of("cloudformation", template);
        assertThat(file).exists();
        Process lint = new ProcessBuilder(cfnLint.get().toString(), "--format", "parseable", file.toString())
                .redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEmpty();
        assertThat(lint.exitValue()).isZero();
    }

    /**
     * QuickSight data sets name their columns and types; a column the view does not have (or a
     * renamed one) would only fail when QuickSight first queries it. Each data set's column list
     * must be exactly the view's columns, in order, as the shared SQL defines them (asked of DuckDB).
     */
    @Test
    void theQuickSightDataSetsHaveExactlyTheViewsColumns() throws Exception {
        String template = Files.readString(QUICKSIGHT);
        for (String view : List.of("hourly_sentiment", "top_entities", "top_hashtags")) {
            Matcher table = Pattern.compile("\\n {12}Name: " + view + "\\n {12}InputColumns:\\n((?: {14}- \\{[^\\n]*\\n)+)")
                    .matcher(template);
            assertThat(table.find()).as("data set over " + view).isTrue();
            List<String> columns = new ArrayList<>();
            Matcher column = Pattern.compile("Name: (\\w+), Type: (\\w+)").matcher(table.group(1));
            while (column.find()) {
                columns.add(column.group(1));
            }
            try (LocalLake empty = LocalLake.open(Files.createTempDirectory("empty-lake"))) {
                assertThat(columns).as(view).isEqualTo(empty.query("SELECT * FROM " + view, 0).columns());
            }
            assertThat(template).contains("{ DataSetIdentifier: " + view + ", ColumnName: ");
        }
        assertThat(template)
                .contains("ImportMode: DIRECT_QUERY")
                .contains("Type: AWS::QuickSight::Dashboard")
                .contains("WorkGroup: !Ref AthenaWorkGroupName")
                .contains("Principal: { Service: quicksight.amazonaws.com }");
    }

    @Test
    void theTemplateRunsFlink23WithWhatTheJobNeeds() throws Exception {
        String template = Files.readString(TEMPLATE);
        assertThat(template)
                .contains("RuntimeEnvironment: FLINK-2_3")
                .contains("Type: AWS::KinesisAnalyticsV2::Application")
                .contains("ParallelismPerKPU: !Ref ParallelismPerKPU")
                .contains("AutoScalingEnabled: !Ref AutoScalingEnabled")
                .contains("CheckpointingEnabled: true")
                .contains("PropertyGroupId: " + ApplicationProperties.GROUP)
                .contains("AbortIncompleteMultipartUpload:")
                .contains("Type: AWS::Glue::Database")
                .contains("Type: AWS::SecretsManager::Secret")
                .contains("Type: AWS::Athena::WorkGroup")
                .contains("SelectedEngineVersion: Athena engine version 3")
                .contains("Type: AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption")
                .contains("ModelS3Uri")
                // Least privilege: no wildcard actions or resources beyond the log-group lookup.
                .doesNotContain("Action: \"*\"")
                .doesNotContain("Resource: \"*\"")
                .doesNotContain("s3:*\"\n            Resource: \"*\"");
    }
}
