#!/bin/sh
# The release engineer's script: build stella and every product plugin, pack the plugins for the
# current product version (CMakeLists.txt project VERSION), sign the pack, verify it.
#
#   tools/release/make-pack.sh [--build-dir DIR] [--output-dir DIR] [--key PRIVATE_KEY]
#
#   --build-dir DIR   build tree to use (configured here when it has no CMakeCache.txt;
#                     default: build-release under the source tree, tests off)
#   --output-dir DIR  where stella-plugins-<version>.tar.gz goes (default: <build-dir>/packs)
#   --key FILE        the release signing key (.key from 'stella plugins keygen'); without it a
#                     throwaway key pair is made in the output directory and the pack says so
#
# Prints the pack path, its key id and the public key to hand to operators. Exits non-zero on
# any failure (set -e); the last step is 'stella plugins verify' against the public key.
set -eu

source_dir=$(cd "$(dirname "$0")/../.." && pwd)
build_dir="$source_dir/build-release"
output_dir=
key=

while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build_dir=$2; shift 2 ;;
    --output-dir) output_dir=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "make-pack.sh: unknown argument '$1'; see --help" >&2; exit 2 ;;
  esac
done
[ -n "$output_dir" ] || output_dir="$build_dir/packs"

version=$(sed -n 's/^project(stella VERSION \([0-9][0-9.]*\).*/\1/p' "$source_dir/CMakeLists.txt")
if [ -z "$version" ]; then
  echo "make-pack.sh: cannot read the project VERSION from $source_dir/CMakeLists.txt" >&2
  exit 2
fi

if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTELLA_BUILD_TESTS=OFF
fi
cmake --build "$build_dir" --target stella stella_plugins -j "$(nproc)"

stella="$build_dir/bin/stella"
plugins="$build_dir/lib/stella/plugins"
mkdir -p "$output_dir"

if [ -z "$key" ]; then
  key_name="throwaway-$version-$$"
  "$stella" plugins keygen --output-dir "$output_dir" --name "$key_name" >&2
  key="$output_dir/$key_name.key"
  echo "make-pack.sh: signed with a THROWAWAY key ($key); use --key for a real release" >&2
fi

# The public half goes into a folder of its own: that folder is what operators pass as
# --trusted-keys, and verify below uses it exactly as they will.
trusted="$output_dir/trusted-keys"
mkdir -p "$trusted"
public_key="$trusted/$(basename "${key%.key}").pem"
if [ -f "${key%.key}.pem" ]; then
  cp "${key%.key}.pem" "$public_key"
else
  openssl pkey -in "$key" -pubout -out "$public_key"
fi

pack="$output_dir/stella-plugins-$version.tar.gz"
"$stella" plugins pack --output "$pack" --key "$key" --pack-id "stella-plugins" \
  --product-version "$version" "$plugins"
"$stella" plugins verify "$pack" --trusted-keys "$trusted"
echo "pack:        $pack"
echo "public key:  $public_key"
