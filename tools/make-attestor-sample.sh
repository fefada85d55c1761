#!/bin/sh
# Creates a sample of the attestor's records (schema "attestor", docs/reconcile.md) from the
# bundles of an evidence store, so that `stella evidence reconcile --source attestor` has a source
# system to compare with. Used by the tests and the README's main job.
#
#   tools/make-attestor-sample.sh [--database CONNINFO] [--replace]
#
# The database is --database, else $STELLA_DATABASE, else the embedded one (`stella db url`).
# --replace drops an existing attestor schema first; without it an existing one is refused.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
database=${STELLA_DATABASE:-}
replace=no
while [ $# -gt 0 ]; do
  case "$1" in
    --database) database=$2; shift 2 ;;
    --replace) replace=yes; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "make-attestor-sample.sh: unknown argument '$1'; expected --database CONNINFO or --replace" >&2; exit 2 ;;
  esac
done
if [ -z "$database" ]; then
  database=$(stella db url)
fi

psql_run() { psql --no-psqlrc --quiet --set ON_ERROR_STOP=1 --dbname "$database" "$@"; }

version=$(psql_run --tuples-only --no-align --command "SELECT version FROM evidence.schema_version")
case "$version" in
  1.0|2.0) ;;
  *) echo "make-attestor-sample.sh: the store is at schema '$version'; expected 1.0 or 2.0" >&2; exit 3 ;;
esac
exists=$(psql_run --tuples-only --no-align --command "SELECT count(*) FROM pg_namespace WHERE nspname = 'attestor'")
if [ "$exists" != 0 ]; then
  if [ "$replace" = no ]; then
    echo "make-attestor-sample.sh: schema attestor already exists; give --replace to recreate it" >&2
    exit 3
  fi
  psql_run --command "DROP SCHEMA attestor CASCADE"
fi
psql_run --single-transaction --file "$here/attestor-sample/attestor-schema.sql" \
  --file "$here/attestor-sample/fill-from-store-$version.sql"
count=$(psql_run --tuples-only --no-align --command "SELECT count(*) FROM attestor.entries")
echo "attestor sample: $count entries from the schema $version store" >&2
