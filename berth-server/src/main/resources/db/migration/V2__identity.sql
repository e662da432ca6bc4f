-- Users, their groups and their refresh tokens (dev.berth.server.auth.identity), one script for
-- SQLite and PostgreSQL; the placeholders are V1's. Times are epoch milliseconds.

CREATE TABLE users (
    name          TEXT COLLATE ${bytewise} PRIMARY KEY,
    password_hash TEXT NOT NULL,
    admin         BOOLEAN NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE user_groups (
    user_name  TEXT COLLATE ${bytewise} NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    group_name TEXT COLLATE ${bytewise} NOT NULL,
    PRIMARY KEY (user_name, group_name)
);

-- Only a SHA-256 of each token is kept. No foreign key to users: users from an htpasswd file hold
-- refresh tokens too; removing a user from the table revokes theirs explicitly.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    user_name  TEXT COLLATE ${bytewise} NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked    BOOLEAN NOT NULL
);

-- revoking all of a user's tokens
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_name);

-- purging expired tokens
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);
