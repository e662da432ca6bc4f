-- Where a manifest's bytes are stored when that is not under its digest: signed schema 1 manifests
-- (digest of the payload without signatures) and manifests pushed under a SHA-512 digest. NULL means
-- the bytes are stored under the manifest's digest.
ALTER TABLE manifests ADD COLUMN content_digest TEXT COLLATE ${bytewise};

-- abandoned uploads are purged oldest first
CREATE INDEX uploads_by_start ON uploads (started_at);
