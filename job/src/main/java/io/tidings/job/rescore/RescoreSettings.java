package io.tidings.job.rescore;

import io.tidings.models.ModelConfig;
import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * What a rescore (bin/tidings rescore) is told beside the job's own settings: the lake's posts
 * folders to read (one per day, {@code posts/dt=YYYY-MM-DD}, or {@code posts/} for every day) and
 * the version of the model it scores with, {@code name@version}: rows the lake already shows with
 * that version are left alone, so a second rescore with the same model writes nothing; unless the
 * model gives one of issue 21's signals the row lacks (scored before the runtime read those heads,
 * or by a config of the same version that listed fewer).
 *
 * @param postFolders the folders whose Parquet files are read (hidden and in-progress files skipped)
 * @param days how many days they hold (for the summary)
 * @param modelVersion what the model writes as {@code model_version}
 * @param modelSignals the keys of the model's heads among issue 21's ({@link ModelConfig#SIGNAL_LABELS}:
 *     emotion, hate, irony, offensive; {@code ModelConfig.signals().keySet()}), empty for a model without them
 */
public record RescoreSettings(List<String> postFolders, int days, String modelVersion, Set<String> modelSignals)
        implements Serializable {
    public RescoreSettings {
        postFolders = List.copyOf(postFolders);
        if (modelVersion == null || modelVersion.isBlank()) {
            throw new IllegalArgumentException("a rescore needs the new model's version");
        }
        modelSignals = Set.copyOf(modelSignals);
        for (String signal : modelSignals) {
            // A key the lake has no columns for would leave every row of the model's version short of it, scored again each time.
            if (!ModelConfig.SIGNAL_LABELS.containsKey(signal)) {
                throw new IllegalArgumentException("a rescore's model signal " + signal + " is none of issue 21's "
                        + ModelConfig.SIGNAL_LABELS.keySet());
            }
        }
    }

    /** A rescore with a model without issue 21's heads. */
    public RescoreSettings(List<String> postFolders, int days, String modelVersion) {
        this(postFolders, days, modelVersion, Set.of());
    }
}
