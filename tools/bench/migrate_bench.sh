#!/usr/bin/env bash
# Benchmark of `stella evidence migrate --from-version 1.0 --to-version 2.0` beside a hand-written
# SQL migration doing the same data work through psql, measured in the same run on two copies of
# one seeded store (docs/migration.md, "Benchmark"):
#
#   seed     stella evidence seed: a 1.0 store of BENCH_ARTIFACTS artifacts of ~1 KiB
#   copy     CREATE DATABASE ... TEMPLATE: a byte-identical second store
#   stella   stella evidence migrate on the first copy: planned, batched, checkpointed, verified
#            (bytes compared, SHA-256 recomputed, catalog compared), roots checked, audited
#   psql     tools/bench/migrate_1_0_to_2_0.sql on the second copy: one transaction of
#            whole-table statements, nothing verified
#
# Both copies must end with the same global root as before; the script says so or fails.
#
# Settings (environment):
#   BENCH_ARTIFACTS             artifacts to seed (default 1000000)
#   BENCH_ARTIFACTS_PER_BUNDLE  artifacts per bundle (default 8)
#   BENCH_TENANTS               tenants (default 4)
#   BENCH_BATCH_SIZE            stella's --batch-size (default: stella's own default)
#   STELLA                      the stella binary (default: build/bin/stella under the repository)
#   STELLA_DATABASE             a libpq keyword/value connection string of an empty database to
#                               use (its server must allow CREATE DATABASE); default: a fresh
#                               embedded cluster under a temporary --home, removed at the end
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
stella="${STELLA:-$repo/build/bin/stella}"
artifacts="${BENCH_ARTIFACTS:-1000000}"
per_bundle="${BENCH_ARTIFACTS_PER_BUNDLE:-8}"
tenants="${BENCH_TENANTS:-4}"
sql_script="$repo/tools/bench/migrate_1_0_to_2_0.sql"

if [ ! -x "$stella" ]; then
  echo "migrate_bench: no stella binary at $stella; build first or set STELLA" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "migrate_bench: installing GNU time for peak-memory figures" >&2
  apt-get install -y -qq time >/dev/null
fi
command -v psql >/dev/null || { echo "migrate_bench: psql is required" >&2; exit 2; }

bundles_per_tenant=$(( (artifacts + tenants * per_bundle - 1) / (tenants * per_bundle) ))
work="$(mktemp -d /tmp/stella-migrate-bench.XXXXXX)"
chmod 755 "$work"
copy_name="stella_migrate_bench_sql_$$"

if [ -n "${STELLA_DATABASE:-}" ]; then
  stella_db="$STELLA_DATABASE"
else
  "$stella" db start --home "$work/home" >/dev/null
  stella_db="$("$stella" db url --home "$work/home")"
fi
# Keyword/value connection strings: a later keyword overrides an earlier one.
maintenance_db="$stella_db dbname=postgres"
sql_db="$stella_db dbname=$copy_name"

cleanup() {
  psql "$maintenance_db" -qAt -c "DROP DATABASE IF EXISTS $copy_name WITH (FORCE)" \
    >/dev/null 2>&1 || true
  if [ -z "${STELLA_DATABASE:-}" ]; then
    "$stella" db stop --force --home "$work/home" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
now() { date +%s.%N; }
global_root() { "$stella" --database "$1" evidence roots-export --format json | jq -r .globalRoot; }

echo "migrate_bench: $((bundles_per_tenant * tenants * per_bundle)) artifacts" \
     "($tenants tenants x $bundles_per_tenant bundles x $per_bundle artifacts of ~1 KiB)"
"$stella" --database "$stella_db" evidence init >/dev/null
start=$(now)
"$stella" --database "$stella_db" --quiet evidence seed --tenants "$tenants" \
  --bundles "$bundles_per_tenant" --artifacts-per-bundle "$per_bundle" --seed 1 >/dev/null
seed_seconds=$(seconds "$start" "$(now)")
root_before=$(global_root "$stella_db")
source_name=$(psql "$stella_db" -qAt -c "SELECT current_database()")

start=$(now)
psql "$maintenance_db" -qAt -c "CREATE DATABASE $copy_name TEMPLATE $source_name" >/dev/null
copy_seconds=$(seconds "$start" "$(now)")

# Warm the cache the same way for both contenders: one read of every byte of each copy.
for db in "$stella_db" "$sql_db"; do
  psql "$db" -qAt -c "SELECT count(*), sum(octet_length(content)) FROM evidence.artifacts" >/dev/null
done

batch_option=()
if [ -n "${BENCH_BATCH_SIZE:-}" ]; then
  batch_option=(--batch-size "$BENCH_BATCH_SIZE")
fi
start=$(now)
/usr/bin/time -v -o "$work/time.txt" "$stella" --database "$stella_db" --quiet \
  evidence migrate --from-version 1.0 --to-version 2.0 "${batch_option[@]}" >"$work/stella.txt"
stella_seconds=$(seconds "$start" "$(now)")
peak_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
batch_size=$(psql "$stella_db" -qAt -c \
  "SELECT batch_size FROM stella.migration_runs ORDER BY run_id DESC LIMIT 1")

start=$(now)
psql "$sql_db" -q -v ON_ERROR_STOP=1 -f "$sql_script" >/dev/null
sql_seconds=$(seconds "$start" "$(now)")

root_stella=$(global_root "$stella_db")
root_sql=$(global_root "$sql_db")
if [ "$root_stella" != "$root_before" ] || [ "$root_sql" != "$root_before" ]; then
  echo "migrate_bench: the global roots differ: before $root_before, stella $root_stella," \
       "psql $root_sql" >&2
  exit 1
fi

ratio=$(awk -v a="$stella_seconds" -v b="$sql_seconds" 'BEGIN { printf "%.2f", a / b }')
echo "seed:         ${seed_seconds} s"
echo "copy:         ${copy_seconds} s  (CREATE DATABASE ... TEMPLATE)"
echo "stella:       ${stella_seconds} s  (migrate 1.0 -> 2.0, batches of ${batch_size} rows, verified)"
echo "psql:         ${sql_seconds} s  (hand-written SQL, one transaction, nothing verified)"
echo "ratio:        ${ratio} x the hand-written SQL"
echo "peak memory:  ${peak_kib} KiB (stella maximum resident set size)"
echo "global root:  ${root_before} before, after stella and after psql"
