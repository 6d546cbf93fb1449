/*
** TRANSPOSE with a constant permutation.
*/
#include <string.h>

#include "tml_records.h"

enum { TRANSPOSE_OPTIONS = 26 };
/* TFLite Micro transposes 1-D to 5-D tensors. */
#define TRANSPOSE_MAX_RANK 5

void tml_eval_transpose(const tml_rec *r) {
  const tml_transpose_rec *q = (const tml_transpose_rec *)r;
  tml_transpose(&q->p, q->in, q->out);
}

tml_status tml_prepare_transpose(tml_prep *p) {
  tml_tensor_view in, perm, out;
  tml_transpose_rec r, *rec;
  int32_t k;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = tml_prep_arity(p, 2, 2, 1)) != TML_OK ||
      (s = tml_prep_options(p, TRANSPOSE_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, 0, &in)) != TML_OK ||
      (s = tml_prep_input(p, 1, &perm)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_type(p, &out, in.type)) != TML_OK)
    return s;
  if (in.type != TML_FLOAT32 && in.type != TML_INT8 && in.type != TML_INT16)
    return tml_prep_fail(p, TML_ERR_TYPE, in.index,
                         "type %s is not supported", tml_type_name(in.type));
  if (in.rank > TRANSPOSE_MAX_RANK)
    return tml_prep_fail(p, TML_ERR_SHAPE, in.index,
                         "input of rank %d; TFLite Micro transposes up to %d "
                         "dims", (int)in.rank, TRANSPOSE_MAX_RANK);
  /* TFLite Micro checks perm at prepare, where only constants have data. */
  if ((s = tml_prep_type(p, &perm, TML_INT32)) != TML_OK ||
      (s = tml_prep_const(p, &perm)) != TML_OK)
    return s;
  if (perm.rank != 1 || perm.dims[0] != in.rank)
    return tml_prep_fail(p, TML_ERR_SHAPE, perm.index,
                         "perm must be a vector of %d entries", (int)in.rank);
  s = tml_transpose_init(&r.p, (int32_t)tml_type_size(in.type), in.rank,
                         in.dims, (const int32_t *)(const void *)perm.data);
  /* TFLite Micro only range-checks perm; a repeated entry is rejected
  ** here too (the kernel would read past the input). */
  if (s == TML_ERR_OPTIONS)
    return tml_prep_fail(p, s, perm.index,
                         "perm is not a permutation of 0..%d",
                         (int)in.rank - 1);
  if (s != TML_OK)
    return tml_prep_fail(p, s, in.index, "input shape the kernel rejects");
  if (out.rank != in.rank)
    return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                         "output rank %d differs from input rank %d",
                         (int)out.rank, (int)in.rank);
  for (k = 0; k < in.rank; k++)
    if (out.dims[k] != r.p.out_dims[k])
      return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                           "output dim %d is %d, the permuted input's %d",
                           (int)k, (int)out.dims[k], (int)r.p.out_dims[k]);

  rec = tml_prep_record(p, sizeof r, tml_eval_transpose);
  if (rec) {
    r.hdr = rec->hdr;
    r.in = tml_prep_data(p, &in);
    r.out = tml_prep_data(p, &out);
    *rec = r;
  }
  return TML_OK;
}
