/*
** STRIDED_SLICE (TFLite's strided_slice_logic.h and reference StridedSlice).
** Init resolves begin/end/stride per dim exactly as StridedSliceStartForAxis
** and StridedSliceEndForAxis do; the kernel walks the output in order.
*/
#include "tml_gather.h"
#include "tml_kernels.h"

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

tml_status tml_strided_slice_init(tml_slice_params *p, int32_t elem_size,
                                  int32_t rank, const int32_t *in_dims,
                                  const int32_t *begin, const int32_t *end,
                                  const int32_t *strides, int32_t begin_mask,
                                  int32_t end_mask, int32_t ellipsis_mask,
                                  int32_t new_axis_mask,
                                  int32_t shrink_axis_mask, int32_t offset) {
  int64_t total = 1;
  int32_t d;
  if (!p || (rank > 0 && (!in_dims || !begin || !end || !strides)))
    return TML_ERR_ARG;
  if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8)
    return TML_ERR_TYPE;
  if (rank < 0 || rank > TML_MAX_RANK) return TML_ERR_LIMIT;
  if (ellipsis_mask != 0 || new_axis_mask != 0) return TML_ERR_OPTIONS;
  for (d = 0; d < rank; d++) {
    const int64_t size = in_dims[d];
    const int64_t stride = strides[d];
    const int shrink = (shrink_axis_mask >> d) & 1;
    int64_t start, stop, count;
    if (size < 0) return TML_ERR_SHAPE;
    total *= size;
    if (total > INT32_MAX) return TML_ERR_SHAPE;
    if (stride == 0) return TML_ERR_OPTIONS;
    start = begin[d];
    if (start < 0) start += size;
    start = stride > 0 ? clamp64(start, 0, size) : clamp64(start, -1, size - 1);
    if ((begin_mask >> d) & 1) start = stride > 0 ? 0 : size - 1;
    if (shrink) {
      stop = start >= size ? start : start + 1;
    } else {
      stop = end[d];
      if (offset) stop += start;
      if (stop < 0) stop += size;
      stop = stride > 0 ? clamp64(stop, 0, size) : clamp64(stop, -1, size - 1);
      if ((end_mask >> d) & 1) stop = stride > 0 ? size : -1;
    }
    /* Iterations of TFLite's loop: index from start while before stop. */
    if (stride > 0)
      count = stop > start ? (stop - start + stride - 1) / stride : 0;
    else
      count = start > stop ? (start - stop - stride - 1) / -stride : 0;
    if (shrink && count != 1) return TML_ERR_OPTIONS;
    p->in_dims[d] = (int32_t)size;
    p->begin[d] = (int32_t)start;
    /* A dim read at most once never steps; stride 1 there keeps the
    ** kernel's step products within the tensor's size. */
    p->stride[d] = count > 1 ? (int32_t)stride : 1;
    p->out_dims[d] = (int32_t)count;
  }
  /* Unused dims (all of them for a scalar) select their only element. */
  for (d = rank; d < TML_MAX_RANK; d++) {
    p->in_dims[d] = 1;
    p->begin[d] = 0;
    p->stride[d] = 1;
    p->out_dims[d] = 1;
  }
  p->elem_size = elem_size;
  p->rank = rank > 0 ? rank : 1;
  return TML_OK;
}

void tml_strided_slice(const tml_slice_params *p, const void *in, void *out) {
  const int32_t rank = p->rank;
  const size_t es = (size_t)p->elem_size;
  const uint8_t *src = (const uint8_t *)in;
  uint8_t *dst = (uint8_t *)out;
  ptrdiff_t istride[TML_MAX_RANK], step[TML_MAX_RANK], off = 0;
  size_t rows = 1, r;
  int32_t idx[TML_MAX_RANK], k;
  const int32_t n = p->out_dims[rank - 1];
  istride[rank - 1] = 1;
  for (k = rank - 1; k > 0; k--)
    istride[k - 1] = istride[k] * (ptrdiff_t)p->in_dims[k];
  for (k = 0; k < rank; k++) {
    step[k] = istride[k] * (ptrdiff_t)p->stride[k];
    off += istride[k] * (ptrdiff_t)p->begin[k];
    idx[k] = 0;
    if (k < rank - 1) rows *= (size_t)p->out_dims[k];
  }
  if (n == 0) return;
  for (r = 0; r < rows; r++) {
    tml_gather(dst, src + off * (ptrdiff_t)es, n, step[rank - 1], es);
    dst += (size_t)n * es;
    for (k = rank - 2; k >= 0; k--) {
      if (++idx[k] < p->out_dims[k]) {
        off += step[k];
        break;
      }
      idx[k] = 0;
      off -= (ptrdiff_t)(p->out_dims[k] - 1) * step[k];
    }
  }
}
