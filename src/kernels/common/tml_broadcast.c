/*
** Broadcasting of two input shapes onto the output shape (numpy rules, as in
** TFLite): shapes are aligned at the last dimension; a dimension of 1 repeats.
*/
#include "tml_kernels.h"

tml_status tml_broadcast_init(tml_broadcast *b, int32_t rank1,
                              const int32_t *dims1, int32_t rank2,
                              const int32_t *dims2, int32_t out_rank,
                              const int32_t *out_dims) {
  int32_t d, s1 = 1, s2 = 1, same = rank1 == rank2 && rank1 == out_rank;
  int64_t count = 1;
  if (rank1 < 0 || rank2 < 0 || out_rank < 0 || rank1 > TML_MAX_RANK ||
      rank2 > TML_MAX_RANK || out_rank > TML_MAX_RANK || rank1 > out_rank ||
      rank2 > out_rank)
    return TML_ERR_SHAPE;
  for (d = TML_MAX_RANK - 1; d >= 0; d--) {
    const int32_t k = d - (TML_MAX_RANK - out_rank);
    const int32_t k1 = d - (TML_MAX_RANK - rank1);
    const int32_t k2 = d - (TML_MAX_RANK - rank2);
    const int32_t o = k >= 0 ? out_dims[k] : 1;
    const int32_t a = k1 >= 0 ? dims1[k1] : 1;
    const int32_t c = k2 >= 0 ? dims2[k2] : 1;
    if ((a != o && a != 1) || (c != o && c != 1) || o < 1) return TML_ERR_SHAPE;
    if (a != o || c != o) same = 0;
    b->dims[d] = o;
    b->stride1[d] = a == 1 ? 0 : s1;
    b->stride2[d] = c == 1 ? 0 : s2;
    s1 *= a;
    s2 *= c;
    count *= o;
    if (count > 0x7fffffff) return TML_ERR_SHAPE;
  }
  b->flat = same;
  b->count = (int32_t)count;
  return TML_OK;
}
