-- Trending: the hashtags, entities (by canonical key) and terms (words of the text) whose posts in
-- the last hour depart from their own hourly baseline over the 168 hours before it. "Now" is the
-- lake's newest post. One row per key with at least 5 posts in the window; trending = score >= 4
-- and ratio >= 1.5. expected = (baseline posts + 1) / (baseline hours + 1); score = the
-- Wilson-Hilferty normal quantile of the Poisson upper tail P(X >= posts | expected), divided by
-- the square root of the key's over-dispersion (baseline variance / mean, at least 1). Method: README.
WITH bounds AS (
  SELECT max(created_at) AS now_at,
         -- baseline hours the lake covers: at most 168, fewer in a younger lake
         least(168, CAST(floor(CAST(date_diff('millisecond', min(created_at), max(created_at)) AS DOUBLE) / 3600000) AS BIGINT))
           AS baseline_windows
  FROM posts
),
recent AS (
  -- the window and the baseline: 169 hours back from the newest post
  SELECT p.post_id, p.created_at, p.hashtags, p.text
  FROM posts p
  CROSS JOIN bounds b
  WHERE p.created_at > b.now_at - INTERVAL '169' HOUR
    -- implied by the line above (dt is the day of created_at); lets an engine skip older partitions
    AND p.dt >= CAST(b.now_at - INTERVAL '169' HOUR AS DATE)
),
occurrences AS (
  SELECT 'hashtag' AS kind, lower(t.tag) AS key, lower(t.tag) AS spelling, CAST(NULL AS VARCHAR) AS entity_type,
         r.post_id, r.created_at
  FROM recent r
  CROSS JOIN UNNEST(r.hashtags) AS t(tag)
  UNION ALL
  SELECT 'entity',
         -- Files written before text_key have none: case and a leading #/@ folded here instead.
         coalesce(e.text_key, lower(trim(regexp_replace(e.text, '^[#@]+', '')))),
         e.text, e.type, e.post_id, e.created_at
  FROM entities e
  CROSS JOIN bounds b
  WHERE e.created_at > b.now_at - INTERVAL '169' HOUR
    AND e.dt >= CAST(b.now_at - INTERVAL '169' HOUR AS DATE)
  UNION ALL
  -- Terms: runs of letters and digits of the lower-case text; links, #hashtags, @mentions and
  -- $cashtags are matched whole so that their pieces are not words, then left out. (A link runs
  -- over printable ASCII, [!-~]: with \S instead DuckDB's regex engine is ten times slower.)
  SELECT 'term', w.term, w.term, CAST(NULL AS VARCHAR), r.post_id, r.created_at
  FROM recent r
  CROSS JOIN UNNEST(regexp_extract_all(lower(r.text), '(?:https?://|www\.)[!-~]+|[#@$]?[\p{L}\p{M}\p{N}_]+')) AS w(term)
  WHERE length(w.term) >= 3
    AND substr(w.term, 1, 1) NOT IN ('#', '@', '$')
    AND w.term NOT LIKE 'http%' AND w.term NOT LIKE 'www.%'
    AND translate(w.term, '0123456789_', '') <> ''
    AND w.term NOT IN (
      -- the commonest function words of English, German, French, Spanish, Italian, Portuguese
      'the', 'and', 'for', 'are', 'but', 'not', 'you', 'all', 'any', 'can', 'had', 'her', 'was', 'one', 'our',
      'out', 'has', 'him', 'his', 'how', 'its', 'may', 'now', 'see', 'who', 'did', 'get', 'got', 'let', 'say',
      'she', 'too', 'use', 'via', 'yes', 'yet', 'from', 'that', 'this', 'with', 'have', 'they', 'them', 'then',
      'than', 'there', 'their', 'what', 'when', 'where', 'which', 'while', 'will', 'would', 'could', 'should',
      'been', 'being', 'were', 'into', 'about', 'after', 'before', 'just', 'like', 'more', 'most', 'much',
      'also', 'only', 'over', 'some', 'such', 'very', 'your', 'here', 'does', 'done', 'each', 'even', 'other',
      'these', 'those', 'because', 'through', 'don', 'doesn', 'didn', 'isn', 'aren', 'wasn', 'won',
      'der', 'die', 'das', 'und', 'ist', 'ein', 'eine', 'nicht', 'mit', 'den', 'dem', 'des', 'von', 'auf',
      'für', 'sich', 'auch', 'ich', 'sie', 'wir', 'ihr', 'aber', 'wie', 'noch', 'nur', 'oder', 'wenn', 'bei',
      'aus', 'zum', 'zur', 'war', 'hat', 'sind', 'einen', 'einem', 'einer', 'dass',
      'les', 'une', 'est', 'pas', 'que', 'qui', 'pour', 'dans', 'sur', 'par', 'avec', 'vous', 'nous', 'mais',
      'plus', 'son', 'ses', 'aux', 'ces', 'cette', 'sont', 'tout', 'elle',
      'los', 'las', 'una', 'del', 'por', 'con', 'para', 'como', 'pero', 'más', 'sus', 'este', 'esta', 'esto',
      'sin', 'sobre', 'muy', 'todo', 'hay', 'fue',
      'che', 'per', 'non', 'sono', 'della', 'não', 'com', 'dos', 'das', 'uma')
),
bucketed AS (
  -- bucket 0 is the window (now - 1 h, now]; buckets 1..168 the baseline hours before it
  SELECT o.kind, o.key, o.spelling, o.entity_type, o.post_id,
         CAST(floor(CAST(date_diff('millisecond', o.created_at, b.now_at) AS DOUBLE) / 3600000) AS BIGINT) AS bucket
  FROM occurrences o
  CROSS JOIN bounds b
),
counted AS (
  SELECT kind, key, bucket, count(DISTINCT post_id) AS posts
  FROM bucketed
  WHERE bucket BETWEEN 0 AND 168
  GROUP BY kind, key, bucket
),
stats AS (
  SELECT kind, key,
         sum(CASE WHEN bucket = 0 THEN posts ELSE 0 END)             AS posts,
         sum(CASE WHEN bucket > 0 THEN posts ELSE 0 END)             AS baseline_posts,
         sum(CASE WHEN bucket > 0 THEN posts * posts ELSE 0 END)     AS baseline_squares
  FROM counted
  GROUP BY kind, key
  HAVING sum(CASE WHEN bucket = 0 THEN posts ELSE 0 END) >= 5
),
spellings AS (
  -- an entity's label and type: its most frequent spelling in the window (on a tie one without a
  -- leading #/@, then the first in order); hashtags and terms are their key
  SELECT kind, key, spelling, entity_type,
         row_number() OVER (PARTITION BY kind, key
                            ORDER BY count(*) DESC, CASE WHEN substr(spelling, 1, 1) IN ('#', '@') THEN 1 ELSE 0 END,
                                     spelling, entity_type) AS spelling_rank
  FROM bucketed
  WHERE bucket = 0
  GROUP BY kind, key, spelling, entity_type
),
scored AS (
  SELECT s.kind, s.key, s.posts, s.baseline_posts, b.baseline_windows, b.now_at,
         -- posts per hour expected from the baseline, with one pseudo-post so that a key never seen
         -- before is expected about once per baseline span, not never
         CAST(s.baseline_posts + 1 AS DOUBLE) / (b.baseline_windows + 1) AS expected,
         -- over-dispersion: the baseline's variance over its mean (a bursty key needs a bigger burst)
         CASE WHEN b.baseline_windows >= 2 AND s.baseline_posts > 0
              THEN greatest(1.0, (CAST(s.baseline_squares AS DOUBLE)
                                  - CAST(s.baseline_posts AS DOUBLE) * s.baseline_posts / b.baseline_windows)
                                 / (b.baseline_windows - 1)
                                 / (CAST(s.baseline_posts AS DOUBLE) / b.baseline_windows))
              ELSE 1.0 END AS dispersion
  FROM stats s
  CROSS JOIN bounds b
),
rated AS (
  SELECT c.*,
         3 * sqrt(CAST(c.posts AS DOUBLE)) * (1 - 1 / (9 * CAST(c.posts AS DOUBLE)) - cbrt(c.expected / c.posts))
           / sqrt(c.dispersion) AS raw_score
  FROM scored c
)
SELECT r.kind,
       r.key,
       CASE WHEN r.kind = 'entity' THEN sp.spelling ELSE r.key END  AS label,
       sp.entity_type,
       r.now_at - INTERVAL '1' HOUR                                   AS window_start,
       r.now_at                                                       AS window_end,
       r.posts,
       r.baseline_posts,
       r.baseline_windows,
       round(r.expected, 3)                                           AS expected,
       round(r.posts / r.expected, 3)                                 AS ratio,
       round(r.raw_score, 3)                                          AS score,
       r.baseline_posts = 0                                           AS is_new,
       r.raw_score >= 4 AND r.posts / r.expected >= 1.5               AS trending
FROM rated r
JOIN spellings sp
  ON sp.kind = r.kind AND sp.key = r.key AND sp.spelling_rank = 1
-- A word that is also a hashtag or an entity with enough posts in the window is listed as that
-- hashtag or entity only (#bitcoin and the word bitcoin rise together).
WHERE NOT (r.kind = 'term' AND EXISTS (SELECT 1 FROM stats o WHERE o.kind <> 'term' AND o.key = r.key))
