/*
** STRIDED_SLICE with constant begin, end and strides.
*/
#include <string.h>

#include "tml_records.h"

enum { STRIDED_SLICE_OPTIONS = 32 };
enum { SS_BEGIN_MASK = 0, SS_END_MASK = 1, SS_ELLIPSIS_MASK = 2,
       SS_NEW_AXIS_MASK = 3, SS_SHRINK_AXIS_MASK = 4, SS_OFFSET = 5 };
/* TFLite Micro slices 1-D to 4-D tensors. */
#define SLICE_MAX_RANK 4

void tml_eval_strided_slice(const tml_rec *r) {
  const tml_slice_rec *q = (const tml_slice_rec *)r;
  tml_strided_slice(&q->p, q->in, q->out);
}

/* begin, end, strides: constant int32 vectors of one entry per input dim
** (TFLite Micro reads that many int32 values at prepare, whatever the
** tensor holds). */
static tml_status index_vector(tml_prep *p, uint32_t k, int32_t rank,
                               const int32_t **v) {
  tml_tensor_view t;
  tml_status s;
  if ((s = tml_prep_input(p, k, &t)) != TML_OK ||
      (s = tml_prep_type(p, &t, TML_INT32)) != TML_OK ||
      (s = tml_prep_const(p, &t)) != TML_OK)
    return s;
  if (t.rank != 1 || t.dims[0] != rank)
    return tml_prep_fail(p, TML_ERR_SHAPE, t.index,
                         "tensor %d '%.*s' must be a vector of %d entries",
                         (int)t.index, (int)t.name_len, t.name, (int)rank);
  *v = (const int32_t *)(const void *)t.data;
  return TML_OK;
}

tml_status tml_prepare_strided_slice(tml_prep *p) {
  tml_tensor_view in, out;
  const int32_t *begin = NULL, *end = NULL, *strides = NULL;
  int32_t begin_mask, end_mask, ellipsis, new_axis, shrink, d, n;
  tml_slice_rec r, *rec;
  tml_status s;

  memset(&r, 0, sizeof r);
  if ((s = tml_prep_arity(p, 4, 4, 1)) != TML_OK ||
      (s = tml_prep_options(p, STRIDED_SLICE_OPTIONS)) != TML_OK ||
      (s = tml_prep_input(p, 0, &in)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_type(p, &out, in.type)) != TML_OK)
    return s;
  if (in.type != TML_FLOAT32 && in.type != TML_INT8 && in.type != TML_INT16 &&
      in.type != TML_INT32 && in.type != TML_BOOL)
    return tml_prep_fail(p, TML_ERR_TYPE, in.index,
                         "type %s is not supported", tml_type_name(in.type));
  if (in.rank > SLICE_MAX_RANK)
    return tml_prep_fail(p, TML_ERR_SHAPE, in.index,
                         "input of rank %d; TFLite Micro slices up to %d dims",
                         (int)in.rank, SLICE_MAX_RANK);
  if ((s = index_vector(p, 1, in.rank, &begin)) != TML_OK ||
      (s = index_vector(p, 2, in.rank, &end)) != TML_OK ||
      (s = index_vector(p, 3, in.rank, &strides)) != TML_OK)
    return s;
  begin_mask = tml_prep_opt_i32(p, SS_BEGIN_MASK, 0);
  end_mask = tml_prep_opt_i32(p, SS_END_MASK, 0);
  ellipsis = tml_prep_opt_i32(p, SS_ELLIPSIS_MASK, 0);
  new_axis = tml_prep_opt_i32(p, SS_NEW_AXIS_MASK, 0);
  shrink = tml_prep_opt_i32(p, SS_SHRINK_AXIS_MASK, 0);
  /* TFLite Micro ignores offset (and zeroes the ellipsis and new-axis
  ** masks): a model using them means something TFLite Micro does not run. */
  if (tml_prep_opt_u8(p, SS_OFFSET, 0))
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "offset is not supported (TFLite Micro ignores it)");
  if (ellipsis || new_axis)
    return tml_prep_fail(p, TML_ERR_OPTIONS, -1,
                         "ellipsis_mask and new_axis_mask are not supported");
  for (d = 0; d < in.rank; d++)
    if (strides[d] == 0)
      return tml_prep_fail(p, TML_ERR_OPTIONS, -1, "stride of dim %d is 0",
                           (int)d);
  s = tml_strided_slice_init(&r.p, (int32_t)tml_type_size(in.type), in.rank,
                             in.dims, begin, end, strides, begin_mask,
                             end_mask, 0, 0, shrink, 0);
  if (s == TML_ERR_OPTIONS)
    return tml_prep_fail(p, s, -1,
                         "a shrunk dim selects no element (begin out of "
                         "range or a negative stride)");
  if (s != TML_OK)
    return tml_prep_fail(p, s, in.index, "input shape the kernel rejects");

  /* The output keeps the dims that are not shrunk. */
  for (d = 0, n = 0; d < in.rank; d++) {
    if ((shrink >> d) & 1) continue;
    if (n >= out.rank || out.dims[n] != r.p.out_dims[d])
      return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                           "output shape does not match the slice (dim %d "
                           "selects %d elements)", (int)d,
                           (int)r.p.out_dims[d]);
    n++;
  }
  if (n != out.rank)
    return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                         "output rank %d, the slice keeps %d dims",
                         (int)out.rank, (int)n);

  rec = tml_prep_record(p, sizeof r, tml_eval_strided_slice);
  if (rec) {
    r.hdr = rec->hdr;
    r.in = tml_prep_data(p, &in);
    r.out = tml_prep_data(p, &out);
    *rec = r;
  }
  return TML_OK;
}
