-- A safe migration: a new table, keyed by the object it measures. No contract changes.
-- Save this file with a change (drop a column of object_images, say) and watch the
-- Migrations screen (6) follow.
SET lock_timeout = '2s';

CREATE TABLE object_dimensions (
    object_id integer PRIMARY KEY REFERENCES object (object_id),
    height_cm numeric(8, 2),
    width_cm numeric(8, 2)
);
