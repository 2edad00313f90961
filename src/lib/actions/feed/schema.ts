/**
 * The change feed: every committed change to `actions`, by this plugin, psql,
 * the web app or any other client, is recorded in CHANGES_TABLE and announced
 * with NOTIFY on CHANNEL. Written for web app authors too: see "Live changes"
 * in the README for the channel and payload.
 *
 * Why statement-level triggers with transition tables: a per-row trigger
 * (or a NOTIFY per row) would run a function a million times during a
 * million-row import; these run once per statement, and a statement writes
 * one log row and one small notification however many rows it touched.
 */
export const CHANNEL = 'heroku_actions'
export const CHANGES_TABLE = 'heroku_actions_changes'

/** Statements of at most this many rows keep a copy of them in the log; larger ones keep their count and id range. */
export const ROWS_KEPT = 1000

/** How long the log keeps a change, for a watcher that was away: pruned as changes are written. */
export const KEPT_FOR = '7 days'

const FUNCTION = 'heroku_actions_announce'

// an arbitrary constant (next to migrate.ts's): the feed's commit-order lock
const COMMIT_LOCK = 7_351_008_416

function rowsOf(transition: string): string {
  return `SELECT jsonb_agg(jsonb_build_object('id', id, 'action', action, 'path', path, 'status', status, 'updated_at', updated_at) ORDER BY id)
      INTO kept FROM ${transition}`
}

function rangeOf(transition: string): string {
  return `SELECT count(*), min(id), max(id) INTO n, first, last FROM ${transition}`
}

export const FEED_SQL: string[] = [
  `CREATE TABLE IF NOT EXISTS ${CHANGES_TABLE} (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  txid XID8 NOT NULL DEFAULT pg_current_xact_id(),
  op TEXT NOT NULL,
  row_count BIGINT,
  first_id BIGINT,
  last_id BIGINT,
  rows JSONB,
  at TIMESTAMPTZ NOT NULL DEFAULT now(),
  committed BIGINT
)`,
  `CREATE SEQUENCE IF NOT EXISTS ${CHANGES_TABLE}_committed`,
  `CREATE INDEX IF NOT EXISTS ${CHANGES_TABLE}_txid ON ${CHANGES_TABLE} (txid)`,
  `CREATE INDEX IF NOT EXISTS ${CHANGES_TABLE}_at ON ${CHANGES_TABLE} (at)`,
  // The EXCEPTION block is the promise that the feed never makes a write
  // fail: whatever goes wrong in here (the log dropped by hand, a full
  // disk for the log alone) becomes a WARNING, and the change itself stands.
  `CREATE OR REPLACE FUNCTION ${FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n BIGINT;
  first BIGINT;
  last BIGINT;
  kept JSONB;
  seq_ BIGINT;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    NULL;
  ELSIF TG_OP = 'DELETE' THEN
    ${rangeOf('heroku_actions_old')};
    IF n = 0 THEN RETURN NULL; END IF;
    IF n <= ${ROWS_KEPT} THEN ${rowsOf('heroku_actions_old')}; END IF;
  ELSE
    ${rangeOf('heroku_actions_new')};
    IF n = 0 THEN RETURN NULL; END IF;
    IF n <= ${ROWS_KEPT} THEN ${rowsOf('heroku_actions_new')}; END IF;
  END IF;
  INSERT INTO ${CHANGES_TABLE} (op, row_count, first_id, last_id, rows)
    VALUES (lower(TG_OP), n, first, last, kept) RETURNING seq INTO seq_;
  PERFORM pg_notify('${CHANNEL}', json_build_object('seq', seq_, 'op', lower(TG_OP), 'count', n)::text);
  DELETE FROM ${CHANGES_TABLE} WHERE at < now() - interval '${KEPT_FOR}';
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'heroku-actions change feed: % (the change itself went through; run heroku actions:init to repair the feed)', SQLERRM;
  RETURN NULL;
END
$$`,
  // Commit order: seq is taken when a statement runs, so a transaction that
  // started first but commits last has the lower seq. This trigger runs at
  // COMMIT (deferred) and numbers the transaction's entries under a
  // transaction-scoped advisory lock, which is held until the commit is
  // visible: so `committed` order is the order in which commits became
  // visible. The lock serialises only the last moment of writers' commits.
  `CREATE OR REPLACE FUNCTION ${FUNCTION}_committed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(${COMMIT_LOCK});
  UPDATE ${CHANGES_TABLE} SET committed = nextval('${CHANGES_TABLE}_committed') WHERE seq = NEW.seq;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'heroku-actions change feed: % (the change itself went through)', SQLERRM;
  RETURN NULL;
END
$$`,
  `DROP TRIGGER IF EXISTS ${FUNCTION}_committed ON ${CHANGES_TABLE}`,
  `CREATE CONSTRAINT TRIGGER ${FUNCTION}_committed AFTER INSERT ON ${CHANGES_TABLE}
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${FUNCTION}_committed()`,
  `DROP TRIGGER IF EXISTS ${FUNCTION}_insert ON actions`,
  `CREATE TRIGGER ${FUNCTION}_insert AFTER INSERT ON actions
  REFERENCING NEW TABLE AS heroku_actions_new FOR EACH STATEMENT EXECUTE FUNCTION ${FUNCTION}()`,
  `DROP TRIGGER IF EXISTS ${FUNCTION}_update ON actions`,
  `CREATE TRIGGER ${FUNCTION}_update AFTER UPDATE ON actions
  REFERENCING OLD TABLE AS heroku_actions_old NEW TABLE AS heroku_actions_new FOR EACH STATEMENT EXECUTE FUNCTION ${FUNCTION}()`,
  `DROP TRIGGER IF EXISTS ${FUNCTION}_delete ON actions`,
  `CREATE TRIGGER ${FUNCTION}_delete AFTER DELETE ON actions
  REFERENCING OLD TABLE AS heroku_actions_old FOR EACH STATEMENT EXECUTE FUNCTION ${FUNCTION}()`,
  `DROP TRIGGER IF EXISTS ${FUNCTION}_truncate ON actions`,
  `CREATE TRIGGER ${FUNCTION}_truncate AFTER TRUNCATE ON actions FOR EACH STATEMENT EXECUTE FUNCTION ${FUNCTION}()`,
]
