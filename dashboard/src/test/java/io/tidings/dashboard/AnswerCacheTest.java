package io.tidings.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The answer cache: one computation per question and version, and no stall behind a slow one after a
 * commit for a client that can take an older answer (the page), while others get their version's.
 */
class AnswerCacheTest {

    @Test
    void aSlowNewAnswerIsStandedInForByTheOlderOneUntilItIsReady() throws Exception {
        try (AnswerCache cache = new AnswerCache(100)) {
            assertThat(cache.get("v1", "/api/trending", true, () -> "old")).isEqualTo(new AnswerCache.Answer("old", false));

            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger computations = new AtomicInteger();
            long started = System.nanoTime();
            AnswerCache.Answer meanwhile = cache.get("v2", "/api/trending", true, () -> {
                computations.incrementAndGet();
                await(release);
                return "new";
            });
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(meanwhile).isEqualTo(new AnswerCache.Answer("old", true));
            assertThat(waitedMillis).isBetween(AnswerCache.STALE_AFTER_MILLIS - 50, AnswerCache.STALE_AFTER_MILLIS + 5_000);

            // Asked again while it computes: still the older answer, and no second computation.
            assertThat(cache.get("v2", "/api/trending", true, () -> "computed twice")).isEqualTo(new AnswerCache.Answer("old", true));
            release.countDown();
            assertThat(waitFor(cache, "v2", "/api/trending")).isEqualTo(new AnswerCache.Answer("new", false));
            assertThat(computations).hasValue(1);
            // A client that cannot take an older answer (a script that waited for the new version) waits for the new one.
            CountDownLatch slow = new CountDownLatch(1);
            new Thread(() -> {
                sleep(AnswerCache.STALE_AFTER_MILLIS + 500);
                slow.countDown();
            }).start();
            assertThat(cache.get("v3", "/api/trending", false, () -> {
                await(slow);
                return "newer";
            })).isEqualTo(new AnswerCache.Answer("newer", false));
            // Another question has no older answer: it waits for its own.
            assertThat(cache.get("v2", "/api/overview", true, () -> "overview")).isEqualTo(new AnswerCache.Answer("overview", false));
        }
    }

    @Test
    void aQuestionNeverAnsweredWaitsForItsAnswerHoweverLongItTakes() {
        try (AnswerCache cache = new AnswerCache(100)) {
            AnswerCache.Answer answer = cache.get("v1", "/api/entity?text=x", true, () -> {
                sleep(AnswerCache.STALE_AFTER_MILLIS + 300);
                return "first";
            });
            assertThat(answer).isEqualTo(new AnswerCache.Answer("first", false));
        }
    }

    @Test
    void everyoneAskingTheSameQuestionAtOnceGetsOneComputationOrItsFailure() throws Exception {
        try (AnswerCache cache = new AnswerCache(100)) {
            AtomicInteger computations = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService pages = Executors.newFixedThreadPool(20);
            List<Future<AnswerCache.Answer>> asked = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                asked.add(pages.submit(() -> cache.get("v1", "/api/terms", true, () -> {
                    computations.incrementAndGet();
                    await(release);
                    return "terms";
                })));
            }
            Thread.sleep(200);
            release.countDown();
            for (Future<AnswerCache.Answer> answer : asked) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(new AnswerCache.Answer("terms", false));
            }
            assertThat(computations).hasValue(1);
            pages.shutdown();

            // A failure (a bad request, a failed query) reaches the request as the computation threw it,
            // and is not kept: the next request computes again.
            assertThatThrownBy(() -> cache.get("v1", "/api/bad", true, () -> {
                throw new IllegalArgumentException("bad filter");
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad filter");
            assertThat(cache.get("v1", "/api/bad", true, () -> "fixed").body()).isEqualTo("fixed");
        }
    }

    @Test
    void aQuestionThatNowFailsIsNotAnsweredWithItsOldAnswer() throws Exception {
        try (AnswerCache cache = new AnswerCache(100)) {
            assertThat(cache.get("v1", "/api/entity?text=gone", true, () -> "mentioned")).isEqualTo(new AnswerCache.Answer("mentioned", false));
            // Its posts deleted: the new version's answer is a 404, slow to come on a busy server.
            Supplier<String> slowFailure = () -> {
                sleep(AnswerCache.STALE_AFTER_MILLIS + 300);
                throw new IllegalArgumentException("no posts mention gone");
            };
            assertThat(cache.get("v2", "/api/entity?text=gone", true, slowFailure)).isEqualTo(new AnswerCache.Answer("mentioned", true));
            Thread.sleep(600); // the computation has failed by now
            assertThatThrownBy(() -> cache.get("v2", "/api/entity?text=gone", true, slowFailure))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("no posts mention gone");
        }
    }

    @Test
    void anAnswerOfANewerVersionIsNotStaleAndAnOlderOneNeverReplacesIt() throws Exception {
        try (AnswerCache cache = new AnswerCache(100)) {
            cache.get("v1", "/api/overview", true, () -> "one");
            CountDownLatch release = new CountDownLatch(1);
            // Version 2's answer is slow; version 3's comes at once.
            assertThat(cache.get("v2", "/api/overview", true, () -> {
                await(release);
                return "two";
            })).isEqualTo(new AnswerCache.Answer("one", true));
            assertThat(cache.get("v3", "/api/overview", true, () -> "three")).isEqualTo(new AnswerCache.Answer("three", false));
            // Asked at version 2 still computing: version 3's answer stands in, and it is not stale.
            assertThat(cache.get("v2", "/api/overview", true, () -> "two again")).isEqualTo(new AnswerCache.Answer("three", false));
            release.countDown();
            assertThat(waitFor(cache, "v2", "/api/overview")).isEqualTo(new AnswerCache.Answer("two", false));
            // Version 2's late answer did not replace version 3's as the one that stands in.
            CountDownLatch never = new CountDownLatch(1);
            assertThat(cache.get("v4", "/api/overview", true, () -> {
                await(never);
                return "four";
            })).isEqualTo(new AnswerCache.Answer("three", true));
            never.countDown();
        }
    }

    private static AnswerCache.Answer waitFor(AnswerCache cache, String version, String question) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            AnswerCache.Answer answer = cache.get(version, question, true, () -> "recomputed");
            if (!answer.stale()) {
                return answer;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no fresh answer for " + question);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
