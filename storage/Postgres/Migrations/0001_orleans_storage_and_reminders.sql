-- 0001_orleans_storage_and_reminders.sql
--
-- Schema + stored queries for the Orleans 10.x ADO.NET providers on PostgreSQL
-- (invariant "Npgsql"):
--   * Microsoft.Orleans.Persistence.AdoNet  (grain storage)
--   * Microsoft.Orleans.Reminders.AdoNet    (reminder table)
-- Membership/clustering is NOT included (we cluster through Redis).
--
-- Idempotent: safe to run any number of times (IF NOT EXISTS, CREATE OR REPLACE,
-- ON CONFLICT DO UPDATE). Contains no BEGIN/COMMIT so a migration runner can wrap
-- it in its own transaction; with psql use `psql -1 -v ON_ERROR_STOP=1 -f ...`.
--
-- Contract reminders (see README.md in this folder):
--   * The providers read their SQL at startup with exactly
--       SELECT QueryKey, QueryText FROM OrleansQuery [WHERE QueryKey = ...]
--     Identifiers there are unquoted, so every object below is unquoted too and
--     folds to lower case. They must live in a schema on the connection's search_path.
--   * Parameters are bound by name (@Name); result columns are read by name, so
--     every result column gets an exact-case quoted alias ("Version", ...).
--   * Versions (ETags) are integers; the provider compares them as strings.

------------------------------------------------------------------------------
-- 1. Query registry read by both providers.
------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL,
    QueryText text        NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

------------------------------------------------------------------------------
-- 2. Grain storage.
------------------------------------------------------------------------------
-- One row per (service, grain type, grain id). Integer/Guid keys arrive split in
-- GrainIdN0/GrainIdN1; string keys and key extensions arrive in
-- GrainIdExtensionString (NULL when absent). The two hashes come from the
-- provider's hasher and only serve as a narrow index prefix.
-- text (not varchar(n)) so long string keys / generic type names never fail.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NULL,
    ServiceId              text        NOT NULL,
    PayloadBinary          bytea       NULL,      -- NULL = cleared state (row kept for its version)
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    Version                integer     NOT NULL
);

-- Identity of a grain-state row. The text parts are indexed through md5() so
-- arbitrarily long names never exceed the btree row limit; coalesce(...,'')
-- keeps "no extension" (NULL) distinct from any real extension (md5 is never '').
-- Being UNIQUE, it also makes concurrent first writes of the same grain safe:
-- exactly one INSERT wins, the others see a conflict (-> InconsistentStateException).
-- Lookups use its leading hash columns.
CREATE UNIQUE INDEX IF NOT EXISTS OrleansStorage_GrainIdentity
    ON OrleansStorage (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1,
                       md5(ServiceId), md5(GrainTypeString),
                       coalesce(md5(GrainIdExtensionString), ''));

-- WriteToStorageKey.
-- p_version NULL  -> grain has never seen a row: INSERT version 1.
-- p_version given -> optimistic UPDATE guarded by the current version.
-- Returns the new version, or NULL when nothing was written (row already exists
-- on insert, or version mismatch on update); the provider turns NULL into an
-- InconsistentStateException.
CREATE OR REPLACE FUNCTION orleans_storage_write(
    p_grain_id_hash    integer,
    p_grain_id_n0      bigint,
    p_grain_id_n1      bigint,
    p_grain_type_hash  integer,
    p_grain_type       text,
    p_grain_id_ext     text,
    p_service_id       text,
    p_version          integer,
    p_payload          bytea)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    v_new_version integer;
BEGIN
    IF p_version IS NULL THEN
        INSERT INTO OrleansStorage AS s
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        VALUES
            (p_grain_id_hash, p_grain_id_n0, p_grain_id_n1, p_grain_type_hash, p_grain_type,
             p_grain_id_ext, p_service_id, p_payload, now(), 1)
        ON CONFLICT DO NOTHING          -- someone else owns this grain's row already
        RETURNING s.Version INTO v_new_version;
    ELSE
        UPDATE OrleansStorage AS s
        SET    PayloadBinary = p_payload,
               ModifiedOn    = now(),
               Version       = s.Version + 1
        WHERE  s.GrainIdHash   = p_grain_id_hash
          AND  s.GrainTypeHash = p_grain_type_hash
          AND  s.GrainIdN0     = p_grain_id_n0
          AND  s.GrainIdN1     = p_grain_id_n1
          AND  s.ServiceId     = p_service_id
          AND  s.GrainTypeString = p_grain_type
          AND  s.GrainIdExtensionString IS NOT DISTINCT FROM p_grain_id_ext
          AND  s.Version       = p_version  -- optimistic concurrency check
        RETURNING s.Version INTO v_new_version;
    END IF;

    RETURN v_new_version;   -- NULL => version conflict
END;
$fn$;

------------------------------------------------------------------------------
-- 3. Reminders.
------------------------------------------------------------------------------
-- GrainHash is the grain's uniform hash (uint) cast to a signed int by the
-- provider; range queries compare it signed, matching the provider's own
-- (int)begin < (int)end choice between ReadRangeRows1Key and ReadRangeRows2Key.
-- StartTime is timestamptz: the provider always sends DateTime Kind=Utc.
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,   -- milliseconds
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,
    CONSTRAINT OrleansRemindersTable_Key PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Each silo periodically reads its ring range by hash.
CREATE INDEX IF NOT EXISTS OrleansRemindersTable_ServiceId_GrainHash
    ON OrleansRemindersTable (ServiceId, GrainHash);

------------------------------------------------------------------------------
-- 4. Stored queries (upserted so re-running refreshes them).
------------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
-- Storage ------------------------------------------------------------------
-- Returns: NewGrainStateVersion (int, NULL on conflict).
('WriteToStorageKey', $q$
SELECT orleans_storage_write(
    @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
    @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary
) AS "NewGrainStateVersion"
$q$),

-- Returns 0 or 1 row: PayloadBinary (NULL after a clear), Version.
('ReadFromStorageKey', $q$
SELECT s.PayloadBinary AS "PayloadBinary",
       s.Version       AS "Version"
FROM   OrleansStorage s
WHERE  s.GrainIdHash   = @GrainIdHash
  AND  s.GrainTypeHash = @GrainTypeHash
  AND  s.GrainIdN0     = @GrainIdN0
  AND  s.GrainIdN1     = @GrainIdN1
  AND  s.ServiceId     = @ServiceId
  AND  s.GrainTypeString = @GrainTypeString
  AND  s.GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
$q$),

-- Clear keeps the row (payload NULL) and bumps the version, so a later write by
-- a stale activation still conflicts. Returns the new version as the FIRST
-- column (read positionally); no row => version conflict.
('ClearStorageKey', $q$
UPDATE OrleansStorage AS s
SET    PayloadBinary = NULL,
       ModifiedOn    = now(),
       Version       = s.Version + 1
WHERE  s.GrainIdHash   = @GrainIdHash
  AND  s.GrainTypeHash = @GrainTypeHash
  AND  s.GrainIdN0     = @GrainIdN0
  AND  s.GrainIdN1     = @GrainIdN1
  AND  s.ServiceId     = @ServiceId
  AND  s.GrainTypeString = @GrainTypeString
  AND  s.GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND  s.Version       = @GrainStateVersion
RETURNING s.Version AS "NewGrainStateVersion"
$q$),

-- Used instead of ClearStorageKey when AdoNetGrainStorageOptions.DeleteStateOnClear
-- = true. Must return something different from the caller's ETag (deleted
-- version + 1) in the FIRST column; no row => version conflict.
('DeleteStorageKey', $q$
DELETE FROM OrleansStorage AS s
WHERE  s.GrainIdHash   = @GrainIdHash
  AND  s.GrainTypeHash = @GrainTypeHash
  AND  s.GrainIdN0     = @GrainIdN0
  AND  s.GrainIdN1     = @GrainIdN1
  AND  s.ServiceId     = @ServiceId
  AND  s.GrainTypeString = @GrainTypeString
  AND  s.GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
  AND  s.Version       = @GrainStateVersion
RETURNING s.Version + 1 AS "NewGrainStateVersion"
$q$),

-- Reminders ----------------------------------------------------------------
-- Insert or overwrite; every write bumps Version. Returns: Version.
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable AS r
       (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET    StartTime = EXCLUDED.StartTime,
       Period    = EXCLUDED.Period,
       GrainHash = EXCLUDED.GrainHash,
       Version   = r.Version + 1
RETURNING r.Version AS "Version"
$q$),

-- All reminders of one grain.
('ReadReminderRowsKey', $q$
SELECT r.GrainId      AS "GrainId",
       r.ReminderName AS "ReminderName",
       r.StartTime    AS "StartTime",
       r.Period       AS "Period",
       r.Version      AS "Version"
FROM   OrleansRemindersTable r
WHERE  r.ServiceId = @ServiceId
  AND  r.GrainId   = @GrainId
$q$),

-- One reminder; no row => "not found".
('ReadReminderRowKey', $q$
SELECT r.GrainId      AS "GrainId",
       r.ReminderName AS "ReminderName",
       r.StartTime    AS "StartTime",
       r.Period       AS "Period",
       r.Version      AS "Version"
FROM   OrleansRemindersTable r
WHERE  r.ServiceId    = @ServiceId
  AND  r.GrainId      = @GrainId
  AND  r.ReminderName = @ReminderName
$q$),

-- Ring range (BeginHash, EndHash] when (int)BeginHash < (int)EndHash.
('ReadRangeRows1Key', $q$
SELECT r.GrainId      AS "GrainId",
       r.ReminderName AS "ReminderName",
       r.StartTime    AS "StartTime",
       r.Period       AS "Period",
       r.Version      AS "Version"
FROM   OrleansRemindersTable r
WHERE  r.ServiceId = @ServiceId
  AND  r.GrainHash > @BeginHash
  AND  r.GrainHash <= @EndHash
$q$),

-- Wrapping range otherwise (BeginHash >= EndHash; equal = whole ring).
('ReadRangeRows2Key', $q$
SELECT r.GrainId      AS "GrainId",
       r.ReminderName AS "ReminderName",
       r.StartTime    AS "StartTime",
       r.Period       AS "Period",
       r.Version      AS "Version"
FROM   OrleansRemindersTable r
WHERE  r.ServiceId = @ServiceId
  AND  (r.GrainHash > @BeginHash OR r.GrainHash <= @EndHash)
$q$),

-- Delete guarded by the ETag. Returns exactly one boolean column (read
-- positionally): true if the row was deleted, false on missing row / stale ETag.
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM OrleansRemindersTable r
    WHERE  r.ServiceId    = @ServiceId
      AND  r.GrainId      = @GrainId
      AND  r.ReminderName = @ReminderName
      AND  r.Version      = @Version
    RETURNING 1
)
SELECT count(*) > 0 AS "Deleted" FROM deleted
$q$),

-- Test-only: wipe all reminders of the service.
('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable
WHERE  ServiceId = @ServiceId
$q$)
ON CONFLICT (QueryKey) DO UPDATE
SET QueryText = EXCLUDED.QueryText;
