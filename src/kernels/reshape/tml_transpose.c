/*
** TRANSPOSE (TFLite's reference Transpose): the output is written in order
** while the input is read with the stride of the input dim that each output
** dim comes from. Elements are moved as opaque bytes of their size.
*/
#include <string.h>

#include "tml_gather.h"
#include "tml_kernels.h"

tml_status tml_transpose_init(tml_transpose_params *p, int32_t elem_size,
                              int32_t rank, const int32_t *in_dims,
                              const int32_t *perm) {
  int64_t total = 1;
  uint32_t seen = 0;
  int32_t k;
  if (!p || (rank > 0 && (!in_dims || !perm))) return TML_ERR_ARG;
  if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8)
    return TML_ERR_TYPE;
  if (rank < 0 || rank > TML_MAX_RANK) return TML_ERR_LIMIT;
  for (k = 0; k < rank; k++) {
    if (in_dims[k] < 0) return TML_ERR_SHAPE;
    total *= in_dims[k];
    if (total > INT32_MAX) return TML_ERR_SHAPE;
    /* TFLite Micro only range-checks perm; a repeated entry is no
    ** transpose and could read past the input. */
    if (perm[k] < 0 || perm[k] >= rank || (seen >> perm[k] & 1u))
      return TML_ERR_OPTIONS;
    seen |= 1u << perm[k];
  }
  p->elem_size = elem_size;
  /* A scalar is moved as a one-element vector. */
  p->rank = rank > 0 ? rank : 1;
  for (k = 0; k < TML_MAX_RANK; k++) {
    p->in_dims[k] = k < rank ? in_dims[k] : 1;
    p->perm[k] = k < rank ? perm[k] : k;
  }
  for (k = 0; k < TML_MAX_RANK; k++) p->out_dims[k] = p->in_dims[p->perm[k]];
  return TML_OK;
}

void tml_transpose(const tml_transpose_params *p, const void *in, void *out) {
  const int32_t rank = p->rank;
  const size_t es = (size_t)p->elem_size;
  const uint8_t *src = (const uint8_t *)in;
  uint8_t *dst = (uint8_t *)out;
  size_t istride[TML_MAX_RANK], step[TML_MAX_RANK], off = 0, rows = 1, r;
  int32_t idx[TML_MAX_RANK], k;
  const int32_t n = p->out_dims[rank - 1];
  istride[rank - 1] = 1;
  for (k = rank - 1; k > 0; k--)
    istride[k - 1] = istride[k] * (size_t)p->in_dims[k];
  for (k = 0; k < rank; k++) {
    step[k] = istride[p->perm[k]];
    idx[k] = 0;
    if (k < rank - 1) rows *= (size_t)p->out_dims[k];
  }
  if (n == 0) return;
  for (r = 0; r < rows; r++) {
    tml_gather(dst, src + off * es, n, (ptrdiff_t)step[rank - 1], es);
    dst += (size_t)n * es;
    for (k = rank - 2; k >= 0; k--) {
      if (++idx[k] < p->out_dims[k]) {
        off += step[k];
        break;
      }
      idx[k] = 0;
      off -= (size_t)(p->out_dims[k] - 1) * step[k];
    }
  }
}
