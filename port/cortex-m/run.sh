#!/bin/sh
# Run a bare-metal Cortex-M ELF under QEMU with semihosting.
# Adapted from ../shared/tools/emu/run-cortex-m.sh.
#
#   port/cortex-m/run.sh [-m MACHINE] [-t SECONDS] [-p PLUGIN] [-o FILE] ELF [-- QEMU-ARGS...]
#
#   -m MACHINE  QEMU board (default: mps3-an547 for Armv8.1-M ELFs such as
#               -mcpu=cortex-m55 builds, mps2-an386 (Cortex-M4F) otherwise)
#   -t SECONDS  wall-clock timeout (default 120); a timeout exits with 124
#   -p PLUGIN   count executed instructions with the insncount plugin
#               (port/qemu-plugin, built as BUILD/insncount.so): the total,
#               plus one line per perf_begin()/perf_end() region
#   -o FILE     with -p: write the counts to FILE instead of stderr
#
# Program stdout/stderr (semihosting) and UART0 go to this script's stdout;
# the exit status is the program's exit code (main's return value / exit()),
# 128+N for an unexpected exception N (see startup.c), 124 on timeout.
# QEMU runs with -icount shift=0 so virtual time (SysTick, timers) advances
# exactly one tick of 1 ns per instruction: every run is deterministic.
set -eu
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }

machine="" timeout=120 plugin="" out=""
while getopts m:t:p:o: opt; do
    case $opt in
        m) machine=$OPTARG ;;
        t) timeout=$OPTARG ;;
        p) plugin=$OPTARG ;;
        o) out=$OPTARG ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
elf=$1; shift
[ "${1:-}" = "--" ] && shift
[ -f "$elf" ] || { echo "run.sh: no such file: $elf" >&2; exit 2; }
for tool in qemu-system-arm arm-none-eabi-readelf arm-none-eabi-nm; do
    command -v $tool >/dev/null 2>&1 || {
        echo "run.sh: $tool not found: install it with scripts/deps.sh target" >&2
        exit 2; }
done

if [ -z "$machine" ]; then
    if arm-none-eabi-readelf -A "$elf" | grep -q 'Tag_CPU_arch: v8.1-M'; then
        machine=mps3-an547
    else
        machine=mps2-an386
    fi
fi

set -- -M "$machine" -nographic -monitor none -serial stdio \
    -semihosting-config enable=on,target=native \
    -icount shift=0,sleep=off -kernel "$elf" "$@"

if [ -n "$plugin" ]; then
    [ -f "$plugin" ] || { echo "run.sh: no such plugin: $plugin" >&2; exit 2; }
    popts=""
    syms=$(arm-none-eabi-nm "$elf")
    b=$(printf '%s\n' "$syms" | awk '$3 == "perf_begin" { print $1 }')
    e=$(printf '%s\n' "$syms" | awk '$3 == "perf_end" { print $1 }')
    [ -n "$b" ] && [ -n "$e" ] && popts=",begin=0x$b,end=0x$e"
    [ -n "$out" ] && popts="$popts,out=$out"
    set -- -plugin "$plugin$popts" "$@"
fi

rc=0
# --foreground: QEMU may need the terminal (stdio chardev sets tty modes);
# </dev/null: never let QEMU put a terminal into raw mode.
timeout --foreground "$timeout" qemu-system-arm "$@" </dev/null || rc=$?
[ $rc = 124 ] && echo "run.sh: timed out after ${timeout}s: $elf" >&2
exit $rc
