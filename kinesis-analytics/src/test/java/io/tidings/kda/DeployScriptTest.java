package io.tidings.kda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy.sh} run (twice, mostly) against a recording AWS CLI ({@code src/test/python/recording_aws_cli.py}
 * as {@code aws}, {@code java} and {@code mvn} on the PATH): the account it deploys into is that fake's
 * model, kept in a JSON state file, and every call it made is in a log. The assertions read what became of
 * the application (created, updated in place, deleted), of the stack's parameters and of the secret.
 */
class DeployScriptTest {
    static final Path FAKE_CLI = Path.of("src", "test", "python", "recording_aws_cli.py").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();

    /** A Python with jmespath and PyYAML: moto's virtual environment has both (boto3, CloudFormation parsing). */
    static Path python;

    @TempDir
    Path work;

    @BeforeAll
    static void needsPythonWithJmesPathAndYaml() throws Exception {
        boolean present = false;
        python = Tools.find("python3", "TIDINGS_PYTHON", "moto-venv").orElse(null);
        if (python != null) {
            Process probe = new ProcessBuilder(python.toString(), "-c", "import jmespath, yaml").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            present = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        assumeTrue(present || Tools.required(), "python3 with jmespath and PyYAML not found (moto's venv, see glue/README.md)");
        assertThat(present).as("python3 with jmespath and PyYAML (TIDINGS_REQUIRE_TOOLS is set)").isTrue();
    }

    @Test
    void aRerunWithANewJarUpdatesTheApplicationInPlaceAndKeepsItsSettings() throws Exception {
        Deployment deployment = new Deployment(work).built();
        deployment.jar("first build");
        Run first = deployment.run(Map.of("X_BEARER_TOKEN", "token-1"), "--stack", "news", "--x-rule", "acme=acme OR #acme",
                "--model", "s3://models-bucket/tweet-multitask/", "--parallelism", "4", "--first-day", "2012-01-01");
        assertThat(first.exit).as(first.output).isZero();
        JsonNode afterFirst = deployment.state();
        String firstKey = afterFirst.at("/applications/news/code/FileKey").asText();
        assertThat(deployment.objectDigest(firstKey)).isEqualTo(sha256("first build"));
        assertThat(deployment.events("application-started")).singleElement()
                .satisfies(e -> assertThat(e.at("/run/ApplicationRestoreConfiguration/ApplicationRestoreType").asText())
                        .isEqualTo("RESTORE_FROM_LATEST_SNAPSHOT"));
        assertThat(deployment.javaCalls()).anySatisfy(call -> assertThat(call)
                .containsSequence("io.tidings.glue.GlueCatalogCli", "create-tables").containsSequence("--first-day", "2012-01-01"));

        deployment.jar("second build");
        Run second = deployment.run(Map.of(), "--stack", "news");
        assertThat(second.exit).as(second.output).isZero();

        assertThat(deployment.events("application-deleted")).as("the application is never deleted").isEmpty();
        assertThat(deployment.events("application-created")).hasSize(1);
        JsonNode updated = deployment.events("application-code-updated").stream().findFirst().orElseThrow(
                () -> new AssertionError("the new jar never reached the application:\n" + second.output));
        String secondKey = updated.at("/code/FileKey").asText();
        assertThat(secondKey).isNotEqualTo(firstKey);
        assertThat(deployment.objectDigest(secondKey)).isEqualTo(sha256("second build"));
        assertThat(updated.get("restored_from").isNull()).as("restarted from a snapshot").isFalse();
        assertThat(deployment.state().at("/applications/news/status").asText()).isEqualTo("RUNNING");
        // Settings the rerun was not given are the ones the first run set.
        assertThat(deployment.stackParameters("news"))
                .containsEntry("XRule", "acme=acme OR #acme")
                .containsEntry("ModelS3Uri", "s3://models-bucket/tweet-multitask/")
                .containsEntry("Parallelism", "4")
                .containsEntry("CreateApplication", "true");
    }

    @Test
    void aRerunWithTheSameJarLeavesTheApplicationAlone() throws Exception {
        Deployment deployment = new Deployment(work).built();
        deployment.jar("the only build");
        assertThat(deployment.run(Map.of(), "--stack", "news").exit).isZero();
        int version = deployment.state().at("/applications/news/version").asInt();

        Run again = deployment.run(Map.of(), "--stack", "news");
        assertThat(again.exit).as(again.output).isZero();
        assertThat(deployment.state().at("/applications/news/version").asInt()).isEqualTo(version);
        assertThat(deployment.events("application-deleted")).isEmpty();
        assertThat(deployment.events("application-code-updated")).isEmpty();
        // The same bytes are not uploaded again.
        assertThat(deployment.awsCalls(again)).noneSatisfy(call -> assertThat(call).startsWith("s3", "cp"));
    }

    @Test
    void twoStacksInOneAccountGetTheirOwnGlueDatabase() throws Exception {
        Deployment deployment = new Deployment(work).built();
        deployment.jar("build");
        assertThat(deployment.run(Map.of(), "--stack", "news").exit).isZero();
        assertThat(deployment.run(Map.of(), "--stack", "brand-watch").exit).isZero();
        assertThat(deployment.stackParameters("news")).containsEntry("GlueDatabaseName", "news");
        assertThat(deployment.stackParameters("brand-watch")).containsEntry("GlueDatabaseName", "brand_watch");
    }

    @Test
    void xRulesWithoutATokenStopANewStackBeforeAnythingIsCreated() throws Exception {
        Deployment deployment = new Deployment(work).built();
        deployment.jar("build");
        Run run = deployment.run(Map.of(), "--stack", "news", "--x-rule", "acme=acme");
        assertThat(run.exit).isNotZero();
        assertThat(run.output).contains("X_BEARER_TOKEN");
        assertThat(deployment.state().path("stacks").size()).isZero();
        assertThat(deployment.state().path("applications").size()).isZero();
    }

    @Test
    void xRulesAddedToAStackWhoseSecretIsEmptyStopBeforeTheApplicationChanges() throws Exception {
        Deployment deployment = new Deployment(work).built();
        deployment.jar("build");
        assertThat(deployment.run(Map.of(), "--stack", "news").exit).isZero();
        JsonNode before = deployment.state();

        deployment.jar("new build");
        Run run = deployment.run(Map.of(), "--stack", "news", "--x-rule", "acme=acme");
        assertThat(run.exit).isNotZero();
        assertThat(run.output).contains("no value").contains("X_BEARER_TOKEN");
        assertThat(deployment.state().path("stacks")).isEqualTo(before.path("stacks"));
        assertThat(deployment.state().path("applications")).isEqualTo(before.path("applications"));
    }

    @Test
    void aStackWithRulesAndAStoredTokenRedeploysWithoutTheToken() throws Exception {
        Deployment deployment = new Deployment(work).built();
        deployment.jar("build");
        assertThat(deployment.run(Map.of("X_BEARER_TOKEN", "token-1"), "--stack", "news", "--x-rule", "acme=acme").exit).isZero();
        deployment.jar("new build");
        Run run = deployment.run(Map.of(), "--stack", "news");
        assertThat(run.exit).as(run.output).isZero();
        assertThat(deployment.stackParameters("news")).containsEntry("XRule", "acme=acme");
        assertThat(deployment.events("application-code-updated")).hasSize(1);
    }

    /** A template change that would replace the application (here: its name) is refused before it runs. */
    @Test
    void aChangeThatWouldReplaceTheApplicationIsRefused() throws Exception {
        Deployment deployment = new Deployment(work).built();
        deployment.jar("build");
        assertThat(deployment.run(Map.of(), "--stack", "news").exit).isZero();
        Path template = deployment.home.resolve("kinesis-analytics/cloudformation/tidings.yaml");
        String renamed = Files.readString(template).replace("      ApplicationName: !Ref ApplicationName\n",
                "      ApplicationName: !Sub \"${ApplicationName}-v2\"\n");
        assertThat(renamed).isNotEqualTo(Files.readString(template));
        Files.writeString(template, renamed);

        Run run = deployment.run(Map.of(), "--stack", "news");
        assertThat(run.exit).isNotZero();
        assertThat(run.output).contains("replace");
        assertThat(deployment.events("application-deleted")).isEmpty();
        assertThat(deployment.awsCalls(run)).noneSatisfy(call -> assertThat(call).startsWith("cloudformation", "execute-change-set"));
    }

    /**
     * Whoever updates the stack (by hand, an older deploy.sh, the console), CloudFormation itself refuses
     * to remove or replace the application: deploy.sh gives the stack a policy that denies it.
     */
    @Test
    void theStackPolicyRefusesAnUpdateThatWouldDeleteTheApplication() throws Exception {
        Deployment deployment = new Deployment(work).built();
        deployment.jar("build");
        assertThat(deployment.run(Map.of(), "--stack", "news").exit).isZero();

        Run byHand = deployment.aws("cloudformation", "deploy", "--stack-name", "news", "--template-file",
                deployment.home.resolve("kinesis-analytics/cloudformation/tidings.yaml").toString(),
                "--capabilities", "CAPABILITY_IAM", "--parameter-overrides", "CreateApplication=false");
        assertThat(byHand.exit).isNotZero();
        assertThat(deployment.events("application-deleted")).isEmpty();
        assertThat(deployment.state().at("/applications/news/status").asText()).isEqualTo("RUNNING");
    }

    @Test
    void withoutJarsTheScriptBuildsEveryModuleItRuns() throws Exception {
        Deployment deployment = new Deployment(work);
        Run run = deployment.run(Map.of(), "--stack", "news");
        assertThat(run.exit).as(run.output).isZero();
        List<List<String>> builds = deployment.calls("mvn");
        assertThat(builds).hasSize(1);
        assertThat(deployment.javaCalls()).as("the Glue tables are created")
                .anySatisfy(call -> assertThat(call).containsSequence("io.tidings.glue.GlueCatalogCli", "create-tables"));
        assertThat(deployment.javaCalls()).as("the Athena views are created")
                .anySatisfy(call -> assertThat(call).containsSequence("io.tidings.job.cli.TidingsCli", "athena", "setup"));
    }

    // ------------------------------------------------------------------------------------------------

    record Run(int exit, String output, int firstCall, int lastCall) {}

    /** A copy of the files deploy.sh uses, the fake CLI on the PATH, and the fake's state and call log. */
    static final class Deployment {
        final Path home;
        final Path bin;
        final Path state;
        final Path log;

        Deployment(Path work) throws IOException {
            home = work.resolve("tidings");
            bin = work.resolve("fake-bin");
            state = work.resolve("aws-state.json");
            log = work.resolve("aws-calls.jsonl");
            Path repository = Path.of("..").toAbsolutePath().normalize();
            for (String file : List.of("kinesis-analytics/deploy.sh", "bin/tidings")) {
                copy(repository.resolve(file), home.resolve(file));
            }
            try (var templates = Files.list(repository.resolve("kinesis-analytics/cloudformation"))) {
                for (Path template : templates.toList()) {
                    copy(template, home.resolve("kinesis-analytics/cloudformation").resolve(template.getFileName()));
                }
            }
            Files.createDirectories(bin);
            for (String tool : List.of("aws", "java", "mvn")) {
                Path wrapper = bin.resolve(tool);
                Files.writeString(wrapper, "#!/bin/sh\nexec '" + python + "' '" + FAKE_CLI + "' " + tool + " \"$@\"\n");
                Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Files.writeString(log, "");
        }

        private static void copy(Path from, Path to) throws IOException {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }

        /** As after {@code mvn package}: the jars and folders deploy.sh and bin/tidings look for. */
        Deployment built() throws IOException {
            for (String dir : List.of("job/target/lib", "job/target/plugins", "glue/target/lib")) {
                Files.createDirectories(home.resolve(dir));
            }
            for (String jar : List.of("job/target/tidings-job.jar", "glue/target/tidings-glue.jar")) {
                Files.writeString(home.resolve(jar), "jar");
            }
            jar("built");
            return this;
        }

        void jar(String content) throws IOException {
            Path jar = home.resolve("kinesis-analytics/target/tidings-kinesis-analytics-flink.jar");
            Files.createDirectories(jar.getParent());
            Files.writeString(jar, content);
        }

        Run run(Map<String, String> environment, String... arguments) throws Exception {
            List<String> command = new ArrayList<>(List.of("bash", home.resolve("kinesis-analytics/deploy.sh").toString(),
                    "--region", "eu-west-1"));
            command.addAll(List.of(arguments));
            return execute(command, environment);
        }

        Run aws(String... arguments) throws Exception {
            List<String> command = new ArrayList<>(List.of(bin.resolve("aws").toString(), "--region", "eu-west-1"));
            command.addAll(List.of(arguments));
            return execute(command, Map.of());
        }

        private Run execute(List<String> command, Map<String, String> environment) throws Exception {
            int firstCall = lines().size();
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(key -> key.startsWith("AWS_") || key.equals("X_BEARER_TOKEN"));
            env.put("PATH", bin + ":" + env.get("PATH"));
            env.put("HOME", home.getParent().toString());
            env.put("FAKE_AWS_STATE", state.toString());
            env.put("FAKE_AWS_LOG", log.toString());
            env.putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new Run(process.exitValue(), output, firstCall, lines().size());
        }

        JsonNode state() throws IOException {
            return Files.exists(state) ? JSON.readTree(state.toFile()) : JSON.createObjectNode();
        }

        List<JsonNode> events(String kind) throws IOException {
            return StreamSupport.stream(state().path("events").spliterator(), false)
                    .filter(e -> kind.equals(e.path("event").asText())).toList();
        }

        Map<String, String> stackParameters(String stack) throws IOException {
            Map<String, String> parameters = new LinkedHashMap<>();
            state().at("/stacks/" + stack + "/Parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
            return parameters;
        }

        /** The SHA-256 of the object at {@code key} in the (one) stack bucket. */
        String objectDigest(String key) throws IOException {
            var objects = state().path("objects").fields();
            while (objects.hasNext()) {
                var object = objects.next();
                if (object.getKey().endsWith("/" + key)) {
                    return object.getValue().asText();
                }
            }
            throw new AssertionError("no object " + key + " in " + state().path("objects"));
        }

        private List<JsonNode> lines() throws IOException {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                lines.add(JSON.readTree(line));
            }
            return lines;
        }

        List<List<String>> calls(String tool) throws IOException {
            return calls(tool, 0, Integer.MAX_VALUE);
        }

        private List<List<String>> calls(String tool, int from, int to) throws IOException {
            List<JsonNode> lines = lines();
            List<List<String>> calls = new ArrayList<>();
            for (JsonNode line : lines.subList(from, Math.min(to, lines.size()))) {
                if (tool.equals(line.path("tool").asText())) {
                    List<String> args = new ArrayList<>();
                    line.path("args").forEach(a -> args.add(a.asText()));
                    calls.add(args);
                }
            }
            return calls;
        }

        List<List<String>> javaCalls() throws IOException {
            return calls("java");
        }

        /** The AWS CLI calls of one run, without the global {@code --region} option. */
        List<List<String>> awsCalls(Run run) throws IOException {
            return calls("aws", run.firstCall, run.lastCall).stream()
                    .map(args -> args.size() > 1 && args.get(0).equals("--region") ? args.subList(2, args.size()) : args).toList();
        }
    }

    static String sha256(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    }
}
