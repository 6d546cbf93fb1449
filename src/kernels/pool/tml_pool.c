/*
** AVERAGE_POOL_2D and MAX_POOL_2D (TFLite's reference kernels). Each output
** looks at the taps of its window that fall inside the image: padding adds
** no taps, so an average divides by the in-image count only.
*/
#include <float.h>

#include "tml_kernels.h"
#include "tml_qmath.h"
#include "tml_pool_window.h"
#include "tml_variants.h"

/* Integer mean rounded half away from zero, as TFLite divides: the sum is
** pushed away from zero by half the count, then C division truncates. Sums
** are taken modulo 2^32 (the wrap of TFLite's int32 arithmetic in practice),
** so a huge window stays defined instead of overflowing. */
static int32_t mean_round(uint32_t sum, int32_t count) {
  const uint32_t half = (uint32_t)(count / 2);
  return (int32_t)((int32_t)sum > 0 ? sum + half : sum - half) / count;
}

/* Float clamp with std::max then std::min comparisons, so a NaN passes
** through exactly as in TFLite's ActivationFunctionWithMinMax. */
static float clamp_f32(float v, float lo, float hi) {
  v = v < lo ? lo : v;
  return hi < v ? hi : v;
}

/* A window with no tap inside the image makes TFLite fail at run time; its
** padding rules never produce one, so here such an output is the clamped 0. */
#define TML_AVGPOOL_INT(NAME, T)                                              \
  void NAME(const tml_pool_params *p, const T *in, T *out) {                  \
    const int32_t depth = p->in.c, row = p->in.w * depth;                     \
    int32_t b, oy, ox, c, y, x;                                               \
    for (b = 0; b < p->in.n; b++) {                                           \
      const T *img = in + (size_t)b * p->in.h * row;                          \
      for (oy = 0; oy < p->out.h; oy++) {                                     \
        for (ox = 0; ox < p->out.w; ox++) {                                   \
          const tml_pool_window w = tml_pool_clip(p, oy, ox);                 \
          const int32_t count = tml_pool_taps(w);                             \
          for (c = 0; c < depth; c++) {                                       \
            const T *tap = img + c;                                           \
            uint32_t sum = 0;                                                 \
            int32_t v = 0;                                                    \
            for (y = w.y0; y < w.y1; y++)                                     \
              for (x = w.x0; x < w.x1; x++)                                   \
                sum += (uint32_t)(int32_t)tap[y * row + x * depth];           \
            if (count > 0) v = mean_round(sum, count);                        \
            *out++ = (T)TML_CLAMP(v, p->act_min, p->act_max);                 \
          }                                                                   \
        }                                                                     \
      }                                                                       \
    }                                                                         \
  }

TML_AVGPOOL_INT(tml_avgpool_s8_portable, int8_t)
TML_AVGPOOL_INT(tml_avgpool_s16, int16_t)

void tml_avgpool_f32(const tml_pool_params *p, const float *in, float *out) {
  const int32_t depth = p->in.c, row = p->in.w * depth;
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < p->in.n; b++) {
    const float *img = in + (size_t)b * p->in.h * row;
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++) {
        const tml_pool_window w = tml_pool_clip(p, oy, ox);
        const float count = (float)tml_pool_taps(w);
        for (c = 0; c < depth; c++) {
          const float *tap = img + c;
          float sum = 0.0f;
          /* TFLite's summation order (rows, then columns) fixes the rounding. */
          for (y = w.y0; y < w.y1; y++)
            for (x = w.x0; x < w.x1; x++) sum += tap[y * row + x * depth];
          *out++ = clamp_f32(sum / count, p->fact_min, p->fact_max);
        }
      }
    }
  }
}

/* The running maximum starts at the type's lowest value, as in TFLite. */
#define TML_MAXPOOL_INT(NAME, T, LOWEST)                                      \
  void NAME(const tml_pool_params *p, const T *in, T *out) {                  \
    const int32_t depth = p->in.c, row = p->in.w * depth;                     \
    int32_t b, oy, ox, c, y, x;                                               \
    for (b = 0; b < p->in.n; b++) {                                           \
      const T *img = in + (size_t)b * p->in.h * row;                          \
      for (oy = 0; oy < p->out.h; oy++) {                                     \
        for (ox = 0; ox < p->out.w; ox++) {                                   \
          const tml_pool_window w = tml_pool_clip(p, oy, ox);                 \
          for (c = 0; c < depth; c++) {                                       \
            const T *tap = img + c;                                           \
            int32_t m = LOWEST;                                               \
            for (y = w.y0; y < w.y1; y++)                                     \
              for (x = w.x0; x < w.x1; x++)                                   \
                m = TML_MAX(m, tap[y * row + x * depth]);                     \
            *out++ = (T)TML_CLAMP(m, p->act_min, p->act_max);                 \
          }                                                                   \
        }                                                                     \
      }                                                                       \
    }                                                                         \
  }

TML_MAXPOOL_INT(tml_maxpool_s8_portable, int8_t, INT8_MIN)
TML_MAXPOOL_INT(tml_maxpool_s16, int16_t, INT16_MIN)

void tml_maxpool_f32(const tml_pool_params *p, const float *in, float *out) {
  const int32_t depth = p->in.c, row = p->in.w * depth;
  int32_t b, oy, ox, c, y, x;
  for (b = 0; b < p->in.n; b++) {
    const float *img = in + (size_t)b * p->in.h * row;
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++) {
        const tml_pool_window w = tml_pool_clip(p, oy, ox);
        for (c = 0; c < depth; c++) {
          const float *tap = img + c;
          float m = -FLT_MAX;
          /* std::max order: a NaN tap never replaces the maximum. */
          for (y = w.y0; y < w.y1; y++)
            for (x = w.x0; x < w.x1; x++)
              if (m < tap[y * row + x * depth]) m = tap[y * row + x * depth];
          *out++ = clamp_f32(m, p->fact_min, p->fact_max);
        }
      }
    }
  }
}

void tml_avgpool_s8(const tml_pool_params *p, const int8_t *in, int8_t *out) {
#if defined(TML_KERNELS_ARM_DSP)
  tml_avgpool_s8_arm_dsp(p, in, out);
#else
  tml_avgpool_s8_portable(p, in, out);
#endif
}

void tml_maxpool_s8(const tml_pool_params *p, const int8_t *in, int8_t *out) {
#if defined(TML_KERNELS_ARM_DSP)
  tml_maxpool_s8_arm_dsp(p, in, out);
#else
  tml_maxpool_s8_portable(p, in, out);
#endif
}
