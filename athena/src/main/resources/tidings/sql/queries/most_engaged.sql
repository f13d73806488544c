-- The 20 posts with the most likes and reposts.
SELECT post_id, author_handle, created_at, sentiment,
       coalesce(like_count, 0) + coalesce(repost_count, 0) AS engagement,
       url
FROM posts
ORDER BY engagement DESC, post_id
LIMIT 20
