#!/bin/sh
# Run every fuzz target for SECONDS each, from seeds made now (never
# committed): the shared models and golden inputs, and every model the unit
# tests build with the .tflite writer. New inputs the fuzzers find accumulate
# in fuzz/corpus-TARGET/, so a later run starts where this one stopped.
#
# usage: fuzz/run.sh FUZZ_BUILD TEST_BUILD SECONDS [TARGET...]
#   FUZZ_BUILD  build folder of the fuzz targets (cmake -DTML_FUZZ=ON, clang)
#   TEST_BUILD  build folder of the unit tests (they write the seed models)
# Environment: TML_SHARED (models, golden), FUZZ_ARGS (extra libFuzzer flags).
set -eu
cd "$(dirname "$0")/.."
fuzz_build=$1 test_build=$2 seconds=$3
shift 3
targets=${*:-model compile cli writer}
shared=${TML_SHARED:-../shared}
seeds=$fuzz_build/seeds

# Seeds: models up to 32 KB (larger ones only slow mutation down).
rm -rf "$seeds"
mkdir -p "$seeds/models" "$seeds/cli" "$seeds/none"
find "$shared/models" -name '*.tflite' -size -33k -exec cp {} "$seeds/models/" \;
for t in "$test_build"/tests/test_*; do
  case $t in *compiled*) continue ;; esac
  [ -x "$t" ] && TFLW_SEED_DIR=$seeds/models "$t" >/dev/null 2>&1 || true
done
find "$seeds/models" -size +32k -delete
# CLI seeds (format: fuzz_cli.c): run and eval on the golden inputs of
# hello_world_int8 (model 0) and hello_world_float (model 1).
for f in "$shared"/golden/hello_world_int8/*.in; do
  { printf '\000run\000\000'; cat "$f"; } >"$seeds/cli/int8-run-$(basename "$f")"
  { printf '\000eval\000--scale\0000.5\000\000'; cat "$f" "$f"; } \
    >"$seeds/cli/int8-eval-$(basename "$f")"
done
for f in "$shared"/golden/hello_world_float/*.in; do
  { printf '\001run\000--repeat\0002\000\000'; cat "$f"; } \
    >"$seeds/cli/float-run-$(basename "$f")"
done

# The CLI and compile targets write their files under TMPDIR.
TMPDIR=$(pwd)/$fuzz_build/tmp
export TMPDIR
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR"

status=0
for target in $targets; do
  corpus=fuzz/corpus-$target
  mkdir -p "$corpus"
  case $target in
    cli) seed=$seeds/cli ;;
    writer) seed=$seeds/none ;; # its input is a recipe, not a model
    *) seed=$seeds/models ;;
  esac
  log=$fuzz_build/fuzz-$target.log
  echo "fuzz: $target for ${seconds}s (corpus $corpus, log $log)"
  # shellcheck disable=SC2086
  if ! "$fuzz_build/fuzz_$target" -max_total_time="$seconds" -max_len=32768 \
      -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$fuzz_build/" -print_final_stats=1 -close_fd_mask=1 \
      -dict=fuzz/tflite.dict ${FUZZ_ARGS:-} "$corpus" "$seed" >"$log" 2>&1; then
    status=1
    echo "fuzz: $target FAILED:" >&2
    tail -n 40 "$log" >&2
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  echo "fuzz: $target: ${execs:-?} runs (${rate:-?}/s), corpus $(ls "$corpus" | wc -l) inputs"
done
exit $status
