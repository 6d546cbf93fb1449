#!/bin/sh
# TML on the host against issue 6's targets: x86 instructions per inference
# (callgrind, repeatable on a noisy machine) for the four MLPerf Tiny models,
# TML's portable kernels and the dispatched SIMD ones beside the reference
# interpreter's figures from $TML_SHARED/golden/REFERENCE.md; then
# wall-clock latency (tml bench) and batch throughput (tml run --batch).
# usage: bench/host.sh [--no-time]
set -eu
cd "$(dirname "$0")/.."
S=${TML_SHARED:-$(cd .. && pwd)/shared}
M=$S/models/mlcommons_tiny
REF=$S/golden/REFERENCE.md
timing=1
[ "${1:-}" = --no-time ] && timing=0

scripts/deps.sh build valgrind
build() { # build DIR [CFLAGS]
  cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=Release -DTML_TESTS=OFF \
    -DCMAKE_C_FLAGS="${2:-}" >/dev/null
  cmake --build "$1" -j "$(nproc)" >/dev/null
}
build build-bench
build build-bench-portable -DTML_KERNELS_PORTABLE
SIMD=build-bench/tml
PORT=build-bench-portable/tml

# Instructions of one invoke: 11 invokes minus 1, over 10, so loading,
# planning and start-up cancel out.
instr() { # instr TML MODEL
  one=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$1" bench "$2" --repeat 1 --warmup 0 2>&1 >/dev/null |
    sed -n 's/.*Collected : //p')
  eleven=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$1" bench "$2" --repeat 11 --warmup 0 2>&1 >/dev/null |
    sed -n 's/.*Collected : //p')
  echo $(((eleven - one) / 10))
}

# Column COL (1-based, after the leading '|') of MODEL's row in the
# reference table, without thousands separators.
ref() { # ref MODEL COL
  awk -F'|' -v m="$1" -v c="$2" \
    '$2 ~ "^ *"m" *$" && $7 ~ /[0-9]/ {gsub(/[ ,]/, "", $(c + 1)); print $(c + 1); exit}' \
    "$REF"
}

mil() { awk -v n="$1" 'BEGIN {printf "%.2fM", n / 1e6}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a / b}'; }

echo "Instructions per inference (x86-64, valgrind --tool=callgrind)"
echo
echo "| model | target | reference kernels | CMSIS-NN (plain C) | TML portable | TML SIMD | SIMD vs CMSIS-NN | SIMD vs portable | target met |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|:---:|"
for entry in kws_ref_model:3900000 vww_96_int8:11500000 \
  pretrainedResnet_quant:17400000 ad01_int8:330000; do
  m=${entry%%:*} target=${entry#*:}
  r_ref=$(ref "$m" 6)
  r_cmsis=$(ref "$m" 7)
  p=$(instr "$PORT" "$M/$m.tflite")
  v=$(instr "$SIMD" "$M/$m.tflite")
  met=no
  [ "$v" -le "$target" ] && met=yes
  echo "| $m | <= $(mil "$target") | $(mil "$r_ref") | $(mil "$r_cmsis") | $(mil "$p") | $(mil "$v") | $(ratio "$r_cmsis" "$v") fewer | $(ratio "$p" "$v") fewer | $met |"
done

[ "$timing" = 1 ] || exit 0

median() { # median TML MODEL -> microseconds
  "$1" bench "$2" --json --repeat 300 --warmup 20 |
    sed 's/.*"median_us": \([0-9.]*\).*/\1/'
}

echo
echo "Wall clock: median latency of one invoke (tml bench, 300 invokes)"
echo
echo "| model | TML portable (us) | TML SIMD (us) | speed-up |"
echo "|---|---:|---:|---:|"
for m in kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8; do
  p=$(median "$PORT" "$M/$m.tflite")
  v=$(median "$SIMD" "$M/$m.tflite")
  echo "| $m | $p | $v | $(ratio "$p" "$v") |"
done

# Batch throughput: the 2,000 CIFAR-10 images through ResNet-8 (the raw
# pixels serve as int8 input: timing does not depend on the values).
images=$S/data/cifar10/images_u8.bin
out=$(mktemp)
trap 'rm -f "$out"' EXIT
seconds() { # seconds COMMAND... -> wall seconds
  t0=$(date +%s%N)
  "$@"
  t1=$(date +%s%N)
  awk -v d=$((t1 - t0)) 'BEGIN {printf "%.3f", d / 1e9}'
}
echo
echo "Wall clock: tml run --batch, 2,000 CIFAR-10 images, pretrainedResnet_quant"
echo
echo "| kernels | threads | seconds | images/s |"
echo "|---|---:|---:|---:|"
for cfg in "$PORT:1" "$SIMD:1" "$SIMD:2"; do
  tml=${cfg%%:*} th=${cfg#*:}
  s=$(seconds "$tml" run "$M/pretrainedResnet_quant.tflite" --input "$images" \
    --output "$out" --threads "$th")
  kind=SIMD
  [ "$tml" = "$PORT" ] && kind=portable
  echo "| $kind | $th | $s | $(awk -v s="$s" 'BEGIN {printf "%.0f", 2000 / s}') |"
done
