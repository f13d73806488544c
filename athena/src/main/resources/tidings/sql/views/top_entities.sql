-- Entities by type with the sentiment of the posts that mention them: one row per canonical key
-- (text_key: case, a leading # or @ and Unicode compatibility forms folded, so Ukraine and
-- #Ukraine are one entity), named by its most frequent spelling.
WITH mentions AS (
  SELECT e.type,
         e.post_id,
         e.created_at,
         e.text,
         -- Files written before text_key have none: case and a leading #/@ folded here instead.
         coalesce(e.text_key, lower(trim(regexp_replace(e.text, '^[#@]+', '')))) AS entity_key,
         p.sentiment
  FROM entities e
  JOIN posts p
    ON p.post_id = e.post_id AND p.dt = e.dt
),
spellings AS (
  SELECT type,
         entity_key,
         text,
         -- the most frequent; on a tie a spelling without a leading #/@, then the first in order
         row_number() OVER (PARTITION BY type, entity_key
                            ORDER BY count(*) DESC, CASE WHEN substr(text, 1, 1) IN ('#', '@') THEN 1 ELSE 0 END, text)
           AS spelling_rank
  FROM mentions
  GROUP BY type, entity_key, text
)
SELECT m.type                                     AS entity_type,
       s.text                                     AS entity,
       count(*)                                   AS mentions,
       count(DISTINCT m.post_id)                  AS posts,
       count_if(m.sentiment = 'positive')         AS positive,
       count_if(m.sentiment = 'neutral')          AS neutral,
       count_if(m.sentiment = 'negative')         AS negative,
       min(m.created_at)                          AS first_seen,
       max(m.created_at)                          AS last_seen
FROM mentions m
JOIN spellings s
  ON s.type = m.type AND s.entity_key = m.entity_key AND s.spelling_rank = 1
GROUP BY m.type, m.entity_key, s.text
