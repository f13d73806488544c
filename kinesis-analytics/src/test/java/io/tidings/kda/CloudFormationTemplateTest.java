package io.tidings.kda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tidings.athena.LocalLake;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    static final Path STACK_POLICY = Path.of("cloudformation", "tidings-stack-policy.json");

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
    void theQuickSightDataSetsHaveExactlyTheViewsColumns(@TempDir Path emptyLake) throws Exception {
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
            try (LocalLake empty = LocalLake.open(emptyLake)) {
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

    /**
     * CloudFormation itself, not only deploy.sh, refuses an update that would remove the application (a
     * condition flipped, the resource dropped) or replace it (a new name): either would lose its snapshots,
     * and the new application would read every input file again. deploy.sh sets this policy on the stack.
     */
    @Test
    void theStackPolicyDeniesRemovingOrReplacingTheApplication() throws Exception {
        Map<String, Object> resources = CloudFormationYaml.map(CloudFormationYaml.load(TEMPLATE), "Resources");
        assertThat(CloudFormationYaml.map(resources, "Application"))
                .containsEntry("Type", "AWS::KinesisAnalyticsV2::Application");
        assertThat(STACK_POLICY).exists();
        JsonNode policy = new ObjectMapper().readTree(STACK_POLICY.toFile());
        boolean denied = false;
        boolean allowsTheRest = false;
        for (JsonNode statement : policy.path("Statement")) {
            List<String> actions = texts(statement.path("Action"));
            List<String> targets = texts(statement.path("Resource"));
            if (statement.path("Effect").asText().equals("Deny") && actions.containsAll(List.of("Update:Delete", "Update:Replace"))
                    && targets.contains("LogicalResourceId/Application")) {
                denied = true;
            }
            if (statement.path("Effect").asText().equals("Allow") && actions.contains("Update:*") && targets.contains("*")) {
                allowsTheRest = true;
            }
        }
        assertThat(denied).as("Deny Update:Delete and Update:Replace on LogicalResourceId/Application").isTrue();
        assertThat(allowsTheRest).as("every other update allowed (a stack policy denies what it does not allow)").isTrue();
    }

    /**
     * A new jar reaches the application only as a new code location: the key is a parameter without a
     * default (deploy.sh names each jar by its SHA-256), under artifacts/, which the role may read whatever
     * the key (the role does not change between deploys).
     */
    @Test
    void eachJarIsDeployedUnderItsOwnKey() throws Exception {
        Map<String, Object> template = CloudFormationYaml.load(TEMPLATE);
        Map<String, Object> location = CloudFormationYaml.map(template, "Resources", "Application", "Properties",
                "ApplicationConfiguration", "ApplicationCodeConfiguration", "CodeContent", "S3ContentLocation");
        assertThat(location).containsEntry("FileKey", Map.of("Ref", "JarKey"));
        Map<String, Object> jarKey = CloudFormationYaml.map(template, "Parameters", "JarKey");
        assertThat(jarKey).doesNotContainKey("Default");
        assertThat(String.valueOf(jarKey.get("AllowedPattern"))).startsWith("artifacts/");
        assertThat(Files.readString(TEMPLATE)).contains("Resource: !Sub \"${LakeBucket.Arn}/artifacts/*\"");
    }

    /**
     * On Managed Flink both of Flink's S3 file systems are plugins and both answer {@code s3://}; only the
     * Hadoop one has the recoverable writer the Parquet sink needs, and {@code s3a://} names it. Glue and
     * Athena take {@code s3://} locations, so the stack's output stays {@code s3://}.
     */
    @Test
    void theJobWritesTheLakeThroughHadoopsS3FileSystem() throws Exception {
        Map<String, Object> template = CloudFormationYaml.load(TEMPLATE);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> groups = (List<Map<String, Object>>) CloudFormationYaml.map(template, "Resources",
                "Application", "Properties", "ApplicationConfiguration", "EnvironmentProperties").get("PropertyGroups");
        Map<String, Object> properties = CloudFormationYaml.map(groups.get(0), "PropertyMap");
        assertThat(properties.get("lake")).isEqualTo(Map.of("Fn::Sub", "s3a://${LakeBucket}/${LakePrefix}"));
        assertThat(CloudFormationYaml.map(template, "Outputs", "LakeUri"))
                .containsEntry("Value", Map.of("Fn::Sub", "s3://${LakeBucket}/${LakePrefix}"));
    }

    /**
     * What Athena needs of the caller's S3 rights to run a query and write its results (the policy Athena's
     * documentation gives for a results bucket): GetBucketLocation and ListBucketMultipartUploads on the
     * bucket. Neither request carries an {@code s3:prefix}, so neither may sit under a prefix condition.
     */
    @Test
    void quickSightsRoleLetsAthenaRunQueries() throws Exception {
        Map<String, Object> role = CloudFormationYaml.map(CloudFormationYaml.load(QUICKSIGHT), "Resources",
                "QuickSightAthenaRole", "Properties");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> statements = ((List<Map<String, Object>>) role.get("Policies")).stream()
                .flatMap(policy -> ((List<Map<String, Object>>) CloudFormationYaml.map(policy, "PolicyDocument")
                        .get("Statement")).stream()).toList();
        Object bucket = Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${LakeBucketName}");
        for (String action : List.of("s3:GetBucketLocation", "s3:ListBucketMultipartUploads")) {
            assertThat(statements).as(action).anySatisfy(statement -> {
                assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Resource", bucket)
                        .doesNotContainKey("Condition");
                assertThat(statement.get("Action") instanceof List<?> list ? list : List.of(statement.get("Action")))
                        .contains(action);
            });
        }
    }

    private static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> texts.add(n.asText()));
        } else {
            texts.add(node.asText());
        }
        return texts;
    }
}
