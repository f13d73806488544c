package io.tidings.records;

import java.io.Serializable;
import java.util.Objects;

/**
 * One named-entity mention found in a post: its surface text, its type (PER, ORG, LOC, ...) and
 * its position as Java {@code char} offsets into the post's original {@code text}, so that
 * {@code post.text.substring(start, end).equals(text)} always holds.
 */
public class EntityMention implements Serializable {
    private static final long serialVersionUID = 1L;

    public String text;
    public String type;
    public int start;
    public int end;
    public double score;

    public EntityMention() {}

    public EntityMention(String text, String type, int start, int end, double score) {
        this.text = text;
        this.type = type;
        this.start = start;
        this.end = end;
        this.score = score;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EntityMention)) {
            return false;
        }
        EntityMention that = (EntityMention) o;
        return start == that.start && end == that.end && Double.compare(score, that.score) == 0
                && Objects.equals(text, that.text) && Objects.equals(type, that.type);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, type, start, end, score);
    }

    @Override
    public String toString() {
        return type + "[" + start + "," + end + ")" + "'" + text + "'";
    }
}
