package io.tidings.operators.enrich;

import io.tidings.records.Post;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects posts from any number of callers into batches and runs the models once per batch on a
 * few worker threads: models are far faster on 32 posts at once than on 32 single posts, and the
 * old pipeline's one-inference-per-post was what made it slow.
 *
 * <p>A worker takes the first waiting post, then whatever arrives within {@code maxWaitMillis}
 * up to {@code batchSize}, so a quiet stream still gets low latency and a busy one full batches.
 * If a batch fails, its posts are retried one by one, and a post that fails alone goes on
 * unscored (counted) rather than failing the job forever on one hostile text.
 */
public final class EnrichmentBatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentBatcher.class);

    private final BatchEnricher enricher;
    private final int batchSize;
    private final long maxWaitMillis;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchedPosts = new AtomicLong();
    private volatile boolean closed;

    public EnrichmentBatcher(BatchEnricher enricher, int batchSize, long maxWaitMillis, int workerThreads) {
        if (batchSize < 1 || workerThreads < 1 || maxWaitMillis < 0) {
            throw new IllegalArgumentException("batchSize and workerThreads must be >= 1 and maxWaitMillis >= 0, got "
                    + batchSize + ", " + workerThreads + ", " + maxWaitMillis);
        }
        this.enricher = enricher;
        this.batchSize = batchSize;
        this.maxWaitMillis = maxWaitMillis;
        for (int i = 0; i < workerThreads; i++) {
            Thread worker = new Thread(this::work, "tidings-enrich-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    /** Queues a post; the future completes with the same post, enriched (or unscored if the models failed on it). */
    public CompletableFuture<Post> submit(Post post) {
        if (closed) {
            throw new IllegalStateException("enrichment batcher is closed");
        }
        Pending pending = new Pending(post);
        queue.add(pending);
        return pending.done;
    }

    /** Posts the models failed on, which went on unscored. */
    public long failures() {
        return failures.get();
    }

    /** Average posts per model call so far (for the benchmark and the logs). */
    public double averageBatchSize() {
        long n = batches.get();
        return n == 0 ? 0 : (double) batchedPosts.get() / n;
    }

    private void work() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (!closed) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
                while (batch.size() < batchSize) {
                    queue.drainTo(batch, batchSize - batch.size());
                    long left = deadline - System.nanoTime();
                    if (batch.size() >= batchSize || left <= 0) {
                        break;
                    }
                    Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Pending> batch) {
        List<Post> posts = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            posts.add(p.post);
        }
        try {
            enricher.enrich(posts);
            batches.incrementAndGet();
            batchedPosts.addAndGet(posts.size());
            batch.forEach(p -> p.done.complete(p.post));
            return;
        } catch (Throwable batchError) {
            LOG.warn("Enrichment failed for a batch of {} posts; retrying them one by one", posts.size(), batchError);
        }
        for (Pending p : batch) {
            try {
                enricher.enrich(List.of(p.post));
            } catch (Throwable postError) {
                failures.incrementAndGet();
                LOG.warn("Enrichment failed for post {}; it goes on unscored", p.post.postId, postError);
                p.post.clearModelAnswers();
            }
            p.done.complete(p.post);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            worker.interrupt();
        }
        // A worker inside a model call cannot be interrupted (native code): wait for it to return, or
        // the caller may close the model under it (a native crash on every failover mid-batch).
        for (Thread worker : workers) {
            if (worker == Thread.currentThread()) {
                continue;
            }
            try {
                worker.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done.completeExceptionally(new IllegalStateException("enrichment batcher closed"));
        }
    }

    private static final class Pending {
        final Post post;
        final CompletableFuture<Post> done = new CompletableFuture<>();

        Pending(Post post) {
            this.post = post;
        }
    }
}
