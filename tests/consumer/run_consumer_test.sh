#!/usr/bin/env bash
# The SDK as a plugin author gets it: install only the SDK component of this build into an empty
# prefix, build tests/consumer/sample-plugin outside the source tree against that prefix alone,
# then check that stella loads the result.
#
# Usage: run_consumer_test.sh BUILD_DIR SAMPLE_SOURCE_DIR STELLA_BINARY CXX_COMPILER
set -euo pipefail

build_dir=$1
sample_dir=$2
stella=$3
cxx=$4

work=$(mktemp -d /tmp/stella-consumer-XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
plugins=$work/plugins

step() { printf '\n== consumer test: %s\n' "$*"; }
fail() { printf 'consumer test FAILED: %s\n' "$*" >&2; exit 1; }

step "install the SDK component of $build_dir into $prefix"
cmake --install "$build_dir" --component sdk --prefix "$prefix"
[ -f "$prefix/include/stella/sdk/sdk.hpp" ] || fail "SDK headers missing under $prefix/include"
[ -f "$prefix/lib/cmake/StellaSdk/StellaSdkConfig.cmake" ] \
  || fail "StellaSdkConfig.cmake missing under $prefix/lib/cmake/StellaSdk"
[ ! -e "$prefix/bin/stella" ] || fail "the sdk component installed the stella binary too"
[ ! -e "$prefix/lib/stella/plugins" ] || fail "the sdk component installed product plugins too"

step "configure and build $sample_dir against $prefix only"
# No package registry and no other prefix: the installed SDK is the only way to find StellaSdk.
cmake -S "$sample_dir" -B "$work/build" \
  -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF \
  -DSTELLA_PLUGIN_OUTPUT_DIR="$plugins"
grep -q "StellaSdk_DIR:PATH=$prefix/lib/cmake/StellaSdk" "$work/build/CMakeCache.txt" \
  || fail "StellaSdk was not found in $prefix: $(grep StellaSdk_DIR "$work/build/CMakeCache.txt")"
cmake --build "$work/build"
library=$plugins/example-sha3-224/libexample_sha3_224.so
[ -f "$library" ] || fail "the build did not produce $library"
[ -f "$plugins/example-sha3-224/manifest.json" ] || fail "manifest.json not placed beside $library"

step "the plugin's own code is hidden; only the entry symbol is exported"
# Boost's headers (pulled in by boost/dll/alias.hpp) give some Boost.System inline functions,
# type-infos and vtables explicit default visibility; they are vague-linkage copies of Boost's code,
# harmless under RTLD_LOCAL. Anything else exported would be the plugin's own code leaking out of
# hidden visibility.
exported=$(nm -D --defined-only "$library" | awk '$2 ~ /^[TDBRVWu]$/ {print $3}' | sort)
echo "$exported" | grep -qx 'stella_plugin_entry_v1' \
  || fail "the entry symbol stella_plugin_entry_v1 is not exported by $library"
leaked=$(echo "$exported" | grep -vx 'stella_plugin_entry_v1' | grep -v '5boost' || true)
[ -z "$leaked" ] || fail "symbols of the plugin's own code are exported: $(echo $leaked)"

step "stella plugins list --plugin-dir $plugins --allow-unsigned --format json"
"$stella" plugins list --plugin-dir "$plugins" --allow-unsigned --format json > "$work/list.json"
jq --arg file "$library" -e '
  [.[] | select(.id == "example-sha3-224")] as $found
  | ($found | length) == 1
    and $found[0].status == "loaded"
    and $found[0].factoryChecked == true
    and $found[0].file == $file
    and $found[0].provides.algorithms == ["sha3-224"]' "$work/list.json" >/dev/null \
  || fail "example-sha3-224 did not load: $(jq -c '.[] | select(.id == "example-sha3-224")' "$work/list.json")"

step "stella plugins inspect example-sha3-224"
"$stella" plugins inspect example-sha3-224 --plugin-dir "$plugins" --allow-unsigned --format json > "$work/inspect.json"
jq -e '.descriptor.id == "example-sha3-224" and .descriptor.abiVersion == .hostAbi' \
  "$work/inspect.json" >/dev/null || fail "inspect: $(cat "$work/inspect.json")"

step "stella plugins test $plugins/example-sha3-224 (conformance)"
# The template of docs/plugin-author-guide.md must pass the conformance check it recommends.
if ! "$stella" plugins test "$plugins/example-sha3-224" --format json > "$work/conformance.json" \
    2> "$work/conformance.err"; then
  fail "the template does not pass stella plugins test: $(jq -c '[.checks[] | select(.status != "pass")]' "$work/conformance.json" 2>/dev/null || cat "$work/conformance.err")"
fi
jq -e '.passed == true and .summary.failed == 0 and .summary.skipped == 0
  and ([.checks[].name] | index("published-vectors") != null)
  and ([.checks[].name] | index("deterministic-across-batches-and-threads") != null)' \
  "$work/conformance.json" >/dev/null || fail "conformance report: $(cat "$work/conformance.json")"

echo
echo "consumer test passed: a plugin built against the installed SDK alone loads in stella and conforms"
