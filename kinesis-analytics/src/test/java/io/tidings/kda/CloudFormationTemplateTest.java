package io.tidings.kda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Managed Flink template lints clean with {@code cfn-lint} (AWS's CloudFormation linter, which
 * checks every resource against the service schemas, runtime names included), and says what the
 * design asks of it.
 */
class CloudFormationTemplateTest {
    static final Path TEMPLATE = Path.of("cloudformation", "tidings.yaml");

    @Test
    void theTemplatePassesCfnLint() throws Exception {
        Optional<Path> cfnLint = Tools.find("cfn-lint", "CFN_LINT", "cfn-venv");
        assumeTrue(cfnLint.isPresent() || Tools.required(), "cfn-lint not installed (see kinesis-analytics/README.md)");
        assertThat(cfnLint).as("cfn-lint (TIDINGS_REQUIRE_TOOLS is set)").isPresent();
        Process lint = new ProcessBuilder(cfnLint.get().toString(), "--format", "parseable", TEMPLATE.toString())
                .redirectErrorStream(true).start();
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lint.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEmpty();
        assertThat(lint.exitValue()).isZero();
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
                .contains("Type: AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption")
                .contains("ModelS3Uri")
                // Least privilege: no wildcard actions or resources beyond the log-group lookup.
                .doesNotContain("Action: \"*\"")
                .doesNotContain("Resource: \"*\"")
                .doesNotContain("s3:*\"\n            Resource: \"*\"");
    }
}
