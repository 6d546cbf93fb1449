#!/bin/sh
# make demo: what TML does today, on the MLPerf Tiny and TFLite Micro models
# of $TML_SHARED (default ../shared).
set -eu
B=${1:-build}
S=${TML_SHARED:-../shared}
TML="$B/tml"
M="$S/models/mlcommons_tiny"

if [ ! -d "$S/models" ]; then
  echo "demo: no models in '$S': set TML_SHARED to the shared folder" >&2
  exit 1
fi

step() { printf '\n== %s\n' "$*"; }

step "1. Inside the MLPerf Tiny keyword-spotting model (tml info, tensors omitted)"
"$TML" info "$M/kws_ref_model.tflite" | sed '/^tensors/,/^inputs/{/^inputs/!d}'

step "2. Image classification on the host: int8 ResNet-8, 2,000 CIFAR-10 test images"
echo "   (the reference interpreter scores 77.1% on this set)"
"$TML" eval "$M/pretrainedResnet_quant.tflite" \
  --images "$S/data/cifar10/images_u8.bin" --labels "$S/data/cifar10/labels_u8.bin" \
  --classes "$S/data/cifar10/classes.txt"

step "3. The smallest arena (tml plan): activations share bytes, convolutions run in place where it pays"
for m in kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8; do
  printf '   %-24s ' "$m"
  "$TML" plan "$M/$m.tflite" --svg "$B/demo_$m.svg" |
    sed -n 's/^planned activations and scratch: \([0-9]*\) bytes; layer-wise lower bound \([0-9]*\) bytes/\1 bytes planned, layer-wise bound \2/p'
done
echo "   (pictures of the plans: $B/demo_*.svg)"

step "4. A model as plain C (tml compile): the keyword model's inference function"
mkdir -p "$B/demo"
"$TML" compile "$M/kws_ref_model.tflite" -o "$B/demo" --name kws
sed -n '/^int kws_invoke_arena/,/^}/p' "$B/demo/kws.c" | cut -c1-110

step "5. On a microcontroller: the compiled keyword model as Cortex-M4 firmware, under QEMU"
if command -v arm-none-eabi-gcc >/dev/null && command -v qemu-system-arm >/dev/null; then
  C=${BUILD_CM4:-build-cm4}
  cmake -S . -B "$C" --no-warn-unused-cli -DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake \
    -DTML_CPU=cortex-m4 -DTML_HOST_TOOL="$(cd "$B" && pwd)/tml" >/dev/null
  cmake --build "$C" -j 2 --target compiled_kws_ref_model insncount >"$C/demo-build.log" 2>&1 ||
    { cat "$C/demo-build.log"; exit 1; }
  port/cortex-m/run.sh -p "$C/insncount.so" "$C/tests/target/compiled_kws_ref_model.elf" 2>&1 |
    awk '/^insncount: region 1:/ { n = $4 } /^ok|^FAIL|^arena|^stack|^golden/ { print "   " $0 }
         END { if (n) printf "   one inference: %s Cortex-M4 instructions\n", n }'
else
  echo "   (needs arm-none-eabi-gcc and qemu-system-arm: scripts/deps.sh target)"
fi

step "6. Bit-exact with TensorFlow Lite Micro: every golden case of every model"
"$B/tests/test_golden" "$S" | awk '/^ok/ {split($2, a, "/"); n[a[1]]++}
  /^FAIL/ {print} /^golden:/ {summary = $0}
  END {for (m in n) printf "   %-24s %3d cases identical\n", m, n[m]; print summary}' | sort
