package io.tidings.dashboard;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Answers of the data endpoints, keyed by (lake version, question: endpoint and normalized query):
 * the page polls, and until the job commits files again the same question has the same answer.
 * The least recently used answers go first; a new lake version makes old keys unreachable.
 *
 * <p>One computation per key at a time: when a commit makes every cached answer old, the pages
 * polling at that moment all ask the same questions again, and twenty copies of the same query
 * would each take twenty times longer on a small machine; the others wait for the first.
 *
 * <p>No stall after a commit, for a client that says it can take an older answer (the page does):
 * a question whose answer for the new version is not ready within {@link #STALE_AFTER_MILLIS} is
 * answered with the newest answer it has, of an older version, marked stale ({@link Answer#stale()}),
 * while the new one is computed; the page asks again at its next poll. Over ten million posts a
 * commit made every panel ask again at once and the slowest waited minutes behind each other on two
 * cores; now only a question never answered before waits. Other clients (a script that waits for a
 * new lake version and then asks) always get the answer of the version they asked at.
 */
final class AnswerCache implements AutoCloseable {
    /** How long a request waits for its new answer before it takes the older one. */
    static final long STALE_AFTER_MILLIS = 1_000;
    static final int COMPUTING_THREADS = 8;

    /** An answer's JSON and whether it is of an older lake version than the one asked about. */
    record Answer(String body, boolean stale) {}

    /** An answer and the order of its lake version (versions are numbered as this cache first sees them). */
    private record Versioned(long order, String body) {}

    private final int capacity;
    private final Map<String, String> answers;
    /** Per question, the answer of the newest version computed: what a stale answer is. */
    private final Map<String, Versioned> newest;
    /** Lake versions in the order they were first asked about (the server publishes them in order). */
    private final Map<String, Long> versionOrder = new HashMap<>();
    private long versionsSeen;
    private final Map<String, CompletableFuture<String>> computing = new ConcurrentHashMap<>();
    /**
     * Computations run here, not on the request's thread, so that a request can stop waiting. A few
     * threads (the database answers on at most four connections): requests that took an older answer
     * leave their computation queued here, not one thread each.
     */
    private final ExecutorService computers = Executors.newFixedThreadPool(COMPUTING_THREADS, runnable -> {
        Thread thread = new Thread(runnable, "dashboard-answer");
        thread.setDaemon(true);
        return thread;
    });

    AnswerCache(int capacity) {
        this.capacity = capacity;
        this.answers = lru(capacity);
        this.newest = lru(capacity);
    }

    /** The order of {@code version}: the first version seen is 1. Call holding the {@code answers} lock. */
    private long order(String version) {
        Long known = versionOrder.get(version);
        if (known != null) {
            return known;
        }
        if (versionOrder.size() >= 10_000) {
            // A server up for months: forget all but the last thousand versions (older ones are never asked again).
            versionOrder.values().removeIf(o -> o < versionsSeen - 1_000);
        }
        versionOrder.put(version, ++versionsSeen);
        return versionsSeen;
    }

    private static <V> Map<String, V> lru(int capacity) {
        return new LinkedHashMap<>(capacity, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The answer to {@code question} at lake {@code version}: cached, or computed now (once, however
     * many ask meanwhile), or, with {@code olderWillDo}, when that takes longer than {@link
     * #STALE_AFTER_MILLIS} and an older answer exists, that one, stale. A failed computation fails
     * every request waiting for it.
     */
    Answer get(String version, String question, boolean olderWillDo, Supplier<String> compute) {
        String key = version + " " + question;
        long asked;
        synchronized (answers) {
            asked = order(version);
            String hit = answers.get(key);
            if (hit != null) {
                return new Answer(hit, false);
            }
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = computing.putIfAbsent(key, mine);
        if (running == null) {
            running = mine;
            computers.execute(() -> {
                // Out of `computing` before the waiting requests hear: an answer is in `answers` by then,
                // and a failure is not kept (the next request computes again).
                try {
                    String answer = compute.get();
                    synchronized (answers) {
                        answers.put(key, answer);
                        // A slower computation of an older version does not replace a newer answer.
                        Versioned standing = newest.get(question);
                        if (standing == null || standing.order() <= asked) {
                            newest.put(question, new Versioned(asked, answer));
                        }
                    }
                    computing.remove(key, mine);
                    mine.complete(answer);
                } catch (Throwable e) {
                    synchronized (answers) {
                        // The question fails now (a 404 for an entity whose posts were deleted, say): its old
                        // answer must not stand in for the error.
                        Versioned standing = newest.get(question);
                        if (standing != null && standing.order() <= asked) {
                            newest.remove(question);
                        }
                    }
                    computing.remove(key, mine);
                    mine.completeExceptionally(e);
                }
            });
        }
        if (!olderWillDo) {
            return new Answer(join(running), false);
        }
        try {
            return new Answer(running.get(STALE_AFTER_MILLIS, TimeUnit.MILLISECONDS), false);
        } catch (TimeoutException e) {
            Versioned standing;
            synchronized (answers) {
                standing = newest.get(question);
            }
            if (standing == null) {
                return new Answer(join(running), false);
            }
            // Stale only when older than the version asked about; one as new or newer is that version's or a later one's.
            return new Answer(standing.body(), standing.order() < asked);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing an answer", e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    private static String join(CompletableFuture<String> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** The same failure (a 400, a 404, a failed query) as the computation's. */
    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    @Override
    public void close() {
        computers.shutdownNow();
    }
}
