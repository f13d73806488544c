-- Posts per detected language, and how many of them the models scored.
SELECT coalesce(lang_detected, 'undetermined') AS language,
       count(*)                                AS posts,
       count(sentiment)                        AS scored
FROM posts
GROUP BY coalesce(lang_detected, 'undetermined')
ORDER BY posts DESC
