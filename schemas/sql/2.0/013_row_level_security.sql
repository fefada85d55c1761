-- Tenant isolation. A session that sets `stella.tenant` (SET stella.tenant = 'acme') and connects
-- as a role that does not own these tables sees only that tenant's rows. The tool itself connects
-- as the owner, which row-level security does not restrict, so migrations, reindex and verify-all
-- see the whole store.
ALTER TABLE evidence.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence.bundles ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence.artifacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence.attestations ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence.tenant_roots ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON evidence.tenants
  USING (tenant_id = current_setting('stella.tenant', true));
CREATE POLICY tenant_isolation ON evidence.bundles
  USING (tenant_id = current_setting('stella.tenant', true));
CREATE POLICY tenant_isolation ON evidence.artifacts
  USING (tenant_id = current_setting('stella.tenant', true));
CREATE POLICY tenant_isolation ON evidence.attestations
  USING (tenant_id = current_setting('stella.tenant', true));
CREATE POLICY tenant_isolation ON evidence.tenant_roots
  USING (tenant_id = current_setting('stella.tenant', true));
