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
 *       the resources are copied into {@code TMPDIR/tidings-models/<name>-<content hash>/}: one
 *       copy per model version, shared by every JVM and reused by the next (a killed JVM leaves
 *       nothing new behind), written under another name and moved into place whole.</li>
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

    /** Where classpath models are copied: one folder per model version. */
    static Path classpathCopies() {
        return Paths.get(System.getProperty("java.io.tmpdir"), "tidings-models");
    }

    private static Path extractFromClasspath(String name) {
        String prefix = "tidings/models/" + name + "/";
        ClassLoader loader = ModelLocation.class.getClassLoader();
        if (loader.getResource(prefix + "config.json") == null) {
            throw new IllegalArgumentException("No model '" + name + "' on the classpath (looked for "
                    + prefix + "config.json)");
        }
        try {
            Map<String, Long> sizes = new java.util.LinkedHashMap<>();
            String digest = digest(loader, prefix, sizes);
            Path root = Files.createDirectories(classpathCopies());
            removeStaleCopies(root);
            Path target = root.resolve(name + "-" + digest);
            if (isComplete(target, sizes)) {
                return target;
            }
            Path staging = Files.createTempDirectory(root, ".staging-" + name + "-");
            for (String file : sizes.keySet()) {
                copy(loader, prefix + file, staging.resolve(file));
            }
            try {
                if (Files.exists(target)) {
                    deleteTree(target); // incomplete: something removed files from it
                }
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // Another JVM moved the same copy into place first.
                deleteTree(staging);
                if (!isComplete(target, sizes)) {
                    throw raced;
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy classpath model " + name + " to " + classpathCopies(), e);
        }
    }

    /** SHA-256 (first 16 hex digits) over the model's files, names and bytes; fills in their sizes. */
    private static String digest(ClassLoader loader, String prefix, Map<String, Long> sizes) throws IOException {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        for (String file : concat(REQUIRED_FILES, OPTIONAL_FILES)) {
            try (InputStream in = loader.getResourceAsStream(prefix + file)) {
                if (in == null) {
                    if (REQUIRED_FILES.contains(file)) {
                        throw new IllegalArgumentException("Classpath model is missing " + prefix + file);
                    }
                    continue;
                }
                sha.update(file.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                long size = 0;
                for (int n; (n = in.read(buffer)) > 0; size += n) {
                    sha.update(buffer, 0, n);
                }
                sizes.put(file, size);
            }
        }
        return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    }

    private static boolean isComplete(Path dir, Map<String, Long> sizes) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (Map.Entry<String, Long> file : sizes.entrySet()) {
            Path path = dir.resolve(file.getKey());
            if (!Files.isRegularFile(path) || Files.size(path) != file.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Staging folders of JVMs killed while copying (an hour old), and the per-JVM copies earlier
     * versions made in the temp folder ({@code tidings-model-NAME-*}, deleted only at a clean exit).
     */
    private static void removeStaleCopies(Path root) {
        long hourAgo = System.currentTimeMillis() - 3_600_000L;
        List<Path> stale = new java.util.ArrayList<>();
        for (Path folder : List.of(root, root.getParent())) {
            try (var entries = Files.list(folder)) {
                entries.filter(p -> {
                    String n = p.getFileName().toString();
                    return folder.equals(root) ? n.startsWith(".staging-")
                            : n.startsWith("tidings-model-") && !n.startsWith("tidings-model-s3-");
                }).filter(p -> modifiedBefore(p, hourAgo)).forEach(stale::add);
            } catch (IOException e) {
                // Nothing to clean, or not ours to list.
            }
        }
        for (Path p : stale) {
            try {
                deleteTree(p);
            } catch (IOException e) {
                // Someone else's, or in use: left alone.
            }
        }
    }

    private static boolean modifiedBefore(Path p, long millis) {
        try {
            return Files.getLastModifiedTime(p).toMillis() < millis;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void copy(ClassLoader loader, String resource, Path target) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("Classpath model is missing " + resource);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
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
