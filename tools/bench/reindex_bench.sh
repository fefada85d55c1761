#!/usr/bin/env bash
# Benchmark of `stella evidence reindex` (sha256 -> sha512) beside the two plain-PostgreSQL ways of
# doing the same job, measured in the same run on the same store (docs/reindex.md, "Benchmark"):
#
#   floor      reindex_floor (tools/bench/reindex_floor): every artifact's bytes out with binary
#              COPY, hashed with OpenSSL, the digests COPYed into a narrow table with no index and
#              no constraint -- the least work a reindex can be, with no checkpoint, root or audit
#   stella     stella evidence reindex --parallel P --batch-size B: the work table, a checkpoint per
#              batch, digests into the generation's own table and bundle roots into the store's,
#              the digests' keys and foreign keys built and validated, the final pass under lock, tenant/global roots, transition, cross-references and the
#              audit event; time and peak memory (GNU time)
#   in-server  CREATE EXTENSION pgcrypto; INSERT INTO evidence.artifact_digests ... SELECT
#              digest(content, 'sha512') ... -- one statement in the server, digests only
#
# The store is seeded first (schema 2.0, BENCH_ARTIFACTS artifacts of ~1 KiB), and every byte is
# read once before the first contender so that all three start from the same warm cache. Order:
# floor, stella, in-server (the in-server statement writes into a generation of its own, after
# stella's, so its table is the larger one: that favours stella slightly, and is said below).
#
# Settings (environment):
#   BENCH_ARTIFACTS             artifacts to seed (default 1000000)
#   BENCH_ARTIFACTS_PER_BUNDLE  artifacts per bundle (default 8)
#   BENCH_TENANTS               tenants (default 4)
#   BENCH_PARALLEL              stella's --parallel (default: the machine's cores)
#   BENCH_BATCH_SIZE            stella's --batch-size (default 1000)
#   STELLA                      the stella binary (default: build/bin/stella under the repository)
#   REINDEX_FLOOR               the floor program (default: reindex_floor beside the stella binary)
#   STELLA_DATABASE             a libpq connection string of an empty database to use; default: a
#                               fresh embedded cluster under a temporary --home, removed at the end
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
stella="${STELLA:-$repo/build/bin/stella}"
floor="${REINDEX_FLOOR:-$(dirname "$stella")/reindex_floor}"
artifacts="${BENCH_ARTIFACTS:-1000000}"
per_bundle="${BENCH_ARTIFACTS_PER_BUNDLE:-8}"
tenants="${BENCH_TENANTS:-4}"
parallel="${BENCH_PARALLEL:-$(nproc)}"
batch_size="${BENCH_BATCH_SIZE:-1000}"

for program in "$stella" "$floor"; do
  if [ ! -x "$program" ]; then
    echo "reindex_bench: no program at $program; build first (cmake --build build) or set" \
         "STELLA / REINDEX_FLOOR" >&2
    exit 2
  fi
done
if [ ! -x /usr/bin/time ]; then
  echo "reindex_bench: installing GNU time for peak-memory figures" >&2
  apt-get install -y -qq time >/dev/null
fi
command -v psql >/dev/null || { echo "reindex_bench: psql is required" >&2; exit 2; }

bundles_per_tenant=$(( (artifacts + tenants * per_bundle - 1) / (tenants * per_bundle) ))
work="$(mktemp -d /tmp/stella-reindex-bench.XXXXXX)"
chmod 755 "$work"
cleanup() {
  if [ -z "${STELLA_DATABASE:-}" ]; then
    "$stella" db stop --force --home "$work/home" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${STELLA_DATABASE:-}" ]; then
  conninfo="$STELLA_DATABASE"
  target=(--database "$conninfo")
else
  "$stella" db start --home "$work/home" >/dev/null
  conninfo="$("$stella" db url --home "$work/home")"
  target=(--home "$work/home")
fi
run() { "$stella" "${target[@]}" "$@"; }
sql() { psql "$conninfo" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }
seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

total=$((bundles_per_tenant * tenants * per_bundle))
echo "reindex_bench: $total artifacts ($tenants tenants x $bundles_per_tenant bundles x" \
     "$per_bundle artifacts of ~1 KiB), sha256 -> sha512, stella --parallel $parallel" \
     "--batch-size $batch_size, $(nproc) cores"
run evidence init --schema-version 2.0 >/dev/null
start=$(now)
run --quiet evidence seed --tenants "$tenants" --bundles "$bundles_per_tenant" \
    --artifacts-per-bundle "$per_bundle" --seed 1 --since 2026-01-01 >/dev/null
seed_seconds=$(seconds "$start" "$(now)")
sql "VACUUM ANALYZE" >/dev/null
# Warm the cache the same way for every contender: one read of every byte first.
total_bytes=$(sql "SELECT sum(octet_length(c.content)) FROM evidence.artifacts a
                   JOIN evidence.contents c ON c.content_address = a.content_address")

start=$(now)
floor_rows=$("$floor" "$conninfo" sha512 public.reindex_floor_digests)
floor_seconds=$(seconds "$start" "$(now)")
sql "DROP TABLE public.reindex_floor_digests" >/dev/null

start=$(now)
set +e
/usr/bin/time -v -o "$work/time.txt" "$stella" "${target[@]}" --quiet evidence reindex \
  --algorithm sha512 --parallel "$parallel" --batch-size "$batch_size" --format json \
  >"$work/reindex.json" 2>"$work/reindex.err"
status=$?
set -e
stella_seconds=$(seconds "$start" "$(now)")
if [ "$status" -ne 0 ]; then
  echo "reindex_bench: stella evidence reindex failed (exit $status):" >&2
  cat "$work/reindex.err" >&2
  exit 1
fi
peak_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
result=$(grep -o '"result": "[a-z-]*"' "$work/reindex.json" | cut -d'"' -f4)
covered=$(sql "SELECT count(*) FROM evidence.artifact_digests WHERE generation = 2")
transitions=$(sql "SELECT count(*) FROM evidence.root_transitions")
if [ "$result" != sealed ] || [ "$covered" != "$total" ] || [ "$transitions" != 1 ]; then
  echo "reindex_bench: stella's reindex did not seal a complete generation (result $result," \
       "$covered of $total digests, $transitions transitions)" >&2
  exit 1
fi

sql "CREATE EXTENSION IF NOT EXISTS pgcrypto" >/dev/null
sql "INSERT INTO evidence.digest_generations (generation, algorithm, state, active)
     VALUES (3, 'sha512', 'building', false)" >/dev/null
start=$(now)
in_server_rows=$(sql "WITH inserted AS (
                        INSERT INTO evidence.artifact_digests (bundle_id, path, generation, digest)
                        SELECT a.bundle_id, a.path, 3,
                               'sha512:' || encode(digest(c.content, 'sha512'), 'hex')
                        FROM evidence.artifacts a
                        JOIN evidence.contents c ON c.content_address = a.content_address
                        RETURNING 1)
                      SELECT count(*) FROM inserted")
in_server_seconds=$(seconds "$start" "$(now)")

rate() { awk -v a="$total" -v s="$1" 'BEGIN { printf "%.0f", a / s }'; }
vs_floor=$(ratio "$stella_seconds" "$floor_seconds")
vs_server=$(ratio "$in_server_seconds" "$stella_seconds")
echo "seed:        ${seed_seconds} s  (${total_bytes} bytes of content)"
echo "floor:       ${floor_seconds} s  ($(rate "$floor_seconds") artifacts/s; $floor_rows digests:" \
     "binary COPY out | EVP sha512 | COPY into a table without index or constraint)"
echo "stella:      ${stella_seconds} s  ($(rate "$stella_seconds") artifacts/s; work table," \
     "checkpoints, digests and roots with keys, transition, cross-references, audit)"
echo "in-server:   ${in_server_seconds} s  ($(rate "$in_server_seconds") artifacts/s; $in_server_rows" \
     "digests: INSERT ... SELECT digest(content, 'sha512') with pgcrypto, digests only)"
echo "peak memory: ${peak_kib} KiB (stella maximum resident set size)"
echo "stella / floor:     ${vs_floor} x  (goal: at most 1.50)"
echo "in-server / stella: ${vs_server} x  (goal: at least 2.00)"
awk -v f="$vs_floor" -v s="$vs_server" 'BEGIN {
  printf "goals: %s, %s\n", (f <= 1.5 ? "floor goal met" : "floor goal NOT met"),
                           (s >= 2.0 ? "in-server goal met" : "in-server goal NOT met") }'
