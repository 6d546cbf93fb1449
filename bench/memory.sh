#!/bin/sh
# RAM per model: what TML's interpreter needs in total (arena + its state),
# the planned activation region alone, the layer-wise lower bound (largest sum
# of live activation bytes at any op, without in-place execution) and the
# reference interpreter's arena (../shared/golden/REFERENCE.md, x86-64).
# usage: bench/memory.sh [BUILD_DIR]
set -eu
B=${1:-build}
S=${TML_SHARED:-../shared}
TML="$B/tml"
[ -x "$TML" ] || { echo "memory.sh: build first ($TML missing)" >&2; exit 1; }

ref_arena() { # model name -> reference arena bytes (reference kernels)
  awk -F'|' -v m="$1" '$2 ~ "^ *"m" *$" { gsub(/[ ,]/, "", $4); print $4; exit }' \
    "$S/golden/REFERENCE.md"
}
json() { # key, from stdin JSON -> number
  sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p" | head -1
}

printf '%-26s %10s %10s %10s %10s %8s\n' model tml_ram planned bound reference vs_bound
for m in kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8 \
         str_ww_ref_model micro_speech_quantized hello_world_int8; do
  f="$S/models/mlcommons_tiny/$m.tflite"
  [ -f "$f" ] || f="$S/models/tflite_micro/$m.tflite"
  j=$("$TML" plan "$f" --json)
  ram=$(echo "$j" | json ram_bytes)
  planned=$(echo "$j" | json planned_bytes)
  bound=$(echo "$j" | json lower_bound_bytes)
  ref=$(ref_arena "$m")
  pct=$(awk -v p="$planned" -v b="$bound" 'BEGIN { printf "%+.1f%%", 100 * (p - b) / b }')
  printf '%-26s %10s %10s %10s %10s %8s\n' "$m" "$ram" "$planned" "$bound" "${ref:-?}" "$pct"
done
