/*
** PAD and PADV2 (TFLite's reference PadImpl). The output is written in order:
** each input row (innermost dim) lands at a known output offset, and every
** gap between consecutive rows is pad value. That gives TFLite's bytes with
** one bulk fill per gap instead of a test per element.
*/
#include <string.h>

#include "tml_kernels.h"

tml_status tml_pad_init(tml_pad_params *p, int32_t elem_size, int32_t rank,
                        const int32_t *in_dims, const int32_t *paddings,
                        const void *value) {
  const int32_t lead = TML_MAX_RANK - rank;
  int64_t out_total = 1;
  int32_t d;
  if (!p || !value || (rank > 0 && (!in_dims || !paddings))) return TML_ERR_ARG;
  if (elem_size != 1 && elem_size != 2 && elem_size != 4 && elem_size != 8)
    return TML_ERR_TYPE;
  if (rank < 0 || rank > TML_MAX_RANK) return TML_ERR_LIMIT;
  for (d = 0; d < TML_MAX_RANK; d++) {
    int32_t dim = 1, before = 0, after = 0;
    if (d >= lead) {
      dim = in_dims[d - lead];
      before = paddings[2 * (d - lead)];
      after = paddings[2 * (d - lead) + 1];
    }
    if (dim < 0 || before < 0 || after < 0) return TML_ERR_SHAPE;
    out_total *= (int64_t)dim + before + after;
    if (out_total > INT32_MAX) return TML_ERR_SHAPE;
    p->in_dims[d] = dim;
    p->before[d] = before;
    p->after[d] = after;
  }
  p->elem_size = elem_size;
  memset(p->value, 0, sizeof p->value);
  memcpy(p->value, value, (size_t)elem_size);
  return TML_OK;
}

/* n elements of the pad value: the first one copied, then the filled run
** doubled, so any element size costs a few memcpy calls. */
static void fill(uint8_t *dst, size_t n, const uint8_t *value, size_t es) {
  const size_t total = n * es;
  size_t done;
  if (!total) return;
  if (es == 1) {
    memset(dst, value[0], total);
    return;
  }
  memcpy(dst, value, es);
  for (done = es; done < total;) {
    const size_t chunk = done < total - done ? done : total - done;
    memcpy(dst + done, dst, chunk);
    done += chunk;
  }
}

void tml_pad(const tml_pad_params *p, const void *in, void *out) {
  enum { R = TML_MAX_RANK };
  const size_t es = (size_t)p->elem_size;
  const size_t in_w = (size_t)p->in_dims[R - 1];
  const uint8_t *src = (const uint8_t *)in;
  uint8_t *dst = (uint8_t *)out;
  size_t ostride[R], total, rows = 1, pos = 0, off = 0, r;
  int32_t idx[R];
  int d;
  ostride[R - 1] = 1;
  for (d = R - 1; d > 0; d--)
    ostride[d - 1] =
        ostride[d] * (size_t)(p->in_dims[d] + p->before[d] + p->after[d]);
  total = ostride[0] * (size_t)(p->in_dims[0] + p->before[0] + p->after[0]);
  if (!total) return;
  /* off: output offset of the current input row. */
  for (d = 0; d < R; d++) {
    off += (size_t)p->before[d] * ostride[d];
    idx[d] = 0;
    if (d < R - 1) rows *= (size_t)p->in_dims[d];
  }
  for (r = 0; r < rows; r++) {
    fill(dst + pos * es, off - pos, p->value, es);
    if (in_w) {
      memcpy(dst + off * es, src, in_w * es);
      src += in_w * es;
    }
    pos = off + in_w;
    for (d = R - 2; d >= 0; d--) {
      if (++idx[d] < p->in_dims[d]) {
        off += ostride[d];
        break;
      }
      idx[d] = 0;
      off -= (size_t)(p->in_dims[d] - 1) * ostride[d];
    }
  }
  fill(dst + pos * es, total - pos, p->value, es);
}
