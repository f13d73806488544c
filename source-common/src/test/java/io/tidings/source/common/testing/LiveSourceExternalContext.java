package io.tidings.source.common.testing;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;

/**
 * What the connector testing framework needs of a live source and its platform, for a source whose
 * platform is one of our local fake servers: the source (through {@link MappedSource}, emitting each
 * record's bytes as received, as text, so the framework can compare them with the test data), a
 * writer that publishes on the fake server, and test data in the platform's shape.
 *
 * <p>One platform connection is one split: every "split" writer the framework asks for publishes into
 * the same stream, in the order written, so each writer's records keep their order, as the framework
 * requires of a split. A live source has no end: asked for a bounded one, {@link #createSource}
 * refuses (the framework then aborts the case; the suites disable those cases, saying why).
 *
 * <p>A streaming API sends what is posted while a client listens, and a fresh subscription catches up
 * on nothing from before it started: records "written" before the source first connects would reach
 * no one. So what is written while the source has {@linkplain #listening() no live connection} and has
 * {@linkplain #connectedBefore() never connected} is held, and published, in order, once it listens;
 * after that, records are published at once (while the job is down too: the source catches up on its
 * next connection).
 */
public abstract class LiveSourceExternalContext implements DataStreamSourceExternalContext<String> {

    /** The source under test, reading the fake server; unbounded. */
    protected abstract Source<String, ?, ?> createLiveSource();

    /** Publishes {@code records} on the fake server, in order, as the platform sends them. */
    protected abstract void publish(List<String> records);

    /** Whether a connection of the source is open and live on the fake server now. */
    protected abstract boolean listening();

    /** Whether the source has connected before, so that it catches up on what it missed; default {@link #listening()}. */
    protected boolean connectedBefore() {
        return listening();
    }

    private final List<String> held = new ArrayList<>();
    private Thread poster;

    /** Publishes now, or holds until the source listens (see the class javadoc); held records go first. */
    private synchronized void write(List<String> records) {
        if (held.isEmpty() && poster == null && (listening() || connectedBefore())) {
            publish(records);
            return;
        }
        held.addAll(records);
        if (poster == null) {
            poster = new Thread(this::publishWhenListening, "suite-publisher");
            poster.setDaemon(true);
            poster.start();
        }
    }

    private void publishWhenListening() {
        try {
            while (!listening()) {
                Thread.sleep(20);
            }
            synchronized (this) {
                publish(List.copyOf(held));
                held.clear();
                poster = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the fake server. */
    protected abstract void closeServer();

    @Override
    public final synchronized void close() {
        if (poster != null) {
            poster.interrupt();
        }
        closeServer();
    }

    @Override
    public final Source<String, ?, ?> createSource(TestingSourceSettings settings) {
        if (settings.getBoundedness() != Boundedness.CONTINUOUS_UNBOUNDED) {
            throw new UnsupportedOperationException("a live source is unbounded: it has no end to read to");
        }
        return createLiveSource();
    }

    @Override
    public final ExternalSystemSplitDataWriter<String> createSourceSplitDataWriter(TestingSourceSettings settings) {
        return new ExternalSystemSplitDataWriter<>() {
            @Override
            public void writeRecords(List<String> records) {
                write(records);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public final TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    @Override
    public final List<URL> getConnectorJarPaths() {
        return List.of(); // a MiniCluster in this JVM: the source is on the class path
    }
}
