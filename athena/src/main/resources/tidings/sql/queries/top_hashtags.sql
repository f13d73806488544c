-- The 20 most used hashtags.
SELECT hashtag, posts, positive, neutral, negative
FROM top_hashtags
ORDER BY posts DESC, hashtag
LIMIT 20
