package io.tidings.dashboard.api;

/**
 * Entity answers read {@code mentions}: alone, aliased {@code p} like the posts the filters are
 * written for, when the filters fit it ({@link Filters#fitsMentions}); else joined with the posts
 * (aliased {@code m}). Either way deleted posts are left out: here by an anti-join with the
 * tombstones (a correlated NOT EXISTS was planned as a join that first gathered every mention row
 * and its distinct posts: 3 of trending's 23 s over ten million posts).
 */
final class Mentions {
    private Mentions() {}

    /** The FROM … WHERE of the mention rows, ready for the filters' condition to follow. */
    static String where(Filters f) {
        return f.fitsMentions()
                ? "mentions p ANTI JOIN tombstones t ON t.post_id = p.post_id WHERE "
                : "mentions m JOIN posts p ON p.post_id = m.post_id AND p.dt = m.dt AND p.hour = m.hour WHERE ";
    }

    /** The alias of the mention rows in {@link #where}. */
    static String alias(Filters f) {
        return f.fitsMentions() ? "p" : "m";
    }
}
