package io.tidings.job.rescore;

import java.io.Serializable;
import java.util.List;

/**
 * What a rescore (bin/tidings rescore) is told beside the job's own settings: the lake's posts
 * folders to read (one per day, {@code posts/dt=YYYY-MM-DD}, or {@code posts/} for every day) and
 * the version of the model it scores with, {@code name@version}: rows the lake already shows with
 * that version are left alone, so a second rescore with the same model writes nothing; unless the
 * model gives issue 21's signals and the row has none (scored before the runtime read those heads).
 *
 * @param postFolders the folders whose Parquet files are read (hidden and in-progress files skipped)
 * @param days how many days they hold (for the summary)
 * @param modelVersion what the model writes as {@code model_version}
 * @param modelGivesSignals whether the model has any of issue 21's heads (emotion, hate, irony, offensive)
 */
public record RescoreSettings(List<String> postFolders, int days, String modelVersion, boolean modelGivesSignals)
        implements Serializable {
    public RescoreSettings {
        postFolders = List.copyOf(postFolders);
        if (modelVersion == null || modelVersion.isBlank()) {
            throw new IllegalArgumentException("a rescore needs the new model's version");
        }
    }

    /** A rescore with a model without issue 21's heads. */
    public RescoreSettings(List<String> postFolders, int days, String modelVersion) {
        this(postFolders, days, modelVersion, false);
    }
}
