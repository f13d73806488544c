package io.tidings.kda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The application jar Managed Flink runs: the job and what it needs, nothing the service provides. */
class ManagedFlinkJarIT {
    static final Path JAR = Path.of(System.getProperty("tidings.kda.jar", "target/tidings-kinesis-analytics-flink.jar"));

    @Test
    void theJarHoldsTheJobConnectorsAndFormatsButNoFlinkRuntime() throws Exception {
        assertThat(JAR).exists();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            // Provided by the service: Flink's runtime and environment, the Managed Flink runtime library,
            // logging bindings, and the S3 file system (a plugin there).
            assertThat(names).noneMatch(n -> n.startsWith("org/apache/flink/runtime/"))
                    .noneMatch(n -> n.startsWith("org/apache/flink/streaming/api/environment/"))
                    .noneMatch(n -> n.startsWith("org/apache/flink/api/common/ExecutionConfig"))
                    .noneMatch(n -> n.startsWith("com/amazonaws/services/kinesisanalytics/"))
                    .noneMatch(n -> n.startsWith("org/apache/flink/fs/s3"))
                    .noneMatch(n -> n.startsWith("org/apache/logging/log4j/core/"))
                    .noneMatch(n -> n.startsWith("org/slf4j/"))
                    .noneMatch(n -> n.startsWith("org/duckdb/"))
                    .noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"));
            // The job, its connectors and formats, and the model runtime.
            assertThat(names).contains(
                    "io/tidings/kda/ManagedFlinkJob.class",
                    "io/tidings/job/TidingsJob.class",
                    "org/apache/flink/connector/file/sink/FileSink.class",
                    "org/apache/flink/connector/file/src/FileSource.class",
                    "org/apache/flink/formats/parquet/ParquetWriterFactory.class",
                    "org/apache/flink/formats/avro/typeutils/GenericRecordAvroTypeInfo.class",
                    "org/apache/parquet/avro/AvroParquetWriter.class",
                    "org/apache/avro/Schema.class",
                    "org/apache/hadoop/conf/Configuration.class",
                    "org/xerial/snappy/Snappy.class",
                    "ai/onnxruntime/OrtEnvironment.class",
                    "software/amazon/awssdk/services/s3/S3Client.class",
                    // The bundled model, the default when no s3:// model is configured.
                    "tidings/models/tweet-multitask/config.json",
                    "tidings/models/tweet-multitask/model.onnx",
                    "tidings/models/tweet-multitask/tokenizer.json");
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.tidings.kda.ManagedFlinkJob");
        }
        assertThat(Files.size(JAR)).isGreaterThan(1_000_000);
    }

    @Test
    void theJarKeepsOnlyTheLinuxNativesAndTheLanguageModelsTheJobReads() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> names = jar.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                            "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
                            "native/lib/linux-x86_64/cpu/libtokenizers.so", "language-models/en/trigrams.json",
                            "language-models/ja/unigrams.json")
                    .noneMatch(n -> n.matches("ai/onnxruntime/native/(win|osx)-.*"))
                    .noneMatch(n -> n.matches("native/lib/(win|osx)-.*"))
                    .noneMatch(n -> n.startsWith("language-models/af/"))
                    .noneMatch(n -> n.endsWith("fivegrams.json"));
            long languageModels = names.stream().filter(n -> n.matches("language-models/.*\\.json")).count();
            // Unigrams of the twenty default languages, trigrams of the 17 that have them (not ja, ko, zh).
            assertThat(languageModels).isEqualTo(37);
        }
        assertThat(Files.size(JAR)).as("jar size").isLessThan(150L << 20);
    }

    @Test
    void theJarIdentifiesLanguagesAndScoresPostsOnItsOwn() throws Exception {
        // Only the jar and the logging API (provided by Flink): language models, ONNX Runtime's and the
        // tokenizer's natives and the bundled model must all come from the jar.
        URL loggingApi = org.slf4j.LoggerFactory.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {JAR.toUri().toURL(), loggingApi},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> identifier = loader.loadClass("io.tidings.models.LanguageIdentifier");
            assertThat(identifier.getClassLoader()).isSameAs(loader);
            Object shared = identifier.getMethod("shared").invoke(null);
            Method identify = identifier.getMethod("identify", String.class);
            String german = "Heute ist das Wetter in Berlin wirklich schön, ich gehe spazieren";
            assertThat(String.valueOf(identify.invoke(shared, german))).contains("code=de");
            assertThat(String.valueOf(identify.invoke(shared, "今日はとても良い天気ですね、散歩に行きましょう"))).contains("code=ja");
            // A language whose models the jar left out is refused by name, not guessed wrongly.
            Constructor<?> custom = identifier.getConstructor(Set.class, boolean.class);
            assertThatThrownBy(() -> custom.newInstance(Set.of("en", "af"), true))
                    .hasRootCauseInstanceOf(IllegalStateException.class)
                    .rootCause().hasMessageContaining("/language-models/af/unigrams.json");
            assertThatThrownBy(() -> custom.newInstance(Set.of("en", "de"), false))
                    .rootCause().hasMessageContaining("/language-models/en/fivegrams.json");

            Class<?> locations = loader.loadClass("io.tidings.models.ModelLocation");
            Class<?> models = loader.loadClass("io.tidings.models.TweetModel");
            Object location = locations.getMethod("parse", String.class).invoke(null, "classpath:tweet-multitask");
            try (AutoCloseable model = (AutoCloseable) models.getMethod("load", locations).invoke(null, location)) {
                Object prediction = models.getMethod("predict", String.class)
                        .invoke(model, "I love the new camera Apple showed in Paris today!");
                assertThat(prediction.getClass().getMethod("sentiment").invoke(prediction)).isEqualTo("positive");
            }
        }
    }
}
