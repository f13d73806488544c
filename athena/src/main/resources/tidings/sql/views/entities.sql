-- Live entity mentions: those of the version of each post that the view posts shows (its newest,
-- the row read last), none of a post that a tombstone deletes. Mentions written before
-- entities_all had edited_at and ingested_at belong to the first version.
SELECT e.*
FROM entities_all e
WHERE NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.post_id = e.post_id)
  AND NOT EXISTS (SELECT 1 FROM posts_all n
                  WHERE n.edited_at IS NOT NULL
                    AND n.post_id = e.post_id
                    AND (n.edited_at > coalesce(e.edited_at, e.created_at)
                         OR (n.edited_at = coalesce(e.edited_at, e.created_at) AND n.ingested_at > e.ingested_at)))
