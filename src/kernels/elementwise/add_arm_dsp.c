/*
** ADD (int8, same shapes) for Cortex-M cores with the DSP extension,
** byte-identical to the portable kernel (tml_add.c); broadcasting takes the
** portable code.
**
** Each of TFLite's three rescalings, tml_rdbpot(tml_srdhm(v, m), e), is one
** SMMLAR and one shift (tml_arm_dsp.h): v is small enough that 2v fits
** int32 ((x + offset) << 20 < 2^28, their scaled sum < 2^29), so
** tml_srdhm(v, m) = SMMLAR(2v, m), and the rounding of the shift, 2^(e-1)
** - [v < 0], rides in SMMLAR's accumulator. The output offset joins the
** last one (k of tml_dsp_rq) when its shift allows.
*/
#include "tml_variants.h"

#if defined(TML_KERNELS_ARM_DSP)

#include "tml_arm_dsp.h"

/* One input's rescaling: half = 2^(e-1) and neg = -1 for e >= 1; both 0
** for e = 0 (no rounding shift). */
typedef struct add_in {
  int32_t mult, e, half, neg, offset;
} add_in;

static add_in add_in_make(int32_t mult, int32_t shift, int32_t offset) {
  add_in a;
  a.mult = mult;
  a.e = -shift;
  a.half = a.e > 0 ? 1 << (a.e - 1) : 0;
  a.neg = a.e > 0 ? -1 : 0;
  a.offset = offset;
  return a;
}

static inline int32_t add_scale(const add_in *a, int32_t x) {
  const int32_t v2 = (int32_t)((uint32_t)(x + a->offset) << 21);
  int32_t t;
  __asm__("smmlar %0, %1, %2, %3"
          : "=r"(t)
          : "r"(v2), "r"(a->mult), "r"(a->half + ((v2 >> 31) & a->neg)));
  return t >> a->e;
}

void tml_add_s8_arm_dsp(const tml_add_params *p, const int8_t *in1,
                        const int8_t *in2, int8_t *out) {
  const int32_t lo = p->act_min, hi = p->act_max;
  add_in a1, a2;
  tml_dsp_rq q;
  int32_t i;
  /* The inputs' shifts are <= 0 (init); the output's fast path needs
  ** 1 <= e <= TML_DSP_MAX_RSHIFT, and the layout 2^20 on int8. */
  if (!p->b.flat || p->left_shift != 20 || !tml_dsp_rq_ok(p->out_shift, NULL)) {
    tml_add_s8_portable(p, in1, in2, out);
    return;
  }
  a1 = add_in_make(p->in1_mult, p->in1_shift, p->in1_offset);
  a2 = add_in_make(p->in2_mult, p->in2_shift, p->in2_offset);
  q = tml_dsp_rq_make(p->out_mult, p->out_shift, p->out_offset);
  for (i = 0; i < p->b.count; i++) {
    const int32_t raw = add_scale(&a1, in1[i]) + add_scale(&a2, in2[i]);
    out[i] = tml_dsp_clamp(tml_dsp_requant(&q, raw), lo, hi);
  }
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_add_arm_dsp_unused;
#endif
