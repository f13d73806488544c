package io.tidings.dashboard.lake;

import io.tidings.athena.LakeLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A lake in a local folder: listed with the file system, read by DuckDB as it is. */
public final class LocalLakeRoot implements LakeRoot {
    private final Path root;

    LocalLakeRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path path() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public LakeLayout layout() {
        return LakeLayout.of(root);
    }

    @Override
    public List<LakeFile> list(String folder, int maxDepth) {
        Path start = root.resolve(folder);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<LakeFile> files = new ArrayList<>();
        try {
            Files.walkFileTree(start, Set.of(), maxDepth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".")) {
                        files.add(new LakeFile(file.toString(), root.relativize(file).toString(), attrs.size(),
                                attrs.lastModifiedTime().toMillis()));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + start + ": " + e.getMessage(), e);
        }
        return files;
    }

    @Override
    public Duration relistAfter() {
        return Duration.ofSeconds(1);
    }

    @Override
    public void prepare(Connection duckdb) {
        // DuckDB reads local files as it is.
    }

    @Override
    public void check() {
        // A missing folder is an empty lake: the page fills as the job commits.
    }

    @Override
    public String cacheName() {
        return root.getFileName() == null ? "root" : root.getFileName().toString();
    }

    @Override
    public boolean contains(Path folder) {
        return folder.toAbsolutePath().normalize().startsWith(root);
    }

    @Override
    public String toString() {
        return location();
    }
}
