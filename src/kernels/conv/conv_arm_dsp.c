/*
** CONV_2D and DEPTHWISE_CONV_2D (int8) for Cortex-M cores with the DSP
** extension, byte-identical to the portable kernels (conv2d.c,
** depthwise_conv2d.c, conv_inplace.c) on every input they accept.
** Exactness: tml_arm_dsp.h.
**
** CONV_2D is a GEMM: six output positions at a time are expanded (the
** CMSIS-NN paper's partial im2col) into int16 rows holding input +
** in_offset, 0 for padding taps; an assembly routine then runs each output
** channel over the six rows, its filter row sign-extended in registers, and
** requantizes: 24 MACs per 18 instructions. Rows cost about 1.3
** instructions per tap, shared by every channel: in a window inside the
** image each filter row is one run of the input, expanded 8 taps per 10
** instructions (SXTAB16 adds the offset), at the borders the image's part
** of it when channels come in groups of 4; other windows (groups, x
** dilation, odd channel counts) are gathered into an int8 row first, the
** zero point in the padding (inside the image a word at a time: vww's
** first layer, 3 channels, spends most of its time building rows). The in-place 1x1 convolution expands six
** pixels, then writes their outputs over them.
**
** DEPTHWISE_CONV_2D works one input channel at a time: it is gathered into
** an int8 plane (the zero point in the padding, so every tap can be summed;
** out of place a band of output rows at a time, tml_dw_dsp_band),
** where taps x, x+2 and x+1, x+3 of a 4-byte load are SXTB16 pairs; the
** weights are the matching int16 pairs, and in_offset * Sum(w) is folded
** into the bias. A 3x3 stride-1 filter computes two outputs per load: 49
** instructions per 36 MACs. The plane's rows run along the output's longer
** side. In place, a channel's input is all in the plane before its outputs
** overwrite it, so the same code serves.
*/
#include "tml_variants.h"

#if defined(TML_KERNELS_ARM_DSP)

#include <stddef.h>
#include <string.h>

#include "tml_arm_dsp.h"
#include "tml_conv_dsp.h"
#include "tml_conv_util.h"

/* ------------------------------------------------------------ GEMM rows */

/* int16 per block of 4 taps of the six rows. */
#define A_BLOCK 24
#define ROWS 6

/* Row `slot`'s taps i .. i+3 (i a multiple of 4): two words. */
static inline uint32_t *row_at(int16_t *a, int32_t slot, int32_t i) {
  return (uint32_t *)(void *)(a + (size_t)(i >> 2) * A_BLOCK + slot * 4);
}

/* n groups of 4 taps from src + offset into row words from d on (row_at);
** returns where the next group goes. */
static inline uint32_t *expand_groups(uint32_t *d, const int8_t *src,
                                      int32_t n, uint32_t offp) {
  uint32_t t0, t1, t2, t3;
  if (n & 1) {
    tml_dsp_expand4(d, src, offp);
    d += A_BLOCK / 2;
    src += 4;
  }
  if (n >>= 1)
    __asm__ volatile(
        "1:\n\t"
        "ldr %[t0], [%[s]], #4\n\t"
        "ldr %[t2], [%[s]], #4\n\t"
        "sxtab16 %[t1], %[o], %[t0]\n\t"
        "sxtab16 %[t0], %[o], %[t0], ror #8\n\t"
        "sxtab16 %[t3], %[o], %[t2]\n\t"
        "sxtab16 %[t2], %[o], %[t2], ror #8\n\t"
        "strd %[t1], %[t0], [%[d]], #48\n\t"
        "strd %[t3], %[t2], [%[d]], #48\n\t"
        "subs %[n], %[n], #1\n\t"
        "bne 1b\n\t"
        : [d] "+r"(d), [s] "+r"(src), [n] "+r"(n), [t0] "=&r"(t0),
          [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)
        : [o] "r"(offp)
        : "cc", "memory");
  return d;
}

/* Six rows by one channel, every channel of a run, in one assembly
** routine: each row's sums start at the bias, 4 taps of the filter row are
** sign-extended (LDR, 2 SXTB16) and meet the six rows (3 LDM, 12 SMLAD):
** 24 MACs in 18 instructions. Then each sum s is requantized with e =
** -shift >= 1: when e <= emax (22 if every bias of the layer is below
** 2^29, else 0), as tml_dsp_requant, SSAT8((k - [s < 0] + SMMLAR(2s,
** mult)) >> e), k = (2 * out_offset + 1) << (e - 1); otherwise from the
** 64-bit product: A = s * mult + 2^30, c = 2^(e-1) - [A < 0], out =
** SSAT8(((A + c * 2^31) >> (31 + e)) + out_offset) (both derived in
** tml_arm_dsp.h). Row j's output goes to out + j * stride. The channel
** loop's state stays in the routine's frame, a copy of the arguments,
** laid out for LDRD. */
typedef struct gemm6_args {
  const int16_t *a, *end1, *end; /* rows; after the odd blocks; after all */
  const int8_t *w;               /* the first channel's filter row */
  int32_t wadj;                  /* taps - 4 * blocks: back to the next row */
  const int32_t *bias;
  int32_t bstep; /* 4, or 0 to read one zero bias for every channel */
  const int32_t *mult;
  const int8_t *shift; /* every one <= -1 */
  int32_t nemax;       /* -emax */
  int32_t off2;        /* 2 * out_offset + 1 */
  int8_t *out;         /* the first channel's row 0 */
  int32_t stride;
  int8_t *out_end; /* out + channels, channels >= 1 */
  int32_t out_offset;
} gemm6_args;

#define BLOCK6                         \
  "ldr r8, [r6], #4\n\t"               \
  "sxtb16 r9, r8, ror #8\n\t"          \
  "sxtb16 r8, r8\n\t"                  \
  "ldmia r7!, {r10, r11, r12, lr}\n\t" \
  "smlad r0, r10, r8, r0\n\t"          \
  "smlad r0, r11, r9, r0\n\t"          \
  "smlad r1, r12, r8, r1\n\t"          \
  "smlad r1, lr, r9, r1\n\t"           \
  "ldmia r7!, {r10, r11, r12, lr}\n\t" \
  "smlad r2, r10, r8, r2\n\t"          \
  "smlad r2, r11, r9, r2\n\t"          \
  "smlad r3, r12, r8, r3\n\t"          \
  "smlad r3, lr, r9, r3\n\t"           \
  "ldmia r7!, {r10, r11, r12, lr}\n\t" \
  "smlad r4, r10, r8, r4\n\t"          \
  "smlad r4, r11, r9, r4\n\t"          \
  "smlad r5, r12, r8, r5\n\t"          \
  "smlad r5, lr, r9, r5\n\t"

/* Sum r to int8 in r10: r9 = k, r11 = e, r12 = mult. */
#define RQ(r)                          \
  "lsl r10, " r ", #1\n\t"             \
  "add " r ", r9, " r ", asr #31\n\t"  \
  "smmlar r10, r10, r12, " r "\n\t"    \
  "asr r10, r10, r11\n\t"              \
  "ssat r10, #8, r10\n\t"

/* The same from the 64-bit product: r9 = 2^(e-1), r11 = e - 1; stored at
** r7, which moves on by the stride. */
#define GQ(r)                                \
  "smull r10, lr, " r ", r12\n\t"            \
  "adds r10, r10, #0x40000000\n\t"           \
  "adc lr, lr, #0\n\t"                       \
  "add " r ", r9, lr, asr #31\n\t"           \
  "adds r10, r10, " r ", lsl #31\n\t"        \
  "adc lr, lr, " r ", lsr #1\n\t"            \
  "asr r10, lr, r11\n\t"                     \
  "ldr r8, [sp, #56]\n\t"                    \
  "add r10, r10, r8\n\t"                     \
  "ssat r10, #8, r10\n\t"                    \
  "ldr r8, [sp, #48]\n\t"                    \
  "strb r10, [r7]\n\t"                       \
  "add r7, r7, r8\n\t"

__attribute__((naked, noinline)) static void gemm6_fast(
    const gemm6_args *x __attribute__((unused))) {
  __asm__ volatile(
      "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
      "sub sp, sp, #64\n\t"
      "ldmia r0!, {r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}\n\t"
      "stmia sp, {r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12}\n\t"
      "ldmia r0, {r1, r2, r3}\n\t"
      "add r9, sp, #48\n\t"
      "stmia r9, {r1, r2, r3}\n\t"
      "ldr r6, [sp, #12]\n"
      "0:\n\t"
      "ldrd r8, r9, [sp, #20]\n\t"
      "ldr r0, [r8]\n\t"
      "add r8, r8, r9\n\t"
      "str r8, [sp, #20]\n\t"
      "mov r1, r0\n\t"
      "mov r2, r0\n\t"
      "mov r3, r0\n\t"
      "mov r4, r0\n\t"
      "mov r5, r0\n\t"
      "ldrd r7, r8, [sp, #0]\n\t"
      "cmp r7, r8\n\t"
      "beq 2f\n"
      "1:\n\t" BLOCK6
      "ldr r8, [sp, #4]\n\t"
      "cmp r7, r8\n\t"
      "bne 1b\n"
      "2:\n\t"
      "ldr r8, [sp, #8]\n\t"
      "cmp r7, r8\n\t"
      "beq 4f\n"
      "3:\n\t" BLOCK6 BLOCK6 BLOCK6 BLOCK6
      "ldr r8, [sp, #8]\n\t"
      "cmp r7, r8\n\t"
      "bne 3b\n"
      "4:\n\t"
      "ldr r8, [sp, #16]\n\t"
      "add r6, r6, r8\n\t"
      "ldrd r7, r8, [sp, #28]\n\t"
      "ldr r12, [r7], #4\n\t"
      "ldrsb r11, [r8], #1\n\t"
      "strd r7, r8, [sp, #28]\n\t"
      "ldrd r8, r9, [sp, #36]\n\t"
      "cmp r11, r8\n\t"
      "blt 7f\n\t"
      "mvn r10, r11\n\t"
      "rsb r11, r11, #0\n\t"
      "lsl r9, r9, r10\n\t"
      "ldrd r7, r8, [sp, #44]\n\t"
      RQ("r0") "strb r10, [r7]\n\t"
      RQ("r1") "strb r10, [r7, r8]\n\t"
      "add lr, r7, r8, lsl #1\n\t"
      RQ("r2") "strb r10, [lr]\n\t"
      RQ("r3") "strb r10, [lr, r8]\n\t"
      "add lr, lr, r8, lsl #1\n\t"
      RQ("r4") "strb r10, [lr]\n\t"
      RQ("r5") "strb r10, [lr, r8]\n"
      "6:\n\t"
      "add r7, r7, #1\n\t"
      "str r7, [sp, #44]\n\t"
      "ldr r8, [sp, #52]\n\t"
      "cmp r7, r8\n\t"
      "bne 0b\n\t"
      "add sp, sp, #64\n\t"
      "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n"
      "7:\n\t"
      "mvn r11, r11\n\t"
      "mov r9, #1\n\t"
      "lsl r9, r9, r11\n\t"
      "ldr r7, [sp, #44]\n\t"
      GQ("r0") GQ("r1") GQ("r2") GQ("r3") GQ("r4") GQ("r5")
      "ldr r7, [sp, #44]\n\t"
      "b 6b\n\t");
}

/* Row `slot` = the taps of output position (oy, ox) of image `img` (input
** channels cin0 .. cin0 + filter.c), 0 for padding and up to kp. A window
** inside the image with whole filter rows of 4-tap groups expands straight
** from the input; otherwise the int8 row (`row`, kp bytes) is gathered,
** the zero point (0 once offset) for padding and up to kp. */
static void build_row(const tml_conv_params *p, const int8_t *img,
                      int32_t cin0, int32_t oy, int32_t ox, int16_t *a,
                      int32_t slot, uint32_t offp, int32_t kp, int8_t *row) {
  const int32_t ic = p->in.c, fc = p->filter.c, fw = p->filter.w;
  const int32_t run = fw * fc;
  const int32_t iy0 = oy * p->stride_h - p->pad_h;
  const int32_t ix0 = ox * p->stride_w - p->pad_w;
  const uint32_t zp4 = 0x01010101u * (uint8_t)-p->in_offset;
  uint32_t *w4 = (uint32_t *)(void *)row;
  int32_t fy0, fy1, fx0, fx1, fy, fx, i;
  int8_t *d, *end;
  if (tml_conv_dsp_aligned(p) && iy0 >= 0 &&
      iy0 + (p->filter.h - 1) * p->dilation_h < p->in.h && ix0 >= 0 &&
      ix0 + fw <= p->in.w) {
    const ptrdiff_t step = (ptrdiff_t)p->dilation_h * p->in.w * ic;
    const int8_t *src = img + ((ptrdiff_t)iy0 * p->in.w + ix0) * ic;
    uint32_t *dst = row_at(a, slot, 0);
    for (fy = 0; fy < p->filter.h; fy++, src += step)
      dst = expand_groups(dst, src, run / 4, offp);
    return;
  }
  if (fc == ic && p->dilation_w == 1 && iy0 >= 0 &&
      iy0 + (p->filter.h - 1) * p->dilation_h < p->in.h && ix0 >= 0 &&
      ix0 + fw <= p->in.w) {
    /* Inside the image, filter rows not of whole groups (3 input
    ** channels): each row's run is copied by words into the int8 row. */
    const ptrdiff_t step = (ptrdiff_t)p->dilation_h * p->in.w * ic;
    const int8_t *src = img + ((ptrdiff_t)iy0 * p->in.w + ix0) * ic;
    d = row;
    for (fy = 0; fy < p->filter.h; fy++, src += step) {
      const int8_t *t = src;
      for (i = 0; i + 4 <= run; i += 4, d += 4, t += 4)
        tml_dsp_store32(d, tml_dsp_load32(t));
      for (; i < run; i++) *d++ = *t++;
    }
    for (end = row + kp; d != end;) *d++ = (int8_t)zp4;
    expand_groups(row_at(a, slot, 0), row, kp / 4, offp);
    return;
  }
  tml_conv_taps(iy0, p->dilation_h, p->in.h, p->filter.h, &fy0, &fy1);
  tml_conv_taps(ix0, p->dilation_w, p->in.w, fw, &fx0, &fx1);
  if (tml_conv_dsp_aligned(p) && ic % 4 == 0) {
    /* Channels in whole groups: the image's part of each filter row still
    ** expands in place, zeros around it. */
    uint32_t *dst = row_at(a, slot, 0);
    const int32_t g0 = fx0 * ic / 4, g1 = fx1 * ic / 4, groups = run / 4;
    for (fy = 0; fy < p->filter.h; fy++, dst += groups * (A_BLOCK / 2)) {
      const int in = fy >= fy0 && fy < fy1 && g0 < g1;
      for (i = 0; i < groups; i++) {
        if (in && i == g0) {
          expand_groups(dst + g0 * (A_BLOCK / 2),
                        img + ((ptrdiff_t)(iy0 + fy * p->dilation_h) *
                                   p->in.w + ix0 + fx0) * ic,
                        g1 - g0, offp);
          i = g1;
          if (i == groups) break;
        }
        dst[i * (A_BLOCK / 2)] = dst[i * (A_BLOCK / 2) + 1] = 0;
      }
    }
    return;
  }
  for (i = 0; i < kp / 4; i++) w4[i] = zp4;
  {
    /* Without groups and x dilation a filter row's taps in the image are
    ** one run of the input. */
    const int one = fc == ic && p->dilation_w == 1;
    const int32_t len = one ? (fx1 - fx0) * fc : fc;
    const int32_t runs = one ? fx0 < fx1 : fx1 - fx0;
    const ptrdiff_t step = (ptrdiff_t)p->dilation_w * ic;
    for (fy = fy0; fy < fy1; fy++) {
      const int8_t *t = img + ((ptrdiff_t)(iy0 + fy * p->dilation_h) *
                                   p->in.w + ix0 + fx0 * p->dilation_w) *
                                  ic + cin0;
      for (fx = 0, d = row + fy * run + fx0 * fc; fx < runs;
           fx++, t += step - len)
        for (end = d + len; d != end;) *d++ = *t++;
    }
  }
  expand_groups(row_at(a, slot, 0), row, kp / 4, offp);
}

/* ------------------------------------------------------------ GEMM */

/* The C side of the GEMM: channels c0 .. c1 - 1 over the last n rows of
** `a` (clamps other than int8's, non-negative shifts), filter row c at
** w + (c - c0) * k. */
static void gemm_c(const tml_conv_params *p, const int16_t *a,
                   const int8_t *w, const int32_t *bias, int32_t n,
                   int32_t c0, int32_t c1, int8_t *out, int small) {
  const int32_t k = tml_conv_dsp_taps(p), oc = p->out.c;
  const int32_t nb = (int32_t)(tml_conv_dsp_kp(p) / 4);
  const uint32_t *rows = (const uint32_t *)(const void *)a + 2 * (ROWS - n);
  int32_t c, j, i;
  for (c = c0; c < c1; c++, w += k) {
    const int fast = small && tml_dsp_rq_ok(p->shift[c], NULL);
    const tml_dsp_rq q =
        tml_dsp_rq_make(p->mult[c], fast ? p->shift[c] : -1, p->out_offset);
    for (j = 0; j < n; j++) {
      const uint32_t *ab = rows + 2 * j;
      int32_t s = bias ? bias[c] : 0;
      for (i = 0; i < nb; i++, ab += A_BLOCK / 2) {
        const uint32_t v = tml_dsp_load32(w + 4 * i);
        s = __smlad(ab[0], __sxtb16(v), s);
        s = __smlad(ab[1], tml_dsp_sxtb16_ror8(v), s);
      }
      out[j * oc + c] =
          fast ? tml_dsp_clamp(tml_dsp_requant(&q, s), p->act_min, p->act_max)
               : tml_dsp_out(s, p->mult[c], p->shift[c], p->out_offset,
                             p->act_min, p->act_max);
    }
  }
}

/* Channels c0 .. c1 - 1 of the n (<= ROWS) positions in the last n rows of
** `a`; position j's channels start at out + j * out.c. With int8's clamp
** (full), runs of channels with shift <= -1 go to the routine when there
** are six rows, or one (stride 0: the five rows before it store where it
** does, before it does); fewer than six positions in a layer otherwise run
** in C. small: every bias below 2^29 and at most TML_DSP_MAX_TAPS taps.
** The filter's last row, when the taps are not whole blocks, is read from
** `last` (padded with zeros): the routine and gemm_c read whole blocks,
** which must not run past the filter. Channels below `run` (fast_run) are
** known to go to the routine. */
static void gemm(const tml_conv_params *p, const int16_t *a,
                 const int8_t *filter, const int32_t *bias, int32_t n,
                 int32_t c0, int32_t c1, int8_t *out, int full, int small,
                 const int8_t *last, int32_t run) {
  static const int32_t zero = 0;
  const int32_t k = tml_conv_dsp_taps(p), oc = p->out.c;
  const int32_t nb = (int32_t)(tml_conv_dsp_kp(p) / 4);
  const int rout = full && (n == ROWS || n == 1);
  int32_t c = c0, e;
  gemm6_args x;
  x.a = a;
  x.end1 = a + (size_t)(nb & 3) * A_BLOCK;
  x.end = a + (size_t)nb * A_BLOCK;
  x.wadj = k - 4 * nb;
  x.bstep = bias ? 4 : 0;
  x.nemax = small ? -TML_DSP_MAX_RSHIFT : 0;
  x.off2 = 2 * p->out_offset + 1;
  x.stride = n == 1 ? 0 : oc;
  x.out_offset = p->out_offset;
  while (c < c1) {
    /* A run ends before a shift >= 0 and before the padded last row. */
    e = c;
    if (rout)
      for (e = c < run ? TML_MIN(run, c1) : c;
           e < c1 && p->shift[e] <= -1 && (e < oc - 1 || !last); e++) {
      }
    if (e > c || (c == oc - 1 && last && rout && p->shift[c] <= -1)) {
      /* A run, or the padded last row on its own. */
      x.w = e > c ? filter + (size_t)c * k : last;
      x.bias = bias ? bias + c : &zero;
      x.mult = p->mult + c;
      x.shift = p->shift + c;
      x.out = out + c;
      x.out_end = out + TML_MAX(e, c + 1);
      gemm6_fast(&x);
      c = TML_MAX(e, c + 1);
    } else {
      gemm_c(p, a, c == oc - 1 && last ? last : filter + (size_t)c * k, bias,
             n, c, c + 1, out, small);
      c++;
    }
  }
}

/* The last filter row padded with zeros to kp, at `buf`, when the taps
** are not whole blocks; NULL otherwise. */
static const int8_t *pad_last_row(const tml_conv_params *p,
                                  const int8_t *filter, int8_t *buf) {
  const int32_t k = tml_conv_dsp_taps(p);
  if (k % 4 == 0) return NULL;
  memcpy(buf, filter + (size_t)(p->out.c - 1) * k, (size_t)k);
  memset(buf + k, 0, (size_t)(4 - k % 4));
  return buf;
}

/* The channels from 0 up that go to the routine (gemm): int8's clamp,
** shifts <= -1, not the padded last row. */
static int32_t fast_run(const tml_conv_params *p, int full,
                        const int8_t *last) {
  int32_t c = 0;
  while (full && c < p->out.c - (last != NULL) && p->shift[c] <= -1) c++;
  return c;
}

/* Every bias below 2^29 and few enough taps (the fast requantization's
** bounds). */
static int small_sums(const tml_conv_params *p, const int32_t *bias) {
  int32_t c;
  if (tml_conv_dsp_taps(p) > TML_DSP_MAX_TAPS) return 0;
  for (c = 0; bias && c < p->out.c; c++)
    if (!tml_dsp_rq_ok(-1, &bias[c])) return 0;
  return 1;
}

/* Scratch: the rows, the gathered int8 row, the padded last filter row. */
void tml_conv2d_s8_arm_dsp(const tml_conv_params *p, const int8_t *in,
                           const int8_t *filter, const int32_t *bias,
                           int8_t *out, void *scratch) {
  const int32_t kp = (int32_t)tml_conv_dsp_kp(p), oc = p->out.c;
  const int32_t npix = p->out.h * p->out.w;
  const int32_t groups = p->in.c / p->filter.c, per = oc / groups;
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  const uint32_t offp = tml_dsp_pair(p->in_offset);
  const int full = p->act_min == -128 && p->act_max == 127;
  const int small = small_sums(p, bias);
  int16_t *a = (int16_t *)scratch;
  int8_t *row = (int8_t *)(a + ROWS * (size_t)kp);
  const int8_t *last = pad_last_row(p, filter, row + kp);
  const int32_t run = fast_run(p, full, last);
  /* A 1x1 stride-1 layer's positions are its pixels: rows straight from
  ** the input. */
  const int pointwise = tml_conv2d_s8_inplace_ok(p) && p->in.c % 4 == 0;
  int32_t b, q, j, g;
  for (b = 0; b < p->out.n; b++, in += image, out += (ptrdiff_t)npix * oc) {
    for (q = 0; q < npix; q += ROWS) {
      /* The last six positions overlap the six before (their outputs
      ** computed again), so that the routine runs six. */
      const int32_t q0 = TML_MAX(TML_MIN(q, npix - ROWS), 0);
      const int32_t n = TML_MIN(ROWS, npix - q0);
      for (g = 0; g < groups; g++) {
        if (pointwise)
          for (j = 0; j < n; j++)
            expand_groups(row_at(a, ROWS - n + j, 0),
                          in + (ptrdiff_t)(q0 + j) * kp, kp / 4, offp);
        else
          for (j = 0; j < n; j++)
            build_row(p, in, g * p->filter.c, (q0 + j) / p->out.w,
                      (q0 + j) % p->out.w, a, ROWS - n + j, offp, kp, row);
        gemm(p, a, filter, bias, n, g * per, (g + 1) * per,
             out + (ptrdiff_t)q0 * oc, full, small, last, run);
      }
    }
  }
}

/* Rows `from` .. from + m - 1 of every block to rows `to` ..: the last
** six pixels in place overlap the six before, whose rows are still here. */
static void move_rows(int16_t *a, int32_t kp, int32_t from, int32_t to,
                      int32_t m) {
  int32_t i;
  for (i = 0; i < kp / 4; i++, a += A_BLOCK)
    memmove(a + to * 4, a + from * 4, (size_t)m * 8);
}

/* Six pixels at a time: expanded, then their outputs written over them.
** Forward when an output pixel is not wider than an input pixel (outputs
** q..q+5 end before input q+6 starts), backward otherwise (they start at
** or after input q, and inputs below q are untouched). The last n < 6
** pixels run with the 6 - n next to them, whose rows the six before left
** and whose outputs are written again, the same bytes. Scratch: the rows;
** when the channels are not whole blocks, a pixel padded to kp and the
** padded last filter row. */
void tml_conv2d_s8_inplace_arm_dsp(const tml_conv_params *p, int8_t *data,
                                   const int8_t *filter, const int32_t *bias,
                                   void *scratch) {
  const int32_t npix = p->in.n * p->in.h * p->in.w;
  const int32_t ic = p->in.c, oc = p->out.c;
  const int32_t kp = (int32_t)tml_conv_dsp_kp(p);
  const uint32_t offp = tml_dsp_pair(p->in_offset);
  const int full = p->act_min == -128 && p->act_max == 127;
  const int small = small_sums(p, bias);
  const int forward = oc <= ic;
  int16_t *a = (int16_t *)scratch;
  int8_t *px = (int8_t *)(a + ROWS * kp);
  const int8_t *last = pad_last_row(p, filter, px + kp);
  const int32_t run = fast_run(p, full, last);
  int32_t done, i;
  for (done = 0; done < npix; done += ROWS) {
    const int32_t n = TML_MIN(ROWS, npix - done);
    const int32_t q = forward ? done : npix - done - n;
    const int overlap = n < ROWS && done > 0;
    int32_t slot = ROWS - n, first = q;
    if (overlap && forward) {
      move_rows(a, kp, n, 0, ROWS - n);
      first = q - (ROWS - n);
    } else if (overlap) {
      move_rows(a, kp, 0, n, ROWS - n);
      slot = 0;
    }
    for (i = 0; i < n; i++) {
      const int8_t *src = data + (ptrdiff_t)(q + i) * ic;
      if (ic % 4) {
        /* The zero point past the channels is 0 once offset. */
        memset(px + ic - ic % 4, (int8_t)-p->in_offset, 4);
        memcpy(px, src, (size_t)ic);
        src = px;
      }
      expand_groups(row_at(a, slot + i, 0), src, kp / 4, offp);
    }
    gemm(p, a, filter, bias, overlap ? ROWS : n, 0, oc,
         data + (ptrdiff_t)first * oc, full, small, last, run);
  }
}

/* ------------------------------------------------------------ depthwise */

/* The layer seen along the plane's rows (tml_dw_dsp_transposed swaps x and
** y): output rows, outputs per row, strides, dilations, padding, filter
** taps across and along rows, input rows and columns; element steps of the
** input, the filter and the output positions across and along a row; bytes
** per plane row, output rows per band, plane rows per band and per output
** row's filter taps; the columns x0 .. x1 - 1 of a plane row the image
** covers, and the words of the row before x0, from x1 on, in all; the zero
** point's bytes; the layer's filter, bias and scratch. */
typedef struct dw_geom {
  int32_t oh, ow, sh, sw, dh, dw, ph, pw, fh, fw, ih, iw;
  ptrdiff_t in_r, in_x, f_r, f_x, o_r, o_x;
  int32_t rw, band, rows, span, groups, x0, x1, w0, w1, words;
  uint32_t zp4;
  const int8_t *filter;
  const int32_t *bias;
  uint8_t *work;
} dw_geom;

static void dw_geom_init(const tml_conv_params *p, int in_place,
                         const int8_t *filter, const int32_t *bias,
                         void *scratch, dw_geom *g) {
  const ptrdiff_t ic = p->in.c, oc = p->out.c;
  if (tml_dw_dsp_transposed(p)) {
    g->oh = p->out.w, g->ow = p->out.h, g->sh = p->stride_w;
    g->sw = p->stride_h, g->dh = p->dilation_w, g->dw = p->dilation_h;
    g->ph = p->pad_w, g->pw = p->pad_h, g->fh = p->filter.w;
    g->fw = p->filter.h, g->ih = p->in.w, g->iw = p->in.h, g->in_r = ic;
    g->in_x = p->in.w * ic, g->f_r = oc, g->f_x = p->filter.w * oc;
    g->o_r = 1, g->o_x = p->out.w;
  } else {
    g->oh = p->out.h, g->ow = p->out.w, g->sh = p->stride_h;
    g->sw = p->stride_w, g->dh = p->dilation_h, g->dw = p->dilation_w;
    g->ph = p->pad_h, g->pw = p->pad_w, g->fh = p->filter.h;
    g->fw = p->filter.w, g->ih = p->in.h, g->iw = p->in.w;
    g->in_r = p->in.w * ic, g->in_x = ic, g->f_r = p->filter.w * oc;
    g->f_x = oc, g->o_r = p->out.w, g->o_x = 1;
  }
  g->rw = (int32_t)tml_dw_dsp_row(p);
  g->band = tml_dw_dsp_band(p, in_place);
  g->rows = (int32_t)tml_dw_dsp_rows(p, g->band);
  g->groups = tml_dw_dsp_groups(p);
  g->span = (g->fh - 1) * g->dh + 1;
  g->x0 = TML_MIN(g->pw, g->rw);
  g->x1 = TML_MAX(g->x0, TML_MIN(g->rw, g->pw + g->iw));
  g->w0 = (g->x0 + 3) / 4, g->w1 = g->x1 / 4, g->words = g->rw / 4;
  g->zp4 = 0x01010101u * (uint8_t)-p->in_offset;
  g->filter = filter;
  g->bias = bias;
  g->work = (uint8_t *)scratch;
}

/* Filter column c as SXTB16 pairs: for row fy and tap group k, (w[4k],
** w[4k+2]) and (w[4k+1], w[4k+3]), 0 past the row's taps. Returns the sum
** of the weights. */
static int32_t dw_weights(const dw_geom *g, const int8_t *filter, int32_t c,
                          uint32_t *wp) {
  const ptrdiff_t fx = g->f_x;
  int32_t fy, k, sum = 0;
  for (fy = 0; fy < g->fh; fy++) {
    const int8_t *f = filter + fy * g->f_r + c;
    for (k = 0; k < g->groups; k++, wp += 2, f += 4 * fx) {
      const int32_t left = g->fw - 4 * k;
      const int32_t w0 = f[0], w1 = left > 1 ? f[fx] : 0;
      const int32_t w2 = left > 2 ? f[2 * fx] : 0;
      const int32_t w3 = left > 3 ? f[3 * fx] : 0;
      sum += w0 + w1 + w2 + w3;
      wp[0] = ((uint32_t)w0 & 0xffffu) | ((uint32_t)w2 << 16);
      wp[1] = ((uint32_t)w1 & 0xffffu) | ((uint32_t)w3 << 16);
    }
  }
  return sum;
}

/* Rows r0 .. r0 + n - 1 of input channel c's padded plane: row r, column
** x is input (r - ph, x - pw) along the geometry, the zero point outside
** the image. */
static void dw_gather(const dw_geom *g, const int8_t *img, int32_t c,
                      int8_t *plane, int32_t r0, int32_t n) {
  const int32_t rw = g->rw, x0 = g->x0, x1 = g->x1;
  const int32_t r1 = x0 == x1 ? 0 : g->ph + g->ih;
  const uint32_t zp4 = g->zp4;
  const ptrdiff_t step = g->in_x;
  int32_t r, x;
  for (r = r0; r < r0 + n; r++, plane += rw) {
    uint32_t *wd = (uint32_t *)(void *)plane;
    const int8_t *src;
    int8_t *dst, *end;
    /* The zero point where the image does not reach: whole padding rows,
    ** the words at either end of the others. */
    if (r < g->ph || r >= r1) {
      for (x = 0; x < g->words; x++) wd[x] = zp4;
      continue;
    }
    for (x = 0; x < g->w0; x++) wd[x] = zp4;
    for (x = g->w1; x < g->words; x++) wd[x] = zp4;
    src = img + (r - g->ph) * g->in_r + (x0 - g->pw) * step + c;
    dst = plane + x0;
    end = dst + (x1 - x0);
    if (end - dst >= 4) {
      /* Unrolled by hand: GCC keeps the steps on the stack here. */
      int8_t *const end4 = dst + ((end - dst) & ~(ptrdiff_t)3);
      const ptrdiff_t step2 = 2 * step, step3 = 3 * step;
      uint32_t t0, t1;
      __asm__ volatile(
          "1:\n\t"
          "ldrb %[t0], [%[s]]\n\t"
          "ldrb %[t1], [%[s], %[st]]\n\t"
          "strb %[t1], [%[d], #1]\n\t"
          "ldrb %[t1], [%[s], %[st2]]\n\t"
          "strb %[t1], [%[d], #2]\n\t"
          "ldrb %[t1], [%[s], %[st3]]\n\t"
          "strb %[t1], [%[d], #3]\n\t"
          "add %[s], %[s], %[st], lsl #2\n\t"
          "strb %[t0], [%[d]], #4\n\t"
          "cmp %[d], %[e]\n\t"
          "bne 1b\n\t"
          : [d] "+r"(dst), [s] "+r"(src), [t0] "=&r"(t0), [t1] "=&r"(t1)
          : [st] "r"(step), [st2] "r"(step2), [st3] "r"(step3),
            [e] "r"(end4)
          : "cc", "memory");
    }
    for (; dst != end; dst++, src += step) *dst = *src;
  }
}

/* 3x3, stride 1 along rows: sums of outputs 0 .. 2 * pairs of a row, r0
** the first of its three plane rows. Word x..x+3 of a row gives
** E = (x, x+2) and O = (x+1, x+3); with W02 = (w0, w2) and w1:
** out[x] = E.W02 + w1 * O.lo, out[x+1] = O.W02 + w1 * E.hi. w1 of rows 0
** and 1 share a register. An odd pair first, then 49 instructions per 4
** outputs, 36 MACs. */
#define TML_DW3X3_PAIR                                                 \
  "ldr %[v], [%[p]]\n\t"                                              \
  "sxtb16 %[e], %[v]\n\t"                                             \
  "sxtb16 %[v], %[v], ror #8\n\t"                                     \
  "smlad %[s0], %[a0], %[e], %[init]\n\t"                             \
  "smlad %[s1], %[a0], %[v], %[init]\n\t"                             \
  "smlabb %[s0], %[b01], %[v], %[s0]\n\t"                             \
  "smlabt %[s1], %[b01], %[e], %[s1]\n\t"                             \
  "ldr %[v], [%[p], %[rw]]\n\t"                                       \
  "sxtb16 %[e], %[v]\n\t"                                             \
  "sxtb16 %[v], %[v], ror #8\n\t"                                     \
  "smlad %[s0], %[a1], %[e], %[s0]\n\t"                               \
  "smlad %[s1], %[a1], %[v], %[s1]\n\t"                               \
  "smlatb %[s0], %[b01], %[v], %[s0]\n\t"                             \
  "smlatt %[s1], %[b01], %[e], %[s1]\n\t"                             \
  "ldr %[v], [%[p], %[rw], lsl #1]\n\t"                               \
  "sxtb16 %[e], %[v]\n\t"                                             \
  "sxtb16 %[v], %[v], ror #8\n\t"                                     \
  "smlad %[s0], %[a2], %[e], %[s0]\n\t"                               \
  "smlad %[s1], %[a2], %[v], %[s1]\n\t"                               \
  "smlabb %[s0], %[b2], %[v], %[s0]\n\t"                              \
  "smlabt %[s1], %[b2], %[e], %[s1]\n\t"                              \
  "add %[p], %[p], #2\n\t"                                            \
  "strd %[s0], %[s1], [%[acc]], #8\n\t"

__attribute__((noinline)) static void dw3x3_row(const int8_t *r0, int32_t rw,
                                                int32_t pairs,
                                                const uint32_t *wp,
                                                int32_t init, int32_t *acc) {
  const int32_t *end = acc + 2 * pairs;
  register uint32_t w02_0 = wp[0], w02_1 = wp[2], w02_2 = wp[4];
  register uint32_t w1_01 = (wp[1] & 0xffffu) | (wp[3] << 16), w1_2 = wp[5];
  uint32_t v, e;
  int32_t s0, s1;
  __asm__ volatile(
      "ldr %[e], %[end]\n\t"
      "sub %[e], %[e], %[acc]\n\t"
      "tst %[e], #8\n\t"
      "beq 1f\n\t" TML_DW3X3_PAIR
      "1:\n\t"
      "ldr %[e], %[end]\n\t"
      "cmp %[acc], %[e]\n\t"
      "beq 3f\n"
      "2:\n\t" TML_DW3X3_PAIR TML_DW3X3_PAIR
      "ldr %[e], %[end]\n\t"
      "cmp %[acc], %[e]\n\t"
      "bne 2b\n"
      "3:\n\t"
      : [p] "+r"(r0), [acc] "+r"(acc), [v] "=&r"(v), [e] "=&r"(e),
        [s0] "=&r"(s0), [s1] "=&r"(s1)
      : [rw] "r"(rw), [a0] "r"(w02_0), [a1] "r"(w02_1), [a2] "r"(w02_2),
        [b01] "r"(w1_01), [b2] "r"(w1_2), [init] "r"(init), [end] "m"(end)
      : "cc", "memory");
}

/* 3x3, stride 2 along rows: sums of outputs 0 .. 2 * pairs of a row. Word
** 2x..2x+3 gives E = (2x, 2x+2) and O.lo = 2x+1: out[x] = E.W02 +
** w1 * O.lo. 35 instructions per 2 outputs, 18 MACs. */
#define TML_DW3X3S2_ONE                                                \
  "ldr %[v], [%[p]]\n\t"                                              \
  "sxtb16 %[e], %[v]\n\t"                                             \
  "sxtb16 %[v], %[v], ror #8\n\t"                                     \
  "smlad %[s], %[a0], %[e], %[init]\n\t"                              \
  "smlabb %[s], %[b01], %[v], %[s]\n\t"                               \
  "ldr %[v], [%[p], %[rw]]\n\t"                                       \
  "sxtb16 %[e], %[v]\n\t"                                             \
  "sxtb16 %[v], %[v], ror #8\n\t"                                     \
  "smlad %[s], %[a1], %[e], %[s]\n\t"                                 \
  "smlatb %[s], %[b01], %[v], %[s]\n\t"                               \
  "ldr %[v], [%[p], %[rw], lsl #1]\n\t"                               \
  "sxtb16 %[e], %[v]\n\t"                                             \
  "sxtb16 %[v], %[v], ror #8\n\t"                                     \
  "smlad %[s], %[a2], %[e], %[s]\n\t"                                 \
  "smlabb %[s], %[b2], %[v], %[s]\n\t"                                \
  "add %[p], %[p], #2\n\t"                                            \
  "str %[s], [%[acc]], #4\n\t"

__attribute__((noinline)) static void dw3x3s2_row(const int8_t *r0,
                                                  int32_t rw, int32_t pairs,
                        const uint32_t *wp, int32_t init, int32_t *acc) {
  const int32_t *end = acc + 2 * pairs;
  register uint32_t w02_0 = wp[0], w02_1 = wp[2], w02_2 = wp[4];
  register uint32_t w1_01 = (wp[1] & 0xffffu) | (wp[3] << 16), w1_2 = wp[5];
  uint32_t v, e;
  int32_t sum;
  __asm__ volatile(
      "1:\n\t" TML_DW3X3S2_ONE TML_DW3X3S2_ONE
      "ldr %[e], %[end]\n\t"
      "cmp %[acc], %[e]\n\t"
      "bne 1b\n\t"
      : [p] "+r"(r0), [acc] "+r"(acc), [v] "=&r"(v), [e] "=&r"(e),
        [s] "=&r"(sum)
      : [rw] "r"(rw), [a0] "r"(w02_0), [a1] "r"(w02_1), [a2] "r"(w02_2),
        [b01] "r"(w1_01), [b2] "r"(w1_2), [init] "r"(init), [end] "m"(end)
      : "cc", "memory");
}

/* n sums to outputs step bytes apart: int8 = SSAT8(requantized). Two per
** loop turn after an odd one. */
#define TML_DW_RQ(s)                        \
  "lsl %[u], " s ", #1\n\t"                 \
  "add " s ", %[k], " s ", asr #31\n\t"     \
  "smmlar %[u], %[u], %[m], " s "\n\t"      \
  "asr %[u], %[u], %[e]\n\t"                \
  "ssat %[u], #8, %[u]\n\t"

static void dw_store_fast(const int32_t *acc, int32_t n, const tml_dsp_rq *q,
                          int8_t *dst, ptrdiff_t step) {
  const int32_t *end = acc + n;
  int32_t t, t2, u;
  if (n & 1)
    __asm__ volatile("ldr %[t], [%[acc]], #4\n\t" TML_DW_RQ("%[t]")
                     "strb %[u], [%[dst]]\n\t"
                     "add %[dst], %[dst], %[step]\n\t"
                     : [acc] "+r"(acc), [dst] "+r"(dst), [t] "=&r"(t),
                       [u] "=&r"(u)
                     : [k] "r"(q->k), [m] "r"(q->mult), [e] "r"(q->e),
                       [step] "r"(step)
                     : "memory");
  if (acc != end)
    __asm__ volatile(
        "1:\n\t"
        "ldrd %[t], %[t2], [%[acc]], #8\n\t" TML_DW_RQ("%[t]")
        "strb %[u], [%[dst]]\n\t" TML_DW_RQ("%[t2]")
        "strb %[u], [%[dst], %[step]]\n\t"
        "add %[dst], %[dst], %[step], lsl #1\n\t"
        "cmp %[acc], %[end]\n\t"
        "bne 1b\n\t"
        : [acc] "+r"(acc), [dst] "+r"(dst), [t] "=&r"(t), [t2] "=&r"(t2),
          [u] "=&r"(u)
        : [k] "r"(q->k), [m] "r"(q->mult), [e] "r"(q->e), [step] "r"(step),
          [end] "r"(end)
        : "cc", "memory");
}

/* Any filter, stride and dilation: the sum of output x of the row whose
** first plane row is r0. Without dilation, taps in 4-byte SXTB16 pairs;
** with, one by one. */
static int32_t dw_sum(const dw_geom *g, const int8_t *r0, int32_t x,
                      const uint32_t *w, const int8_t *f, int32_t init) {
  int32_t fy, k, s = init;
  r0 += (ptrdiff_t)x * g->sw;
  for (fy = 0; fy < g->fh; fy++, r0 += g->dh * g->rw) {
    const int8_t *r = r0;
    if (g->dw == 1) {
      for (k = 0; k < g->groups; k++, r += 4, w += 2) {
        const uint32_t v = tml_dsp_load32(r);
        s = __smlad(w[0], __sxtb16(v), s);
        s = __smlad(w[1], tml_dsp_sxtb16_ror8(v), s);
      }
    } else {
      for (k = 0; k < g->fw; k++, r += g->dw)
        s += f[fy * g->f_r + k * g->f_x] * *r;
    }
  }
  return s;
}

/* Output channel c of one image, from the plane of its input channel:
** outputs at dst + (output position) * out.c. */
__attribute__((noinline)) static void dw_channel(const tml_conv_params *p,
                                                 const dw_geom *g, int32_t c,
                                                 int32_t n,
                                                 const int8_t *plane,
                                                 int8_t *dst) {
  const int32_t rw = g->rw, ow = g->ow, oc = p->out.c;
  const int32_t lo = p->act_min, hi = p->act_max;
  const int k3 = g->fh == 3 && g->fw == 3 && g->dh == 1 && g->dw == 1;
  const ptrdiff_t step = g->o_x * oc, r_step = (ptrdiff_t)g->sh * rw;
  const int32_t *bias = g->bias;
  uint32_t *wp = (uint32_t *)(void *)g->work;
  int32_t *acc = (int32_t *)(void *)(g->work + tml_dw_dsp_weights(p) +
                                      (size_t)g->rows * rw);
  const int32_t sumw = dw_weights(g, g->filter, c, wp);
  const int32_t init = (int32_t)((bias ? (uint32_t)bias[c] : 0u) +
                                 (uint32_t)p->in_offset * (uint32_t)sumw);
  const int fast = g->fh * g->fw <= TML_DSP_MAX_TAPS &&
                   tml_dsp_rq_ok(p->shift[c], bias ? &bias[c] : NULL);
  const tml_dsp_rq q = tml_dsp_rq_make(p->mult[c], fast ? p->shift[c] : -1,
                                       p->out_offset);
  int32_t oy, x;
  for (oy = 0; oy < n; oy++, plane += r_step, dst += g->o_r * oc) {
    int8_t *d = dst;
    if (k3 && g->sw == 1)
      dw3x3_row(plane, rw, (ow + 1) / 2, wp, init, acc);
    else if (k3 && g->sw == 2)
      dw3x3s2_row(plane, rw, (ow + 1) / 2, wp, init, acc);
    else
      for (x = 0; x < ow; x++)
        acc[x] = dw_sum(g, plane, x, wp, g->filter + c, init);
    if (fast && lo == -128 && hi == 127)
      dw_store_fast(acc, ow, &q, d, step);
    else
      for (x = 0; x < ow; x++, d += step)
        *d = fast ? tml_dsp_clamp(tml_dsp_requant(&q, acc[x]), lo, hi)
                  : tml_dsp_out(acc[x], p->mult[c], p->shift[c],
                                p->out_offset, lo, hi);
  }
}

/* One input channel, out of place (tml_dw_dsp_gemm). Out of line, so that
** the other layers' stack does not hold its parameters. */
__attribute__((noinline)) static void dw_gemm(const tml_conv_params *p,
                                             const int8_t *in,
                                             const int8_t *filter,
                                             const int32_t *bias,
                                             int8_t *out, void *scratch) {
  const tml_conv_params c = tml_dw_dsp_conv(p);
  tml_conv2d_s8_arm_dsp(&c, in, tml_dw_dsp_conv_filter(&c, filter, scratch),
                        bias, out, scratch);
}

/* Scratch: the weights' pairs, the plane (a band), a row of sums. */
static void dw_run(const tml_conv_params *p, const int8_t *in,
                   const int8_t *filter, const int32_t *bias, int8_t *out,
                   void *scratch, int in_place) {
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  const ptrdiff_t oimage = (ptrdiff_t)p->out.h * p->out.w * p->out.c;
  const int32_t mult = p->depth_multiplier, oc = p->out.c;
  int8_t *plane = (int8_t *)scratch + tml_dw_dsp_weights(p);
  dw_geom g;
  int32_t b, c, m, y;
  if (tml_dw_dsp_gemm(p, in_place)) {
    dw_gemm(p, in, filter, bias, out, scratch);
    return;
  }
  if (tml_dw_dsp_nhwc(p, in_place)) {
    tml_depthwise_conv2d_s8_nhwc_arm_dsp(p, in, filter, bias, out, scratch,
                                         in_place);
    return;
  }
  dw_geom_init(p, in_place, filter, bias, scratch, &g);
  for (b = 0; b < p->out.n; b++, in += image, out += oimage) {
    for (c = 0; c < p->in.c; c++) {
      for (y = 0; y < g.oh; y += g.band) {
        const int32_t n = TML_MIN(g.band, g.oh - y);
        dw_gather(&g, in, c, plane, y * g.sh, (n - 1) * g.sh + g.span);
        for (m = 0; m < mult; m++)
          dw_channel(p, &g, c * mult + m, n, plane,
                     out + y * g.o_r * oc + c * mult + m);
      }
    }
  }
}

void tml_depthwise_conv2d_s8_arm_dsp(const tml_conv_params *p,
                                     const int8_t *in, const int8_t *filter,
                                     const int32_t *bias, int8_t *out,
                                     void *scratch) {
  dw_run(p, in, filter, bias, out, scratch, 0);
}

void tml_depthwise_conv2d_s8_inplace_arm_dsp(const tml_conv_params *p,
                                             int8_t *data,
                                             const int8_t *filter,
                                             const int32_t *bias,
                                             void *scratch) {
  dw_run(p, data, filter, bias, data, scratch, 1);
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_conv_arm_dsp_unused;
#endif
