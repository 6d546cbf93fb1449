/*
** CONCATENATION (TFLite's reference Concatenation): for each outer step,
** every input's slab is copied in input order. Quantized inputs are copied
** unchanged, which is exact because TFLite requires int8 inputs to share the
** output's scale and zero point.
*/
#include <string.h>

#include "tml_kernels.h"

tml_status tml_concat_init(tml_concat_params *p, int32_t elem_size,
                           int32_t n_inputs, int32_t rank,
                           const int32_t *const *in_dims,
                           const int32_t *out_dims, int32_t axis) {
  int64_t outer = 1, inner = 1, axis_sum = 0, total;
  int32_t k, d;
  if (!p || !in_dims || !out_dims) return TML_ERR_ARG;
  if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8)
    return TML_ERR_TYPE;
  if (n_inputs < 1 || n_inputs > TML_MAX_OP_INPUTS) return TML_ERR_LIMIT;
  if (rank < 1 || rank > TML_MAX_RANK) return TML_ERR_LIMIT;
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) return TML_ERR_OPTIONS;
  for (d = 0; d < rank; d++) {
    if (out_dims[d] < 0) return TML_ERR_SHAPE;
    if (d < axis) outer *= out_dims[d];
    if (d > axis) inner *= out_dims[d];
    if (outer > INT32_MAX || inner > INT32_MAX) return TML_ERR_SHAPE;
  }
  for (k = 0; k < n_inputs; k++) {
    const int32_t *dims = in_dims[k];
    if (!dims) return TML_ERR_ARG;
    for (d = 0; d < rank; d++) {
      if (d == axis) {
        if (dims[d] < 0) return TML_ERR_SHAPE;
      } else if (dims[d] != out_dims[d]) {
        return TML_ERR_SHAPE;
      }
    }
    axis_sum += dims[axis];
    if ((int64_t)dims[axis] * inner > INT32_MAX) return TML_ERR_SHAPE;
    p->in_inner[k] = (int32_t)(dims[axis] * inner);
  }
  if (axis_sum != out_dims[axis]) return TML_ERR_SHAPE;
  total = outer * axis_sum * inner;
  if (total > INT32_MAX) return TML_ERR_SHAPE;
  p->n_inputs = n_inputs;
  p->outer = (int32_t)outer;
  p->elem_size = elem_size;
  return TML_OK;
}

void tml_concat(const tml_concat_params *p, const void *const *in, void *out) {
  const size_t es = (size_t)p->elem_size;
  uint8_t *dst = (uint8_t *)out;
  int32_t o, k;
  for (o = 0; o < p->outer; o++) {
    for (k = 0; k < p->n_inputs; k++) {
      const size_t bytes = (size_t)p->in_inner[k] * es;
      if (bytes) {
        memcpy(dst, (const uint8_t *)in[k] + (size_t)o * bytes, bytes);
        dst += bytes;
      }
    }
  }
}
