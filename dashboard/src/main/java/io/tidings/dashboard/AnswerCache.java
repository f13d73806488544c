package io.tidings.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers of the data endpoints, keyed by (lake version, endpoint, normalized query): the page
 * polls, and until the job commits files again the same question has the same answer. The least
 * recently used answers go first; a new lake version makes old keys unreachable.
 */
final class AnswerCache {
    private final int capacity;
    private final Map<String, String> answers;

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

    /** The cached answer, or a freshly computed one (computed outside the lock; two may race, both right). */
    String get(String key, Supplier<String> compute) {
        synchronized (answers) {
            String hit = answers.get(key);
            if (hit != null) {
                return hit;
            }
        }
        String answer = compute.get();
        synchronized (answers) {
            answers.put(key, answer);
        }
        return answer;
    }
}
