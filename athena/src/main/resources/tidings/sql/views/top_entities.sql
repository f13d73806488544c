-- Entities by type with the sentiment of the posts that mention them (case folded).
SELECT e.type                                     AS entity_type,
       lower(e.text)                              AS entity,
       count(*)                                   AS mentions,
       count(DISTINCT e.post_id)                  AS posts,
       count_if(p.sentiment = 'positive')         AS positive,
       count_if(p.sentiment = 'neutral')          AS neutral,
       count_if(p.sentiment = 'negative')         AS negative,
       min(e.created_at)                          AS first_seen,
       max(e.created_at)                          AS last_seen
FROM entities e
JOIN posts p
  ON p.post_id = e.post_id AND p.dt = e.dt
GROUP BY e.type, lower(e.text)
