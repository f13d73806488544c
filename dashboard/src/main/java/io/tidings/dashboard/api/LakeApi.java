package io.tidings.dashboard.api;

import io.tidings.dashboard.lake.LakeDatabase;
import io.tidings.dashboard.lake.LakeVersion;
import java.sql.SQLException;

/**
 * The data endpoints (API.md): each answered by its own query class (its SQL, with every filter
 * value a bound parameter through {@link Filters}) as a typed record that Jackson writes. Every
 * query reads the live views ({@code posts}, {@code entities}), so a deleted post never shows.
 */
public final class LakeApi {
    private final LakeVersion version;
    private final OverviewQuery overview;
    private final TimeseriesQuery timeseries;
    private final SignalsQuery signals;
    private final EntitiesQuery entities;
    private final TermsQuery terms;
    private final PostsQuery posts;
    private final EntityQuery entity;
    private final HealthQuery health;
    private final Trending trending;

    public LakeApi(LakeDatabase db, LakeVersion version) {
        this.version = version;
        this.overview = new OverviewQuery(db);
        this.timeseries = new TimeseriesQuery(db);
        this.signals = new SignalsQuery(db);
        this.entities = new EntitiesQuery(db);
        this.terms = new TermsQuery(db);
        this.posts = new PostsQuery(db);
        this.entity = new EntityQuery(db, timeseries, posts);
        this.health = new HealthQuery(db, version);
        this.trending = new Trending(db);
    }

    /** What is rising in the window that ends at the lake's newest post (or at {@code to}): {@link Trending}. */
    public Trending.Answer trending(Filters f, Trending.Settings settings) throws SQLException {
        return trending.answer(f, settings, null);
    }

    public OverviewQuery.Overview overview(Filters f) throws SQLException {
        return overview.answer(f, version.version());
    }

    /** {@code bucket}: minute, hour, day or auto (≤ ~200 points over the range). */
    public TimeseriesQuery.Timeseries timeseries(Filters f, String bucket) throws SQLException {
        return timeseries.answer(f, bucket);
    }

    /** Issue 21's signals per bucket ({@code bucket} as for {@link #timeseries}): emotions, offensive, hate, irony. */
    public SignalsQuery.Signals signals(Filters f, String bucket) throws SQLException {
        return signals.answer(f, bucket);
    }

    public EntitiesQuery.Entities entities(Filters f, String type, int limit) throws SQLException {
        return entities.answer(f, type, limit);
    }

    /** {@code kind}: hashtag, mention or domain. */
    public TermsQuery.Terms terms(Filters f, String kind, int limit) throws SQLException {
        return terms.answer(f, kind, limit);
    }

    /** {@code sort}: time or engagement. */
    public PostsQuery.Posts posts(Filters f, String sort, int limit, int offset) throws SQLException {
        return posts.answer(f, sort, limit, offset);
    }

    public EntityQuery.Entity entity(Filters f, String text, String type, String bucket) throws SQLException {
        return entity.answer(f, text, type, bucket);
    }

    public HealthQuery.Health health(Filters f) throws SQLException {
        return health.answer(f);
    }
}
