#!/usr/bin/env bash
# Benchmark of `stella evidence verify-all` beside the plain-PostgreSQL floor for the same work,
# measured in the same run (docs/benchmarks.md):
#
#   seed       stella evidence seed: BENCH_ARTIFACTS artifacts of ~1 KiB, binary COPY, signed
#   verify-all every digest, bundle/tenant/global root and DSSE signature, with peak memory
#   floor      psql \copy (SELECT content FROM evidence.artifacts) TO STDOUT (FORMAT binary)
#              | openssl dgst -sha256    -- the bytes out of PostgreSQL and hashed once, no more
#
# Settings (environment):
#   BENCH_ARTIFACTS               artifacts to seed (default 1000000)
#   BENCH_ARTIFACTS_PER_BUNDLE    artifacts per bundle (default 8: one signature per 8 artifacts)
#   BENCH_TENANTS                 tenants (default 4)
#   STELLA                        the stella binary (default: build/bin/stella under the repository)
#   STELLA_DATABASE               a libpq connection string to use (the database must be empty);
#                                 default: a fresh embedded cluster under a temporary --home,
#                                 removed at the end
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
stella="${STELLA:-$repo/build/bin/stella}"
artifacts="${BENCH_ARTIFACTS:-1000000}"
per_bundle="${BENCH_ARTIFACTS_PER_BUNDLE:-8}"
tenants="${BENCH_TENANTS:-4}"

if [ ! -x "$stella" ]; then
  echo "verify_all_bench: no stella binary at $stella; build first or set STELLA" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "verify_all_bench: installing GNU time for peak-memory figures" >&2
  apt-get install -y -qq time >/dev/null
fi
for tool in psql openssl; do
  command -v "$tool" >/dev/null || { echo "verify_all_bench: $tool is required" >&2; exit 2; }
done

bundles_per_tenant=$(( (artifacts + tenants * per_bundle - 1) / (tenants * per_bundle) ))
work="$(mktemp -d /tmp/stella-bench.XXXXXX)"
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
  run() { "$stella" --database "$conninfo" "$@"; }
else
  "$stella" db start --home "$work/home" >/dev/null
  conninfo="$("$stella" db url --home "$work/home")"
  run() { "$stella" --home "$work/home" "$@"; }
fi

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
now() { date +%s.%N; }

echo "verify_all_bench: $((bundles_per_tenant * tenants * per_bundle)) artifacts" \
     "($tenants tenants x $bundles_per_tenant bundles x $per_bundle artifacts of ~1 KiB)"
run evidence init >/dev/null

start=$(now)
run --quiet evidence seed --tenants "$tenants" --bundles "$bundles_per_tenant" \
    --artifacts-per-bundle "$per_bundle" --seed 1 >/dev/null
seed_seconds=$(seconds "$start" "$(now)")

# Warm the cache the same way for both contenders: one read of every byte first.
psql "$conninfo" -qAt -c "SELECT count(*), sum(octet_length(content)) FROM evidence.artifacts" \
  > "$work/warm.txt"
total_bytes=$(cut -d'|' -f2 "$work/warm.txt")

start=$(now)
psql "$conninfo" -c "\copy (SELECT content FROM evidence.artifacts) TO STDOUT WITH (FORMAT binary)" \
  | openssl dgst -sha256 >/dev/null
floor_seconds=$(seconds "$start" "$(now)")

start=$(now)
set +e
/usr/bin/time -v -o "$work/time.txt" "$stella" \
  $( [ -n "${STELLA_DATABASE:-}" ] && echo --database "$conninfo" || echo --home "$work/home" ) \
  --quiet evidence verify-all --output "$work/report.json" >"$work/verify.txt"
verify_status=$?
set -e
verify_seconds=$(seconds "$start" "$(now)")
peak_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")

if [ "$verify_status" -ne 0 ]; then
  echo "verify_all_bench: verify-all failed (exit $verify_status) on freshly seeded evidence:" >&2
  cat "$work/verify.txt" >&2
  exit 1
fi

signatures=$(grep -o '"signatures": [0-9]*' "$work/report.json" | awk '{ print $2 }')
ratio=$(awk -v v="$verify_seconds" -v f="$floor_seconds" 'BEGIN { printf "%.2f", v / f }')
echo "seed:        ${seed_seconds} s  ($(awk -v a="$artifacts" -v s="$seed_seconds" 'BEGIN { printf "%.0f", a / s }') artifacts/s, ${total_bytes} bytes)"
echo "floor:       ${floor_seconds} s  (psql binary COPY of every artifact's bytes | openssl dgst -sha256)"
echo "verify-all:  ${verify_seconds} s  (digests, roots, ${signatures} Ed25519 signatures)"
echo "ratio:       ${ratio} x the floor"
echo "peak memory: ${peak_kib} KiB (verify-all maximum resident set size)"
