#!/bin/sh
# Cortex-M4 benchmark: executed instructions of one tml_invoke per model, with
# the portable kernels and with the DSP kernel set, counted by the insncount
# QEMU plugin. `make bench-cortex-m` builds everything and runs this.
#
#   bench/run.sh HOST_TML CM_BUILD [MODEL...]
#   bench/run.sh --ops CM_BUILD MODEL...
#
#   HOST_TML   the host `tml` command (MACs: `tml info`, same definition)
#   CM_BUILD   the firmware build folder (cmake/arm-none-eabi.cmake), holding
#              bench/bench_MODEL_{portable,dsp}.elf and insncount.so
#   MODEL      default: the MLPerf Tiny models, then micro_speech and str_ww
#
# Prints one line per model and kernel set:
#   MODEL kernels=portable instructions=N
#   MODEL kernels=dsp instructions=N macs=M
# then the arena each model uses on the device (it.arena_used), and the stack
# depth of the invoke and of the setup (tml_model_load + tml_init).
# N = the perf region's count minus 2 (an empty region counts 2: perf_begin's
# `bx lr` and the `bl perf_end`). Every firmware also
# checks its output against the golden case; a mismatch fails the run.
#
# --ops: per operator of each MODEL, its instructions with both kernel sets
# (firmware bench/ops_MODEL_{portable,dsp}.elf, target bench-ops):
#   index op portable dsp
set -eu

[ $# -ge 2 ] || { sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
run=$here/../port/cortex-m/run.sh
if [ "$1" = --ops ]; then
    build=$2
    shift 2
    plugin=$build/insncount.so
    [ -f "$plugin" ] || { echo "bench: no $plugin (build $build first)" >&2; exit 2; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    for model in "$@"; do
        for kernels in portable dsp; do
            elf=$build/bench/ops_${model}_$kernels.elf
            [ -f "$elf" ] || { echo "bench: no $elf (build target bench-ops)" >&2; exit 1; }
            "$run" -p "$plugin" -o "$tmp/$kernels.count" "$elf" >"$tmp/$kernels.out" ||
                { cat "$tmp/$kernels.out" >&2; echo "bench: $elf failed" >&2; exit 1; }
        done
        echo "# $model: op, instructions with portable and dsp kernels"
        # Region k + 1 is op k; ops.c prints "op k NAME" before each.
        awk '
            FILENAME ~ /out$/ { if ($1 == "op") name[$2] = $3; next }
            $2 == "region" { r = $3; sub(":", "", r); n[FILENAME ~ /dsp/, r - 1] = $4 - 2
                             if (r - 1 > last) last = r - 1 }
            END { for (k = 0; k <= last; k++) {
                      printf "%3d %-20s %10d %10d\n", k, name[k], n[0, k], n[1, k]
                      tp += n[0, k]; td += n[1, k] }
                  printf "    %-20s %10d %10d\n", "total", tp, td }
        ' "$tmp/dsp.out" "$tmp/portable.count" "$tmp/dsp.count"
    done
    exit 0
fi
tml=$1 build=$2
shift 2
[ $# -gt 0 ] || set -- kws_ref_model vww_96_int8 pretrainedResnet_quant ad01_int8 \
    micro_speech_quantized str_ww_ref_model
shared=${TML_SHARED:-$here/../../shared}
manifest=$shared/golden/MANIFEST.tsv
plugin=$build/insncount.so
[ -x "$tml" ] || { echo "bench: no host tml at $tml (run make)" >&2; exit 2; }
[ -f "$plugin" ] || { echo "bench: no $plugin (build $build first)" >&2; exit 2; }
[ -f "$manifest" ] || { echo "bench: no $manifest (set TML_SHARED)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
arenas="" stacks=""
for model in "$@"; do
    path=$(awk -v m="$model" -F '\t' 'index($2, m "/") == 1 { print $1; exit }' "$manifest")
    [ -n "$path" ] || { echo "bench: $model has no golden case" >&2; exit 1; }
    macs=$("$tml" info "$shared/$path" | awk '/^MACs:/ { print $2 }')
    for kernels in portable dsp; do
        elf=$build/bench/bench_${model}_$kernels.elf
        [ -f "$elf" ] || { echo "bench: no $elf (build $build)" >&2; exit 1; }
        rc=0
        "$run" -p "$plugin" -o "$tmp/count" "$elf" >"$tmp/out" || rc=$?
        if [ $rc != 0 ] || ! grep -q '^golden: 1/1 cases pass' "$tmp/out"; then
            cat "$tmp/out" >&2
            echo "bench: $elf failed (status $rc)" >&2
            exit 1
        fi
        n=$(awk '$2 == "region" && $3 == "1:" { print $4 - 2 }' "$tmp/count")
        if [ $kernels = dsp ]; then
            echo "$model kernels=$kernels instructions=$n macs=$macs"
        else
            echo "$model kernels=$kernels instructions=$n"
        fi
    done
    arena=$(awk '/^arena_used:/ { print $2 }' "$tmp/out")
    stack=$(awk '/^stack: invoke used/ { print "invoke=" $4 " setup=" $7 }' "$tmp/out")
    arenas="$arenas$model arena_used=$arena
"
    stacks="$stacks$model stack $stack
"
done
echo "# arena on the device (it.arena_used, bytes; dsp build)"
printf '%s' "$arenas"
echo "# stack (bytes, painted; dsp build): one tml_invoke; tml_model_load + tml_init"
printf '%s' "$stacks"
