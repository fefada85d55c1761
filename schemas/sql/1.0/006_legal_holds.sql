-- Legal holds keep evidence from ever being pruned or quarantined. A hold names one bundle, or a
-- whole tenant when bundle_id is NULL. Released holds are kept for the record.
CREATE TABLE evidence.legal_holds (
  hold_id        text COLLATE "C" PRIMARY KEY,
  tenant_id      text COLLATE "C" NOT NULL REFERENCES evidence.tenants (tenant_id),
  bundle_id      text COLLATE "C" REFERENCES evidence.bundles (bundle_id),
  case_reference text NOT NULL,
  reason         text NOT NULL,
  placed_by      text NOT NULL,
  placed_at      timestamptz NOT NULL,
  released_at    timestamptz,
  CHECK (released_at IS NULL OR released_at >= placed_at)
);

CREATE INDEX legal_holds_by_bundle ON evidence.legal_holds (bundle_id) WHERE bundle_id IS NOT NULL;
