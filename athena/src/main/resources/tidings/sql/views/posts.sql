-- Live posts, one row per post: its newest version (Mastodon edits are versions of a post) as
-- scored last (bin/tidings rescore writes a version again with another model, scored_at), and no
-- post that a tombstone deletes. Every version, every scoring and deleted posts stay in the files
-- (posts_all). A version is newer when its coalesce(edited_at, created_at) is later; of two rows of
-- the same version, the one scored last, coalesce(scored_at, ingested_at): a rescore, or an edit
-- read again by a later run. Unedited rows read twice and never rescored stay twice, as the files
-- hold them. Only edited or rescored rows are looked up, so a lake without either pays almost nothing.
SELECT p.*
FROM posts_all p
WHERE NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.post_id = p.post_id)
  AND NOT EXISTS (SELECT 1 FROM posts_all n
                  WHERE (n.edited_at IS NOT NULL OR n.scored_at IS NOT NULL)
                    AND n.post_id = p.post_id
                    AND (coalesce(n.edited_at, n.created_at) > coalesce(p.edited_at, p.created_at)
                         OR (coalesce(n.edited_at, n.created_at) = coalesce(p.edited_at, p.created_at)
                             AND coalesce(n.scored_at, n.ingested_at) > coalesce(p.scored_at, p.ingested_at, TIMESTAMP '1970-01-01 00:00:00'))))
