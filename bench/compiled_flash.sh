#!/bin/sh
# Flash of a compiled model on Cortex-M4: `tml compile` writes the model as C,
# a minimal firmware (vector table, reset, main calling NAME_invoke) links it
# with libtml, once with the DSP kernels and once with the portable ones.
#
#   bench/compiled_flash.sh HOST_TML CM_BUILD MODEL [NAME]
#
#   HOST_TML   the host `tml` command
#   CM_BUILD   a Cortex-M4 firmware build folder (libtml.a, and
#              bench/libtml_portable.a from the bench-firmware target)
#   MODEL      a .tflite file; NAME defaults to its file name
#
# Prints per kernel set: text, rodata, data, the weight arrays (NAME_t*), and
# flash = text + rodata + data, and flash minus the weights.
set -eu

[ $# -ge 3 ] || { sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
tml=$1 build=$2 model=$3
name=${4:-$(basename "$model" .tflite)}
here=$(cd "$(dirname "$0")" && pwd)
root=$here/..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$tml" compile "$model" -o "$tmp" --name "$name" >/dev/null
cat >"$tmp/fw.c" <<EOF
#include <stdint.h>
#include "$name.h"

extern uint32_t __StackTop[], __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
void Reset_Handler(void);

__attribute__((used, section(".vectors")))
const void *const vectors[2] = {__StackTop, (const void *)Reset_Handler};

int main(void) { return ${name}_invoke(); }

void Reset_Handler(void) {
  uint32_t *s, *d;
  for (s = __data_load, d = __data_start; d < __data_end;) *d++ = *s++;
  for (d = __bss_start; d < __bss_end;) *d++ = 0;
  (void)main();
  for (;;) {
  }
}
EOF
flags="-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -O2
       -std=c99 -ffunction-sections -fdata-sections"
printf '%-10s %8s %8s %8s %8s %8s %18s\n' kernels text rodata data weights flash "flash-weights"
for kernels in dsp portable; do
    lib=$build/libtml.a
    [ $kernels = portable ] && lib=$build/bench/libtml_portable.a
    [ -f "$lib" ] || { echo "compiled_flash: no $lib (build $build)" >&2; exit 1; }
    # shellcheck disable=SC2086
    arm-none-eabi-gcc $flags -I"$root/include" -I"$tmp" -c "$tmp/$name.c" -o "$tmp/model.o"
    # shellcheck disable=SC2086
    arm-none-eabi-gcc $flags -I"$tmp" -c "$tmp/fw.c" -o "$tmp/fw.o"
    # shellcheck disable=SC2086
    arm-none-eabi-gcc $flags -nostartfiles -nostdlib -Wl,--gc-sections \
        -L"$root/port/cortex-m" -T mps2-an386.ld -Wl,--defsym=__stack_size=0x2000 \
        "$tmp/fw.o" "$tmp/model.o" "$lib" -lm -lc -lgcc -o "$tmp/fw.elf"
    arm-none-eabi-size -A -d "$tmp/fw.elf" >"$tmp/size"
    weights=$(arm-none-eabi-nm -S --radix=d "$tmp/fw.elf" |
        awk -v n="${name}_t" 'index($4, n) == 1 && substr($4, length(n) + 1) ~ /^[0-9]+$/ { s += $2 } END { print s + 0 }')
    awk -v k=$kernels -v w="$weights" '
        $1 == ".text" || $1 ~ /^\.ARM\.ex/ || $1 == ".init_array" { t += $2 }
        $1 == ".rodata" { r += $2 }
        $1 == ".data" { d += $2 }
        END { f = t + r + d; printf "%-10s %8d %8d %8d %8d %8d %18d\n", k, t, r, d, w, f, f - w }' "$tmp/size"
done
