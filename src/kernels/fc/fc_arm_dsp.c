/*
** FULLY_CONNECTED (int8) for Cortex-M cores with the DSP extension,
** byte-identical to the portable kernel (fully_connected.c). Exactness:
** tml_arm_dsp.h.
**
** Each weight is used once per input row, so the work is streaming the
** weights: the input row is expanded once into int16 pairs (input +
** in_offset, on the stack), and an assembly routine runs six weight rows
** at a time over it, each 4 weights loaded and sign-extended in registers
** (LDR, 2 SXTB16) against one LDRD of the input: 24 MACs in 31
** instructions. A weight zero point comes out of the sums as
** w_offset * Sum(input + in_offset). The fast requantization takes inputs
** up to TML_DSP_FC_FAST long (the sums' bound); longer ones the portable
** requantization.
*/
#include "tml_variants.h"

#if defined(TML_KERNELS_ARM_DSP)

#include <stddef.h>

#include "tml_arm_dsp.h"

/* Inputs expanded at a time (int16 on the stack), a multiple of 4: 512
** bytes of stack at most. An input longer than this is expanded again for
** TML_DSP_FC_BLOCK rows, about one instruction per 20 MACs. */
#define TML_DSP_FC_CHUNK 256

/* Rows that share one expansion of a chunk: four runs of fc6. */
#define TML_DSP_FC_BLOCK 24

/* The longest input whose sums the fast requantization takes. */
#define TML_DSP_FC_FAST 1024

/* Six rows: s[r] += Sum over the blocks of 4 of row r's weights times the
** expanded input; rows are k bytes apart from w. Rows 0-2 go through w,
** 3-5 through w + 3k, the others at +k and +2k. An odd block first, then
** two per loop turn. */
typedef struct fc6_args {
  const uint32_t *x, *end1, *end; /* input pairs; after the odd block; all */
  const int8_t *w;
  int32_t k;
  int32_t *s;
} fc6_args;

#define FC_ROW(sum, addr)               \
  "ldr r10, " addr "\n\t"               \
  "sxtb16 r11, r10, ror #8\n\t"         \
  "sxtb16 r10, r10\n\t"                 \
  "smlad " sum ", r10, r8, " sum "\n\t" \
  "smlad " sum ", r11, r9, " sum "\n\t"

#define FC_BLOCK                        \
  "ldrd r8, r9, [r6], #8\n\t"           \
  FC_ROW("r1", "[r7, lr]")              \
  FC_ROW("r2", "[r7, lr, lsl #1]")      \
  FC_ROW("r0", "[r7], #4")              \
  FC_ROW("r4", "[r12, lr]")             \
  FC_ROW("r5", "[r12, lr, lsl #1]")     \
  FC_ROW("r3", "[r12], #4")

__attribute__((naked, noinline)) static void fc6(
    const fc6_args *a __attribute__((unused))) {
  __asm__ volatile(
      "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
      "sub sp, sp, #12\n\t"
      "ldr r1, [r0, #20]\n\t"
      "ldr r2, [r0, #8]\n\t"
      "strd r1, r2, [sp]\n\t"
      "ldr r6, [r0, #0]\n\t"
      "ldr r3, [r0, #4]\n\t"
      "str r3, [sp, #8]\n\t"
      "ldr r7, [r0, #12]\n\t"
      "ldr lr, [r0, #16]\n\t"
      "add r12, r7, lr, lsl #1\n\t"
      "add r12, r12, lr\n\t"
      "ldmia r1, {r0, r1, r2, r3, r4, r5}\n\t"
      "ldr r8, [sp, #8]\n\t"
      "cmp r6, r8\n\t"
      "beq 1f\n\t" FC_BLOCK
      "1:\n\t"
      "ldr r8, [sp, #4]\n\t"
      "cmp r6, r8\n\t"
      "beq 3f\n"
      "2:\n\t" FC_BLOCK FC_BLOCK
      "ldr r8, [sp, #4]\n\t"
      "cmp r6, r8\n\t"
      "bne 2b\n"
      "3:\n\t"
      "ldr r6, [sp]\n\t"
      "stmia r6, {r0, r1, r2, r3, r4, r5}\n\t"
      "add sp, sp, #12\n\t"
      "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t");
}

/* n rows' sums (n < 6, or the blocks fc6 has not done: from `from`) over
** the blocks of x, then the input's last taps when it ends the row. */
static void fc_rows(const uint32_t *x, const int8_t *w, int32_t depth,
                    int32_t from, int32_t nb, int32_t n, const int8_t *tail,
                    int32_t ntail, int32_t in_offset, int32_t *s) {
  int32_t r, i;
  for (r = 0; r < n; r++, w += depth) {
    int32_t acc = s[r];
    for (i = from; i < nb; i++) {
      const uint32_t v = tml_dsp_load32(w + 4 * i);
      acc = __smlad(__sxtb16(v), x[2 * i], acc);
      acc = __smlad(tml_dsp_sxtb16_ror8(v), x[2 * i + 1], acc);
    }
    for (i = 0; i < ntail; i++)
      acc = (int32_t)((uint32_t)acc +
                      (uint32_t)(w[4 * nb + i] * (tail[i] + in_offset)));
    s[r] = acc;
  }
}

/* Every row's multiplier and bias within the fast requantization. */
static int fc_fast(const tml_fc_params *p, const int32_t *bias) {
  const int32_t n = p->n_mult == 1 ? 1 : p->out_depth;
  int32_t o;
  for (o = 0; o < n; o++)
    if (!tml_dsp_rq_ok(p->shift[o], NULL)) return 0;
  for (o = 0; bias && o < p->out_depth; o++)
    if (!tml_dsp_rq_ok(-1, &bias[o])) return 0;
  return 1;
}

/* x: room for a chunk's pairs, (TML_MIN(in_depth, TML_DSP_FC_CHUNK) + 3) /
** 4 * 2 words. A longer input is done a chunk at a time for each block of
** TML_DSP_FC_BLOCK rows, expanding every chunk again. Out of line: the
** caller's variable-length array costs a frame pointer, a register short
** here. */
__attribute__((noinline)) static void fc(const tml_fc_params *p,
                                         const int8_t *in, const int8_t *w,
                                         const int32_t *bias, int8_t *out,
                                         uint32_t *x) {
  const int32_t depth = p->in_depth, m_step = p->n_mult == 1 ? 0 : 1;
  const int32_t lo = p->act_min, hi = p->act_max;
  const uint32_t offp = tml_dsp_pair(p->in_offset);
  const int fast = depth <= TML_DSP_FC_FAST && fc_fast(p, bias);
  tml_dsp_rq q = tml_dsp_rq_make(p->mult[0], fast ? p->shift[0] : -1,
                                 p->out_offset);
  int32_t b, o, c0, i;
  for (b = 0; b < p->batches; b++, in += depth, out += p->out_depth) {
    /* w_offset * Sum(input + in_offset) starts every sum (per-channel
    ** weights have no zero point: no sum). */
    uint32_t wx = 0;
    if (p->w_offset) {
      wx = (uint32_t)depth * (uint32_t)p->in_offset;
      for (i = 0; i < depth; i++) wx += (uint32_t)in[i];
      wx *= (uint32_t)p->w_offset;
    }
    for (o = 0; o < p->out_depth;) {
      const int32_t nblk = TML_MIN(TML_DSP_FC_BLOCK, p->out_depth - o);
      int32_t s[TML_DSP_FC_BLOCK], r;
      for (r = 0; r < nblk; r++)
        s[r] = (int32_t)((bias ? (uint32_t)bias[o + r] : 0u) + wx);
      for (c0 = 0; c0 < depth; c0 += TML_DSP_FC_CHUNK) {
        const int32_t len = TML_MIN(TML_DSP_FC_CHUNK, depth - c0);
        const int32_t nb = len / 4;
        if (o == 0 || depth > TML_DSP_FC_CHUNK)
          for (i = 0; i < nb; i++)
            tml_dsp_expand4(&x[2 * i], in + c0 + 4 * i, offp);
        for (r = 0; r < nblk; r += 6) {
          const int32_t n = TML_MIN(6, nblk - r);
          const int8_t *wo = w + (size_t)(o + r) * depth + c0;
          if (n == 6 && nb > 0) {
            fc6_args a;
            a.x = x;
            a.end1 = x + 2 * (nb & 1);
            a.end = x + 2 * nb;
            a.w = wo;
            a.k = depth;
            a.s = s + r;
            fc6(&a);
          }
          if (n < 6 || len % 4)
            fc_rows(x, wo, depth, n == 6 ? nb : 0, nb, n, in + c0 + 4 * nb,
                    len % 4, p->in_offset, s + r);
        }
      }
      for (r = 0; r < nblk; r++, o++) {
        const int32_t c = o * m_step;
        if (fast) {
          if (m_step)
            q = tml_dsp_rq_make(p->mult[c], p->shift[c], p->out_offset);
          out[o] = tml_dsp_clamp(tml_dsp_requant(&q, s[r]), lo, hi);
        } else {
          out[o] = tml_dsp_out(s[r], p->mult[c], p->shift[c], p->out_offset,
                               lo, hi);
        }
      }
    }
  }
}

/* The expanded input (a chunk of it) lives on the stack: 2 bytes per
** input, at most TML_DSP_FC_CHUNK * 2 (a variable-length array, so that
** short rows take little). */
void tml_fully_connected_s8_arm_dsp(const tml_fc_params *p, const int8_t *in,
                                    const int8_t *w, const int32_t *bias,
                                    int8_t *out) {
  uint32_t x[(TML_MIN(p->in_depth, TML_DSP_FC_CHUNK) + 3) / 4 * 2];
  fc(p, in, w, bias, out, x);
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_fc_arm_dsp_unused;
#endif
