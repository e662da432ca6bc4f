-- Small blobs whose bytes live in the database rather than the blob store: manifests. They are written
-- in the transaction that records the manifest, so a manifest costs one durable commit, not a file,
-- its sync, a rename and a directory sync as well. NULL: the blob store holds the bytes (every layer
-- and config, and manifests stored before this migration).
ALTER TABLE blobs ADD COLUMN content ${bytes};
