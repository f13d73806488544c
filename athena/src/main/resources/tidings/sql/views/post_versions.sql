-- Every version of the posts that were edited (Mastodon edits), deleted posts left out:
-- version_number counts from 1 (as first published) in order of coalesce(edited_at, created_at),
-- then of scoring (a version rescored by bin/tidings rescore is a row per scoring, model_version
-- says which); is_newest marks the row the view posts shows. A post's history: SELECT
-- version_number, edited_at, text FROM post_versions WHERE post_id = 'mastodon:…' ORDER BY version_number
SELECT p.*,
       row_number() OVER (PARTITION BY p.post_id
                          ORDER BY coalesce(p.edited_at, p.created_at), coalesce(p.scored_at, p.ingested_at)) AS version_number,
       row_number() OVER (PARTITION BY p.post_id
                          ORDER BY coalesce(p.edited_at, p.created_at) DESC, coalesce(p.scored_at, p.ingested_at) DESC) = 1 AS is_newest
FROM posts_all p
WHERE p.post_id IN (SELECT post_id FROM posts_all WHERE edited_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.post_id = p.post_id)
