/*
** FULLY_CONNECTED (int8) for Cortex-M cores with Helium (MVE, Cortex-M55),
** byte-identical to the portable kernel (fully_connected.c). Exactness:
** tml_arm_mve.h.
**
** Each weight is used once per input row, so the work is streaming the
** weights: four rows at a time share each 16-byte load of the raw input,
** and each row's 16 weights take one VMLADAVA.S8 (16 MACs) and one
** VADDVA.S8 for in_offset * Sum(row). A weight zero point comes in as
** w_offset * Sum(input + in_offset). The last depth % 16 taps are a
** predicated load (zeros past the row). The four sums are then requantized
** together on vector lanes. No scratch; on the stack only the eight sums
** and the routine's arguments (52 bytes).
*/
#include "tml_variants.h"

#if defined(TML_KERNELS_ARM_MVE)

#include <stddef.h>

#include "tml_arm_mve.h"

/* Four rows over the input's whole 16-byte blocks: t[r] = Sum of row r
** times x, t[4 + r] = Sum of row r; rows are k bytes apart from w. The
** eight sums need every even register (VMLADAVA and VADDVA take no odd
** ones), so the loop counts in r11: 15 instructions per 64 MACs. */
typedef struct fc4_args {
  const int8_t *x, *w;
  int32_t k, blocks; /* blocks >= 1 */
  int32_t *t;
} fc4_args;

#define FC4_ROW(q, d, s, ptr)               \
  "vldrb.u8 " q ", [" ptr "], #16\n\t"     \
  "vmlava.s8 " d ", q0, " q "\n\t"         \
  "vaddva.s8 " s ", " q "\n\t"

__attribute__((naked, noinline)) static void fc4(
    const fc4_args *a __attribute__((unused))) {
  __asm__ volatile(
      "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
      "ldrd r1, r3, [r0]\n\t"
      "ldrd r11, r12, [r0, #8]\n\t"
      "add r5, r3, r11\n\t"
      "add r7, r5, r11\n\t"
      "add r9, r7, r11\n\t"
      "ldr r0, [r0, #16]\n\t"
      "mov r11, r12\n\t"
      "push {r0}\n\t"
      "movs r0, #0\n\t"
      "movs r2, #0\n\t"
      "movs r4, #0\n\t"
      "movs r6, #0\n\t"
      "mov r8, #0\n\t"
      "mov r10, #0\n\t"
      "mov r12, #0\n\t"
      "mov lr, #0\n"
      "1:\n\t"
      "vldrb.u8 q0, [r1], #16\n\t"
      FC4_ROW("q1", "r0", "r8", "r3")
      FC4_ROW("q2", "r2", "r10", "r5")
      FC4_ROW("q3", "r4", "r12", "r7")
      FC4_ROW("q1", "r6", "lr", "r9")
      "subs r11, r11, #1\n\t"
      "bne 1b\n\t"
      "pop {r11}\n\t"
      "stmia r11, {r0, r2, r4, r6, r8, r10, r12, lr}\n\t"
      "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t");
}

/* The four rows' sums (fc4's t) over x's depth taps: the whole blocks,
** then the last depth % 16 by a predicated load (zeros past the row). */
static void dot4(const int8_t *x, const int8_t *w, int32_t k,
                 int32_t depth, int32_t *t) {
  const int32_t blocks = depth >> 4, done = blocks << 4;
  int32_t r;
  if (blocks) {
    fc4_args a;
    a.x = x;
    a.w = w;
    a.k = k;
    a.blocks = blocks;
    a.t = t;
    fc4(&a);
  } else {
    for (r = 0; r < 8; r++) t[r] = 0;
  }
  if (depth & 15) {
    const mve_pred16_t pr = vctp8q((uint32_t)(depth & 15));
    const int8x16_t xv = vldrbq_z_s8(x + done, pr);
    for (r = 0; r < 4; r++) {
      const int8x16_t v = vldrbq_z_s8(w + (size_t)r * k + done, pr);
      t[r] = vmladavaq_s8(t[r], xv, v);
      t[4 + r] = vaddvaq_s8(t[4 + r], v);
    }
  }
}

void tml_fully_connected_s8_arm_mve(const tml_fc_params *p, const int8_t *in,
                                    const int8_t *w, const int32_t *bias,
                                    int8_t *out) {
  const int32_t depth = p->in_depth, od = p->out_depth;
  const int32_t in_offset = p->in_offset, per_channel = p->n_mult != 1;
  const int32_t n = od >= 4 ? 4 : 1;
  const tml_mve_rq q0 = tml_mve_rq_load(p->mult, p->shift, 0, 1, 0);
  int32_t b, o;
  for (b = 0; b < p->batches; b++, in += depth, out += od) {
    /* w_offset * Sum(input + in_offset) starts every sum (per-channel
    ** weights have no zero point: no sum). */
    uint32_t wx = 0;
    if (p->w_offset)
      wx = (uint32_t)p->w_offset *
           ((uint32_t)tml_mve_sum_s8(in, depth) +
            (uint32_t)depth * (uint32_t)in_offset);
    for (o = 0; o < od; o += n) {
      /* Four rows at a time, the last four overlapping the ones before
      ** (their outputs computed again); fewer than four rows one by
      ** one, all four lanes on the same row. */
      const int32_t o0 = od >= 4 ? TML_MIN(o, od - 4) : o;
      const mve_pred16_t pr = vctp32q((uint32_t)n);
      int32_t t[8];
      int32x4_t acc;
      tml_mve_rq q;
      dot4(in, w + (size_t)o0 * depth, n == 4 ? depth : 0, depth, t);
      acc = vmlaq_n_s32(vldrwq_s32(t), vldrwq_s32(t + 4), in_offset);
      acc = vaddq_n_s32(acc, (int32_t)wx);
      if (bias) acc = vaddq_s32(acc, vldrwq_z_s32(bias + o0, pr));
      q = per_channel ? tml_mve_rq_load(p->mult, p->shift, o0, n, 1) : q0;
      vstrbq_p_s32(out + o0,
                   tml_mve_requant(acc, &q, p->out_offset, p->act_min,
                                   p->act_max),
                   pr);
    }
  }
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_fc_arm_mve_unused;
#endif
