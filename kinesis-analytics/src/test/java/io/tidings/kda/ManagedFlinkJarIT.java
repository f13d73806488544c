package io.tidings.kda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
