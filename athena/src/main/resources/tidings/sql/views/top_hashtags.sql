-- Hashtags (case folded) with post counts and the sentiment split of those posts.
SELECT lower(t.tag)                        AS hashtag,
       count(*)                            AS posts,
       count_if(p.sentiment = 'positive')  AS positive,
       count_if(p.sentiment = 'neutral')   AS neutral,
       count_if(p.sentiment = 'negative')  AS negative
FROM posts p
CROSS JOIN UNNEST(p.hashtags) AS t(tag)
GROUP BY lower(t.tag)
