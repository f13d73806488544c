package io.tidings.job.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * {@code --config FILE}: a Java properties file whose keys are the long option names without
 * dashes ({@code lake=s3://bucket/lake}, {@code parallelism=4}, {@code rule=brand,competitor}) and
 * {@code inputs=a.jsonl,b/} for the files to read. The file's settings go in front of the command
 * line's, so a flag given on the command line wins. The same keys come from Managed Flink's
 * runtime property groups ({@link #fromProperties}).
 */
public final class ConfigFileArguments {
    private ConfigFileArguments() {}

    /**
     * Options whose value is a list: numbered keys ({@code x-rule.1}, {@code x-rule.2}) give one
     * option each, in the order of their numbers, for values with commas (and for the fail-over
     * order of endpoints); the key itself, a comma-separated list, one option per item.
     */
    private static final List<String> REPEATABLE = List.of("rule", "x-rule", "bluesky-endpoint", "bluesky-keyword");

    /**
     * Repeatable options whose one value holds commas of its own ({@code NAME=TERM,TERM}): the key
     * itself gives one option, never split; several need numbered keys.
     */
    private static final List<String> NOT_SPLIT = List.of("bluesky-keyword");

    /** Keys whose option takes no value: only {@code true} and {@code false} mean something. */
    private static final Set<String> FLAGS = CommandLine.Model.CommandSpec.forAnnotatedObject(new RunCommand()).options()
            .stream().filter(option -> option.arity().max() == 0).map(CommandLine.Model.OptionSpec::longestName)
            .map(name -> name.replaceFirst("^-+", "")).collect(Collectors.toUnmodifiableSet());

    static String[] expand(String[] args) throws IOException {
        int at = List.of(args).indexOf("--config");
        if (at < 0) {
            return args;
        }
        if (at + 1 >= args.length) {
            throw new IllegalArgumentException("--config needs a file");
        }
        Path file = Path.of(args[at + 1]);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--config: no such file: " + file);
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        List<String> fromFile = options(properties);
        List<String> inputs = inputs(properties);
        // The subcommand (first argument) stays first; the file's options follow it, then the command line's.
        List<String> expanded = new ArrayList<>();
        List<String> rest = new ArrayList<>(List.of(args));
        rest.remove(at + 1);
        rest.remove(at);
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("--config must follow a command, e.g. tidings run --config job.properties");
        }
        expanded.add(rest.remove(0));
        expanded.addAll(fromFile);
        expanded.addAll(rest);
        expanded.addAll(inputs);
        return expanded.toArray(new String[0]);
    }

    /**
     * Program arguments for {@link ClusterArguments#parse} from properties keyed by long option
     * names: the options, then the {@code inputs}.
     */
    public static String[] fromProperties(Properties properties) {
        List<String> args = new ArrayList<>(options(properties));
        args.addAll(inputs(properties));
        return args.toArray(new String[0]);
    }

    private static List<String> options(Properties properties) {
        List<String> options = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String key : properties.stringPropertyNames().stream().sorted(BY_NAME_THEN_NUMBER).toList()) {
            String value = properties.getProperty(key).trim();
            String numberedOf = unnumbered(key);
            if (key.equals("inputs") || key.equals("config")) {
                continue;
            } else if (!numberedOf.equals(key) && REPEATABLE.contains(numberedOf)) {
                options.addAll(List.of("--" + numberedOf, value));
            } else if (REPEATABLE.contains(key) && !NOT_SPLIT.contains(key)) {
                split(value).forEach(v -> options.addAll(List.of("--" + key, v)));
            } else if (FLAGS.contains(key)) {
                // Anything else ("yes", "1") would become --key followed by a stray argument: an input
                // file named "yes".
                if (value.equalsIgnoreCase("true")) {
                    options.add("--" + key);
                } else if (!value.equalsIgnoreCase("false")) {
                    problems.add(key + "=" + value + ": " + key + " is a switch, give true or false");
                }
            } else {
                options.addAll(List.of("--" + key, value));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return options;
    }

    /**
     * {@code x-rule.2} before {@code x-rule.10}: keys by name, numbered keys after the plain one, in
     * the order of their numbers (of any length).
     */
    private static final Comparator<String> BY_NAME_THEN_NUMBER = Comparator.comparing(ConfigFileArguments::unnumbered)
            .thenComparingInt(key -> number(key).length()).thenComparing(ConfigFileArguments::number)
            .thenComparing(Comparator.naturalOrder());

    private static String unnumbered(String key) {
        return key.replaceFirst("\\.\\d+$", "");
    }

    /** The key's number without leading zeros; empty for a key without one. */
    private static String number(String key) {
        String base = unnumbered(key);
        return base.length() == key.length() ? "" : key.substring(base.length() + 1).replaceFirst("^0+(?=.)", "");
    }

    private static List<String> inputs(Properties properties) {
        String value = properties.getProperty("inputs");
        return value == null ? List.of() : split(value.trim());
    }

    private static List<String> split(String value) {
        return List.of(value.split("\\s*,\\s*")).stream().filter(s -> !s.isEmpty()).toList();
    }
}
