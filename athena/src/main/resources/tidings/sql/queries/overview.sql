-- Posts, authors, scored posts and the sentiment split of the whole lake.
SELECT count(*)                                   AS posts,
       count(DISTINCT author_id)                  AS authors,
       count(sentiment)                           AS scored,
       count_if(sentiment = 'positive')           AS positive,
       count_if(sentiment = 'neutral')            AS neutral,
       count_if(sentiment = 'negative')           AS negative,
       min(created_at)                            AS first_post,
       max(created_at)                            AS last_post
FROM posts
