package io.tidings.source.x.reader;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpResponse;
import org.apache.flink.annotation.Internal;

/**
 * The body of a streaming response as chunks the fetch thread polls with a timeout (so a stall is
 * seen even when not even a keep-alive arrives). Asks for one more chunk after each one taken, so
 * a slow consumer slows the connection rather than filling memory.
 */
@Internal
public final class XStreamBody implements HttpResponse.BodySubscriber<XStreamBody> {
    /** Returned by {@link #poll} when the response ended normally. */
    public static final Object END = new Object();

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    @Override
    public CompletionStage<XStreamBody> getBody() {
        return CompletableFuture.completedFuture(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        int size = 0;
        for (ByteBuffer b : buffers) {
            size += b.remaining();
        }
        byte[] bytes = new byte[size];
        int at = 0;
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            b.get(bytes, at, n);
            at += n;
        }
        events.add(bytes);
    }

    @Override
    public void onError(Throwable t) {
        events.add(t);
    }

    @Override
    public void onComplete() {
        events.add(END);
    }

    /**
     * The next event within {@code timeoutMs}: a {@code byte[]} chunk, {@link #END}, a {@link
     * Throwable} (the connection failed), or null when nothing came in time.
     */
    public Object poll(long timeoutMs) throws InterruptedException {
        Object e = events.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (e instanceof byte[]) {
            Flow.Subscription s = subscription;
            if (s != null && !cancelled) {
                s.request(1);
            }
        }
        return e;
    }

    /** Drops the connection. Safe from any thread, any number of times. */
    public void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        events.add(END);
    }
}
