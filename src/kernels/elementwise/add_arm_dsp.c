/*
** ADD (int8, same shapes) for Cortex-M cores with the DSP extension,
** byte-identical to the portable kernel (tml_add.c); broadcasting takes the
** portable code.
**
** Each of TFLite's three rescalings, tml_rdbpot(tml_srdhm(v, m), e), is one
** SMMLAR (SMMULR when e = 0) and one shift (tml_arm_dsp.h): v is small
** enough that 2v fits int32 ((x + offset) << 20 < 2^28, their scaled sum <
** 2^29), so tml_srdhm(v, m) = SMMLAR(2v, m), and the rounding of the
** shift, 2^(e-1) - [v < 0], rides in SMMLAR's accumulator. The output
** offset joins the last one (k of tml_dsp_rq). Inputs of equal scales (both
** e = 0) and one of them twice the other are the common cases.
*/
#include "tml_variants.h"

#if defined(TML_KERNELS_ARM_DSP)

#include "tml_arm_dsp.h"

/* One input's rescaling. With e = 0 there is no rounding shift. */
static inline int32_t scale0(int32_t v2, int32_t mult) {
  int32_t t;
  __asm__("smmulr %0, %1, %2" : "=r"(t) : "r"(v2), "r"(mult));
  return t;
}

/* e >= 1: SMMLAR adds 2^(e-1) - [v < 0] before the shift. */
static inline int32_t scale(int32_t v2, int32_t mult, int32_t half,
                            int32_t e) {
  int32_t t;
  __asm__("smmlar %0, %1, %2, %3"
          : "=r"(t)
          : "r"(v2), "r"(mult), "r"(half + (v2 >> 31)));
  return t >> e;
}

/* (x + offset) << 21, the input's 2v. */
static inline int32_t twice(int8_t x, uint32_t off21) {
  return (int32_t)(((uint32_t)x << 21) + off21);
}

void tml_add_s8_arm_dsp(const tml_add_params *p, const int8_t *in1,
                        const int8_t *in2, int8_t *out) {
  const int32_t lo = p->act_min, hi = p->act_max, n = p->b.count;
  int32_t m1 = p->in1_mult, e1 = -p->in1_shift, m2 = p->in2_mult;
  int32_t e2 = -p->in2_shift;
  uint32_t o1 = (uint32_t)p->in1_offset << 21;
  uint32_t o2 = (uint32_t)p->in2_offset << 21;
  tml_dsp_rq q;
  int32_t i;
  /* The inputs' shifts are <= 0 (init); the output's fast path needs
  ** 1 <= e <= TML_DSP_MAX_RSHIFT, and the layout 2^20 on int8. */
  if (!p->b.flat || p->left_shift != 20 ||
      !tml_dsp_rq_ok(p->out_shift, NULL)) {
    tml_add_s8_portable(p, in1, in2, out);
    return;
  }
  q = tml_dsp_rq_make(p->out_mult, p->out_shift, p->out_offset);
  /* The sum commutes: input 1 gets the shift-free rescaling, if any. */
  if (e1 > 0 && e2 == 0) {
    const int8_t *t = in1;
    in1 = in2;
    in2 = t;
    m1 = p->in2_mult, e1 = 0, m2 = p->in1_mult, e2 = -p->in1_shift;
    o1 = (uint32_t)p->in2_offset << 21, o2 = (uint32_t)p->in1_offset << 21;
  }
  if (e1 == 0 && e2 == 0 && lo == -128 && hi == 127) {
    for (i = 0; i < n; i++) {
      const int32_t raw =
          scale0(twice(in1[i], o1), m1) + scale0(twice(in2[i], o2), m2);
      out[i] = (int8_t)__ssat(tml_dsp_requant(&q, raw), 8);
    }
  } else if (e1 == 0 && lo == -128 && hi == 127) {
    const int32_t half2 = 1 << (e2 - 1);
    for (i = 0; i < n; i++) {
      const int32_t raw = scale0(twice(in1[i], o1), m1) +
                          scale(twice(in2[i], o2), m2, half2, e2);
      out[i] = (int8_t)__ssat(tml_dsp_requant(&q, raw), 8);
    }
  } else {
    const int32_t half1 = e1 ? 1 << (e1 - 1) : 0;
    const int32_t half2 = e2 ? 1 << (e2 - 1) : 0;
    for (i = 0; i < n; i++) {
      const int32_t v1 = twice(in1[i], o1), v2 = twice(in2[i], o2);
      const int32_t raw = (e1 ? scale(v1, m1, half1, e1) : scale0(v1, m1)) +
                          (e2 ? scale(v2, m2, half2, e2) : scale0(v2, m2));
      out[i] = tml_dsp_clamp(tml_dsp_requant(&q, raw), lo, hi);
    }
  }
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_add_arm_dsp_unused;
#endif
