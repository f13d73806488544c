package io.tidings.job.cli;

import io.tidings.models.EntityEvaluation;
import io.tidings.models.ModelLocation;
import io.tidings.models.ParityCheck;
import io.tidings.models.SentimentEvaluation;
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
        subcommands = {EvalCommand.Sentiment.class, EvalCommand.Entities.class, EvalCommand.Parity.class})
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
            if (!Files.isRegularFile(file)) {
                System.err.println("tidings: no such file: " + file);
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
            if (!Files.isRegularFile(file)) {
                System.err.println("tidings: no such file: " + file);
                return ExitCodes.NO_INPUT;
            }
            try (TweetModel tweetModel = load()) {
                System.out.print(EntityEvaluation.evaluate(tweetModel, file, map).report());
            }
            return ExitCodes.OK;
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
