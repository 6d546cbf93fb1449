/*
 * Copied from ../shared/tools/emu/qemu-plugin (use, copy or adapt freely).
 *
 * insncount: QEMU TCG plugin that counts executed guest instructions.
 *
 *   -plugin ./insncount.so[,begin=ADDR,end=ADDR][,out=FILE]
 *
 * Every executed instruction adds 1 to a counter (inline TCG op, exact).
 * If begin/end are given (addresses of the firmware's perf_begin/perf_end
 * functions), each begin..end pair is reported as one numbered region:
 * the number of instructions executed from the first instruction of
 * perf_begin up to (not including) the first instruction of perf_end.
 * At exit the total number of executed instructions is reported.
 * Output goes to stderr, or to FILE if out= is given.
 * Single-vCPU machines only (all Cortex-M boards used here).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin-api.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t insns;                  /* updated by inline TCG code */
static uint64_t addr_begin = UINT64_MAX, addr_end = UINT64_MAX;
static uint64_t region_start;
static int in_region;
static unsigned regions;
static FILE *out;

static void on_begin(unsigned int vcpu, void *udata)
{
    (void)vcpu; (void)udata;
    region_start = insns;
    in_region = 1;
}

static void on_end(unsigned int vcpu, void *udata)
{
    (void)vcpu; (void)udata;
    if (!in_region)
        return;
    in_region = 0;
    fprintf(out, "insncount: region %u: %" PRIu64 " instructions\n",
            ++regions, insns - region_start);
    fflush(out);
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t pc = qemu_plugin_insn_vaddr(insn);
        /* Both markers sample the counter at the same point relative to
         * their own instruction, so the difference is exact. */
        if (pc == addr_begin)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin,
                                                   QEMU_PLUGIN_CB_NO_REGS, NULL);
        if (pc == addr_end)
            qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end,
                                                   QEMU_PLUGIN_CB_NO_REGS, NULL);
        qemu_plugin_register_vcpu_insn_exec_inline(insn,
                                                   QEMU_PLUGIN_INLINE_ADD_U64,
                                                   &insns, 1);
    }
}

static void on_atexit(qemu_plugin_id_t id, void *udata)
{
    (void)id; (void)udata;
    fprintf(out, "insncount: total: %" PRIu64 " instructions\n", insns);
    fflush(out);
    if (out != stderr)
        fclose(out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
                                           const qemu_info_t *info,
                                           int argc, char **argv)
{
    (void)info;
    out = stderr;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "begin=", 6) == 0) {
            addr_begin = strtoull(a + 6, NULL, 0) & ~1ull; /* drop Thumb bit */
        } else if (strncmp(a, "end=", 4) == 0) {
            addr_end = strtoull(a + 4, NULL, 0) & ~1ull;
        } else if (strncmp(a, "out=", 4) == 0) {
            out = fopen(a + 4, "w");
            if (!out) {
                perror(a + 4);
                return -1;
            }
        } else {
            fprintf(stderr, "insncount: unknown argument '%s'\n", a);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
    qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
    return 0;
}
