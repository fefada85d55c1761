#!/usr/bin/env bash
# Benchmark of `stella evidence export` and `stella evidence import` beside `pg_dump -Fc` and
# `pg_restore` of the same tables, measured in the same run on the same database
# (docs/benchmarks.md):
#
#   seed              stella evidence seed: BENCH_ARTIFACTS artifacts of ~1 KiB
#   pg_dump -Fc       pg_dump -Fc -n evidence: every evidence table, compressed (zlib level 6)
#   export            stella evidence export --all --include-proofs (a directory; every digest and
#                     root checked on the way, a proof per bundle and tenant)
#   export portable   stella evidence export --all --portable (one deterministic .tar.gz, gzip 6)
#   pg_restore        pg_restore of that dump into an empty database
#   import            stella evidence import of the directory into an empty database (the store
#                     created, every checksum, digest, root and proof verified, then loaded in one
#                     transaction, roots recomputed)
#   import portable   the same from the .tar.gz
# each with its wall time and peak memory (maximum resident set size).
#
# Settings (environment):
#   BENCH_ARTIFACTS               artifacts to seed (default 1000000)
#   BENCH_ARTIFACTS_PER_BUNDLE    artifacts per bundle (default 8)
#   BENCH_TENANTS                 tenants (default 4)
#   STELLA                        the stella binary (default: build/bin/stella under the repository)
#   BENCH_WORK                    where to put the cluster and the files (default a new directory
#                                 under /tmp, removed at the end); needs about 6x the artifact bytes
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
stella="${STELLA:-$repo/build/bin/stella}"
artifacts="${BENCH_ARTIFACTS:-1000000}"
per_bundle="${BENCH_ARTIFACTS_PER_BUNDLE:-8}"
tenants="${BENCH_TENANTS:-4}"

if [ ! -x "$stella" ]; then
  echo "export_import_bench: no stella binary at $stella; build first or set STELLA" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "export_import_bench: installing GNU time for peak-memory figures" >&2
  apt-get install -y -qq time >/dev/null
fi
for tool in psql pg_dump pg_restore createdb; do
  command -v "$tool" >/dev/null || { echo "export_import_bench: $tool is required" >&2; exit 2; }
done

bundles_per_tenant=$(( (artifacts + tenants * per_bundle - 1) / (tenants * per_bundle) ))
work="${BENCH_WORK:-$(mktemp -d /tmp/stella-bench.XXXXXX)}"
mkdir -p "$work"
chmod 755 "$work"
home="$work/home"
cleanup() {
  "$stella" db stop --force --home "$home" >/dev/null 2>&1 || true
  if [ -z "${BENCH_WORK:-}" ]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT

"$stella" db start --home "$home" >/dev/null
eval "$("$stella" db env --home "$home")"
conninfo_of() { "$stella" db url --home "$home" | sed "s/dbname=stellaops/dbname=$1/"; }

now() { date +%s.%N; }
# measure NAME COMMAND...: runs COMMAND under GNU time; sets NAME_seconds and NAME_peak (KiB).
measure() {
  local name="$1"
  shift
  local start
  start=$(now)
  if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    echo "export_import_bench: $name failed:" >&2
    cat "$work/$name.err" "$work/$name.time" >&2
    exit 1
  fi
  printf -v "${name}_seconds" '%s' "$(awk -v s="$start" -v e="$(now)" 'BEGIN { printf "%.2f", e - s }')"
  printf -v "${name}_peak" '%s' "$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")"
}
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
size_of() { du -sb "$1" | awk '{ printf "%.0f MiB", $1 / 1048576 }'; }

echo "export_import_bench: $((bundles_per_tenant * tenants * per_bundle)) artifacts" \
     "($tenants tenants x $bundles_per_tenant bundles x $per_bundle artifacts of ~1 KiB)"
"$stella" --home "$home" evidence init >/dev/null
measure seed "$stella" --home "$home" --quiet evidence seed --tenants "$tenants" \
  --bundles "$bundles_per_tenant" --artifacts-per-bundle "$per_bundle" --seed 1

# Warm the cache the same way for every contender: one read of every byte first.
psql -d stellaops -qAt -c "SELECT sum(octet_length(content)) FROM evidence.artifacts" >/dev/null

measure pg_dump pg_dump -Fc -n evidence -d stellaops -f "$work/evidence.dump"
measure export "$stella" --home "$home" --quiet evidence export --all --include-proofs \
  --output "$work/export/"
measure export_portable "$stella" --home "$home" --quiet evidence export --all --portable \
  --output "$work/evidence.tar.gz"

createdb restore_target
measure pg_restore pg_restore -d restore_target "$work/evidence.dump"
createdb import_target
measure import "$stella" --database "$(conninfo_of import_target)" --quiet evidence import \
  "$work/export/"
createdb import_portable_target
measure import_portable "$stella" --database "$(conninfo_of import_portable_target)" --quiet \
  evidence import --portable "$work/evidence.tar.gz"

# The imports must have brought back the source's global root, or their times mean nothing.
source_root=$("$stella" --home "$home" evidence roots-export --format json | grep -o '"globalRoot": "[^"]*"')
for target in import_target import_portable_target; do
  root=$("$stella" --database "$(conninfo_of "$target")" evidence roots-export --format json \
           | grep -o '"globalRoot": "[^"]*"')
  if [ "$root" != "$source_root" ]; then
    echo "export_import_bench: $target has $root, the source $source_root" >&2
    exit 1
  fi
done

echo "seed:             ${seed_seconds} s"
echo "pg_dump -Fc:      ${pg_dump_seconds} s  peak $(mib "$pg_dump_peak")  ($(size_of "$work/evidence.dump"))"
echo "export:           ${export_seconds} s  peak $(mib "$export_peak")  ($(size_of "$work/export"), $(ratio "$export_seconds" "$pg_dump_seconds")x pg_dump)"
echo "export portable:  ${export_portable_seconds} s  peak $(mib "$export_portable_peak")  ($(size_of "$work/evidence.tar.gz"), $(ratio "$export_portable_seconds" "$pg_dump_seconds")x pg_dump)"
echo "pg_restore:       ${pg_restore_seconds} s  peak $(mib "$pg_restore_peak")"
echo "import:           ${import_seconds} s  peak $(mib "$import_peak")  ($(ratio "$import_seconds" "$pg_restore_seconds")x pg_restore, verification included)"
echo "import portable:  ${import_portable_seconds} s  peak $(mib "$import_portable_peak")  ($(ratio "$import_portable_seconds" "$pg_restore_seconds")x pg_restore, verification included)"
