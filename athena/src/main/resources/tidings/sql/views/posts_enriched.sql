-- Posts left-joined with their entity mentions: one row per mention, posts without entities kept
-- (successor of the old pipeline's tweets_sentiments_entities table). entity_key is the
-- mention's canonical key (see top_entities), to group by.
SELECT p.*,
       e.text       AS entity_text,
       e.type       AS entity_type,
       e.char_start AS entity_start,
       e.char_end   AS entity_end,
       e.score      AS entity_score,
       coalesce(e.text_key, lower(trim(regexp_replace(e.text, '^[#@]+', '')))) AS entity_key
FROM posts p
LEFT JOIN entities e
  ON e.post_id = p.post_id AND e.dt = p.dt
