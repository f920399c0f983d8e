-- Issue 12: invitations that can be revoked, and a sign-in throttle that cannot be raced.
-- Kept in step with ../postgres/0014_accounts_security.sql (only the column types differ).

-- A newer invitation for the same person, or the account becoming active, revokes the others.
ALTER TABLE invitation ADD COLUMN revoked_at TEXT;

-- One row per sign-in attempt (or password change) per throttle key: `account:<e-mail>` and
-- `client:<address>`. The row is written before the password is checked, counted as a failure
-- until the check succeeds.
CREATE TABLE sign_in_attempt (
    attempt_id    BLOB NOT NULL,
    throttle_key  TEXT NOT NULL,
    attempted_at  TEXT NOT NULL,
    succeeded     BOOLEAN NOT NULL,
    PRIMARY KEY (attempt_id, throttle_key)
);
CREATE INDEX sign_in_attempt_key_idx ON sign_in_attempt (throttle_key, attempted_at);

-- Replaced by sign_in_attempt; its rows only mattered for fifteen minutes.
DROP TABLE login_attempt;
