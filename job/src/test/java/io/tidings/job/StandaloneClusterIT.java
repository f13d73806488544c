package io.tidings.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.glue.GlueLakeCatalog;
import io.tidings.testing.MotoServer;
import io.tidings.testing.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * The job on a real standalone Flink 2.3 session cluster: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code TaskManagerRunner}) as JVMs of
 * their own on the classpath of a Flink distribution's lib/ (module {@code test-flink-cluster}, no
 * tidings code), and the shaded job jar submitted through Flink's own CLI ({@code CliFrontend run}),
 * as {@code flink run tidings-job-flink.jar ...} would. The cluster's configuration says nothing about
 * checkpoints: the job's arguments do. Mid-run the TaskManager is killed with SIGKILL and a new one
 * started; the job restarts from its last checkpoint and every post lands in the lake exactly once.
 * The job registers its partitions in a Glue catalog (moto's local Glue API) from the cluster, with
 * the jar's own Glue client. A second job then runs on the same TaskManager.
 */
class StandaloneClusterIT {
    private static final Path JOB_JAR = Path.of(System.getProperty("tidings.job.jar", "target/tidings-job-flink.jar"));
    private static final Path FLINK_LIB = Path.of(System.getProperty("tidings.flink.lib.classpath",
            "../test-flink-cluster/target/flink-lib.classpath"));
    private static final int POSTS = 5_000;
    /** What Flink's own scripts give every JVM they start (env.java.default-opts.all of Flink's config.yaml). */
    private static final List<String> FLINK_JVM_OPTIONS = List.of("--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED", "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
    private static final Pattern TASK_MANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private MotoServer moto;
    private GlueClient glue;
    private final HttpClient http = HttpClient.newHttpClient();
    private String classpath;
    private Path conf;
    private URI rest;

    @BeforeEach
    void startGlue() throws Exception {
        Optional<Path> motoServer = MotoServer.find();
        assertThat(motoServer).as("moto_server (make tools installs it)").isPresent();
        moto = MotoServer.start(motoServer.get(), dir);
        glue = moto.client(GlueClient.builder());
    }

    @AfterEach
    void stopCluster() throws InterruptedException {
        if (glue != null) {
            glue.close();
        }
        if (moto != null) {
            moto.close();
        }
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void postsLandOnceWhenTheTaskManagerIsKilledMidRun() throws Exception {
        assertThat(JOB_JAR).as("the job jar (mvn package)").exists();
        assertThat(FLINK_LIB).as("Flink's lib classpath (module test-flink-cluster)").exists();
        classpath = Files.readString(FLINK_LIB).trim();
        startCluster();

        Path input = TestPosts.write(dir.resolve("posts.jsonl"),
                TestPosts.genericPosts("c", POSTS, 17, Instant.parse("2025-03-01T00:00:00Z"), Duration.ofDays(2), true));
        Path lake = dir.resolve("lake");
        Path checkpoints = dir.resolve("checkpoints");
        // The lake's tables in a local Glue API: the job registers its partitions there from the cluster.
        GlueLakeCatalog catalog = new GlueLakeCatalog(glue, "cluster_lake", lake.toString());
        catalog.ensureDatabase();
        catalog.ensureTables("2025-01-01");
        Path submitLog = dir.resolve("flink-run.log");
        Process submit = start(List.of("org.apache.flink.client.cli.CliFrontend", "run", JOB_JAR.toAbsolutePath().toString(),
                "--lake", lake.toString(), "--checkpoint-dir", checkpoints.toUri().toString(), "--checkpoint-interval", "2",
                "--parallelism", "2", "--glue-database", "cluster_lake", "--glue-endpoint", moto.endpoint.toString(),
                "--glue-region", "us-east-1", input.toString()), "512m", submitLog);

        // The first checkpoints are in the folder the arguments named, and some posts are committed: kill now.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        long committedAtKill = 0;
        while (System.nanoTime() < deadline && submit.isAlive()) {
            if (completedCheckpoints(checkpoints) >= 1) {
                committedAtKill = LakeContents.committedPostCount(lake);
                if (committedAtKill > 0) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        assertThat(submit.isAlive()).as("the job is still running when its TaskManager is killed: " + log(submitLog)).isTrue();
        assertThat(completedCheckpoints(checkpoints)).as("checkpoints in the folder the job's arguments named").isPositive();
        assertThat(committedAtKill).as("posts committed before the kill").isBetween(1L, POSTS - 1L);
        Process taskManager = processes.get(1);
        taskManager.destroyForcibly(); // SIGKILL: no clean-up, in-progress part files left behind
        taskManager.waitFor();
        startTaskManager("tm2");

        assertThat(submit.waitFor(5, TimeUnit.MINUTES)).as("flink run ends: " + log(submitLog)).isTrue();
        assertThat(submit.exitValue()).as("flink run's exit code: " + log(submitLog)).isZero();
        assertThat(log(submitLog)).contains("Job has been submitted with JobID");

        List<String> ids = LakeContents.postIds(lake);
        assertThat(ids).as("posts in the lake").hasSize(POSTS);
        assertThat(new HashSet<>(ids)).as("distinct posts").hasSize(POSTS);
        assertThat(failuresOfTheJob()).as("the job recovered from the lost TaskManager").isGreaterThanOrEqualTo(1);
        // Every hour of the posts is registered in Glue by the job jar's own Glue client, the kill notwithstanding.
        List<String> registered = glue.getPartitionsPaginator(r -> r.databaseName("cluster_lake").tableName("posts_all")).stream()
                .flatMap(page -> page.partitions().stream())
                .map(p -> String.format("dt=%s/hour=%02d", p.values().get(0), Integer.parseInt(p.values().get(1)))).toList();
        assertThat(registered).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(LakeContents.partitionFolders(lake.resolve("posts")));

        // A second submission runs on the TaskManager the first one used, in a class loader of its own: native
        // libraries (the tokenizer's) must load there again.
        Path second = TestPosts.write(dir.resolve("second.jsonl"), TestPosts.genericPosts("s", 300, 18));
        Path secondLog = dir.resolve("flink-run-2.log");
        Process again = start(List.of("org.apache.flink.client.cli.CliFrontend", "run", JOB_JAR.toAbsolutePath().toString(),
                "--lake", dir.resolve("lake-2").toString(), "--parallelism", "2", second.toString()), "512m", secondLog);
        assertThat(again.waitFor(3, TimeUnit.MINUTES)).as("the second flink run ends: " + log(secondLog)).isTrue();
        assertThat(again.exitValue()).as("the second flink run's exit code: " + log(secondLog)).isZero();
        assertThat(LakeContents.postIds(dir.resolve("lake-2"))).hasSize(300);
    }

    private void startCluster() throws Exception {
        conf = Files.createDirectories(dir.resolve("conf"));
        int rpcPort = ServerProcess.freeLoopbackPort();
        int restPort = ServerProcess.freeLoopbackPort();
        rest = URI.create("http://localhost:" + restPort);
        // A bare cluster: no checkpointing, no restart strategy (the job brings its own). A TaskManager started
        // without Flink's scripts needs its memory given in full; heartbeats are short so a lost one is seen soon.
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("jobmanager.rpc.address", "localhost");
        settings.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        settings.put("jobmanager.bind-host", "localhost");
        settings.put("rest.address", "localhost");
        settings.put("rest.port", Integer.toString(restPort));
        settings.put("rest.bind-address", "localhost");
        settings.put("taskmanager.host", "localhost");
        settings.put("taskmanager.bind-host", "localhost");
        settings.put("taskmanager.numberOfTaskSlots", "2");
        settings.put("taskmanager.cpu.cores", "2");
        settings.put("taskmanager.memory.task.heap.size", "1024m");
        settings.put("taskmanager.memory.task.off-heap.size", "0m");
        settings.put("taskmanager.memory.framework.heap.size", "128m");
        settings.put("taskmanager.memory.framework.off-heap.size", "128m");
        settings.put("taskmanager.memory.network.min", "64m");
        settings.put("taskmanager.memory.network.max", "64m");
        settings.put("taskmanager.memory.managed.size", "64m");
        settings.put("taskmanager.memory.jvm-metaspace.size", "256m");
        settings.put("taskmanager.memory.jvm-overhead.min", "192m");
        settings.put("taskmanager.memory.jvm-overhead.max", "192m");
        settings.put("heartbeat.interval", "1000");
        settings.put("heartbeat.timeout", "8000");
        settings.put("io.tmp.dirs", Files.createDirectories(dir.resolve("tmp")).toString());
        StringBuilder yaml = new StringBuilder();
        settings.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        Files.writeString(conf.resolve("log4j.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.console.ref = console
                appender.console.type = Console
                appender.console.name = console
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
                """);

        start(List.of("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "--configDir", conf.toString()),
                "512m", dir.resolve("jobmanager.log"));
        awaitTaskManagers(0, dir.resolve("jobmanager.log"));
        startTaskManager("tm1");
    }

    /** Starts a TaskManager and waits until it has registered with the JobManager's resource manager. */
    private void startTaskManager(String name) throws Exception {
        Path log = dir.resolve(name + ".log");
        Process taskManager = start(List.of("org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "--configDir", conf.toString()),
                "1400m", log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && taskManager.isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains("Successful registration at resource manager")) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("TaskManager " + name + " did not register: " + log(log));
    }

    private Process start(List<String> mainAndArguments, String heap, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(FLINK_JVM_OPTIONS);
        command.addAll(List.of("-Xmx" + heap, "-XX:MaxDirectMemorySize=512m", "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri(),
                "-cp", classpath));
        command.addAll(mainAndArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FLINK_CONF_DIR", conf.toString());
        // The AWS default chain of the TaskManagers' Glue client, pointed at moto.
        builder.environment().put("AWS_ACCESS_KEY_ID", "testing");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        builder.environment().put("AWS_REGION", "us-east-1");
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** Waits until the JobManager answers and counts at least {@code count} TaskManagers. */
    private void awaitTaskManagers(int count, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                if (taskManagers() >= count) {
                    return;
                }
            } catch (IOException notYet) {
                // The REST endpoint is not up yet.
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("the cluster did not reach " + count + " TaskManagers: " + log(log));
    }

    private int taskManagers() throws IOException, InterruptedException {
        String overview = get("/overview");
        Matcher m = TASK_MANAGERS.matcher(overview);
        if (!m.find()) {
            throw new IOException("no taskmanagers in " + overview);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The failures the (only) job recovered from, from the JobManager's REST API (kept for finished jobs). */
    private long failuresOfTheJob() throws IOException, InterruptedException {
        Matcher job = Pattern.compile("\"jid\"\\s*:\\s*\"([0-9a-f]+)\"").matcher(get("/jobs/overview"));
        assertThat(job.find()).as("a job on the cluster").isTrue();
        return Pattern.compile("\"exceptionName\"").matcher(get("/jobs/" + job.group(1) + "/exceptions")).results().count();
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static long completedCheckpoints(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return 0;
        }
        try (Stream<Path> files = Files.find(checkpoints, 3, (p, a) -> p.getFileName().toString().equals("_metadata"))) {
            return files.count();
        }
    }



    private static String log(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 6_000 ? text.substring(text.length() - 6_000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
