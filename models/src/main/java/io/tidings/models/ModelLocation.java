package io.tidings.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a model directory (Hugging Face layout: {@code config.json}, {@code tokenizer.json},
 * {@code model.onnx}, optionally {@code README.md} and {@code parity.json}) lives.
 *
 * <p>Three forms are understood:
 * <ul>
 *   <li>{@code classpath:tweet-multitask}: a model bundled in the jar under
 *       {@code tidings/models/<name>/}. ONNX Runtime and the Hugging Face tokenizer want files, so
 *       the resources are copied once per JVM into a temporary directory (deleted at exit) and
 *       every later resolve returns that same directory.</li>
 *   <li>a local path, absolute or relative, optionally as {@code file:/...}: a directory on local
 *       disk or a mounted network file system (EFS on a self-managed cluster).</li>
 *   <li>{@code s3://bucket/prefix}: for Amazon Managed Service for Apache Flink, which cannot mount
 *       EFS. The files are downloaded once per JVM to a temporary directory with the AWS SDK v2
 *       (default credentials and region; see {@link S3ModelDownloader}).</li>
 * </ul>
 */
public final class ModelLocation {

    /** The model shipped inside the jar, used when no location is configured. */
    public static final ModelLocation BUNDLED_DEFAULT = parse("classpath:tweet-multitask");

    /** Files copied out of the classpath; those marked optional may be missing. */
    private static final List<String> REQUIRED_FILES = List.of("config.json", "tokenizer.json", "model.onnx");
    /** {@code model.onnx.data}: the external weights of a graph over protobuf's 2 GB limit. */
    private static final List<String> OPTIONAL_FILES = List.of("README.md", "parity.json", "model.onnx.data");

    /** Local copies of classpath and S3 models, made once per JVM (keys: name or s3:// URI). */
    private static final Map<String, Path> LOCAL_COPIES = new ConcurrentHashMap<>();

    /** How the location is given. */
    public enum Scheme { CLASSPATH, PATH, S3 }

    private final Scheme scheme;
    private final String value;

    private ModelLocation(Scheme scheme, String value) {
        this.scheme = scheme;
        this.value = value;
    }

    /**
     * Parses {@code classpath:<name>}, {@code s3://bucket/prefix}, {@code file:/dir} or a plain
     * directory path.
     */
    public static ModelLocation parse(String location) {
        Objects.requireNonNull(location, "model location");
        String trimmed = location.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("Empty model location: give classpath:<name>, a directory or s3://bucket/prefix");
        }
        if (trimmed.startsWith("classpath:")) {
            String name = trimmed.substring("classpath:".length()).replaceAll("^/+|/+$", "");
            if (name.isEmpty() || name.contains("..")) {
                throw new IllegalArgumentException("Bad classpath model name in '" + location + "'");
            }
            return new ModelLocation(Scheme.CLASSPATH, name);
        }
        if (trimmed.startsWith("s3://")) {
            String rest = trimmed.substring("s3://".length());
            if (rest.isEmpty() || rest.startsWith("/")) {
                throw new IllegalArgumentException("Bad S3 model location '" + location + "': expected s3://bucket/prefix");
            }
            return new ModelLocation(Scheme.S3, trimmed.replaceAll("/+$", ""));
        }
        if (trimmed.startsWith("file:")) {
            return new ModelLocation(Scheme.PATH, Paths.get(java.net.URI.create(trimmed)).toString());
        }
        return new ModelLocation(Scheme.PATH, trimmed);
    }

    /** A model directory on local disk. */
    public static ModelLocation of(Path directory) {
        return new ModelLocation(Scheme.PATH, directory.toString());
    }

    public Scheme scheme() {
        return scheme;
    }

    /**
     * Returns a local directory holding the model files, copying bundled resources out of the jar
     * the first time in this JVM.
     *
     * @throws IllegalArgumentException when the location does not hold a model
     * @throws IllegalStateException when S3 cannot be reached or refuses the download
     */
    public Path resolve() {
        switch (scheme) {
            case CLASSPATH:
                return LOCAL_COPIES.computeIfAbsent("classpath:" + value, key -> extractFromClasspath(value));
            case S3:
                return LOCAL_COPIES.computeIfAbsent(value,
                        location -> S3ModelDownloader.download(location, REQUIRED_FILES, OPTIONAL_FILES));
            case PATH:
            default:
                Path dir = Paths.get(value).toAbsolutePath().normalize();
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("Model directory " + dir + " does not exist");
                }
                for (String file : REQUIRED_FILES) {
                    if (!Files.isRegularFile(dir.resolve(file))) {
                        throw new IllegalArgumentException("Model directory " + dir + " has no " + file
                                + " (a model needs " + String.join(", ", REQUIRED_FILES) + ")");
                    }
                }
                return dir;
        }
    }

    private static Path extractFromClasspath(String name) {
        String prefix = "tidings/models/" + name + "/";
        ClassLoader loader = ModelLocation.class.getClassLoader();
        if (loader.getResource(prefix + "config.json") == null) {
            throw new IllegalArgumentException("No model '" + name + "' on the classpath (looked for "
                    + prefix + "config.json)");
        }
        try {
            Path dir = Files.createTempDirectory("tidings-model-" + name + "-");
            dir.toFile().deleteOnExit();
            for (String file : REQUIRED_FILES) {
                copy(loader, prefix + file, dir.resolve(file), true);
            }
            for (String file : OPTIONAL_FILES) {
                copy(loader, prefix + file, dir.resolve(file), false);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy classpath model " + name + " to a temporary directory", e);
        }
    }

    private static void copy(ClassLoader loader, String resource, Path target, boolean required) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                if (required) {
                    throw new IllegalArgumentException("Classpath model is missing " + resource);
                }
                return;
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            target.toFile().deleteOnExit();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelLocation && ((ModelLocation) o).scheme == scheme && ((ModelLocation) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, value);
    }

    /** The location in the form {@link #parse} accepts. */
    @Override
    public String toString() {
        return scheme == Scheme.CLASSPATH ? "classpath:" + value : value;
    }
}
