#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test through ctest.
# ctest starts a real PostgreSQL cluster for the suites that need one and stops it afterwards.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}

"$root/tools/install-deps.sh"
BUILD_DIR="$build_dir" "$root/tools/build.sh"
cd "$build_dir"
ctest --output-on-failure -j"$(nproc)" --timeout 900
