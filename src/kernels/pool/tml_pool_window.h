/*
** The window of a pooling output clipped to the image, shared by the
** portable and the DSP pooling kernels so that both average over the same
** taps.
*/
#ifndef TML_POOL_WINDOW_H
#define TML_POOL_WINDOW_H

#include "tml_kernels.h"
#include "tml_qmath.h"

/* [y0, y1) x [x0, x1) of the input. */
typedef struct tml_pool_window {
  int32_t y0, y1, x0, x1;
} tml_pool_window;

static inline tml_pool_window tml_pool_clip(const tml_pool_params *p,
                                            int32_t oy, int32_t ox) {
  tml_pool_window w;
  const int32_t iy = oy * p->stride_h - p->pad_h;
  const int32_t ix = ox * p->stride_w - p->pad_w;
  w.y0 = TML_MAX(iy, 0);
  w.y1 = TML_MIN(iy + p->filter_h, p->in.h);
  w.x0 = TML_MAX(ix, 0);
  w.x1 = TML_MIN(ix + p->filter_w, p->in.w);
  return w;
}

/* Taps of the window inside the image (0 for a window wholly outside). */
static inline int32_t tml_pool_taps(tml_pool_window w) {
  return TML_MAX(w.y1 - w.y0, 0) * TML_MAX(w.x1 - w.x0, 0);
}

#endif
