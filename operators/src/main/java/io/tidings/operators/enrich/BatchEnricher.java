package io.tidings.operators.enrich;

import io.tidings.records.Post;
import java.util.List;

/** Something that enriches a batch of posts in place: language, sentiment, entities. */
@FunctionalInterface
public interface BatchEnricher {
    void enrich(List<Post> posts) throws Exception;
}
