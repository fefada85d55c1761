#!/usr/bin/env bash
# Fuzzes what stella reads from untrusted sources: builds the libFuzzer targets of tools/fuzz/ with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer into build-fuzz/ (FUZZ_BUILD_DIR), then
# runs each target named (default: all) for FUZZ_SECONDS seconds (default 300) on a working corpus
# under FUZZ_WORK (default build-fuzz/work), seeded from tests/fuzz/corpus/<target>/.
# An input that fails a target is left in FUZZ_WORK/<target>/ as crash-* (or leak-*, oom-*,
# timeout-*); add it to tests/fuzz/corpus/<target>/ with the fix, so that the suite (fuzz_corpus)
# replays it.
#
#   bash tools/fuzz/run-fuzz.sh [portable_archive] [bundle_directory] [plugin_pack] [migration_plan]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build_dir=${FUZZ_BUILD_DIR:-$root/build-fuzz}
work=${FUZZ_WORK:-$build_dir/work}
seconds=${FUZZ_SECONDS:-300}
known=(portable_archive bundle_directory plugin_pack migration_plan)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=("${known[@]}")
fi
for target in "${targets[@]}"; do
  case " ${known[*]} " in
    *" $target "*) ;;
    *)
      echo "run-fuzz: unknown target '$target'; expected one of: ${known[*]}" >&2
      exit 2
      ;;
  esac
done

bash "$root/tools/install-deps.sh"
if ! command -v clang++ >/dev/null || ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null |
    grep -q "install ok installed"; then
  apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null
fi

# UndefinedBehaviorSanitizer stays recoverable so that its suppressions (third-party code) apply;
# halt_on_error makes every other report fatal.
sanitizers="-fsanitize=address,undefined -fno-omit-frame-pointer"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tools/fuzz/ubsan-suppressions.txt"
export LSAN_OPTIONS="suppressions=$root/tools/fuzz/lsan-suppressions.txt"
# Optimised, but with assertions on (no -DNDEBUG): RapidJSON's asserts then stop a read of a JSON
# value as the wrong type (a uint64 read as int64), which a release build would let pass as garbage.
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g" \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$sanitizers -fsanitize=fuzzer-no-link" \
  -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" -DCMAKE_SHARED_LINKER_FLAGS="$sanitizers" \
  -DSTELLA_FUZZ=ON -DSTELLA_BUILD_TESTS=OFF -DSTELLA_WARNINGS_AS_ERRORS=OFF \
  -DSTELLA_PLUGIN_ALLOW_UNDEFINED=ON >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

status=0
for target in "${targets[@]}"; do
  corpus=$work/$target
  mkdir -p "$corpus"
  case $target in
    plugin_pack) dictionary=$root/tools/fuzz/plugin_pack.dict ;;
    migration_plan) dictionary=$root/tools/fuzz/migration_plan.dict ;;
    *) dictionary=$root/tools/fuzz/bundle.dict ;;
  esac
  echo "== fuzz_$target for ${seconds}s (corpus $corpus)"
  # A source is read from a file or a tree; a few thousand executions a second at most, so one
  # job. Leaks are reported: the importers run in-process many times. No single allocation may
  # pass 256 MiB: inputs are kilobytes, so a reader that allocates that much took a size from
  # the input's word rather than its bytes.
  if ! (cd "$corpus" && "$build_dir/bin/fuzz_$target" -max_total_time="$seconds" -timeout=30 \
      -rss_limit_mb=4096 -malloc_limit_mb=256 -max_len=262144 -print_final_stats=1 -dict="$dictionary" \
      "$corpus" "$root/tests/fuzz/corpus/$target"); then
    echo "fuzz_$target stopped on a failing input: see $corpus/crash-* (or leak-*, oom-*," \
      "timeout-*)"
    status=1
  fi
done
exit $status
