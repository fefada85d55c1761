#!/usr/bin/env bash
# The main job, end to end, on the embedded PostgreSQL with generated sample evidence: installs what
# is missing, builds, then walks the runbook (../shared/seeds/evidence-migration-guide.md) with the
# freshly built `stella`. Everything it writes lands under $WORK (default: out/main-job/).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
work=${WORK:-$root/out/main-job}

"$root/tools/install-deps.sh"
BUILD_DIR="$build_dir" "$root/tools/build.sh"

export PATH="$build_dir/bin:$PATH"
# A fresh state directory for the embedded cluster. It sits under /tmp because, when run as root,
# the server runs as an unprivileged user who must be able to reach it.
export STELLA_HOME=${STELLA_HOME:-/tmp/stella-main-job}
rm -rf "$work"
mkdir -p "$work"
cd "$work"

step() { printf '\n==> %s\n' "$*"; }

step "Installed plugins"
stella plugins list

echo
echo "main job finished; outputs in $work"
