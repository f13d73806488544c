package io.tidings.source.x.source;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Where the app's bearer token comes from. Environment variables and files are resolved on the
 * task manager when the reader opens, so the token itself need not travel in the job graph. No
 * {@code toString} ever shows a token.
 */
@PublicEvolving
public abstract class XBearerToken implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The token itself (it then travels, serialized, inside the job graph). */
    public static XBearerToken of(String token) {
        return new Literal(token);
    }

    /** The token from an environment variable, read when the reader opens. */
    public static XBearerToken fromEnv(String variable) {
        return new FromEnv(variable);
    }

    /** The token from a file (e.g. a mounted secret), read when the reader opens; surrounding whitespace is ignored. */
    public static XBearerToken fromFile(String path) {
        return new FromFile(path);
    }

    /**
     * {@code env:NAME} or {@code file:/path}; a bare word of capitals, digits and underscores is
     * taken as an environment variable, anything else as a file path.
     */
    public static XBearerToken parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("bearer token source must be 'env:NAME' or 'file:/path', got nothing");
        }
        if (spec.startsWith("env:")) {
            return fromEnv(spec.substring(4));
        }
        if (spec.startsWith("file:")) {
            return fromFile(spec.substring(5));
        }
        return spec.matches("[A-Z_][A-Z0-9_]*") ? fromEnv(spec) : fromFile(spec);
    }

    /** The token; throws {@link IllegalStateException} with a readable message when it cannot be found. */
    public abstract String resolve();

    /** Says where the token comes from, never the token. */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }

    static final class Literal extends XBearerToken {
        private static final long serialVersionUID = 1L;
        private final String token;

        Literal(String token) {
            this.token = token;
        }

        @Override
        public String resolve() {
            if (token == null || token.isBlank()) {
                throw new IllegalStateException("the bearer token is empty");
            }
            return token.strip();
        }

        @Override
        public String describe() {
            return "bearer token given in code (****)";
        }
    }

    static final class FromEnv extends XBearerToken {
        private static final long serialVersionUID = 1L;
        private final String variable;

        FromEnv(String variable) {
            this.variable = variable;
        }

        @Override
        public String resolve() {
            String v = System.getenv(variable);
            if (v == null || v.isBlank()) {
                throw new IllegalStateException("environment variable " + variable + " (the X bearer token) is not set or empty");
            }
            return v.strip();
        }

        @Override
        public String describe() {
            return "bearer token from environment variable " + variable;
        }
    }

    static final class FromFile extends XBearerToken {
        private static final long serialVersionUID = 1L;
        private final String path;

        FromFile(String path) {
            this.path = path;
        }

        @Override
        public String resolve() {
            Path p = Paths.get(path);
            try {
                String v = Files.readString(p, StandardCharsets.UTF_8).strip();
                if (v.isEmpty()) {
                    throw new IllegalStateException("bearer token file " + path + " is empty");
                }
                return v;
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the bearer token file " + path + ": " + e, e);
            }
        }

        @Override
        public String describe() {
            return "bearer token from file " + path;
        }
    }
}
