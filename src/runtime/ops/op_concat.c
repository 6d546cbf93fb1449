/*
** CONCATENATION: the record holds one data pointer per input, after the
** struct, since the number of inputs varies.
*/
#include <string.h>

#include "tml_records.h"

enum { CONCAT_OPTIONS = 10 };
enum { CC_AXIS = 0, CC_ACT = 1 };
/* TFLite Micro's kMaxInputNum: it rejects more inputs. */
#define CONCAT_MAX_INPUTS 10

void tml_eval_concat(const tml_rec *r) {
  const tml_concat_rec *q = (const tml_concat_rec *)r;
  tml_concat(&q->p, (const void *const *)(const void *)(q + 1), q->out);
}

/* Concatenation copies bytes, so quantized inputs must already be in the
** output's quantization. TFLite checks this (int8: same scale and zero
** point; int16: zero point 0); TFLite Micro does not and copies the bytes
** anyway, which is only right when TFLite's condition holds. */
static tml_status check_quant(tml_prep *p, const tml_tensor_view *t,
                              const tml_tensor_view *out) {
  const float s = tml_tensor_scale(p->m, t, 0);
  const int32_t zp = tml_tensor_zp(p->m, t, 0);
  if (t->type == TML_INT8 && (s != tml_tensor_scale(p->m, out, 0) ||
                              zp != tml_tensor_zp(p->m, out, 0)))
    return tml_prep_fail(p, TML_ERR_QUANT, t->index,
                         "tensor %d '%.*s': int8 inputs must have the "
                         "output's scale and zero point", (int)t->index,
                         (int)t->name_len, t->name);
  if (t->type == TML_INT16 && zp != 0)
    return tml_prep_fail(p, TML_ERR_QUANT, t->index,
                         "tensor %d '%.*s': int16 zero point must be 0",
                         (int)t->index, (int)t->name_len, t->name);
  return TML_OK;
}

tml_status tml_prepare_concat(tml_prep *p) {
  /* Input shapes are copied rather than keeping every tensor view: prepare
  ** may run on the device, where stack is scarce. */
  int32_t dims[CONCAT_MAX_INPUTS][TML_MAX_RANK];
  const int32_t *in_dims[CONCAT_MAX_INPUTS];
  tml_tensor_view in, out;
  const uint32_t n = p->op.n_inputs;
  tml_concat_rec r, *rec;
  int32_t axis, act;
  size_t es;
  uint32_t k;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = tml_prep_arity(p, 1, CONCAT_MAX_INPUTS, 1)) != TML_OK ||
      (s = tml_prep_options(p, CONCAT_OPTIONS)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK)
    return s;
  act = tml_prep_opt_u8(p, CC_ACT, 0);
  if (act != TML_ACT_NONE)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "fused activation %d: TFLite supports none here",
                         (int)act);
  switch (out.type) {
    case TML_FLOAT32: case TML_INT8: case TML_INT16: case TML_INT32:
    case TML_INT64: case TML_BOOL:
      break;
    default:
      return tml_prep_fail(p, TML_ERR_TYPE, out.index,
                           "type %s is not supported",
                           tml_type_name(out.type));
  }
  if (out.rank < 1)
    return tml_prep_fail(p, TML_ERR_SHAPE, out.index, "output is a scalar");
  if ((s = check_quant(p, &out, &out)) != TML_OK) return s;
  for (k = 0; k < n; k++) {
    if ((s = tml_prep_input(p, k, &in)) != TML_OK ||
        (s = tml_prep_type(p, &in, out.type)) != TML_OK ||
        (s = check_quant(p, &in, &out)) != TML_OK)
      return s;
    if (in.rank != out.rank)
      return tml_prep_fail(p, TML_ERR_SHAPE, in.index,
                           "input %u has rank %d, the output %d", (unsigned)k,
                           (int)in.rank, (int)out.rank);
    memcpy(dims[k], in.dims, sizeof dims[k]);
    in_dims[k] = dims[k];
  }
  axis = tml_prep_opt_i32(p, CC_AXIS, 0);
  es = tml_type_size(out.type);
  s = tml_concat_init(&r.p, (int32_t)es, (int32_t)n, out.rank, in_dims,
                      out.dims, axis);
  if (s == TML_ERR_OPTIONS)
    return tml_prep_fail(p, s, -1, "axis %d is out of range for rank %d",
                         (int)axis, (int)out.rank);
  if (s != TML_OK)
    return tml_prep_fail(p, s, out.index,
                         "input shapes do not concatenate to the output "
                         "shape along axis %d", (int)axis);

  rec = tml_prep_record(p, sizeof r + n * sizeof(void *), tml_eval_concat);
  if (rec) {
    const void **ins = (const void **)(void *)(rec + 1);
    r.hdr = rec->hdr;
    r.out = tml_prep_data(p, &out);
    *rec = r;
    for (k = 0; k < n; k++) {
      tml_prep_input(p, k, &in); /* checked above */
      ins[k] = tml_prep_data(p, &in);
    }
  }
  return TML_OK;
}
