package io.tidings.job.cli;

import picocli.CommandLine.Command;

/** {@code tidings import FILE...}: a bounded run over files, with progress and a summary line. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Read files of posts once into the lake (a bounded run): progress while it runs,"
                + " one summary line at the end.")
public class ImportCommand extends RunCommand {}
