-- Live posts: every post of posts_all that no tombstone deletes. Deleted posts stay in the files
-- (posts_all) but no view or query built on posts sees them.
SELECT p.*
FROM posts_all p
WHERE NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.post_id = p.post_id)
