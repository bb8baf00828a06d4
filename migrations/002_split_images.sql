-- This one breaks a contract: the additional images move to a table of their own, and
-- object_images.additional_images, which its contract promises, is dropped.
SET lock_timeout = '2s';

CREATE TABLE object_additional_images (
    object_id integer NOT NULL REFERENCES object (object_id),
    image_url text NOT NULL
);

INSERT INTO object_additional_images (object_id, image_url)
SELECT object_id, unnest(additional_images) FROM object_images;

ALTER TABLE object_images DROP COLUMN additional_images;
