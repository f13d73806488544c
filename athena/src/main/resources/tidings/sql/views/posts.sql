-- Live posts, one row per post: its newest version (Mastodon edits are versions of a post), and no
-- post that a tombstone deletes. Every version and deleted posts stay in the files (posts_all).
-- A version is newer when its coalesce(edited_at, created_at) is later; of two rows of the same
-- edit (read by two runs), the one read last; unedited rows read twice stay twice, as the files
-- hold them. Only edited rows are looked up, so a lake without edits pays almost nothing.
SELECT p.*
FROM posts_all p
WHERE NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.post_id = p.post_id)
  AND NOT EXISTS (SELECT 1 FROM posts_all n
                  WHERE n.edited_at IS NOT NULL
                    AND n.post_id = p.post_id
                    AND (n.edited_at > coalesce(p.edited_at, p.created_at)
                         OR (n.edited_at = coalesce(p.edited_at, p.created_at) AND n.ingested_at > p.ingested_at)))
