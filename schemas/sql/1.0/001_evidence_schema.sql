-- Evidence store schema 1.0 (the legacy layout). Applied in one transaction by
-- `stella evidence init`, files in name order. docs/store-schema-1.0.md explains every table.
--
-- Identifiers that take part in Merkle ordering (tenant ids, bundle ids, artifact paths) use the
-- "C" collation so that PostgreSQL sorts them bytewise, exactly as docs/merkle.md orders leaves.
CREATE SCHEMA evidence;

COMMENT ON SCHEMA evidence IS
  'Sealed evidence bundles per tenant, linked by Merkle roots (stella evidence store, schema 1.0)';
