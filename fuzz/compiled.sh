#!/bin/sh
# `tml compile` must never emit code that builds but reads out of bounds:
# compile up to MAX models of the given folders (the fuzzers' seeds and
# corpus), build each generated C file with ASan+UBSan against the ASan
# library, and run it next to the interpreter (fuzz/compiled_main.c).
#
# usage: fuzz/compiled.sh TML ASAN_LIB MAX DIR...
#   TML       the tml command;  ASAN_LIB  libtml.a built with TML_SANITIZE
set -eu
cd "$(dirname "$0")/.."
tml=$1 lib=$2 max=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc=${CC:-cc}
tried=0 built=0 failed=0
for f in $(find "$@" -type f | sort); do
  [ "$built" -ge "$max" ] && break
  tried=$((tried + 1))
  "$tml" compile "$f" -o "$work" --name m >/dev/null 2>&1 || continue
  built=$((built + 1))
  if ! $cc -std=c99 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
      -Iinclude -I"$work" -DMODEL_HEADER='"m.h"' -DMODEL_PREFIX=m \
      -DMODEL_UPPER=M -DTML_ARENA_CANARY=1 fuzz/compiled_main.c "$work/m.c" \
      "$lib" -lm -o "$work/run" 2>"$work/cc.log"; then
    echo "compiled: $f: generated code does not build:" >&2
    head -n 20 "$work/cc.log" >&2
    failed=$((failed + 1))
  elif ! ASAN_OPTIONS=detect_leaks=0 "$work/run" "$f" 2>"$work/run.log"; then
    echo "compiled: $f: generated code failed:" >&2
    head -n 30 "$work/run.log" >&2
    failed=$((failed + 1))
  fi
done
echo "compiled: $built of $tried models compiled, built and ran; $failed failed"
[ "$failed" -eq 0 ]
