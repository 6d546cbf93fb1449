#!/bin/sh
# RAM per model and kernel set (portable C, or the Cortex-M DSP kernels with
# their scratch): what TML's interpreter needs in total (arena + its state,
# 64-bit host layout), the planned activation region alone (also all the RAM
# compiled code needs), the layer-wise lower bound (largest sum of live
# activation bytes at any op, without in-place execution or scratch) and the
# reference interpreter's arenas (../shared/golden/REFERENCE.md, x86-64:
# reference kernels, CMSIS-NN).
# usage: bench/memory.sh [BUILD_DIR]
set -eu
B=${1:-build}
S=${TML_SHARED:-../shared}
TML="$B/tml"
[ -x "$TML" ] || { echo "memory.sh: build first ($TML missing)" >&2; exit 1; }

ref_arena() { # model name, column -> reference arena bytes (4: reference
              # kernels, 5: CMSIS-NN)
  awk -F'|' -v m="$1" -v c="$2" '$2 ~ "^ *"m" *$" { gsub(/[ ,]/, "", $c); print $c; exit }' \
    "$S/golden/REFERENCE.md"
}
json() { # key, from stdin JSON -> number
  sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p" | head -1
}

printf '%-24s %-9s %9s %9s %9s %8s %9s %9s\n' model kernels tml_ram planned bound \
  vs_bound ref ref_cmsis
for m in kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8 \
         str_ww_ref_model micro_speech_quantized hello_world_int8; do
  f="$S/models/mlcommons_tiny/$m.tflite"
  [ -f "$f" ] || f="$S/models/tflite_micro/$m.tflite"
  for k in portable arm-dsp; do
    j=$("$TML" plan "$f" --json --kernels $k)
    ram=$(echo "$j" | json ram_bytes)
    planned=$(echo "$j" | json planned_bytes)
    bound=$(echo "$j" | json lower_bound_bytes)
    pct=$(awk -v p="$planned" -v b="$bound" 'BEGIN { printf "%+.1f%%", 100 * (p - b) / b }')
    printf '%-24s %-9s %9s %9s %9s %8s %9s %9s\n' "$m" $k "$ram" "$planned" "$bound" \
      "$pct" "$(ref_arena $m 4)" "$(ref_arena $m 5)"
  done
done
