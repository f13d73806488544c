-- What is rising now: the 30 hashtags, entities and terms of the last hour that depart most from
-- their own hourly baseline (view trending), trending ones first; trending says which pass the
-- thresholds (score >= 4, ratio >= 1.5, at least 5 posts).
SELECT kind, label, entity_type, posts, expected, ratio, score, is_new, trending, window_end
FROM trending
ORDER BY trending DESC, score DESC, kind, key
LIMIT 30
