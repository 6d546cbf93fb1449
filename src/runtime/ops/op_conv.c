/*
** CONV_2D and DEPTHWISE_CONV_2D: shapes, padding and per-channel
** requantization parameters, as TFLite's Prepare computes them.
*/
#include <string.h>

#include "tml_records.h"

/* Conv2DOptions and DepthwiseConv2DOptions fields (schema.fbs). */
enum { CONV_OPTIONS = 1, DW_OPTIONS = 2 };
enum { CV_PADDING = 0, CV_STRIDE_W = 1, CV_STRIDE_H = 2, CV_ACT = 3,
       CV_DIL_W = 4, CV_DIL_H = 5 };
enum { DW_PADDING = 0, DW_STRIDE_W = 1, DW_STRIDE_H = 2, DW_MULT = 3,
       DW_ACT = 4, DW_DIL_W = 5, DW_DIL_H = 6 };

#define DEF_EVAL(name, call)                     \
  void name(const tml_rec *r) {                  \
    const tml_conv_rec *c = (const tml_conv_rec *)r; \
    call;                                        \
  }
DEF_EVAL(tml_eval_conv2d_s8,
         tml_conv2d_s8(&c->p, c->in, c->filter, c->bias, c->out, c->scratch))
DEF_EVAL(tml_eval_conv2d_s8_inplace,
         tml_conv2d_s8_inplace(&c->p, c->out, c->filter, c->bias, c->scratch))
DEF_EVAL(tml_eval_conv2d_s16,
         tml_conv2d_s16(&c->p, c->in, c->filter, c->bias, c->out, c->scratch))
DEF_EVAL(tml_eval_conv2d_s16_b32,
         tml_conv2d_s16_b32(&c->p, c->in, c->filter, c->bias, c->out,
                            c->scratch))
DEF_EVAL(tml_eval_conv2d_f32,
         tml_conv2d_f32(&c->p, c->in, c->filter, c->bias, c->out, c->scratch))
DEF_EVAL(tml_eval_depthwise_conv2d_s8,
         tml_depthwise_conv2d_s8(&c->p, c->in, c->filter, c->bias, c->out,
                                 c->scratch))
DEF_EVAL(tml_eval_depthwise_conv2d_s8_inplace,
         tml_depthwise_conv2d_s8_inplace(&c->p, c->out, c->filter, c->bias,
                                         c->scratch))
DEF_EVAL(tml_eval_depthwise_conv2d_f32,
         tml_depthwise_conv2d_f32(&c->p, c->in, c->filter, c->bias, c->out,
                                  c->scratch))

/* TFLite's ComputeOutSize and ComputePaddingWithOffset (top/left part). */
static int32_t out_size(int32_t padding, int32_t in, int32_t filter,
                        int32_t stride, int32_t dilation) {
  const int32_t eff = (filter - 1) * dilation + 1;
  return padding == 0 ? (in + stride - 1) / stride
                      : (in + stride - eff) / stride;
}

static int32_t pad_before(int32_t stride, int32_t dilation, int32_t in,
                          int32_t filter, int32_t out) {
  const int32_t eff = (filter - 1) * dilation + 1;
  const int32_t total = (out - 1) * stride + eff - in;
  return total > 0 ? total / 2 : 0;
}

/* Shared with pooling: check geometry options and the output's spatial
** size, then fill padding. */
tml_status tml_prep_window(tml_prep *p, int32_t padding, int32_t stride_h,
                           int32_t stride_w, int32_t dil_h, int32_t dil_w,
                           int32_t fh, int32_t fw, const tml_shape4 *in,
                           const tml_shape4 *out, int32_t *pad_h,
                           int32_t *pad_w) {
  int32_t oh, ow;
  if (padding != 0 && padding != 1)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1, "padding %d is not SAME or "
                         "VALID", (int)padding);
  if (stride_h < 1 || stride_w < 1 || dil_h < 1 || dil_w < 1 ||
      stride_h > 0xffff || stride_w > 0xffff || dil_h > 0xffff ||
      dil_w > 0xffff)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "stride %dx%d, dilation %dx%d out of range",
                         (int)stride_h, (int)stride_w, (int)dil_h, (int)dil_w);
  if (fh < 1 || fw < 1 || fh > 0xffff || fw > 0xffff)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1, "filter %dx%d out of range",
                         (int)fh, (int)fw);
  oh = out_size(padding, in->h, fh, stride_h, dil_h);
  ow = out_size(padding, in->w, fw, stride_w, dil_w);
  if (oh != out->h || ow != out->w || in->n != out->n)
    return tml_prep_fail(p, TML_ERR_SHAPE, -1,
                         "output is %dx%dx%d, the window gives %dx%dx%d",
                         (int)out->n, (int)out->h, (int)out->w, (int)in->n,
                         (int)oh, (int)ow);
  *pad_h = pad_before(stride_h, dil_h, in->h, fh, oh);
  *pad_w = pad_before(stride_w, dil_w, in->w, fw, ow);
  return TML_OK;
}

static tml_status prepare(tml_prep *p, int depthwise) {
  tml_tensor_view in, w, b, out;
  tml_conv_rec r, *rec;
  tml_activation act;
  int32_t padding, n_ch, has_bias, *mult = NULL;
  int8_t *shift = NULL;
  tml_eval_fn eval;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = tml_prep_arity(p, 2, 3, 1)) != TML_OK ||
      (s = tml_prep_options(p, depthwise ? DW_OPTIONS : CONV_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, 0, &in)) != TML_OK ||
      (s = tml_prep_input(p, 1, &w)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_const(p, &w)) != TML_OK ||
      (s = tml_prep_activation(p, depthwise ? DW_ACT : CV_ACT, &act)) != TML_OK)
    return s;
  has_bias = tml_prep_has_input(p, 2);
  if (has_bias && ((s = tml_prep_input(p, 2, &b)) != TML_OK ||
                   (s = tml_prep_const(p, &b)) != TML_OK))
    return s;
  if (in.rank != 4 || w.rank != 4 || out.rank != 4)
    return tml_prep_fail(p, TML_ERR_SHAPE, -1,
                         "input, filter and output must be 4-D (are %d, %d, "
                         "%d)", (int)in.rank, (int)w.rank, (int)out.rank);
  r.p.in = tml_prep_shape4(&in);
  r.p.filter = tml_prep_shape4(&w);
  r.p.out = tml_prep_shape4(&out);
  n_ch = r.p.out.c;
  if (depthwise) {
    padding = tml_prep_opt_u8(p, DW_PADDING, 0);
    r.p.stride_w = tml_prep_opt_i32(p, DW_STRIDE_W, 0);
    r.p.stride_h = tml_prep_opt_i32(p, DW_STRIDE_H, 0);
    r.p.dilation_w = tml_prep_opt_i32(p, DW_DIL_W, 1);
    r.p.dilation_h = tml_prep_opt_i32(p, DW_DIL_H, 1);
    /* TFLite derives the multiplier from the shapes; the option is legacy. */
    if (r.p.filter.n != 1 || r.p.filter.c != n_ch || n_ch % r.p.in.c != 0)
      return tml_prep_fail(p, TML_ERR_SHAPE, w.index,
                           "depthwise filter [%d,%d,%d,%d] does not fit input "
                           "depth %d and output depth %d", (int)r.p.filter.n,
                           (int)r.p.filter.h, (int)r.p.filter.w,
                           (int)r.p.filter.c, (int)r.p.in.c, (int)n_ch);
    r.p.depth_multiplier = n_ch / r.p.in.c;
  } else {
    padding = tml_prep_opt_u8(p, CV_PADDING, 0);
    r.p.stride_w = tml_prep_opt_i32(p, CV_STRIDE_W, 0);
    r.p.stride_h = tml_prep_opt_i32(p, CV_STRIDE_H, 0);
    r.p.dilation_w = tml_prep_opt_i32(p, CV_DIL_W, 1);
    r.p.dilation_h = tml_prep_opt_i32(p, CV_DIL_H, 1);
    if (r.p.filter.n != n_ch || r.p.in.c % r.p.filter.c != 0 ||
        n_ch % (r.p.in.c / r.p.filter.c) != 0)
      return tml_prep_fail(p, TML_ERR_SHAPE, w.index,
                           "filter [%d,%d,%d,%d] does not fit input depth %d "
                           "and output depth %d", (int)r.p.filter.n,
                           (int)r.p.filter.h, (int)r.p.filter.w,
                           (int)r.p.filter.c, (int)r.p.in.c, (int)n_ch);
  }
  s = tml_prep_window(p, padding, r.p.stride_h, r.p.stride_w, r.p.dilation_h,
                      r.p.dilation_w, r.p.filter.h, r.p.filter.w, &r.p.in,
                      &r.p.out, &r.p.pad_h, &r.p.pad_w);
  if (s != TML_OK) return s;
  if (has_bias && (b.elements != n_ch))
    return tml_prep_fail(p, TML_ERR_SHAPE, b.index,
                         "bias has %d elements for %d output channels",
                         (int)b.elements, (int)n_ch);

  if (in.type == TML_FLOAT32) {
    if (w.type == TML_INT8)
      return tml_prep_fail(p, TML_ERR_TYPE, w.index,
                           "hybrid model (float activations, int8 weights) "
                           "is not supported");
    if ((s = tml_prep_type(p, &w, TML_FLOAT32)) != TML_OK ||
        (s = tml_prep_type(p, &out, TML_FLOAT32)) != TML_OK ||
        (has_bias && (s = tml_prep_type(p, &b, TML_FLOAT32)) != TML_OK))
      return s;
    s = depthwise ? tml_depthwise_conv2d_f32_init(&r.p, act)
                  : tml_conv2d_f32_init(&r.p, act);
    if (s != TML_OK) return tml_prep_fail(p, s, -1, "invalid parameters");
    rec = tml_prep_record(p, sizeof r, depthwise ? tml_eval_depthwise_conv2d_f32 : tml_eval_conv2d_f32);
    p->scratch_bytes = (uint32_t)(depthwise ? tml_depthwise_conv2d_f32_scratch_size(&r.p)
                                            : tml_conv2d_f32_scratch_size(&r.p));
  } else if (in.type == TML_INT8 || (in.type == TML_INT16 && !depthwise)) {
    const int s16 = in.type == TML_INT16;
    const float *w_scales;
    float in_s, out_s;
    int32_t in_zp, out_zp, c, b64 = 0;
    if ((s = tml_prep_type(p, &w, TML_INT8)) != TML_OK ||
        (s = tml_prep_type(p, &out, in.type)) != TML_OK ||
        (s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK ||
        (s = tml_prep_quant(p, &out, &out_s, &out_zp)) != TML_OK ||
        (s = tml_prep_scales(p, &w, &w_scales)) != TML_OK)
      return s;
    if (has_bias) {
      b64 = b.type == TML_INT64;
      if (b.type != TML_INT32 && !(s16 && b64))
        return tml_prep_type(p, &b, s16 ? TML_INT64 : TML_INT32);
    }
    if (w.n_scale != 1 && (w.n_scale != (uint32_t)n_ch ||
                           w.quant_dim != (depthwise ? 3 : 0)))
      return tml_prep_fail(p, TML_ERR_QUANT, w.index,
                           "filter has %u scales along dimension %d for %d "
                           "channels", (unsigned)w.n_scale, (int)w.quant_dim,
                           (int)n_ch);
    for (c = 0; c < (int32_t)w.n_zp; c++)
      if (tml_tensor_zp(p->m, &w, (uint32_t)c) != 0)
        return tml_prep_fail(p, TML_ERR_QUANT, w.index,
                             "filter zero point %d is not 0 (TFLite's int8 "
                             "convolutions assume symmetric weights)",
                             (int)tml_tensor_zp(p->m, &w, (uint32_t)c));
    s = (depthwise ? tml_depthwise_conv2d_q_init : tml_conv2d_q_init)(
        &r.p, NULL, NULL, in_s, in_zp, w_scales, (int32_t)w.n_scale, out_s,
        out_zp, s16 ? -32768 : -128, s16 ? 32767 : 127, act);
    if (s != TML_OK)
      return tml_prep_fail(p, s, -1, "quantization parameters TFLite rejects");
    p->scratch_bytes = (uint32_t)(depthwise ? tml_depthwise_conv2d_s8_scratch_size_for(&r.p, p->kset)
                                  : s16 ? tml_conv2d_s16_scratch_size(&r.p)
                                        : tml_conv2d_s8_scratch_size_for(&r.p, p->kset));
    /* An input no other op reads later may take the output in place; the
    ** planner decides, and the fill pass sees it as equal data pointers. */
    if (!s16 && !in.data &&
        (depthwise ? tml_depthwise_conv2d_s8_inplace_ok(&r.p)
                   : tml_conv2d_s8_inplace_ok(&r.p))) {
      p->inplace = 1;
      p->inplace_scratch_bytes = (uint32_t)(
          depthwise ? tml_depthwise_conv2d_s8_inplace_scratch_size_for(&r.p, p->kset)
                    : tml_conv2d_s8_inplace_scratch_size_for(&r.p, p->kset));
    }
    if (p->inplace && p->record &&
        tml_prep_data(p, &in) == tml_prep_data(p, &out))
      eval = depthwise ? tml_eval_depthwise_conv2d_s8_inplace : tml_eval_conv2d_s8_inplace;
    else
      eval = depthwise ? tml_eval_depthwise_conv2d_s8
             : s16     ? (has_bias && !b64 ? tml_eval_conv2d_s16_b32 : tml_eval_conv2d_s16)
                       : tml_eval_conv2d_s8;
    rec = tml_prep_record(p, sizeof r + 5 * (size_t)n_ch, eval);
    if (rec) {
      mult = (int32_t *)(void *)(rec + 1);
      shift = (int8_t *)(mult + n_ch);
      (depthwise ? tml_depthwise_conv2d_q_init : tml_conv2d_q_init)(
          &r.p, mult, shift, in_s, in_zp, w_scales, (int32_t)w.n_scale, out_s,
          out_zp, s16 ? -32768 : -128, s16 ? 32767 : 127, act);
    }
  } else {
    return tml_prep_fail(p, TML_ERR_TYPE, in.index, "input type %s is not "
                         "supported", tml_type_name(in.type));
  }
  if (rec) {
    r.hdr = rec->hdr;
    r.in = tml_prep_data(p, &in);
    r.filter = w.data;
    r.bias = has_bias ? b.data : NULL;
    r.out = tml_prep_data(p, &out);
    r.scratch = tml_prep_scratch(p);
    *rec = r;
  }
  return TML_OK;
}

tml_status tml_prepare_conv2d(tml_prep *p) { return prepare(p, 0); }

tml_status tml_prepare_depthwise_conv2d(tml_prep *p) { return prepare(p, 1); }
