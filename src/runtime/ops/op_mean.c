/*
** MEAN over a constant list of axes.
*/
#include <string.h>

#include "tml_records.h"

enum { REDUCER_OPTIONS = 27 };
enum { RD_KEEP_DIMS = 0 };

void tml_eval_mean_s8(const tml_rec *r) {
  const tml_mean_rec *q = (const tml_mean_rec *)r;
  tml_mean_s8(&q->p, (const int8_t *)q->in, (int8_t *)q->out,
              (int32_t *)q->scratch);
}
void tml_eval_mean_s16(const tml_rec *r) {
  const tml_mean_rec *q = (const tml_mean_rec *)r;
  tml_mean_s16(&q->p, (const int16_t *)q->in, (int16_t *)q->out,
               (int32_t *)q->scratch);
}
void tml_eval_mean_f32(const tml_rec *r) {
  const tml_mean_rec *q = (const tml_mean_rec *)r;
  tml_mean_f32(&q->p, (const float *)q->in, (float *)q->out, NULL);
}

/* The output shape TFLite gives: reduced dims kept as 1 (keep_dims) or
** dropped. Either form is accepted: both hold the same bytes, and TFLite
** Micro only uses the output's element count. */
static int output_matches(const tml_tensor_view *in, uint32_t mask,
                          const tml_tensor_view *out) {
  int32_t d, n = 0, kept = 1, squeezed = 1;
  for (d = 0; d < in->rank; d++) {
    const int red = (int)((mask >> d) & 1u);
    if (out->rank == in->rank && out->dims[d] != (red ? 1 : in->dims[d]))
      kept = 0;
    if (!red) {
      if (n >= out->rank || out->dims[n] != in->dims[d]) squeezed = 0;
      n++;
    }
  }
  return (out->rank == in->rank && kept) || (out->rank == n && squeezed);
}

tml_status tml_prepare_mean(tml_prep *p) {
  tml_tensor_view in, axis, out;
  const int32_t *ax;
  uint32_t mask = 0;
  tml_mean_rec r, *rec;
  tml_eval_fn eval;
  int32_t k;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = tml_prep_arity(p, 2, 2, 1)) != TML_OK ||
      (s = tml_prep_options(p, REDUCER_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, 0, &in)) != TML_OK ||
      (s = tml_prep_input(p, 1, &axis)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_type(p, &out, in.type)) != TML_OK ||
      (s = tml_prep_type(p, &axis, TML_INT32)) != TML_OK)
    return s;
  if (in.type != TML_FLOAT32 && in.type != TML_INT8 && in.type != TML_INT16)
    return tml_prep_fail(p, TML_ERR_TYPE, in.index,
                         "type %s is not supported", tml_type_name(in.type));
  /* The axes decide the kernel's loops, which are fixed at prepare. */
  if ((s = tml_prep_const(p, &axis)) != TML_OK) return s;
  if (axis.rank > 1)
    return tml_prep_fail(p, TML_ERR_SHAPE, axis.index,
                         "axis must be a scalar or a vector");
  /* Negative entries count from the end; repeats reduce a dim once. A
  ** scalar input has no dims: TFLite ignores its axes. */
  ax = (const int32_t *)(const void *)axis.data;
  for (k = 0; in.rank > 0 && k < axis.elements; k++) {
    const int32_t a = ax[k] < 0 ? ax[k] + in.rank : ax[k];
    if (a < 0 || a >= in.rank)
      return tml_prep_fail(p, TML_ERR_OPTIONS, axis.index,
                           "axis %d is out of range for rank %d", (int)ax[k],
                           (int)in.rank);
    mask |= 1u << a;
  }
  if (!output_matches(&in, mask, &out))
    return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                         "output shape does not match the reduced input");

  if (in.type == TML_FLOAT32) {
    s = tml_mean_init(&r.p, in.rank, in.dims, mask);
    eval = tml_eval_mean_f32;
  } else {
    float in_s, out_s;
    int32_t in_zp, out_zp;
    if ((s = tml_prep_quant(p, &in, &in_s, &in_zp)) != TML_OK ||
        (s = tml_prep_quant(p, &out, &out_s, &out_zp)) != TML_OK)
      return s;
    s = tml_mean_q_init(&r.p, in.rank, in.dims, mask, in_s, in_zp, out_s,
                        out_zp);
    eval = in.type == TML_INT8 ? tml_eval_mean_s8 : tml_eval_mean_s16;
  }
  if (s != TML_OK)
    return tml_prep_fail(p, s, out.index, "%s",
                         s == TML_ERR_QUANT
                             ? "input/output scale ratio out of range"
                             : "input shape the kernel rejects");
  p->scratch_bytes = (uint32_t)tml_mean_scratch_size(&r.p);

  rec = tml_prep_record(p, sizeof r, eval);
  if (rec) {
    r.hdr = rec->hdr;
    r.in = tml_prep_data(p, &in);
    r.out = tml_prep_data(p, &out);
    r.scratch = tml_prep_scratch(p);
    *rec = r;
  }
  return TML_OK;
}
