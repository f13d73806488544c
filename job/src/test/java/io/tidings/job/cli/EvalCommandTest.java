package io.tidings.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tidings eval}: the commands users run on a model, through the job's own runtime. */
class EvalCommandTest {

    private static final Path BUNDLED = Paths.get("../models/bundled/tweet-multitask").toAbsolutePath().normalize();

    /** The labelled samples of issue 21's tasks the models module's tests use (written for them, not TweetEval's). */
    private static final Path SIGNAL_SAMPLES = Paths.get("../models/src/test/resources/signals").toAbsolutePath().normalize();

    private record Run(int exitCode, String out, String err) {
        Run(int exitCode, String out) {
            this(exitCode, out, "");
        }
    }

    private static Run eval(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        PrintStream original = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "eval";
            System.arraycopy(args, 0, all, 1, args.length);
            int code = new CommandLine(new TidingsCli()).execute(all);
            return new Run(code, captured.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
            System.setErr(originalErr);
        }
    }

    @Test
    void parityOfTheBundledModelPasses() {
        Run run = eval("parity", "--threads", "1");
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).containsPattern("parity: \\d+ sample texts, \\d+ logits compared: OK");
    }

    @Test
    void parityFailsWhenTheRuntimeDisagreesWithTheExporter(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        for (String file : new String[] {"config.json", "tokenizer.json", "model.onnx"}) {
            Files.copy(BUNDLED.resolve(file), model.resolve(file));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode parity = (ObjectNode) json.readTree(BUNDLED.resolve("parity.json").toFile());
        ArrayNode ids = (ArrayNode) parity.path("cases").get(0).path("input_ids");
        ids.set(1, ids.get(1).asLong() + 1);
        // the bundled model is fed letter case as token types: the second case's first word flips case
        ArrayNode types = (ArrayNode) parity.path("cases").get(1).path("token_type_ids");
        types.set(1, 1 - types.get(1).asLong());
        json.writeValue(model.resolve("parity.json").toFile(), parity);

        Run run = eval("parity", "--model", model.toString(), "--threads", "1");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("2 problem(s)").contains("token ids of ").contains("token type ids of ");
    }

    @Test
    void emotionOnATweetEvalFilePrintsMacroF1AndEachClass() {
        Run run = eval("emotion", SIGNAL_SAMPLES.resolve("emotion_sample_text.txt").toString(), "--threads", "1");
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("task: emotion").contains("texts: 6").containsPattern("macro-F1: [01]\\.\\d{4}")
                .containsPattern("(?m)^anger\\s+[01]\\.\\d{4}\\s+[01]\\.\\d{4}\\s+[01]\\.\\d{4}\\s+2$")
                .containsPattern("(?m)^sadness\\s+[01]\\.\\d{4}\\s+[01]\\.\\d{4}\\s+[01]\\.\\d{4}\\s+1$")
                .contains("confusion (rows gold, columns predicted)");
    }

    @Test
    void ironyHateAndOffensiveOnTsvFilesPrintTheirMetric() {
        Run irony = eval("irony", SIGNAL_SAMPLES.resolve("irony.tsv").toString(), "--threads", "1");
        assertThat(irony.exitCode()).as(irony.out() + irony.err()).isEqualTo(ExitCodes.OK);
        assertThat(irony.out()).contains("texts: 4").containsPattern("F1 \\(irony\\): [01]\\.\\d{4}")
                .containsPattern("(?m)^not-irony\\s").containsPattern("(?m)^irony\\s");
        for (String task : new String[] {"hate", "offensive"}) {
            Run run = eval(task, SIGNAL_SAMPLES.resolve(task + ".tsv").toString(), "--threads", "1");
            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("task: " + task).contains("texts: 4").containsPattern("macro-F1: [01]\\.\\d{4}")
                    .containsPattern("(?m)^not-" + task + "\\s+[01]\\.\\d{4}\\s+[01]\\.\\d{4}\\s+[01]\\.\\d{4}\\s+2$");
        }
    }

    /** A model without the head (here the bundled model's graph with its config naming only sentiment and entities). */
    @Test
    void aModelWithoutTheHeadIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        for (String file : new String[] {"config.json", "tokenizer.json", "model.onnx"}) {
            Files.copy(BUNDLED.resolve(file), model.resolve(file));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(model.resolve("config.json").toFile());
        ((ObjectNode) config.path("tidings").path("heads")).retain("sentiment", "entities");
        json.writeValue(model.resolve("config.json").toFile(), config);

        Run run = eval("offensive", SIGNAL_SAMPLES.resolve("offensive.tsv").toString(), "--model", model.toString(), "--threads", "1");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).doesNotContain("\n").startsWith("tidings: model tweet-multitask@")
                .endsWith("has no offensive head: nothing to evaluate");
        Run missing = eval("hate", dir.resolve("nope.tsv").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NO_INPUT);
        assertThat(missing.err()).contains("no such file");
    }

    @Test
    void sentimentPrintsMacroRecallAndTheConfusionMatrix(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("sample.tsv");
        Files.writeString(tsv, """
                1\tpositive\tI love this, best day ever!
                2\tnegative\tThis is awful, I hate it so much
                3\tneutral\tThe meeting is at 3pm in room 4
                4\tpositive\tGreat news, congratulations to the whole team
                """);
        Run run = eval("sentiment", tsv.toString(), "--threads", "1");
        assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("texts: 4").containsPattern("macro-recall: [01]\\.\\d{4}")
                .contains("confusion (rows gold, columns predicted)");
    }
}
