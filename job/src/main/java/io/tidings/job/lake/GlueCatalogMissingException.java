package io.tidings.job.lake;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * The Glue database or the lake's tables in it do not exist, so no partition can be registered.
 * No restart can change that, so the annotation tells Flink not to restart the job for it; it has
 * no cause, so the launcher's last line (the root cause) is this message with the command to run.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public final class GlueCatalogMissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GlueCatalogMissingException(String database, String lakeUri, String glueSays) {
        super("the Glue catalog has no lake tables to register partitions in (" + glueSays + "): create the database and"
                + " tables first: java -cp \"glue/target/tidings-glue.jar:glue/target/lib/*\" io.tidings.glue.GlueCatalogCli"
                + " create-tables --database " + database + " --lake " + lakeUri + " (glue/README.md; deploy.sh does it on AWS)");
    }
}
