/*
** QUANTIZE (float -> int8/int16, and requantization between int8 and int16)
** and DEQUANTIZE (int8/int16 -> float). TFLM also requantizes to and from
** int32; TML has no int32 kernels and says so.
*/
#include <string.h>

#include "tml_records.h"

enum { DEQUANTIZE_OPTIONS = 38, QUANTIZE_OPTIONS = 89 };

#define QUANT_EVAL(name, kernel, TI, TO)                                  \
  void name(const tml_rec *r) {                                           \
    const tml_quantize_rec *q = (const tml_quantize_rec *)r;              \
    kernel(&q->p, (const TI *)q->in, (TO *)q->out);                       \
  }
QUANT_EVAL(tml_eval_quantize_f32_s8, tml_quantize_f32_s8, float, int8_t)
QUANT_EVAL(tml_eval_quantize_f32_s16, tml_quantize_f32_s16, float, int16_t)
QUANT_EVAL(tml_eval_requantize_s8_s8, tml_requantize_s8_s8, int8_t, int8_t)
QUANT_EVAL(tml_eval_requantize_s8_s16, tml_requantize_s8_s16, int8_t, int16_t)
QUANT_EVAL(tml_eval_requantize_s16_s8, tml_requantize_s16_s8, int16_t, int8_t)
QUANT_EVAL(tml_eval_requantize_s16_s16, tml_requantize_s16_s16, int16_t,
           int16_t)
QUANT_EVAL(tml_eval_dequantize_s8_f32, tml_dequantize_s8_f32, int8_t, float)
QUANT_EVAL(tml_eval_dequantize_s16_f32, tml_dequantize_s16_f32, int16_t,
           float)

/* One input and one output of the same shape; constant input data aligned
** for the kernel. */
static tml_status unary(tml_prep *p, int32_t options, tml_tensor_view *in,
                        tml_tensor_view *out) {
  tml_status s;
  if ((s = tml_prep_arity(p, 1, 1, 1)) != TML_OK ||
      (s = tml_prep_options(p, options)) != TML_OK ||
      (s = tml_prep_input(p, 0, in)) != TML_OK ||
      (s = tml_prep_output(p, 0, out)) != TML_OK ||
      (s = tml_prep_same_shape(p, in, out)) != TML_OK ||
      (in->data && (s = tml_prep_const(p, in)) != TML_OK))
    return s;
  return TML_OK;
}

static int is_int8_16(int32_t type) {
  return type == TML_INT8 || type == TML_INT16;
}

static tml_status finish(tml_prep *p, const tml_quantize_rec *r,
                         const tml_tensor_view *in,
                         const tml_tensor_view *out, tml_eval_fn eval) {
  tml_quantize_rec *rec;
  /* The kernels read element i before writing element i: with elements of
  ** one size the output may take the input's bytes. */
  if (!in->data && in->type == out->type) p->inplace = 1;
  rec = tml_prep_record(p, sizeof *r, eval);
  if (rec) {
    const tml_rec hdr = rec->hdr;
    *rec = *r;
    rec->hdr = hdr;
    rec->in = tml_prep_data(p, in);
    rec->out = tml_prep_data(p, out);
  }
  return TML_OK;
}

tml_status tml_prepare_quantize(tml_prep *p) {
  tml_tensor_view in, out;
  tml_quantize_rec r;
  float out_s;
  int32_t out_zp, qmin, qmax;
  tml_eval_fn eval;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = unary(p, QUANTIZE_OPTIONS, &in, &out)) != TML_OK) return s;
  if ((in.type != TML_FLOAT32 && !is_int8_16(in.type)) ||
      !is_int8_16(out.type))
    return tml_prep_fail(p, TML_ERR_TYPE, out.index,
                         "%s -> %s is not supported (float32 -> int8/int16, "
                         "int8/int16 -> int8/int16)",
                         tml_type_name(in.type), tml_type_name(out.type));
  if ((s = tml_prep_quant(p, &out, &out_s, &out_zp)) != TML_OK) return s;
  /* TFLM quantizes per tensor only. */
  if (out.n_scale != 1)
    return tml_prep_fail(p, TML_ERR_QUANT, out.index,
                         "output has %u scales; only per-tensor quantization "
                         "is supported", (unsigned)out.n_scale);
  qmin = out.type == TML_INT8 ? -128 : -32768;
  qmax = out.type == TML_INT8 ? 127 : 32767;
  if (in.type == TML_FLOAT32) {
    s = tml_quantize_f32_init(&r.p, in.elements, out_s, out_zp, qmin, qmax);
    eval = out.type == TML_INT8 ? tml_eval_quantize_f32_s8
                                : tml_eval_quantize_f32_s16;
  } else {
    float in_s;
    int32_t in_zp;
    if ((s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK) return s;
    s = tml_requantize_init(&r.p, in.elements, in_s, in_zp, out_s, out_zp,
                            qmin, qmax);
    eval = in.type == TML_INT8 ? (out.type == TML_INT8
                                      ? tml_eval_requantize_s8_s8
                                      : tml_eval_requantize_s8_s16)
                               : (out.type == TML_INT8
                                      ? tml_eval_requantize_s16_s8
                                      : tml_eval_requantize_s16_s16);
  }
  if (s != TML_OK)
    return tml_prep_fail(p, s, out.index,
                         "input scale / output scale is 2^31 or more");
  return finish(p, &r, &in, &out, eval);
}

tml_status tml_prepare_dequantize(tml_prep *p) {
  tml_tensor_view in, out;
  tml_quantize_rec r;
  float in_s;
  int32_t in_zp;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = unary(p, DEQUANTIZE_OPTIONS, &in, &out)) != TML_OK) return s;
  if (!is_int8_16(in.type))
    return tml_prep_fail(p, TML_ERR_TYPE, in.index,
                         "input type %s is not supported (int8, int16)",
                         tml_type_name(in.type));
  if ((s = tml_prep_type(p, &out, TML_FLOAT32)) != TML_OK ||
      (s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK)
    return s;
  /* TFLM would apply the first channel's scale to every element. */
  if (in.n_scale != 1)
    return tml_prep_fail(p, TML_ERR_QUANT, in.index,
                         "input has %u scales; only per-tensor quantization "
                         "is supported", (unsigned)in.n_scale);
  if ((s = tml_dequantize_init(&r.p, in.elements, in_s, in_zp)) != TML_OK)
    return tml_prep_fail(p, s, in.index, "unusable quantization");
  return finish(p, &r, &in, &out,
                in.type == TML_INT8 ? tml_eval_dequantize_s8_f32
                                    : tml_eval_dequantize_s16_f32);
}
