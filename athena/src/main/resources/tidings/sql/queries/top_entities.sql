-- The 30 most mentioned entities of every type, with sentiment split.
SELECT entity_type, entity, mentions, posts, positive, neutral, negative
FROM top_entities
ORDER BY mentions DESC, entity
LIMIT 30
