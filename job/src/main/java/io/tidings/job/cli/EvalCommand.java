package io.tidings.job.cli;

import io.tidings.models.EntityEvaluation;
import io.tidings.models.ModelLocation;
import io.tidings.models.ParityCheck;
import io.tidings.models.SentimentEvaluation;
import io.tidings.models.SignalEvaluation;
import io.tidings.models.TweetModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tidings eval}: measure a model on labelled data through the same runtime the job uses. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model on labelled data through the job's own model runtime.",
        subcommands = {EvalCommand.Sentiment.class, EvalCommand.Entities.class, EvalCommand.Emotion.class,
                EvalCommand.Hate.class, EvalCommand.Irony.class, EvalCommand.Offensive.class, EvalCommand.Parity.class})
public class EvalCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    abstract static class ModelOption {
        @Option(names = "--model", paramLabel = "DIR|LOCATION", defaultValue = "classpath:tweet-multitask",
                description = "Model directory or location (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime threads (default: ${DEFAULT-VALUE}).")
        int threads;

        TweetModel load() {
            return TweetModel.load(ModelLocation.parse(model), threads, TweetModel.DEFAULT_BATCH_SIZE);
        }

        /** Whether the evaluation file is there to read; if not, says why on one line (then exit code 3). */
        static boolean readable(Path file) {
            if (Files.isRegularFile(file)) {
                return true;
            }
            System.err.println("tidings: " + (Files.isDirectory(file) ? "a folder, not a file: " : "no such file: ") + file);
            return false;
        }
    }

    @Command(name = "sentiment", mixinStandardHelpOptions = true,
            description = {"Sentiment: macro-averaged recall (the SemEval/TweetEval metric), accuracy, confusion matrix.",
                    "FILE: TSV id<TAB>label<TAB>text (labels negative/neutral/positive), or a TweetEval *_text.txt"
                            + " with its *_labels.txt beside it (or given with --labels)."})
    static class Sentiment extends ModelOption implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--labels", paramLabel = "FILE", description = "TweetEval labels file (0 negative, 1 neutral, 2 positive).")
        Path labels;

        @Override
        public Integer call() {
            if (!readable(file)) {
                return ExitCodes.NO_INPUT;
            }
            try (TweetModel tweetModel = load()) {
                var data = labels != null ? SentimentEvaluation.readTweetEval(file, labels) : SentimentEvaluation.read(file);
                System.out.print(SentimentEvaluation.evaluate(tweetModel, data).report());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "entities", mixinStandardHelpOptions = true,
            description = {"Entities: entity-level exact-match precision, recall and F1 per type and micro (conlleval).",
                    "FILE: CoNLL (token, tag; blank line between posts), BIO or IO tags."})
    static class Entities extends ModelOption implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.conll")
        Path file;

        @Option(names = "--map", paramLabel = "GOLD=OURS,...",
                description = "Rename gold types, or drop them with =O, e.g. person=PER,corporation=ORG,product=O.")
        String map = "";

        @Override
        public Integer call() {
            if (!readable(file)) {
                return ExitCodes.NO_INPUT;
            }
            try (TweetModel tweetModel = load()) {
                System.out.print(EntityEvaluation.evaluate(tweetModel, file, map).report());
            }
            return ExitCodes.OK;
        }
    }

    /**
     * One of issue 21's heads ({@code eval emotion|hate|irony|offensive FILE}): TweetEval's metric of
     * the task, P/R/F1 per class and the confusion matrix; a model without the head is one line and
     * exit code 2, before any text is read.
     */
    abstract static class Signal extends ModelOption implements Callable<Integer> {
        @Parameters(paramLabel = "FILE")
        Path file;

        abstract String task();

        @Override
        public Integer call() {
            if (!readable(file)) {
                return ExitCodes.NO_INPUT;
            }
            try (TweetModel tweetModel = load()) {
                if (!SignalEvaluation.hasHead(tweetModel, task())) {
                    System.err.println("tidings: model " + tweetModel.config().nameAndVersion() + " (" + model + ") has no "
                            + task() + " head: nothing to evaluate");
                    return ExitCodes.USAGE;
                }
                System.out.print(SignalEvaluation.evaluate(tweetModel, task(), file).report());
            }
            return ExitCodes.OK;
        }
    }

    private static final String SIGNAL_FILE = "FILE: a TweetEval <split>_text.txt with its <split>_labels.txt beside it"
            + " (label indices), or a TSV label<TAB>text with label names.";

    @Command(name = "emotion", mixinStandardHelpOptions = true,
            description = {"Emotion (anger, joy, optimism, sadness): macro-F1 (the TweetEval metric), P/R/F1 per class.",
                    SIGNAL_FILE})
    static class Emotion extends Signal {
        @Override
        String task() {
            return "emotion";
        }
    }

    @Command(name = "hate", mixinStandardHelpOptions = true,
            description = {"Hate speech (not-hate, hate): macro-F1 (the TweetEval metric), P/R/F1 per class.", SIGNAL_FILE})
    static class Hate extends Signal {
        @Override
        String task() {
            return "hate";
        }
    }

    @Command(name = "irony", mixinStandardHelpOptions = true,
            description = {"Irony (not-irony, irony): F1 of the irony class (the TweetEval metric), P/R/F1 per class.",
                    SIGNAL_FILE})
    static class Irony extends Signal {
        @Override
        String task() {
            return "irony";
        }
    }

    @Command(name = "offensive", mixinStandardHelpOptions = true,
            description = {"Offensive language (not-offensive, offensive): macro-F1 (the TweetEval metric), P/R/F1 per class.",
                    SIGNAL_FILE})
    static class Offensive extends Signal {
        @Override
        String task() {
            return "offensive";
        }
    }

    @Command(name = "parity", mixinStandardHelpOptions = true,
            description = {"Check that this runtime reproduces the numbers the model's exporter measured (its parity.json):",
                    "token ids, every logit within the exporter's tolerance, and PyTorch's labels.",
                    "Run it on a model exported with models/training/export_hf.py before pointing the job at it."})
    static class Parity extends ModelOption implements Callable<Integer> {
        @Override
        public Integer call() {
            try (TweetModel tweetModel = load()) {
                ParityCheck.Result result = ParityCheck.check(tweetModel);
                System.out.print(result.report());
                return result.passed() ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }
}
