/*
** Parameters and table shared by LOGISTIC and TANH (TFLite Micro's
** logistic_common.cc and tanh.cc compute them the same way).
*/
#include <float.h>
#include <math.h>

#include "tml_sigmoid_common.h"

const uint16_t tml_sigmoid_table[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841,
    39498, 40149, 40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102,
    45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464,
    50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755,
    55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007,
    58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036,
    62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
    63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968,
    64030, 64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450, 64494,
    64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845,
    64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234,
    65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337,
    65345, 65352, 65360, 65367, 65374, 65381, 65387, 65393, 65399, 65404,
    65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
    65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479,
    65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511,
    65512, 65513, 65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520,
    65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524, 65525, 65525,
    65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529,
    65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531,
    65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65534, 65534, 65535};

static int valid_scale(float s) { return s > 0.0f && s <= FLT_MAX; }

tml_status tml_sigmoid_s8_prepare(tml_sigmoid_params *p, int32_t count,
                                  float in_scale, int32_t in_zp) {
  int shift = 0;
  double q;
  if (p == NULL) return TML_ERR_ARG;
  if (count < 0) return TML_ERR_SHAPE;
  if (!valid_scale(in_scale)) return TML_ERR_QUANT;
  /* TFLite takes frexp of scale * 2^27 directly (not QuantizeMultiplier): a
  ** float scale has 24 significant bits, so q * 2^31 is an exact integer
  ** below 2^31 and needs no rounding fix-up. */
  q = frexp((double)in_scale * (double)(1 << 27), &shift);
  /* A negative shift would give a radius beyond int32 (TFLite's cast of it is
  ** undefined); it needs an input scale below 2^-28. */
  if (shift < 0) return TML_ERR_QUANT;
  p->in_mult = (int32_t)round(q * 2147483648.0);
  p->in_left_shift = shift;
  /* TFLite's CalculateInputRadius(4, shift, 31): inputs at or beyond this
  ** distance from the zero point would overflow Q4.27 and saturate. ldexp
  ** keeps shifts of 32 and more (radius 0) defined. */
  p->in_range_radius = (int32_t)floor(ldexp(15.0 * 134217728.0, -shift));
  p->in_zp = in_zp;
  p->count = count;
  return TML_OK;
}

/* TFLite's CheckedLog2: log2(x) rounded, and whether x is a power of two to
** within float precision. Float throughout, as TFLite computes it. */
static int checked_log2(float x, int32_t *log2_rounded) {
  const float l = logf(x) * (1.0f / logf(2.0f));
  const float r = roundf(l);
  *log2_rounded = (int32_t)r;
  return fabsf(l - r) < 1e-3f;
}

tml_status tml_sigmoid_s16_prepare(tml_sigmoid_params *p, int32_t count,
                                   float in_scale, int32_t in_zp,
                                   float out_scale, int32_t out_zp,
                                   int32_t max_pot_shift) {
  int32_t in_log2, out_log2, shift;
  int pot;
  if (p == NULL) return TML_ERR_ARG;
  if (count < 0) return TML_ERR_SHAPE;
  if (!valid_scale(in_scale) || !valid_scale(out_scale)) return TML_ERR_QUANT;
  if (in_zp != 0 || out_zp != 0) return TML_ERR_QUANT;
  if (!checked_log2(out_scale, &out_log2) || out_log2 != -15)
    return TML_ERR_QUANT;
  pot = checked_log2(in_scale, &in_log2);
  shift = 12 + in_log2;
  if (pot && shift >= 0 && shift <= max_pot_shift) {
    /* TFLite stores multiplier 0 here and its kernel substitutes 3 << shift
    ** with no shift; doing the substitution now is the same arithmetic. */
    p->in_mult = 3 << shift;
    p->in_left_shift = 0;
  } else {
    double m = (double)in_scale * 4096.0 * 3.0;
    shift = 0;
    while (m <= 32767.0 / 2.0 && shift <= 30) {
      shift++;
      m *= 2.0;
    }
    /* TFLite only debug-checks this; a larger multiplier overflows its
    ** int32 product. A zero one would be mistaken for the power-of-two
    ** case. */
    if (!(m <= 32767.0) || m < 1.0) return TML_ERR_QUANT;
    p->in_mult = (int32_t)m;
    p->in_left_shift = shift;
  }
  p->in_zp = 0;
  p->in_range_radius = 0;
  p->count = count;
  return TML_OK;
}
