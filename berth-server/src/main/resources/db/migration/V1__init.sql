-- The metadata schema, one script for SQLite and PostgreSQL. Dialect fills the placeholders:
-- ${identity} declares an auto-assigned BIGINT key, ${bytewise} a collation that compares text by
-- bytes, so tag lists, the catalog and referrers come out in the same order on both databases and
-- the indexes below serve those orders directly.

CREATE TABLE repositories (
    id   ${identity},
    name TEXT COLLATE ${bytewise} NOT NULL UNIQUE
);

CREATE TABLE blobs (
    digest     TEXT COLLATE ${bytewise} PRIMARY KEY,
    size       BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE repository_blobs (
    repository_id BIGINT NOT NULL REFERENCES repositories (id),
    digest        TEXT COLLATE ${bytewise} NOT NULL REFERENCES blobs (digest),
    PRIMARY KEY (repository_id, digest)
);

-- blob -> repositories (cross-repository mounts, garbage collection)
CREATE INDEX repository_blobs_by_digest ON repository_blobs (digest, repository_id);

CREATE TABLE manifests (
    repository_id BIGINT NOT NULL REFERENCES repositories (id),
    digest        TEXT COLLATE ${bytewise} NOT NULL,
    media_type    TEXT NOT NULL,
    size          BIGINT NOT NULL,
    artifact_type TEXT,
    subject       TEXT COLLATE ${bytewise},
    annotations   TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (repository_id, digest)
);

-- referrers, with or without an artifact type filter
CREATE INDEX manifests_by_subject ON manifests (repository_id, subject, artifact_type);

CREATE TABLE manifest_references (
    repository_id    BIGINT NOT NULL,
    manifest_digest  TEXT COLLATE ${bytewise} NOT NULL,
    ordinal          INTEGER NOT NULL,
    reference_digest TEXT COLLATE ${bytewise} NOT NULL,
    PRIMARY KEY (repository_id, manifest_digest, ordinal),
    FOREIGN KEY (repository_id, manifest_digest) REFERENCES manifests (repository_id, digest) ON DELETE CASCADE
);

-- which manifests of a repository name a blob or child manifest (garbage collection)
CREATE INDEX manifest_references_by_reference ON manifest_references (repository_id, reference_digest);

CREATE TABLE tags (
    repository_id BIGINT NOT NULL,
    name          TEXT COLLATE ${bytewise} NOT NULL,
    digest        TEXT COLLATE ${bytewise} NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (repository_id, name),
    FOREIGN KEY (repository_id, digest) REFERENCES manifests (repository_id, digest) ON DELETE CASCADE
);

-- the tags of a manifest (deleting it cascades here)
CREATE INDEX tags_by_digest ON tags (repository_id, digest);

CREATE TABLE uploads (
    id         TEXT PRIMARY KEY,
    repository TEXT NOT NULL,
    started_at BIGINT NOT NULL
);
