-- Live entity mentions: those of entities_all whose post no tombstone deletes.
SELECT e.*
FROM entities_all e
WHERE NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.post_id = e.post_id)
