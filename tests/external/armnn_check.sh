#!/bin/sh
# Write every model of test_tflite_writer (TFLW_DUMP_DIR) and check them with
# Arm NN (armnn_check.cc): each loads and runs, and each re-written shared
# model gives byte-identical outputs to its original.
#   tests/external/armnn_check.sh [build-dir]     (default: build)
# Needs: apt-get install libarmnntfliteparser-dev libarmnn-cpuref-backend22
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-build}
shared=${TML_SHARED:-$root/../shared}
if [ ! -e /usr/include/armnnTfLiteParser/ITfLiteParser.hpp ]; then
  echo "armnn_check: Arm NN not installed (apt-get install" \
       "libarmnntfliteparser-dev libarmnn-cpuref-backend22)" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -O1 -std=c++14 -o "$work/armnn_check" "$here/armnn_check.cc" \
  -larmnn -larmnnTfLiteParser
mkdir "$work/models"
TFLW_DUMP_DIR="$work/models" "$root/$build/tests/test_tflite_writer" >/dev/null
pass=0 fail=0 skip=0
for f in "$work"/models/*.tflite; do
  name=$(basename "$f" .tflite)
  case $name in
    # rejected on purpose / ops Arm NN lacks / a layout test, not runnable
    bad_*|opcodes|many_buffers) continue ;;
    mirror_*)
      orig=$(find "$shared/models" -name "${name#mirror_}.tflite" | head -n 1)
      if ! ("$work/armnn_check" "$orig" || exit 1) >/dev/null 2>&1; then
        echo "skip  $name: Arm NN cannot run the original either"
        skip=$((skip + 1))
        continue
      fi
      set -- "$orig" "$f" ;;
    *) set -- "$f" ;;
  esac
  if ("$work/armnn_check" "$@" || exit 1) >"$work/out" 2>&1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL  $name"
  fi
  sed "s|$work/models/||" "$work/out" | head -n 3
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
