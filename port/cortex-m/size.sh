#!/bin/sh
# Flash and RAM of a firmware, by section and by origin, from its link map.
# (Written for TML's port; uses the NAME.map that tml_add_firmware writes
# beside NAME.elf.)
#
#   port/cortex-m/size.sh ELF
#
# Rows: tml (libtml*.a: runtime, reader, kernels), app (harness, startup,
# stack painting, alignment padding), libc (newlib-nano, libm, libgcc, semihosting), data (the
# generated model and golden cases: section .golden). Columns: text, rodata,
# data, bss; the TML arena (section .arena) is listed on its own. Flash =
# text + rodata + data, RAM = data + bss (+ arena, + stack).
set -eu
[ $# = 1 ] || { sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
elf=$1 map=${1%.elf}.map
[ -f "$map" ] || { echo "size.sh: no link map $map" >&2; exit 2; }
awk -v elf="$elf" '
function origin(f) {
    if (f ~ /libtml[^\/]*\.a\(/) return "tml"
    if (f ~ /lib(c|c_nano|g|g_nano|m|gcc|rdimon|rdimon_nano|nosys)\.a\(/) return "libc"
    if (f ~ /_data\.c\.obj$/) return "data"
    return "app"
}
function hex(s,   i, v) {
    v = 0; s = tolower(s); sub(/^0x/, "", s)
    for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v
}
function add(sec, size, file,   o, col) {
    o = origin(file)
    if (sec == ".text" || sec == ".init_array" || sec ~ /^\.ARM\.ex/) col = "text"
    else if (sec == ".rodata") col = "rodata"
    else if (sec == ".data") col = "data"
    else if (sec == ".bss") col = "bss"
    else if (sec == ".golden") { col = "rodata"; o = "data" }
    else if (sec == ".arena") col = "arena"
    else return
    sum[o, col] += hex(size)
    tot[col] += hex(size)
}
/^Linker script and memory map/ { on = 1; next }
!on { next }
/^\.[A-Za-z_]/ { sec = $1; pending = 0; next }
$1 == "*fill*" && NF >= 3 && $3 ~ /^0x/ { add(sec, $3, "(alignment)"); next }
/^ [.*A-Za-z_]/ {
    if (NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/) add(sec, $3, $4)
    else if (NF == 1) pending = 1
    next
}
pending && NF == 3 && $1 ~ /^0x/ && $2 ~ /^0x/ { add(sec, $2, $3); pending = 0; next }
{ pending = 0 }
END {
    printf "%s\n", elf
    printf "%-6s %8s %8s %8s %8s %9s %9s\n", "", "text", "rodata", "data", "bss", "flash", "RAM"
    n = split("tml app libc data", rows, " ")
    for (i = 1; i <= n; i++) {
        o = rows[i]
        fl = sum[o, "text"] + sum[o, "rodata"] + sum[o, "data"]
        ram = sum[o, "data"] + sum[o, "bss"]
        printf "%-6s %8d %8d %8d %8d %9d %9d\n", o, sum[o, "text"], sum[o, "rodata"],
            sum[o, "data"], sum[o, "bss"], fl, ram
    }
    printf "%-6s %8d %8d %8d %8d %9d %9d\n", "total", tot["text"], tot["rodata"], tot["data"],
        tot["bss"], tot["text"] + tot["rodata"] + tot["data"], tot["data"] + tot["bss"]
    printf "arena  %d bytes (static buffer, section .arena; the model uses arena_used of it)\n", tot["arena"]
}' "$map"
