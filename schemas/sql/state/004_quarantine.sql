-- Quarantine for orphaned evidence rows (`stella evidence orphans --quarantine`,
-- docs/troubleshooting.md). Orphans are never deleted: each row is moved here whole, as the JSON
-- of the row it was (to_jsonb; bytea as "\x<hex>"), with the kind of orphan it was, the table it
-- came from, who moved it and the audit event ("quarantine") that records the move. A row goes
-- back with: INSERT INTO <source_table> SELECT * FROM jsonb_populate_record(NULL::<source_table>,
-- row_data). The schema is separate from "evidence" so that nothing that reads evidence (roots,
-- verify-all, export) ever sees a quarantined row.
CREATE SCHEMA IF NOT EXISTS evidence_quarantine;

CREATE TABLE IF NOT EXISTS evidence_quarantine.records (
  record_id      bigserial PRIMARY KEY,
  orphan_kind    text NOT NULL,
  source_table   text NOT NULL,
  row_data       jsonb NOT NULL,
  quarantined_at timestamptz NOT NULL DEFAULT now(),
  quarantined_by text NOT NULL,
  audit_event_id bigint
);

CREATE INDEX IF NOT EXISTS records_by_event ON evidence_quarantine.records (audit_event_id);
