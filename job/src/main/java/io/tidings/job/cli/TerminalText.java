package io.tidings.job.cli;

import java.util.ArrayList;
import java.util.List;

/** Long lines for a person's terminal: cut where a clause ends, so each line stays readable. */
final class TerminalText {
    /** Lines of the launcher's own output stay within this many columns (an 80-column terminal with room to spare is 100). */
    static final int WIDTH = 100;

    private TerminalText() {}

    /**
     * {@code text} cut after {@code "; "} or {@code ", "} into lines of at most {@code width} columns
     * where it can be (a clause longer than that stays whole); continuation lines are indented by two.
     */
    static List<String> wrap(String text, int width) {
        List<String> clauses = new ArrayList<>();
        int from = 0;
        for (int i = 0; i + 1 < text.length(); i++) {
            if ((text.charAt(i) == ';' || text.charAt(i) == ',') && text.charAt(i + 1) == ' ') {
                clauses.add(text.substring(from, i + 2));
                from = i + 2;
                i++;
            }
        }
        clauses.add(text.substring(from));
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String clause : clauses) {
            if (line.length() > 0 && line.length() + clause.stripTrailing().length() > width) {
                lines.add(line.toString().stripTrailing());
                line = new StringBuilder("  ");
            }
            line.append(clause);
        }
        lines.add(line.toString().stripTrailing());
        return lines;
    }

    static void println(String text) {
        wrap(text, WIDTH).forEach(System.out::println);
    }
}
