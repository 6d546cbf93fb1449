/*
** tml_broadcast.h — the loop every broadcasting binary kernel shares. BODY
** runs once per output element with `o` (output index), `i1` and `i2` (input
** indices) in scope. Flat shapes take a single linear loop.
*/
#ifndef TML_BROADCAST_H
#define TML_BROADCAST_H

#include "tml_kernels.h"

#if TML_MAX_RANK != 6
#error "TML_BROADCAST_LOOP is written for TML_MAX_RANK == 6"
#endif

#define TML_BROADCAST_LOOP(b, BODY)                                          \
  do {                                                                       \
    const tml_broadcast *b_ = (b);                                           \
    int32_t o, i1, i2;                                                       \
    if (b_->flat) {                                                          \
      for (o = 0; o < b_->count; o++) {                                      \
        i1 = o;                                                              \
        i2 = o;                                                              \
        BODY;                                                                \
      }                                                                      \
    } else {                                                                 \
      int32_t c0, c1, c2, c3, c4, c5;                                        \
      o = 0;                                                                 \
      for (c0 = 0; c0 < b_->dims[0]; c0++)                                   \
        for (c1 = 0; c1 < b_->dims[1]; c1++)                                 \
          for (c2 = 0; c2 < b_->dims[2]; c2++)                               \
            for (c3 = 0; c3 < b_->dims[3]; c3++)                             \
              for (c4 = 0; c4 < b_->dims[4]; c4++) {                         \
                const int32_t base1 = c0 * b_->stride1[0] +                  \
                    c1 * b_->stride1[1] + c2 * b_->stride1[2] +              \
                    c3 * b_->stride1[3] + c4 * b_->stride1[4];               \
                const int32_t base2 = c0 * b_->stride2[0] +                  \
                    c1 * b_->stride2[1] + c2 * b_->stride2[2] +              \
                    c3 * b_->stride2[3] + c4 * b_->stride2[4];               \
                for (c5 = 0; c5 < b_->dims[5]; c5++, o++) {                  \
                  i1 = base1 + c5 * b_->stride1[5];                          \
                  i2 = base2 + c5 * b_->stride2[5];                          \
                  BODY;                                                      \
                }                                                            \
              }                                                              \
    }                                                                        \
  } while (0)

#endif
