package io.tidings.models;

import ai.djl.huggingface.tokenizers.jni.LibUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Loads DJL's Hugging Face tokenizers native library once per class loader, each class loader from
 * its own copy.
 *
 * <p>DJL extracts the library to one fixed file ({@code ~/.djl.ai/tokenizers/VERSION/libtokenizers.so})
 * and loads it from there, and the JVM lets only one class loader load a given native library file.
 * Flink gives every job its own user-code class loader, so on a TaskManager that ran the job before
 * (a second submission or a redeploy to a session cluster) the tokenizer failed with "Native Library
 * ... already loaded in another classloader" and the job restarted until it gave up. When tidings
 * runs in such a class loader, DJL is pointed ({@code ENGINE_CACHE_DIR}) at a folder of this class
 * loader's own while it loads the library, and the folder goes when the JVM does. In the
 * application class loader (bin/tidings, tests) DJL's shared cache is used as before.
 */
final class TokenizerLibrary {
    /** DJL's setting for where engines' native libraries are extracted to. */
    static final String ENGINE_CACHE_DIR = "ENGINE_CACHE_DIR";

    private static volatile boolean loaded;

    private TokenizerLibrary() {}

    static void load() {
        if (loaded) {
            return;
        }
        synchronized (TokenizerLibrary.class) {
            if (loaded) {
                return;
            }
            if (TokenizerLibrary.class.getClassLoader() == ClassLoader.getSystemClassLoader()) {
                initialize();
            } else {
                loadFromOwnCopy();
            }
            loaded = true;
        }
    }

    private static void loadFromOwnCopy() {
        // The system properties are one object for every class loader of the JVM: holding them while one is
        // changed keeps two jobs starting at once from loading from each other's folder.
        synchronized (System.getProperties()) {
            String before = System.getProperty(ENGINE_CACHE_DIR);
            Path own;
            try {
                own = Files.createTempDirectory("tidings-tokenizers-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a folder for the tokenizers library", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(own), "tidings-tokenizers-cleanup"));
            System.setProperty(ENGINE_CACHE_DIR, own.toString());
            try {
                initialize();
            } finally {
                if (before == null) {
                    System.clearProperty(ENGINE_CACHE_DIR);
                } else {
                    System.setProperty(ENGINE_CACHE_DIR, before);
                }
            }
        }
    }

    /** DJL loads the native library when its {@code LibUtils} is initialized; {@code checkStatus} throws what failed. */
    private static void initialize() {
        LibUtils.checkStatus();
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // A temporary folder left behind is the operating system's to clear.
        }
    }
}
