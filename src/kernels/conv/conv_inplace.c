/*
** In-place convolutions: the output is written over the input, so the arena
** needs max(input, output) bytes plus a small buffer instead of both tensors
** (the MCUNet / TinyEngine technique). Same arithmetic as the portable
** kernels, so the same bytes; only the order of work differs.
**
** Depthwise (depth multiplier 1): each output channel depends only on the
** same input channel. One channel's output plane is computed into scratch,
** then stored into that channel's slots: the output's slot (pixel q, channel
** c) is the input's slot (pixel q, channel c), q below the input's pixel
** count, so no other channel's input is touched, and this channel's input is
** no longer needed.
**
** Pointwise (1x1, stride 1): output pixel q depends only on input pixel q.
** The input pixel is copied to scratch before its output is written. When the
** output pixel is not wider than the input pixel, pixels run forward: output
** pixel q ends at or before input pixel q + 1 starts. When it is wider, they
** run backward: output pixel q starts at or after input pixel q.
*/
#include <string.h>

#include "tml_conv_dsp.h"
#include "tml_conv_util.h"
#include "tml_variants.h"

int tml_depthwise_conv2d_s8_inplace_ok(const tml_conv_params *p) {
  return p->depth_multiplier == 1 && p->in.c == p->out.c &&
         (int64_t)p->out.h * p->out.w <= (int64_t)p->in.h * p->in.w;
}

/* Portable: the channel's output plane; DSP: its input plane and a row. */
size_t tml_depthwise_conv2d_s8_inplace_scratch_size_for(
    const tml_conv_params *p, int kset) {
  const size_t plane = (size_t)p->out.h * (size_t)p->out.w;
  const size_t dsp = tml_depthwise_conv2d_s8_dsp_scratch(p, 1);
  return kset == TML_KSET_PORTABLE ? plane
         : kset == TML_KSET_ARM_DSP ? dsp
                                    : TML_MAX(plane, dsp);
}

size_t tml_depthwise_conv2d_s8_inplace_scratch_size(const tml_conv_params *p) {
  return tml_depthwise_conv2d_s8_inplace_scratch_size_for(p, TML_KSET);
}

void tml_depthwise_conv2d_s8_inplace(const tml_conv_params *p, int8_t *data,
                                     const int8_t *filter, const int32_t *bias,
                                     void *scratch) {
#if defined(TML_KERNELS_ARM_MVE)
  tml_depthwise_conv2d_s8_inplace_arm_mve(p, data, filter, bias, scratch);
#elif defined(TML_KERNELS_ARM_DSP)
  tml_depthwise_conv2d_s8_inplace_arm_dsp(p, data, filter, bias, scratch);
#else
  tml_depthwise_conv2d_s8_inplace_portable(p, data, filter, bias, scratch);
#endif
}

void tml_depthwise_conv2d_s8_inplace_portable(const tml_conv_params *p,
                                              int8_t *data,
                                              const int8_t *filter,
                                              const int32_t *bias,
                                              void *scratch) {
  const int32_t C = p->in.c;
  const size_t in_plane = (size_t)p->in.h * (size_t)p->in.w * (size_t)C;
  const size_t out_plane = (size_t)p->out.h * (size_t)p->out.w * (size_t)C;
  int8_t *plane = (int8_t *)scratch;
  int32_t b, c, oy, ox, fy, fx;
  for (b = 0; b < p->in.n; b++) {
    const int8_t *in = data + (size_t)b * in_plane;
    int8_t *out = data + (size_t)b * out_plane;
    for (c = 0; c < C; c++) {
      int8_t *o = plane;
      for (oy = 0; oy < p->out.h; oy++) {
        const int32_t iy0 = oy * p->stride_h - p->pad_h;
        int32_t fy0, fy1;
        tml_conv_taps(iy0, p->dilation_h, p->in.h, p->filter.h, &fy0, &fy1);
        for (ox = 0; ox < p->out.w; ox++) {
          const int32_t ix0 = ox * p->stride_w - p->pad_w;
          uint32_t acc = bias ? (uint32_t)bias[c] : 0u;
          int32_t fx0, fx1;
          tml_conv_taps(ix0, p->dilation_w, p->in.w, p->filter.w, &fx0, &fx1);
          for (fy = fy0; fy < fy1; fy++) {
            const int32_t iy = iy0 + fy * p->dilation_h;
            const int8_t *row = in + (size_t)iy * p->in.w * C + c;
            const int8_t *frow = filter + (size_t)fy * p->filter.w * C + c;
            for (fx = fx0; fx < fx1; fx++) {
              const int32_t ix = ix0 + fx * p->dilation_w;
              acc += (uint32_t)((int32_t)frow[(size_t)fx * C] *
                                ((int32_t)row[(size_t)ix * C] + p->in_offset));
            }
          }
          *o++ = tml_conv_out_s8(acc, p->mult[c], p->shift[c], p->out_offset,
                                 p->act_min, p->act_max);
        }
      }
      for (oy = 0; oy < p->out.h * p->out.w; oy++)
        out[(size_t)oy * C + c] = plane[oy];
    }
  }
}

int tml_conv2d_s8_inplace_ok(const tml_conv_params *p) {
  return p->filter.h == 1 && p->filter.w == 1 && p->stride_h == 1 &&
         p->stride_w == 1 && p->pad_h == 0 && p->pad_w == 0 &&
         p->filter.c == p->in.c && p->out.h == p->in.h && p->out.w == p->in.w;
}

/* Portable: one input pixel; DSP: six, expanded to int16. */
size_t tml_conv2d_s8_inplace_scratch_size_for(const tml_conv_params *p,
                                              int kset) {
  const size_t dsp = tml_conv2d_s8_inplace_dsp_scratch(p);
  return kset == TML_KSET_PORTABLE ? (size_t)p->in.c
         : kset == TML_KSET_ARM_DSP ? dsp
                                    : TML_MAX((size_t)p->in.c, dsp);
}

size_t tml_conv2d_s8_inplace_scratch_size(const tml_conv_params *p) {
  return tml_conv2d_s8_inplace_scratch_size_for(p, TML_KSET);
}

void tml_conv2d_s8_inplace(const tml_conv_params *p, int8_t *data,
                           const int8_t *filter, const int32_t *bias,
                           void *scratch) {
#if defined(TML_KERNELS_ARM_MVE)
  tml_conv2d_s8_inplace_arm_mve(p, data, filter, bias, scratch);
#elif defined(TML_KERNELS_ARM_DSP)
  tml_conv2d_s8_inplace_arm_dsp(p, data, filter, bias, scratch);
#else
  tml_conv2d_s8_inplace_portable(p, data, filter, bias, scratch);
#endif
}

void tml_conv2d_s8_inplace_portable(const tml_conv_params *p, int8_t *data,
                                    const int8_t *filter, const int32_t *bias,
                                    void *scratch) {
  const size_t n = (size_t)p->in.n * (size_t)p->in.h * (size_t)p->in.w;
  const size_t ic = (size_t)p->in.c, oc = (size_t)p->out.c;
  int8_t *x = (int8_t *)scratch;
  tml_fc_params f;
  size_t q;
  /* One pixel of a 1x1 convolution is a per-channel fully connected layer,
  ** so each pixel runs the (possibly vectorised) FC kernel. */
  memset(&f, 0, sizeof f);
  f.batches = 1;
  f.in_depth = p->in.c;
  f.out_depth = p->out.c;
  f.in_offset = p->in_offset;
  f.out_offset = p->out_offset;
  f.act_min = p->act_min;
  f.act_max = p->act_max;
  f.n_mult = p->out.c;
  f.mult = p->mult;
  f.shift = p->shift;
  if (oc <= ic) {
    for (q = 0; q < n; q++) {
      memcpy(x, data + q * ic, ic);
      tml_fully_connected_s8(&f, x, filter, bias, data + q * oc);
    }
  } else {
    for (q = n; q-- > 0;) {
      memcpy(x, data + q * ic, ic);
      tml_fully_connected_s8(&f, x, filter, bias, data + q * oc);
    }
  }
}
