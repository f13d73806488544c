-- Live entity mentions: those of the posts row that the view posts shows (its newest version, as
-- scored last), none of a post that a tombstone deletes. A rescore that finds no entity in a post
-- leaves it none: the earlier scorings' mentions belong to rows no longer shown. Mentions written
-- before entities_all had edited_at and ingested_at belong to the first version, first scoring.
SELECT e.*
FROM entities_all e
WHERE NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.post_id = e.post_id)
  AND NOT EXISTS (SELECT 1 FROM posts_all n
                  WHERE (n.edited_at IS NOT NULL OR n.scored_at IS NOT NULL)
                    AND n.post_id = e.post_id
                    AND (coalesce(n.edited_at, n.created_at) > coalesce(e.edited_at, e.created_at)
                         OR (coalesce(n.edited_at, n.created_at) = coalesce(e.edited_at, e.created_at)
                             AND coalesce(n.scored_at, n.ingested_at) > coalesce(e.scored_at, e.ingested_at, TIMESTAMP '1970-01-01 00:00:00'))))
