-- The Met Museum demo schema of the Data Contracts book, chapter 7 (its schema diagram, plus
-- object_images_normalized from the chapter's step IX). Every table is keyed by object_id.
-- Types follow the book's Alembic migration: sa.Integer → integer, sa.Text → text,
-- sa.DateTime → timestamp without time zone, ARRAY(sa.Text) → text[].

CREATE TABLE object (
    object_id integer PRIMARY KEY,
    title text,
    artist_display_name text,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
COMMENT ON TABLE object IS 'Museum objects from the Met Collection API';
COMMENT ON COLUMN object.object_id IS 'Identifying number for each artwork (unique, can be used as key field)';
COMMENT ON COLUMN object.title IS 'Title, identifying phrase, or name given to a work of art';
COMMENT ON COLUMN object.artist_display_name IS 'Artist name in the correct order for display';
COMMENT ON COLUMN object.created_at IS 'Timestamp when this record was created in the database';

CREATE TABLE object_history (
    object_id integer PRIMARY KEY REFERENCES object (object_id),
    period text,
    culture text,
    object_date text,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
COMMENT ON COLUMN object_history.period IS 'Time or time period when an object was created';
COMMENT ON COLUMN object_history.culture IS 'Information about the culture, or people from which an object was created';
COMMENT ON COLUMN object_history.object_date IS 'Year, a span of years, or a phrase that describes when the artwork was designed or created';

CREATE TABLE object_physical_properties (
    object_id integer PRIMARY KEY REFERENCES object (object_id),
    medium text,
    dimensions text,
    classification text,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
COMMENT ON COLUMN object_physical_properties.medium IS 'Refers to the materials that were used to create the artwork';
COMMENT ON COLUMN object_physical_properties.dimensions IS 'Size of the artwork or object';
COMMENT ON COLUMN object_physical_properties.classification IS 'General term describing the artwork type';

CREATE TABLE object_gallery_info (
    object_id integer PRIMARY KEY REFERENCES object (object_id),
    gallery_number text,
    department text,
    accession_number text,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
COMMENT ON COLUMN object_gallery_info.gallery_number IS 'Gallery number, where available';
COMMENT ON COLUMN object_gallery_info.department IS 'Indicates The Met''s curatorial department responsible for the artwork';
COMMENT ON COLUMN object_gallery_info.accession_number IS 'Identifying number for each artwork (not always unique)';

CREATE TABLE object_tags (
    object_id integer PRIMARY KEY REFERENCES object (object_id),
    tags json[],
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
COMMENT ON COLUMN object_tags.tags IS 'Subject keyword tags associated with the object and their respective AAT URL';

CREATE TABLE object_images (
    object_id integer PRIMARY KEY REFERENCES object (object_id),
    primary_image text,
    additional_images text[],
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
COMMENT ON COLUMN object_images.object_id IS 'Identifying number for each artwork (unique, can be used as key field)';
COMMENT ON COLUMN object_images.primary_image IS 'URL to the primary image of an object (JPEG)';
COMMENT ON COLUMN object_images.additional_images IS 'Array of URLs to additional JPEG images of the object';
COMMENT ON COLUMN object_images.created_at IS 'Timestamp when this record was created in the database';

CREATE TABLE object_copyright (
    object_id integer PRIMARY KEY REFERENCES object (object_id),
    primary_image text,
    is_public_domain boolean,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
COMMENT ON COLUMN object_copyright.is_public_domain IS 'When "true" indicates an artwork in the Public Domain';

CREATE TABLE object_api_metadata (
    object_id integer PRIMARY KEY REFERENCES object (object_id),
    metadata_date timestamp,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
COMMENT ON COLUMN object_api_metadata.metadata_date IS 'Date metadata was last updated';

CREATE TABLE object_images_normalized (
    object_id integer PRIMARY KEY REFERENCES object (object_id),
    image text,
    is_primary_image boolean,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
COMMENT ON COLUMN object_images_normalized.image IS 'URL to the image of an object (JPEG)';
COMMENT ON COLUMN object_images_normalized.is_primary_image IS 'Identifies if its the primary image for the object.';

-- A handful of rows so the demo has something to look at.
INSERT INTO object (object_id, title, artist_display_name) VALUES
    (437133, 'Wheat Field with Cypresses', 'Vincent van Gogh'),
    (436535, 'The Harvesters', 'Pieter Bruegel the Elder'),
    (45434, 'The Great Wave off Kanagawa', 'Katsushika Hokusai');
INSERT INTO object_history (object_id, period, culture, object_date) VALUES
    (437133, NULL, 'Dutch', '1889'), (436535, NULL, 'Netherlandish', '1565'), (45434, 'Edo period (1615–1868)', 'Japan', 'ca. 1830–32');
INSERT INTO object_physical_properties (object_id, medium, dimensions, classification) VALUES
    (437133, 'Oil on canvas', '28 3/4 × 36 3/4 in.', 'Paintings'), (436535, 'Oil on wood', '46 7/8 × 63 3/4 in.', 'Paintings'),
    (45434, 'Polychrome woodblock print; ink and color on paper', '10 1/8 × 14 15/16 in.', 'Prints');
INSERT INTO object_gallery_info (object_id, gallery_number, department, accession_number) VALUES
    (437133, '822', 'European Paintings', '1993.132'), (436535, '642', 'European Paintings', '19.164'), (45434, NULL, 'Asian Art', 'JP1847');
INSERT INTO object_images (object_id, primary_image, additional_images) VALUES
    (437133, 'https://images.metmuseum.org/CRDImages/ep/original/DT1567.jpg', ARRAY['https://images.metmuseum.org/CRDImages/ep/original/LC-EP_1993_132_suppl_CH_004.jpg']),
    (45434, 'https://images.metmuseum.org/CRDImages/as/original/DP130155.jpg', '{}');
INSERT INTO object_images_normalized (object_id, image, is_primary_image) VALUES
    (437133, 'https://images.metmuseum.org/CRDImages/ep/original/DT1567.jpg', true),
    (45434, 'https://images.metmuseum.org/CRDImages/as/original/DP130155.jpg', true);
INSERT INTO object_copyright (object_id, primary_image, is_public_domain) VALUES
    (437133, 'https://images.metmuseum.org/CRDImages/ep/original/DT1567.jpg', true), (45434, NULL, true);
INSERT INTO object_api_metadata (object_id, metadata_date) VALUES
    (437133, '2023-02-07 04:46:51'), (436535, '2023-02-07 04:46:51'), (45434, '2023-02-07 04:46:51');
