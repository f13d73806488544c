package io.tidings.source.x.source;

import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * One filtered-stream rule: the X rule syntax ({@code value}) and our name for it ({@code tag}).
 * The tag is how records say which rule they matched ({@code RawRecord.matchedRules}) and how rule
 * sync recognises our rules on X.
 */
@PublicEvolving
public final class XRule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String value;
    private final String tag;

    public XRule(String value, String tag) {
        this.value = value;
        this.tag = tag;
    }

    public static XRule of(String value, String tag) {
        return new XRule(value, tag);
    }

    public String value() {
        return value;
    }

    public String tag() {
        return tag;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XRule r && Objects.equals(value, r.value) && Objects.equals(tag, r.tag);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, tag);
    }

    @Override
    public String toString() {
        return "XRule{tag=" + tag + ", value=" + value + "}";
    }
}
