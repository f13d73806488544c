-- Volume and sentiment per hour, all platforms together, newest first.
SELECT hour_start,
       sum(posts)    AS posts,
       sum(scored)   AS scored,
       sum(positive) AS positive,
       sum(neutral)  AS neutral,
       sum(negative) AS negative
FROM hourly_sentiment
GROUP BY hour_start
ORDER BY hour_start DESC
LIMIT 48
