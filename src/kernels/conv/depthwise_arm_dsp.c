/*
** DEPTHWISE_CONV_2D (int8, depth multiplier 1) for Cortex-M cores with the
** DSP extension, straight from the NHWC input: four channels of a pixel are
** one word, so nothing is gathered and nothing is set up per channel, which
** is what small planes of many channels need (the plane kernel in
** conv_arm_dsp.c pays a channel's gathering and weights once per channel;
** tml_dw_dsp_nhwc picks between them). Byte-identical to the portable
** kernel; exactness: tml_arm_dsp.h.
**
** A group of four channels is one pass over the image. Its taps are a
** table: the weights' SXTB16 pairs (channels 0, 2 and 1, 3) and the tap's
** input offset from the window's origin, so that one LDM, one LDR and two
** SXTAB16 (adding the input offset) feed four SMLABB / SMLATT, one product
** each: 8 instructions per 4 MACs. Taps outside the image are left out, as
** the portable kernel leaves them out: a window's rows are clamped per
** output row, which keeps its taps one run of the table when every column
** is inside; the columns of outputs at the sides have tables of their own.
** An assembly routine runs a line of outputs: taps, requantization, clamp,
** store. In place the outputs wait in a ring in scratch until the input
** under them is read for the last time. Channels past the last multiple of
** 4 are summed one at a time.
*/
#include "tml_variants.h"

#if defined(TML_KERNELS_ARM_DSP)

#include <stddef.h>
#include <string.h>

#include "tml_arm_dsp.h"
#include "tml_conv_dsp.h"
#include "tml_conv_util.h"

/* The layer seen along its lines of outputs: along x, or along y when the
** output is one column wide (so that a line has more than one). Rows
** run across lines, columns along them; byte steps of the input, the
** filter and the output per row and per column. */
typedef struct dwc_geom {
  int32_t oh, ow, sh, sw, dh, dw, ph, pw, fh, fw, ih, iw;
  ptrdiff_t in_r, in_x, f_r, f_x, o_r, o_x;
  int32_t xa, xb; /* outputs whose window has every column inside */
} dwc_geom;

static void dwc_geom_init(const tml_conv_params *p, dwc_geom *g) {
  const ptrdiff_t c = p->in.c;
  int32_t room;
  if (tml_dw_dsp_nhwc_transposed(p)) {
    g->oh = p->out.w, g->ow = p->out.h, g->sh = p->stride_w;
    g->sw = p->stride_h, g->dh = p->dilation_w, g->dw = p->dilation_h;
    g->ph = p->pad_w, g->pw = p->pad_h, g->fh = p->filter.w;
    g->fw = p->filter.h, g->ih = p->in.w, g->iw = p->in.h;
    g->in_r = c, g->in_x = p->in.w * c, g->f_r = c;
    g->f_x = p->filter.w * c, g->o_r = c, g->o_x = p->out.w * c;
  } else {
    g->oh = p->out.h, g->ow = p->out.w, g->sh = p->stride_h;
    g->sw = p->stride_w, g->dh = p->dilation_h, g->dw = p->dilation_w;
    g->ph = p->pad_h, g->pw = p->pad_w, g->fh = p->filter.h;
    g->fw = p->filter.w, g->ih = p->in.h, g->iw = p->in.w;
    g->in_r = p->in.w * c, g->in_x = c, g->f_r = p->filter.w * c;
    g->f_x = c, g->o_r = p->out.w * c, g->o_x = c;
  }
  room = g->iw - (g->fw - 1) * g->dw + g->pw;
  g->xa = g->pw > 0 ? (g->pw + g->sw - 1) / g->sw : 0;
  g->xb = room > 0 ? TML_MIN((room - 1) / g->sw + 1, g->ow) : 0;
}

/* A group of four channels' taps, in filter order (rows, then columns):
** the weights as SXTB16 pairs (channels 0, 2 and 1, 3) and the tap's
** input offset from the window's origin. */
typedef struct dwc_tap {
  uint32_t we, wo;
  int32_t off;
} dwc_tap;

/* One tap: LDM takes the weights and the offset, SXTAB16 adds the input
** offset to channels (0, 2) and (1, 3), and each SMLAxy one product. */
#define TML_DWC_TAP                      \
  "ldmia %[t]!, {r8, r9, r10}\n\t"       \
  "ldr r10, [%[x], r10]\n\t"             \
  "sxtab16 %[e], %[o], r10\n\t"          \
  "sxtab16 r10, %[o], r10, ror #8\n\t"   \
  "smlabb %[a0], %[e], r8, %[a0]\n\t"    \
  "smlatt %[a1], %[e], r8, %[a1]\n\t"    \
  "smlabb %[a2], r10, r9, %[a2]\n\t"     \
  "smlatt %[a3], r10, r9, %[a3]\n\t"

/* a (channels 0, 2, 1, 3) += the taps t .. end - 1 of the window at x:
** one, two, then four at a time. Out of line: only the rare paths take it
** (dwc_line_fast has its own copy). */
__attribute__((noinline)) static void dwc_taps(const dwc_tap *t,
                                               const dwc_tap *end,
                                               uintptr_t x, uint32_t offp,
                                               int32_t *a) {
  int32_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
  uint32_t e;
  __asm__ volatile(
      "sub %[e], %[end], %[t]\n\t"
      "tst %[e], #4\n\t"
      "beq 1f\n\t" TML_DWC_TAP
      "1:\n\t"
      "sub %[e], %[end], %[t]\n\t"
      "tst %[e], #8\n\t"
      "beq 2f\n\t" TML_DWC_TAP TML_DWC_TAP
      "2:\n\t"
      "cmp %[t], %[end]\n\t"
      "beq 4f\n"
      "3:\n\t" TML_DWC_TAP TML_DWC_TAP TML_DWC_TAP TML_DWC_TAP
      "cmp %[t], %[end]\n\t"
      "bne 3b\n"
      "4:\n\t"
      : [t] "+r"(t), [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2),
        [a3] "+r"(a3), [e] "=&r"(e)
      : [end] "r"(end), [x] "r"(x), [o] "r"(offp)
      : "r8", "r9", "r10", "cc", "memory");
  a[0] = a0, a[1] = a1, a[2] = a2, a[3] = a3;
}

/* Requantization of four channels: fast (tml_dsp_requant) when every
** one's shift and bias allow it, the four bytes then clamped at once
** (SSUB8 sets a GE flag per byte, SEL picks by them) when the activation
** narrows the int8 range. Sums in the order channels 0, 2, 1, 3. */
typedef struct dwc_rq {
  const tml_conv_params *p;
  int32_t c, fast, clamp;
  uint32_t lo4, hi4;
  int32_t q[12]; /* per sum: mult, k, e (tml_dsp_rq) */
} dwc_rq;

static void dwc_rq_init(const tml_conv_params *p, const int32_t *bias,
                        int32_t c, dwc_rq *r) {
  static const uint8_t lane[4] = {0, 2, 1, 3};
  int32_t k;
  r->p = p;
  r->c = c;
  r->clamp = p->act_min > -128 || p->act_max < 127;
  r->lo4 = 0x01010101u * (uint8_t)p->act_min;
  r->hi4 = 0x01010101u * (uint8_t)p->act_max;
  r->fast = p->filter.h * p->filter.w <= TML_DSP_MAX_TAPS;
  for (k = 0; k < 4; k++) {
    const int32_t ch = c + lane[k];
    const tml_dsp_rq q =
        tml_dsp_rq_make(p->mult[ch], p->shift[ch], p->out_offset);
    r->fast = r->fast && tml_dsp_rq_ok(p->shift[ch], bias ? &bias[ch] : NULL);
    r->q[3 * k] = q.mult, r->q[3 * k + 1] = q.k, r->q[3 * k + 2] = q.e;
  }
}

static inline uint32_t dwc_clamp4(uint32_t v, uint32_t lo4, uint32_t hi4) {
  uint32_t t;
  __asm__("ssub8 %1, %0, %2\n\t"
          "sel %0, %0, %2\n\t"
          "ssub8 %1, %0, %3\n\t"
          "sel %0, %3, %0"
          : "+r"(v), "=&r"(t)
          : "r"(lo4), "r"(hi4)
          : "cc");
  return v;
}

/* The four output bytes of sums a, outside the assembly routine. */
__attribute__((noinline)) static uint32_t dwc_word(const dwc_rq *r,
                                                   const int32_t *a) {
  static const uint8_t lane[4] = {0, 2, 1, 3};
  const tml_conv_params *p = r->p;
  uint32_t word = 0;
  int32_t k;
  for (k = 0; k < 4; k++) {
    const int32_t ch = r->c + lane[k];
    int32_t v;
    if (r->fast) {
      tml_dsp_rq q;
      q.mult = r->q[3 * k], q.k = r->q[3 * k + 1], q.e = r->q[3 * k + 2];
      v = __ssat(tml_dsp_requant(&q, a[k]), 8);
    } else {
      v = tml_dsp_out(a[k], p->mult[ch], p->shift[ch], p->out_offset,
                      p->act_min, p->act_max);
    }
    word |= ((uint32_t)v & 0xffu) << (8 * lane[k]);
  }
  return r->fast && r->clamp ? dwc_clamp4(word, r->lo4, r->hi4) : word;
}

/* A run of n outputs along a line, the first at x (window origin) and o,
** the next sx and so bytes on, each summing the taps t0 .. t1 - 1, and
** where the outputs go: out of place straight to o; in place (ring not
** NULL) through a ring of lag + 1 words in scratch, each output held until
** the last output that reads the input under it (at most lag outputs
** later, in the order they are computed) is done, then stored at `at`.
** The rest is the group's: bias (order 0, 2, 1, 3), requantization, input
** offset, clamp. Laid out for LDRD (the routine below reads it by
** offset). */
typedef struct dwc_line {
  const dwc_tap *t0, *t1;
  uintptr_t x, sx;
  int8_t *o;
  ptrdiff_t so;
  int32_t n;
  const int32_t *b, *q;
  uint32_t offp, lo4, hi4;
  int32_t clamp;
  uint32_t *ring;
  int32_t pos, lag, count;
  int8_t *at;
  ptrdiff_t pixel;
} dwc_line;

typedef char tml_dwc_line_layout[offsetof(dwc_line, pixel) == 72 ? 1 : -1];

#define TML_DWC_LTAP                 \
  "ldmia r4!, {r8, r9, r10}\n\t"     \
  "ldr r10, [r6, r10]\n\t"           \
  "sxtab16 r12, r7, r10\n\t"         \
  "sxtab16 r10, r7, r10, ror #8\n\t" \
  "smlabb r0, r12, r8, r0\n\t"       \
  "smlatt r1, r12, r8, r1\n\t"       \
  "smlabb r2, r10, r9, r2\n\t"       \
  "smlatt r3, r10, r9, r3\n\t"

#define TML_DWC_LRQ(s)               \
  "ldmia lr!, {r8, r9, r10}\n\t"     \
  "add r9, r9, " s ", asr #31\n\t"   \
  "lsl " s ", " s ", #1\n\t"         \
  "smmlar " s ", " s ", r8, r9\n\t"  \
  "asr " s ", " s ", r10\n\t"        \
  "ssat " s ", #8, " s "\n\t"

/* A dwc_line with the fast requantization: per output the bias (LDM), the
** taps (TML_DWC_LTAP, 8 instructions each: as dwc_taps), the four
** requantizations (TML_DWC_LRQ: tml_dsp_requant, SSAT), three BFI, the
** clamp, the store. r6 = window, r7 = input offset pair, r11 = the
** dwc_line, which the routine leaves with o, n, pos, count and at moved
** on. */
__attribute__((naked, noinline)) static void dwc_line_fast(
    dwc_line *l __attribute__((unused))) {
  __asm__ volatile(
      "push {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n\t"
      "mov r11, r0\n\t"
      "ldr r6, [r11, #8]\n\t"
      "ldr r7, [r11, #36]\n"
      "0:\n\t"
      "ldr r12, [r11, #28]\n\t"
      "ldmia r12, {r0, r1, r2, r3}\n\t"
      "ldrd r4, r5, [r11, #0]\n\t"
      "sub r12, r5, r4\n\t"
      "tst r12, #4\n\t"
      "beq 1f\n\t" TML_DWC_LTAP
      "1:\n\t"
      "sub r12, r5, r4\n\t"
      "tst r12, #8\n\t"
      "beq 2f\n\t" TML_DWC_LTAP TML_DWC_LTAP
      "2:\n\t"
      "cmp r4, r5\n\t"
      "beq 4f\n"
      "3:\n\t" TML_DWC_LTAP TML_DWC_LTAP TML_DWC_LTAP TML_DWC_LTAP
      "cmp r4, r5\n\t"
      "bne 3b\n"
      "4:\n\t"
      "ldr lr, [r11, #32]\n\t"
      TML_DWC_LRQ("r0") TML_DWC_LRQ("r1") TML_DWC_LRQ("r2") TML_DWC_LRQ("r3")
      "bfi r0, r2, #8, #8\n\t"
      "bfi r0, r1, #16, #8\n\t"
      "bfi r0, r3, #24, #8\n\t"
      "ldr r4, [r11, #48]\n\t"
      "cbz r4, 5f\n\t"
      "ldrd r4, r5, [r11, #40]\n\t"
      "ssub8 r1, r0, r4\n\t"
      "sel r0, r0, r4\n\t"
      "ssub8 r1, r0, r5\n\t"
      "sel r0, r5, r0\n"
      "5:\n\t"
      "ldr r4, [r11, #52]\n\t"
      "cbnz r4, 6f\n\t"
      "ldrd r4, r5, [r11, #16]\n\t"
      "str r0, [r4]\n\t"
      "add r4, r4, r5\n\t"
      "str r4, [r11, #16]\n\t"
      "b 8f\n"
      "6:\n\t"
      "ldrd r5, r8, [r11, #56]\n\t"
      "str r0, [r4, r5, lsl #2]\n\t"
      "cmp r5, r8\n\t"
      "ite eq\n\t"
      "moveq r5, #0\n\t"
      "addne r5, r5, #1\n\t"
      "str r5, [r11, #56]\n\t"
      "ldr r9, [r11, #64]\n\t"
      "add r10, r9, #1\n\t"
      "str r10, [r11, #64]\n\t"
      "cmp r9, r8\n\t"
      "blt 8f\n\t"
      "ldr r10, [r4, r5, lsl #2]\n\t"
      "ldrd r8, r9, [r11, #68]\n\t"
      "str r10, [r8]\n\t"
      "add r8, r8, r9\n\t"
      "str r8, [r11, #68]\n"
      "8:\n\t"
      "ldr r4, [r11, #12]\n\t"
      "add r6, r6, r4\n\t"
      "ldr r4, [r11, #24]\n\t"
      "subs r4, r4, #1\n\t"
      "str r4, [r11, #24]\n\t"
      "bne 0b\n\t"
      "pop {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n\t");
}

/* One output word to where dwc_line says, moving it on by one output. */
static void dwc_put(dwc_line *l, uint32_t word) {
  if (!l->ring) {
    tml_dsp_store32(l->o, word);
    l->o += l->so;
    return;
  }
  l->ring[l->pos] = word;
  l->pos = l->pos == l->lag ? 0 : l->pos + 1;
  if (l->count++ >= l->lag) {
    tml_dsp_store32(l->at, l->ring[l->pos]);
    l->at += l->pixel;
  }
}

static void dwc_flush(dwc_line *l) {
  int32_t n = TML_MIN(l->count, l->lag), s = l->pos - n;
  if (s < 0) s += l->lag + 1;
  for (; n > 0; n--, l->at += l->pixel) {
    tml_dsp_store32(l->at, l->ring[s]);
    s = s == l->lag ? 0 : s + 1;
  }
}

/* The run of n outputs from x and o over the taps t0 .. t1 - 1. */
static void dwc_run(dwc_line *l, const dwc_rq *r, const dwc_tap *t0,
                    const dwc_tap *t1, uintptr_t x, int8_t *o, int32_t n) {
  l->t0 = t0, l->t1 = t1, l->x = x, l->o = o, l->n = n;
  if (r->fast) {
    dwc_line_fast(l);
    return;
  }
  for (; n > 0; n--, x += l->sx) {
    int32_t a[4];
    memcpy(a, l->b, sizeof a);
    dwc_taps(t0, t1, x, l->offp, a);
    dwc_put(l, dwc_word(r, a));
  }
}

/* The four sums of a window whose columns leave the image, when it has no
** table of its own: one run of taps per row. */
__attribute__((noinline)) static void dwc_edge(const dwc_geom *g,
                                               const dwc_rq *r,
                                               const dwc_tap *taps,
                                               int32_t fy0, int32_t fy1,
                                               int32_t ix, uintptr_t x,
                                               int8_t *o, dwc_line *l) {
  int32_t fx0, fx1, a[4];
  memcpy(a, l->b, sizeof a);
  tml_conv_taps(ix, g->dw, g->iw, g->fw, &fx0, &fx1);
  for (; fy0 < fy1; fy0++)
    dwc_taps(taps + fy0 * g->fw + fx0, taps + fy0 * g->fw + fx1, x,
             l->offp, a);
  l->o = o;
  dwc_put(l, dwc_word(r, a));
}

/* Up to two columns of outputs whose windows leave the image sideways
** (3x3 SAME has one at either end) get tables of their own, the taps inside
** in filter order, so that their windows are one run too: the columns and
** their taps per row; returns how many. */
#define TML_DWC_EDGE 12

static int32_t dwc_edges(const dwc_geom *g, const dwc_tap *taps,
                         dwc_tap *edge, int32_t *col, int32_t *nx) {
  int32_t ox, n = 0, used = 0, fy, fx;
  for (ox = 0; ox < g->ow; ox++) {
    int32_t fx0, fx1;
    if (ox >= g->xa && ox < g->xb) continue;
    tml_conv_taps(ox * g->sw - g->pw, g->dw, g->iw, g->fw, &fx0, &fx1);
    if (n == 2 || used + g->fh * (fx1 - fx0) > TML_DWC_EDGE) break;
    col[n] = ox;
    nx[n++] = fx1 - fx0;
    for (fy = 0; fy < g->fh; fy++)
      for (fx = fx0; fx < fx1; fx++) edge[used++] = taps[fy * g->fw + fx];
  }
  return n;
}

/* Channels c .. c + 3 of one image; l holds the sink (ring, lag, pixel). */
static void dwc_group(const tml_conv_params *p, const dwc_geom *g,
                      const int8_t *in, const int8_t *filter,
                      const int32_t *bias, int32_t c, int8_t *out,
                      dwc_line *l) {
  dwc_tap taps[TML_DW_DSP_NHWC_TAPS], edge[TML_DWC_EDGE];
  int32_t oy, ox, fy, fx, ne, ecol[2], enx[2], b[4];
  dwc_rq r;
  dwc_rq_init(p, bias, c, &r);
  b[0] = bias ? bias[c] : 0, b[1] = bias ? bias[c + 2] : 0;
  b[2] = bias ? bias[c + 1] : 0, b[3] = bias ? bias[c + 3] : 0;
  for (fy = 0; fy < g->fh; fy++)
    for (fx = 0; fx < g->fw; fx++) {
      dwc_tap *t = &taps[fy * g->fw + fx];
      const uint32_t w =
          tml_dsp_load32(filter + fy * g->f_r + fx * g->f_x + c);
      t->we = __sxtb16(w);
      t->wo = tml_dsp_sxtb16_ror8(w);
      t->off = (int32_t)(fy * g->dh * g->in_r + fx * g->dw * g->in_x);
    }
  ne = dwc_edges(g, taps, edge, ecol, enx);
  l->b = b, l->q = r.q, l->lo4 = r.lo4, l->hi4 = r.hi4, l->clamp = r.clamp;
  l->pos = l->count = 0;
  l->at = out + c;
  for (oy = 0; oy < g->oh; oy++) {
    const int32_t iy = oy * g->sh - g->ph;
    /* Window origins may lie outside the image: addresses only their
    ** taps inside are read from. */
    const uintptr_t x = (uintptr_t)(in + c) +
                        (uintptr_t)(iy * g->in_r - g->pw * g->in_x);
    int8_t *o = out + oy * g->o_r + c;
    int32_t fy0, fy1;
    tml_conv_taps(iy, g->dh, g->ih, g->fh, &fy0, &fy1);
    for (ox = 0; ox < g->ow; ox++) {
      const uintptr_t xo = x + (uintptr_t)(ox * l->sx);
      int8_t *oo = o + ox * g->o_x;
      if (ox >= g->xa && ox < g->xb) {
        dwc_run(l, &r, taps + fy0 * g->fw, taps + fy1 * g->fw, xo, oo,
                g->xb - ox);
        ox = g->xb - 1;
      } else if (ne > 0 && ox == ecol[0]) {
        dwc_run(l, &r, edge + fy0 * enx[0], edge + fy1 * enx[0], xo, oo, 1);
      } else if (ne > 1 && ox == ecol[1]) {
        const dwc_tap *e1 = edge + g->fh * enx[0];
        dwc_run(l, &r, e1 + fy0 * enx[1], e1 + fy1 * enx[1], xo, oo, 1);
      } else {
        dwc_edge(g, &r, taps, fy0, fy1, ox * g->sw - g->pw, xo, oo, l);
      }
    }
  }
  if (l->ring) dwc_flush(l);
}

/* Channel c of one image, when the channels are not whole groups of 4
** (out of place only). */
__attribute__((cold)) static void dwc_channel(
    const tml_conv_params *p, const dwc_geom *g, const int8_t *in,
    const int8_t *filter, const int32_t *bias, int32_t c, int8_t *out) {
  int32_t oy, ox, i, j;
  for (oy = 0; oy < g->oh; oy++) {
    const int32_t iy = oy * g->sh - g->ph;
    int32_t fy0, fy1;
    tml_conv_taps(iy, g->dh, g->ih, g->fh, &fy0, &fy1);
    for (ox = 0; ox < g->ow; ox++) {
      const int32_t ix = ox * g->sw - g->pw;
      uint32_t s = bias ? (uint32_t)bias[c] : 0u;
      int32_t fx0, fx1;
      tml_conv_taps(ix, g->dw, g->iw, g->fw, &fx0, &fx1);
      for (i = fy0; i < fy1; i++)
        for (j = fx0; j < fx1; j++)
          s += (uint32_t)((int32_t)filter[i * g->f_r + j * g->f_x + c] *
                          ((int32_t)in[(iy + i * g->dh) * g->in_r +
                                       (ix + j * g->dw) * g->in_x + c] +
                           p->in_offset));
      out[oy * g->o_r + ox * g->o_x + c] =
          tml_dsp_out((int32_t)s, p->mult[c], p->shift[c], p->out_offset,
                      p->act_min, p->act_max);
    }
  }
}

void tml_depthwise_conv2d_s8_nhwc_arm_dsp(const tml_conv_params *p,
                                          const int8_t *in,
                                          const int8_t *filter,
                                          const int32_t *bias, int8_t *out,
                                          void *scratch, int in_place) {
  const ptrdiff_t image = (ptrdiff_t)p->in.h * p->in.w * p->in.c;
  const ptrdiff_t oimage = (ptrdiff_t)p->out.h * p->out.w * p->out.c;
  const int32_t ch = p->in.c;
  dwc_geom g;
  dwc_line l;
  int32_t b, c;
  dwc_geom_init(p, &g);
  l.sx = (uintptr_t)((ptrdiff_t)g.sw * g.in_x);
  l.so = g.o_x;
  l.offp = tml_dsp_pair(p->in_offset);
  l.ring = in_place ? (uint32_t *)scratch : NULL;
  l.lag = in_place ? tml_dw_dsp_nhwc_lag(p) : 0;
  l.pixel = ch;
  for (b = 0; b < p->out.n; b++, in += image, out += oimage) {
    for (c = 0; c + 4 <= ch; c += 4)
      dwc_group(p, &g, in, filter, bias, c, out, &l);
    for (; c < ch; c++) dwc_channel(p, &g, in, filter, bias, c, out);
  }
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_depthwise_arm_dsp_unused;
#endif
