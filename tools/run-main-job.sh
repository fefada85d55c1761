#!/usr/bin/env bash
# The main job, end to end, on the embedded PostgreSQL with generated sample evidence: installs what
# is missing, builds, then walks the runbook (docs/operator-guide.md) with the freshly built
# `stella`, its commands as the runbook writes them. The runbook's /backup and /media become
# $WORK/backup and $WORK/media. Everything lands under $WORK (default: out/main-job/); the
# chain-of-custody report is $WORK/continuity-report.html, the custody log $WORK/custody-log.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
work=${WORK:-$root/out/main-job}

# STELLA_SKIP_BUILD=1 reuses an existing build in $BUILD_DIR (for iterating on this script).
if [ "${STELLA_SKIP_BUILD:-0}" != 1 ]; then
  "$root/tools/install-deps.sh"
  BUILD_DIR="$build_dir" "$root/tools/build.sh"
fi

export PATH="$build_dir/bin:$PATH"
# A fresh state directory for the embedded cluster. It sits under /tmp because, when run as root,
# the server runs as an unprivileged user who must be able to reach it.
export STELLA_HOME=${STELLA_HOME:-/tmp/stella-main-job}
unset STELLA_DATABASE
stella db stop --force >/dev/null 2>&1 || true
rm -rf "$STELLA_HOME" "$work"
mkdir -p "$work/backup" "$work/media"
cd "$work"

step() { printf '\n==> %s\n' "$*"; }
# A second and a third database on the same embedded cluster, for the restore and the air gap.
database_named() { stella db url | sed "s/dbname=[^ ]*/dbname=$1/"; }
create_database() { psql --no-psqlrc --quiet "$(stella db url)" -c "CREATE DATABASE $1"; }

step "Installed plugins"
stella plugins list
stella plugins matrix

step "Embedded PostgreSQL and a 1.0 store with generated evidence"
stella db start
stella evidence init --schema-version 1.0
stella evidence seed --tenants 3 --bundles 20 --artifacts-per-bundle 6 --seed 42 --since 2026-01-01

step "Pre-Migration Checklist 1: capture current state"
# Record current evidence statistics
stella evidence stats --detailed > pre-migration-stats.json
# Export Merkle roots for all tenants
stella evidence roots-export --all > pre-migration-roots.json
# Verify existing evidence integrity
stella evidence verify-all --output pre-migration-verify.json
if [ $? -ne 0 ]; then
echo "ABORT: Evidence integrity check failed"
exit 1
fi
echo "pre-migration global root: $(jq -r '.globalRoot' pre-migration-roots.json)"

step "Pre-Migration Checklist 2: evidence backup"
stella evidence export \
--all \
--include-attestations \
--include-proofs \
--output "$work/backup/evidence-$(date +%Y%m%d)/"
stella evidence verify-bundle "$work"/backup/evidence-*/

step "Pre-Migration Checklist 3: chain of custody"
OLD_MERKLE_ROOT=$(stella evidence roots-export --format json | jq -r '.globalRoot')
echo "Pre-migration Merkle root: ${OLD_MERKLE_ROOT}" > custody-log.txt
date >> custody-log.txt

step "Schema migration 1.0 -> 2.0"
stella evidence migrate \
--from-version 1.0 \
--to-version 2.0 \
--dry-run
stella evidence migrate \
--from-version 1.0 \
--to-version 2.0
stella evidence verify-all
stella evidence migrate --status
MIGRATED_ROOT=$(stella evidence roots-export --format json | jq -r '.globalRoot')
if [ "$MIGRATED_ROOT" != "$OLD_MERKLE_ROOT" ]; then
  echo "ERROR: the migration changed the global root ($OLD_MERKLE_ROOT -> $MIGRATED_ROOT)" >&2
  exit 1
fi
echo "global root unchanged by the migration: $MIGRATED_ROOT"

step "Evidence reindex to sha512"
stella evidence config set hash-algorithm sha512
stella evidence reindex \
--dry-run \
--output reindex-plan.json
jq . reindex-plan.json
stella evidence reindex \
--batch-size 100 \
--since 2026-01-01
NEW_MERKLE_ROOT=$(stella evidence roots-export --format json | jq -r '.globalRoot')
echo "Post-migration Merkle root: ${NEW_MERKLE_ROOT}" >> custody-log.txt
date >> custody-log.txt
stella evidence reindex --progress

step "Chain-of-custody verification"
stella evidence verify-continuity \
--old-root "${OLD_MERKLE_ROOT}" \
--new-root "${NEW_MERKLE_ROOT}" \
--output continuity-report.html \
--format html
if grep -q "FAIL" continuity-report.html; then
echo "ERROR: Chain-of-custody verification failed!"
echo "Review continuity-report.html for details"
exit 1
fi
echo "continuity report: $work/continuity-report.html"
cat custody-log.txt

step "Restore the pre-migration backup into a second database"
create_database restored
(
  export STELLA_DATABASE
  STELLA_DATABASE=$(database_named restored)
  stella evidence import "$work"/backup/evidence-*/
  stella evidence verify-all
  echo "restored store global root: $(stella evidence roots-export --format json | jq -r '.globalRoot')"
)

step "Air-gap migration of the reindexed store into a third database"
stella evidence export \
--all \
--portable \
--include-schemas \
--output "$work/media/airgap-evidence.tar.gz"
sha256sum "$work/media/airgap-evidence.tar.gz" > "$work/media/checksums.txt"
sha256sum -c "$work/media/checksums.txt"
# The checksum file travels with the archive; the root, written down before the transfer, does not.
stella evidence verify-bundle --expect-root "$NEW_MERKLE_ROOT" "$work/media/airgap-evidence.tar.gz"
create_database airgap
(
  export STELLA_DATABASE
  STELLA_DATABASE=$(database_named airgap)
  stella evidence import \
  --portable \
  "$work/media/airgap-evidence.tar.gz"
  stella evidence verify-all
  AIRGAP_ROOT=$(stella evidence roots-export --format json | jq -r '.globalRoot')
  if [ "$AIRGAP_ROOT" != "$NEW_MERKLE_ROOT" ]; then
    echo "ERROR: the air-gapped store's global root is $AIRGAP_ROOT, the source's $NEW_MERKLE_ROOT" >&2
    exit 1
  fi
  echo "air-gapped store global root equals the source's: $AIRGAP_ROOT"
)

step "Troubleshooting checks"
stella evidence stats --by-type > stats-by-type.json
stella evidence orphans --list
"$root/tools/make-attestor-sample.sh" --replace
stella evidence reconcile --source attestor
stella evidence integrity-check --deep --output integrity-report.json
stella evidence audit verify
stella evidence audit list --format text | tail -n 12

echo
echo "main job finished; outputs in $work"
