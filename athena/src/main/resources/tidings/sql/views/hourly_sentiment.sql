-- Volume and sentiment per hour (UTC) and platform. net_sentiment = (positive - negative) / scored.
SELECT date_trunc('hour', created_at)            AS hour_start,
       platform,
       count(*)                                  AS posts,
       count(sentiment)                          AS scored,
       count_if(sentiment = 'positive')          AS positive,
       count_if(sentiment = 'neutral')           AS neutral,
       count_if(sentiment = 'negative')          AS negative,
       CAST(count_if(sentiment = 'positive') - count_if(sentiment = 'negative') AS DOUBLE)
         / nullif(count(sentiment), 0)           AS net_sentiment
FROM posts
GROUP BY date_trunc('hour', created_at), platform
