#!/bin/sh
# Flash and RAM of a minimal Cortex-M4 firmware that runs one inference, per
# model, for the two ways TML runs a model:
#   compiled: the C of `tml compile` (const weights and parameters, one
#             kernel call per op) + the kernels it calls, the DSP
#             extension's (compiled-pt: the portable ones);
#   interp:   the interpreter (reader, planner, preparers, every operator) +
#             the .tflite file as a const array + a static arena;
#   interp-min: the same with only the model's operators (TML_OP_SELECT) and
#             no error messages (TML_ERROR_MESSAGES=0).
# Figures are bytes of text, rodata, data, bss, from the linked ELF (startup
# and newlib's memcpy/memset included; no printf, no semihosting), and
# "beyond": flash beyond the weights (compiled: minus the NAME_t* arrays;
# interp: minus the model file) and RAM beyond the arena.
# usage: bench/footprint.sh [BUILD_DIR]   (needs arm-none-eabi-gcc and $B/tml)
set -eu
B=${1:-build}
S=${TML_SHARED:-../shared}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TML="$B/tml"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
[ -x "$TML" ] || { echo "footprint.sh: build first ($TML missing)" >&2; exit 1; }
command -v arm-none-eabi-gcc >/dev/null ||
  { echo "footprint.sh: arm-none-eabi-gcc missing (scripts/deps.sh target)" >&2; exit 1; }

CFLAGS="-std=c99 -O2 -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
  -ffunction-sections -fdata-sections -I$ROOT/include -I$ROOT/src/model
  -I$ROOT/src/runtime -I$ROOT/src/kernels/common -I$ROOT/port/cortex-m"
LDFLAGS="--specs=nano.specs --specs=nosys.specs -nostartfiles -Wl,--gc-sections
  -L$ROOT/port/cortex-m -T mps2-an386.ld"
LIB=$(find "$ROOT/src" -name '*.c' | sort)

# Section sizes of an ELF: text rodata data bss.
sections() {
  arm-none-eabi-size -A "$1" | awk '
    $1 == ".text" || $1 ~ /^\.ARM/ { t += $2 } $1 == ".rodata" { r += $2 }
    $1 == ".data" { d += $2 } $1 == ".bss" || $1 == ".arena" { b += $2 }
    END { print t + 0, r + 0, d + 0, b + 0 }'
}
# Sum of the sizes of the symbols whose names match the regex $2.
symbols() {
  arm-none-eabi-nm -S "$1" | awk -v re="$2" '
    function hex(s,   i, v) {
      v = 0; s = tolower(s)
      for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
      return v
    }
    NF == 4 && $4 ~ re { t += hex($2) } END { print t + 0 }'
}

printf '%-24s %-10s %7s %7s %6s %6s %14s %12s\n' model build text rodata data bss \
  flash_beyond RAM_beyond
for m in kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8 \
         str_ww_ref_model micro_speech_quantized; do
  f="$S/models/mlcommons_tiny/$m.tflite"
  [ -f "$f" ] || f="$S/models/tflite_micro/$m.tflite"

  # Compiled.
  "$TML" compile "$f" -o "$W" --name "$m" >/dev/null
  cat > "$W/main_c.c" <<EOF
#include <string.h>
void initialise_monitor_handles(void) {} /* no semihosting in a product */
#include "$m.h"
int main(void) {
  memset(${m}_input(0), 0, ${m}_input_size(0));
  return ${m}_invoke() + ((volatile unsigned char *)${m}_output(0))[0];
}
EOF
  # compiled: the Cortex-M4's DSP-extension kernels; compiled-pt: the
  # portable ones (TML_KERNELS_PORTABLE).
  for variant in compiled compiled-pt; do
    extra=""
    [ $variant = compiled-pt ] && extra=-DTML_KERNELS_PORTABLE
    arm-none-eabi-gcc $CFLAGS $extra -I"$W" "$W/main_c.c" "$W/$m.c" $LIB \
      "$ROOT/port/cortex-m/startup.c" $LDFLAGS -o "$W/c.elf" -lm 2>"$W/log" ||
      { cat "$W/log" >&2; exit 1; }
    set -- $(sections "$W/c.elf")
    weights=$(symbols "$W/c.elf" "^${m}_t[0-9]+$")
    arena=$(sed -n "s/^#define [A-Z0-9_]*_ARENA_SIZE \([0-9]*\)/\1/p" "$W/$m.h")
    printf '%-24s %-10s %7d %7d %6d %6d %14d %12d\n' "$m" $variant "$1" "$2" "$3" "$4" \
      $(($1 + $2 + $3 - weights)) $(($3 + $4 - arena))
  done

  # Interpreter: the model file as a 16-aligned const array, a static arena
  # of what the host plans (a device needs a little less: 32-bit pointers).
  arena=$("$TML" info "$f" --json | sed -n 's/.*"arena_bytes": \([0-9]*\).*/\1/p')
  size=$(wc -c < "$f")
  { echo "#include <stdint.h>"
    echo "const uint8_t model_data[$size] __attribute__((aligned(16))) = {"
    od -An -v -tu1 "$f" | tr -s ' \n' ',,' | sed 's/^,//; s/,$//'
    echo "};"; } > "$W/model.c"
  cat > "$W/main_i.c" <<EOF
#include <string.h>
void initialise_monitor_handles(void) {} /* no semihosting in a product */
#include "tml.h"
extern const uint8_t model_data[$size];
static uint8_t arena[$arena] __attribute__((aligned(8)));
static tml_model model;
static tml_interp it;
int main(void) {
  tml_tensor t;
  if (tml_model_load(&model, model_data, sizeof model_data, 0) != TML_OK ||
      tml_init(&it, &model, arena, sizeof arena, 0) != TML_OK)
    return 1;
  tml_input(&it, 0, &t);
  memset(t.data, 0, t.bytes);
  tml_invoke(&it);
  tml_output(&it, 0, &t);
  return ((volatile unsigned char *)t.data)[0];
}
EOF
  # interp: every operator, error messages on; interp-min: only the model's
  # operators (`tml info --ops`) and no error messages.
  for variant in interp interp-min; do
    extra=""
    [ $variant = interp-min ] && extra="$("$TML" info "$f" --ops) -DTML_ERROR_MESSAGES=0"
    arm-none-eabi-gcc $CFLAGS $extra "$W/main_i.c" "$W/model.c" $LIB \
      "$ROOT/port/cortex-m/startup.c" $LDFLAGS -o "$W/i.elf" -lm 2>"$W/log" ||
      { cat "$W/log" >&2; exit 1; }
    set -- $(sections "$W/i.elf")
    printf '%-24s %-10s %7d %7d %6d %6d %14d %12d\n' "$m" $variant "$1" "$2" "$3" "$4" \
      $(($1 + $2 + $3 - size)) $(($3 + $4 - arena))
  done
done
