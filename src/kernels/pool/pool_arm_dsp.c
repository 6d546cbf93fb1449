/*
** AVERAGE_POOL_2D and MAX_POOL_2D (int8) for Cortex-M cores with the DSP
** extension, byte-identical to the portable kernels (tml_pool.c). Four
** channels are one word: the maximum is SSUB8 (GE flags per byte) and SEL;
** the sum is two SXTAB16 into int16 lanes (channels 0, 2 and 1, 3), moved
** to int32 every 256 taps, before |sum| could pass 2^15.
*/
#include "tml_variants.h"

#if defined(TML_KERNELS_ARM_DSP)

#include <stddef.h>

#include "tml_arm_dsp.h"
#include "tml_pool_window.h"

/* Taps per int16 lane sum: 256 * 128 = 2^15 fits -32768 .. 32767 for
** int8 inputs (the largest positive sum is 256 * 127). */
#define TML_DSP_POOL_CHUNK 256

/* tml_pool.c's rounding mean. */
static int32_t mean_round(uint32_t sum, int32_t count) {
  const uint32_t half = (uint32_t)(count / 2);
  return (int32_t)((int32_t)sum > 0 ? sum + half : sum - half) / count;
}

/* Bytewise max of four int8 lanes: SSUB8 sets a GE flag per byte, SEL
** picks by them (one asm statement, so the flags cannot be lost). */
static inline uint32_t max8x4(uint32_t a, uint32_t b) {
  uint32_t r, t;
  __asm__("ssub8 %1, %2, %3\n\tsel %0, %2, %3"
          : "=r"(r), "=&r"(t)
          : "r"(a), "r"(b)
          : "cc");
  return r;
}

/* Four int8 lanes clamped to [lo, hi] (replicated in each byte). */
static inline uint32_t clamp8x4(uint32_t v, uint32_t lo4, uint32_t hi4) {
  return ~max8x4(~max8x4(v, lo4), ~hi4);
}

void tml_maxpool_s8_arm_dsp(const tml_pool_params *p, const int8_t *in,
                            int8_t *out) {
  const int32_t depth = p->in.c, row = p->in.w * depth;
  const int32_t groups = depth / 4;
  const uint32_t lo4 = 0x01010101u * (uint8_t)p->act_min;
  const uint32_t hi4 = 0x01010101u * (uint8_t)p->act_max;
  int32_t b, oy, ox, g, c, y, x;
  for (b = 0; b < p->in.n; b++) {
    const int8_t *img = in + (size_t)b * p->in.h * row;
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += depth) {
        const tml_pool_window w = tml_pool_clip(p, oy, ox);
        for (g = 0; g < groups; g++) {
          uint32_t m = 0x80808080u;
          for (y = w.y0; y < w.y1; y++) {
            const int8_t *t = img + y * row + w.x0 * depth + 4 * g;
            for (x = w.x0; x < w.x1; x++, t += depth)
              m = max8x4(tml_dsp_load32(t), m);
          }
          tml_dsp_store32(out + 4 * g, clamp8x4(m, lo4, hi4));
        }
        for (c = 4 * groups; c < depth; c++) {
          int32_t m = INT8_MIN;
          for (y = w.y0; y < w.y1; y++)
            for (x = w.x0; x < w.x1; x++)
              m = TML_MAX(m, img[y * row + x * depth + c]);
          out[c] = (int8_t)TML_CLAMP(m, p->act_min, p->act_max);
        }
      }
    }
  }
}

void tml_avgpool_s8_arm_dsp(const tml_pool_params *p, const int8_t *in,
                            int8_t *out) {
  const int32_t depth = p->in.c, row = p->in.w * depth;
  const int32_t groups = depth / 4;
  int32_t b, oy, ox, g, c, y, x, j;
  for (b = 0; b < p->in.n; b++) {
    const int8_t *img = in + (size_t)b * p->in.h * row;
    for (oy = 0; oy < p->out.h; oy++) {
      for (ox = 0; ox < p->out.w; ox++, out += depth) {
        const tml_pool_window w = tml_pool_clip(p, oy, ox);
        const int32_t count = tml_pool_taps(w);
        for (g = 0; g < groups; g++) {
          uint32_t sum[4] = {0, 0, 0, 0}, even = 0, odd = 0;
          int32_t taps = 0;
          for (y = w.y0; y < w.y1; y++) {
            const int8_t *t = img + y * row + w.x0 * depth + 4 * g;
            if (count <= TML_DSP_POOL_CHUNK) {
              for (x = w.x0; x < w.x1; x++, t += depth) {
                const uint32_t v = tml_dsp_load32(t);
                even = __sxtab16(even, v);
                odd = tml_dsp_sxtab16_ror8(odd, v);
              }
              continue;
            }
            for (x = w.x0; x < w.x1; x++, t += depth) {
              const uint32_t v = tml_dsp_load32(t);
              even = __sxtab16(even, v);
              odd = tml_dsp_sxtab16_ror8(odd, v);
              if (++taps == TML_DSP_POOL_CHUNK) {
                sum[0] += (uint32_t)(int16_t)even;
                sum[2] += (uint32_t)((int32_t)even >> 16);
                sum[1] += (uint32_t)(int16_t)odd;
                sum[3] += (uint32_t)((int32_t)odd >> 16);
                even = odd = 0;
                taps = 0;
              }
            }
          }
          sum[0] += (uint32_t)(int16_t)even;
          sum[2] += (uint32_t)((int32_t)even >> 16);
          sum[1] += (uint32_t)(int16_t)odd;
          sum[3] += (uint32_t)((int32_t)odd >> 16);
          for (j = 0; j < 4; j++) {
            const int32_t v = count > 0 ? mean_round(sum[j], count) : 0;
            out[4 * g + j] = (int8_t)TML_CLAMP(v, p->act_min, p->act_max);
          }
        }
        for (c = 4 * groups; c < depth; c++) {
          uint32_t s = 0;
          int32_t v = 0;
          for (y = w.y0; y < w.y1; y++)
            for (x = w.x0; x < w.x1; x++)
              s += (uint32_t)(int32_t)img[y * row + x * depth + c];
          if (count > 0) v = mean_round(s, count);
          out[c] = (int8_t)TML_CLAMP(v, p->act_min, p->act_max);
        }
      }
    }
  }
}

#else
/* ISO C wants a declaration in every translation unit. */
typedef int tml_pool_arm_dsp_unused;
#endif
