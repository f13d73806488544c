package io.tidings.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Answers of the data endpoints, keyed by (lake version, endpoint, normalized query): the page
 * polls, and until the job commits files again the same question has the same answer. The least
 * recently used answers go first; a new lake version makes old keys unreachable.
 *
 * <p>One computation per key at a time: when a commit makes every cached answer old, the pages
 * polling at that moment all ask the same questions again, and twenty copies of the same query
 * would each take twenty times longer on a small machine; the others wait for the first.
 */
final class AnswerCache {
    private final int capacity;
    private final Map<String, String> answers;
    private final Map<String, CompletableFuture<String>> computing = new ConcurrentHashMap<>();

    AnswerCache(int capacity) {
        this.capacity = capacity;
        this.answers = new LinkedHashMap<>(capacity, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > AnswerCache.this.capacity;
            }
        };
    }

    /** The cached answer, or one computed now (outside the lock; a request asking the same meanwhile gets it too). */
    String get(String key, Supplier<String> compute) {
        synchronized (answers) {
            String hit = answers.get(key);
            if (hit != null) {
                return hit;
            }
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = computing.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                // The same failure (a 400, a 404, a failed query) as the request that computed it.
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            String answer = compute.get();
            synchronized (answers) {
                answers.put(key, answer);
            }
            mine.complete(answer);
            return answer;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            computing.remove(key, mine);
        }
    }
}
