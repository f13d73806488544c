package io.tidings.job.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

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
     * Options whose value is a list: a comma-separated property gives one option per item, and
     * numbered keys ({@code x-rule.1}, {@code x-rule.2}) one option each, for values with commas.
     */
    private static final List<String> REPEATABLE = List.of("rule", "x-rule");

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
        for (String key : properties.stringPropertyNames().stream().sorted().toList()) {
            String value = properties.getProperty(key).trim();
            String numberedOf = key.replaceFirst("\\.\\d+$", "");
            if (key.equals("inputs") || key.equals("config")) {
                continue;
            } else if (!numberedOf.equals(key) && REPEATABLE.contains(numberedOf)) {
                options.addAll(List.of("--" + numberedOf, value));
            } else if (REPEATABLE.contains(key)) {
                split(value).forEach(v -> options.addAll(List.of("--" + key, v)));
            } else if (value.equalsIgnoreCase("true")) {
                options.add("--" + key);
            } else if (!value.equalsIgnoreCase("false")) {
                options.addAll(List.of("--" + key, value));
            }
        }
        return options;
    }

    private static List<String> inputs(Properties properties) {
        String value = properties.getProperty("inputs");
        return value == null ? List.of() : split(value.trim());
    }

    private static List<String> split(String value) {
        return List.of(value.split("\\s*,\\s*")).stream().filter(s -> !s.isEmpty()).toList();
    }
}
