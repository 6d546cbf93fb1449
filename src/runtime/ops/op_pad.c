/*
** PAD and PADV2 (TFLite Micro prepares both alike: PAD with a third input
** pads with it, as PADV2 does).
*/
#include <string.h>

#include "tml_records.h"

enum { PAD_OPTIONS = 22, PADV2_OPTIONS = 43 };
/* TFLite Micro's PadKernelMaxDimensionCount(). */
#define PAD_MAX_RANK 5

void tml_eval_pad(const tml_rec *r) {
  const tml_pad_rec *q = (const tml_pad_rec *)r;
  tml_pad(&q->p, q->in, q->out);
}

/* TFLite Micro reads the pad value at every invoke, so it may come from
** another operator. */
void tml_eval_pad_dynamic(const tml_rec *r) {
  const tml_pad_rec *q = (const tml_pad_rec *)r;
  tml_pad_params pp = q->p;
  memcpy(pp.value, q->value, (size_t)pp.elem_size);
  tml_pad(&pp, q->in, q->out);
}

tml_status tml_prepare_pad(tml_prep *p) {
  const int v2 = p->op.builtin == TML_OP_PADV2;
  tml_tensor_view in, pads, val, out;
  /* An omitted third input (index -1) means no value, as in TFLite Micro. */
  const int has_value = tml_prep_has_input(p, 2);
  const int32_t *pd;
  uint8_t value[8];
  tml_pad_rec r, *rec;
  int32_t d;
  tml_status s;

  memset(&r, 0, sizeof r);
  memset(&val, 0, sizeof val);
  memset(value, 0, sizeof value);
  if ((s = tml_prep_arity(p, 2, 3, 1)) != TML_OK ||
      (s = tml_prep_options(p, v2 ? PADV2_OPTIONS : PAD_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, 0, &in)) != TML_OK ||
      (s = tml_prep_input(p, 1, &pads)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_type(p, &out, in.type)) != TML_OK)
    return s;
  if (in.type != TML_FLOAT32 && in.type != TML_INT8 && in.type != TML_INT16 &&
      in.type != TML_INT32)
    return tml_prep_fail(p, TML_ERR_TYPE, in.index,
                         "type %s is not supported", tml_type_name(in.type));
  if (in.rank > PAD_MAX_RANK)
    return tml_prep_fail(p, TML_ERR_SHAPE, in.index,
                         "input of rank %d; TFLite Micro pads up to %d dims",
                         (int)in.rank, PAD_MAX_RANK);
  if (out.rank != in.rank)
    return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                         "output rank %d differs from input rank %d",
                         (int)out.rank, (int)in.rank);

  /* paddings: constant int32 [rank, 2] (TFLite Micro reads it as int32
  ** whatever its type; an int64 tensor would be misread). */
  if ((s = tml_prep_type(p, &pads, TML_INT32)) != TML_OK ||
      (s = tml_prep_const(p, &pads)) != TML_OK)
    return s;
  if (pads.elements != 2 * in.rank)
    return tml_prep_fail(p, TML_ERR_SHAPE, pads.index,
                         "paddings hold %d values, expected %d",
                         (int)pads.elements, (int)(2 * in.rank));
  pd = (const int32_t *)(const void *)pads.data;
  for (d = 0; d < in.rank; d++) {
    const int64_t want = (int64_t)in.dims[d] + pd[2 * d] + pd[2 * d + 1];
    if (pd[2 * d] < 0 || pd[2 * d + 1] < 0)
      return tml_prep_fail(p, TML_ERR_SHAPE, pads.index,
                           "negative padding for dim %d", (int)d);
    if (out.dims[d] != want)
      return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                           "output dim %d is %d, input plus paddings give %ld",
                           (int)d, (int)out.dims[d], (long)want);
  }

  if (has_value) {
    if ((s = tml_prep_input(p, 2, &val)) != TML_OK ||
        (s = tml_prep_type(p, &val, in.type)) != TML_OK)
      return s;
    if (val.elements != 1)
      return tml_prep_fail(p, TML_ERR_SHAPE, val.index,
                           "constant_values holds %d values, expected 1",
                           (int)val.elements);
    /* The value is written as it is stored: for int8 it must be in the
    ** output's quantization. */
    if (in.type == TML_INT8 &&
        (tml_tensor_scale(p->m, &val, 0) != tml_tensor_scale(p->m, &out, 0) ||
         tml_tensor_zp(p->m, &val, 0) != tml_tensor_zp(p->m, &out, 0)))
      return tml_prep_fail(p, TML_ERR_QUANT, val.index,
                           "constant_values must have the output's scale and "
                           "zero point");
    if (val.data) memcpy(value, val.data, tml_type_size(val.type));
  } else if (in.type == TML_INT8) {
    /* TFLite pads int8 with the output zero point (int16 with 0). */
    const int32_t zp = tml_tensor_zp(p->m, &out, 0);
    if (zp < -128 || zp > 127)
      return tml_prep_fail(p, TML_ERR_QUANT, out.index,
                           "output zero point %d is out of the int8 range",
                           (int)zp);
    value[0] = (uint8_t)(int8_t)zp;
  }

  s = tml_pad_init(&r.p, (int32_t)tml_type_size(in.type), in.rank, in.dims,
                   pd, value);
  if (s != TML_OK)
    return tml_prep_fail(p, s, out.index, "paddings the kernel rejects");
  rec = tml_prep_record(p, sizeof r,
                        has_value && !val.data ? tml_eval_pad_dynamic
                                               : tml_eval_pad);
  if (rec) {
    r.hdr = rec->hdr;
    r.in = tml_prep_data(p, &in);
    r.out = tml_prep_data(p, &out);
    if (has_value && !val.data) r.value = tml_prep_data(p, &val);
    *rec = r;
  }
  return TML_OK;
}
