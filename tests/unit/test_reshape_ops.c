/*
** CONCATENATION, PAD/PADV2, TRANSPOSE and STRIDED_SLICE. Small cases are
** listed by hand; larger ones are checked element by element against a
** direct index formula (output coordinates -> input coordinates).
*/
#include <stdint.h>
#include <string.h>

#include "tml_kernels.h"
#include "tml_test.h"

/* Row-major coordinates of linear index i in a shape of `rank` dims. */
static void coords(int32_t i, int32_t rank, const int32_t *dims, int32_t *c) {
  int32_t d;
  for (d = rank - 1; d >= 0; d--) {
    c[d] = i % dims[d];
    i /= dims[d];
  }
}

static int32_t linear(int32_t rank, const int32_t *dims, const int32_t *c) {
  int32_t d, i = 0;
  for (d = 0; d < rank; d++) i = i * dims[d] + c[d];
  return i;
}

/* ------------------------------------------------------------ concat */

/* Axis 0: [1,2] + [2,2] + [3,2] -> [6,2]: the inputs one after another. */
static void test_concat_axis0_s8(void) {
  static const int8_t a[2] = {1, 2}, b[4] = {3, 4, 5, 6},
                      c[6] = {7, 8, 9, 10, 11, -128};
  static const int32_t da[2] = {1, 2}, db[2] = {2, 2}, dc[2] = {3, 2},
                       dout[2] = {6, 2};
  static const int8_t want[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -128};
  const int32_t *dims[3] = {da, db, dc};
  const void *in[3] = {a, b, c};
  tml_concat_params p;
  int8_t out[12];
  CHECK_EQ(tml_concat_init(&p, 1, 3, 2, dims, dout, 0), TML_OK);
  CHECK_EQ(p.outer, 1);
  tml_concat(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 12);
}

/* Last axis (given as -1): [2,2,1] + [2,2,2] + [2,2,3] -> [2,2,6]; row r of
** the output is a[r], b[2r], b[2r+1], c[3r], c[3r+1], c[3r+2]. */
static void test_concat_last_axis_s8(void) {
  static const int8_t a[4] = {1, 2, 3, 4};
  static const int8_t b[8] = {11, 12, 13, 14, 15, 16, 17, 18};
  static const int8_t c[12] = {21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
  static const int32_t da[3] = {2, 2, 1}, db[3] = {2, 2, 2}, dc[3] = {2, 2, 3},
                       dout[3] = {2, 2, 6};
  static const int8_t want[24] = {1, 11, 12, 21, 22, 23, 2, 13, 14, 24, 25, 26,
                                  3, 15, 16, 27, 28, 29, 4, 17, 18, 30, 31, 32};
  const int32_t *dims[3] = {da, db, dc};
  const void *in[3] = {a, b, c};
  tml_concat_params p;
  int8_t out[24];
  CHECK_EQ(tml_concat_init(&p, 1, 3, 3, dims, dout, -1), TML_OK);
  CHECK_EQ(p.outer, 4);
  tml_concat(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 24);
}

/* Middle axis, float: [2,1,3] + [2,2,3] + [2,3,3] -> [2,6,3]. Output (b,j,k)
** comes from input 0 for j < 1, input 1 for j < 3, input 2 otherwise. */
static void test_concat_middle_f32(void) {
  static const int32_t da[3] = {2, 1, 3}, db[3] = {2, 2, 3}, dc[3] = {2, 3, 3},
                       dout[3] = {2, 6, 3};
  const int32_t *dims[3] = {da, db, dc};
  float a[6], b[12], c[18], out[36], want[36];
  const void *in[3] = {a, b, c};
  tml_concat_params p;
  int32_t i, bb, j, k;
  for (i = 0; i < 6; i++) a[i] = 100.0f + (float)i;
  for (i = 0; i < 12; i++) b[i] = 200.0f + (float)i;
  for (i = 0; i < 18; i++) c[i] = 300.0f + (float)i;
  for (bb = 0; bb < 2; bb++)
    for (j = 0; j < 6; j++)
      for (k = 0; k < 3; k++) {
        float v;
        if (j < 1)
          v = a[(bb * 1 + j) * 3 + k];
        else if (j < 3)
          v = b[(bb * 2 + (j - 1)) * 3 + k];
        else
          v = c[(bb * 3 + (j - 3)) * 3 + k];
        want[(bb * 6 + j) * 3 + k] = v;
      }
  CHECK_EQ(tml_concat_init(&p, 4, 3, 3, dims, dout, 1), TML_OK);
  CHECK_EQ(p.outer, 2);
  CHECK_EQ(p.in_inner[0], 3);
  CHECK_EQ(p.in_inner[2], 9);
  tml_concat(&p, in, out);
  CHECK(memcmp(out, want, sizeof want) == 0);
}

/* int16 on axis 1 of [2,1] + [2,2] -> [2,3]. */
static void test_concat_s16(void) {
  static const int16_t a[2] = {-32768, 32767}, b[4] = {1, 2, 3, 4};
  static const int32_t da[2] = {2, 1}, db[2] = {2, 2}, dout[2] = {2, 3};
  static const int16_t want[6] = {-32768, 1, 2, 32767, 3, 4};
  const int32_t *dims[2] = {da, db};
  const void *in[2] = {a, b};
  tml_concat_params p;
  int16_t out[6];
  CHECK_EQ(tml_concat_init(&p, 2, 2, 2, dims, dout, 1), TML_OK);
  tml_concat(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 6);
}

static void test_concat_errors(void) {
  static const int32_t da[2] = {2, 1}, db[2] = {3, 2}, dout[2] = {2, 3},
                       dbad[2] = {2, 4};
  const int32_t *dims[2] = {da, db};
  const int32_t *ok[2] = {da, da};
  tml_concat_params p;
  /* Non-axis dims differ. */
  CHECK_EQ(tml_concat_init(&p, 1, 2, 2, dims, dout, 1), TML_ERR_SHAPE);
  /* Axis dims do not add up. */
  CHECK_EQ(tml_concat_init(&p, 1, 2, 2, ok, dbad, 1), TML_ERR_SHAPE);
  CHECK_EQ(tml_concat_init(&p, 1, 2, 2, ok, dout, 2), TML_ERR_OPTIONS);
  CHECK_EQ(tml_concat_init(&p, 1, 2, 2, ok, dout, -3), TML_ERR_OPTIONS);
  CHECK_EQ(tml_concat_init(&p, 3, 2, 2, ok, dout, 1), TML_ERR_TYPE);
  CHECK_EQ(tml_concat_init(&p, 1, 0, 2, ok, dout, 1), TML_ERR_LIMIT);
}

/* --------------------------------------------------------------- pad */

/* 1-D and 2-D by hand. */
static void test_pad_small(void) {
  static const int8_t in1[3] = {1, 2, 3};
  static const int32_t d1[1] = {3}, pad1[2] = {2, 1};
  static const int8_t want1[6] = {9, 9, 1, 2, 3, 9};
  static const int8_t in2[4] = {1, 2, 3, 4};
  static const int32_t d2[2] = {2, 2}, pad2[4] = {1, 0, 0, 2};
  static const int8_t want2[12] = {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0};
  const int8_t nine = 9, zero = 0;
  tml_pad_params p;
  int8_t out1[6], out2[12];
  CHECK_EQ(tml_pad_init(&p, 1, 1, d1, pad1, &nine), TML_OK);
  tml_pad(&p, in1, out1);
  CHECK_ARRAY_EQ(out1, want1, 6);
  CHECK_EQ(tml_pad_init(&p, 1, 2, d2, pad2, &zero), TML_OK);
  tml_pad(&p, in2, out2);
  CHECK_ARRAY_EQ(out2, want2, 12);
}

/* Generic check: out coordinate c is input c - before when inside, else the
** pad value. */
#define PAD_CASE(T, es, rank, dims, pads, value)                            \
  do {                                                                      \
    int32_t odims_[TML_MAX_RANK], c_[TML_MAX_RANK], n_in_ = 1, n_out_ = 1;  \
    int32_t i_, d_;                                                         \
    static T in_[1024], out_[4096], want_[4096];                            \
    tml_pad_params p_;                                                      \
    const T v_ = (value);                                                   \
    for (d_ = 0; d_ < (rank); d_++) {                                       \
      odims_[d_] = (dims)[d_] + (pads)[2 * d_] + (pads)[2 * d_ + 1];        \
      n_in_ *= (dims)[d_];                                                  \
      n_out_ *= odims_[d_];                                                 \
    }                                                                       \
    for (i_ = 0; i_ < n_in_; i_++) in_[i_] = (T)(i_ * 7 % 101 - 50);        \
    for (i_ = 0; i_ < n_out_; i_++) {                                       \
      int inside_ = 1;                                                      \
      coords(i_, (rank), odims_, c_);                                       \
      for (d_ = 0; d_ < (rank); d_++) {                                     \
        c_[d_] -= (pads)[2 * d_];                                           \
        if (c_[d_] < 0 || c_[d_] >= (dims)[d_]) inside_ = 0;                \
      }                                                                     \
      want_[i_] = inside_ ? in_[linear((rank), (dims), c_)] : v_;           \
      out_[i_] = (T)77;                                                     \
    }                                                                       \
    CHECK_EQ(tml_pad_init(&p_, (es), (rank), (dims), (pads), &v_), TML_OK); \
    tml_pad(&p_, in_, out_);                                                \
    CHECK(memcmp(out_, want_, (size_t)n_out_ * sizeof(T)) == 0);            \
  } while (0)

static void test_pad_generic(void) {
  /* int8 PAD: the value is the output zero point (-5 here); asymmetric
  ** before/after on every dim. */
  static const int32_t d3[3] = {2, 2, 3}, p3[6] = {1, 0, 0, 2, 2, 1};
  /* float PADV2 on a 4-D NHWC tensor, padding H and W only. */
  static const int32_t d4[4] = {2, 3, 3, 2}, p4[8] = {0, 0, 1, 2, 2, 0, 0, 0};
  /* int16: a two-byte value exercises the run-doubling fill. */
  static const int32_t d2[2] = {3, 5}, p2[4] = {4, 3, 1, 6};
  /* 6-D with int32 and a padded innermost dim. */
  static const int32_t d6[6] = {1, 2, 1, 2, 2, 3},
                       p6[12] = {1, 0, 0, 1, 1, 1, 0, 0, 2, 0, 1, 1};
  /* 5-D with padding only on the outermost dim. */
  static const int32_t d5[5] = {2, 2, 2, 2, 2},
                       p5[10] = {1, 2, 0, 0, 0, 0, 0, 0, 0, 0};
  PAD_CASE(int8_t, 1, 3, d3, p3, -5);
  PAD_CASE(float, 4, 4, d4, p4, 2.5f);
  PAD_CASE(int16_t, 2, 2, d2, p2, -300);
  PAD_CASE(int32_t, 4, 6, d6, p6, 123456789);
  PAD_CASE(int8_t, 1, 5, d5, p5, 127);
}

/* An empty input: the output is all pad value. */
static void test_pad_empty(void) {
  static const int32_t d[2] = {0, 2}, pads[4] = {1, 1, 0, 0};
  static const int16_t want[4] = {-7, -7, -7, -7};
  const int16_t v = -7;
  int16_t dummy = 0, out[4];
  tml_pad_params p;
  CHECK_EQ(tml_pad_init(&p, 2, 2, d, pads, &v), TML_OK);
  tml_pad(&p, &dummy, out);
  CHECK_ARRAY_EQ(out, want, 4);
}

static void test_pad_errors(void) {
  static const int32_t d[2] = {2, 2}, neg[4] = {0, -1, 0, 0};
  const int8_t v = 0;
  tml_pad_params p;
  CHECK_EQ(tml_pad_init(&p, 1, 2, d, neg, &v), TML_ERR_SHAPE);
  CHECK_EQ(tml_pad_init(&p, 1, 7, d, neg, &v), TML_ERR_LIMIT);
  CHECK_EQ(tml_pad_init(&p, 3, 2, d, neg, &v), TML_ERR_TYPE);
}

/* --------------------------------------------------------- transpose */

static void test_transpose_2d(void) {
  static const int8_t in[6] = {1, 2, 3, 4, 5, 6};
  static const int32_t d[2] = {2, 3}, perm[2] = {1, 0};
  static const int8_t want[6] = {1, 4, 2, 5, 3, 6};
  tml_transpose_params p;
  int8_t out[6];
  CHECK_EQ(tml_transpose_init(&p, 1, 2, d, perm), TML_OK);
  CHECK_EQ(p.out_dims[0], 3);
  CHECK_EQ(p.out_dims[1], 2);
  tml_transpose(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 6);
}

/* out coordinate k is input coordinate perm[k]. */
#define TRANSPOSE_CASE(T, es, rank, dims, perm)                              \
  do {                                                                       \
    int32_t odims_[TML_MAX_RANK], c_[TML_MAX_RANK], ic_[TML_MAX_RANK];       \
    int32_t n_ = 1, i_, d_;                                                  \
    static T in_[1024], out_[1024], want_[1024];                             \
    tml_transpose_params p_;                                                 \
    for (d_ = 0; d_ < (rank); d_++) {                                        \
      odims_[d_] = (dims)[(perm)[d_]];                                       \
      n_ *= (dims)[d_];                                                      \
    }                                                                        \
    for (i_ = 0; i_ < n_; i_++) in_[i_] = (T)(i_ * 13 % 251 - 125);          \
    for (i_ = 0; i_ < n_; i_++) {                                            \
      coords(i_, (rank), odims_, c_);                                        \
      for (d_ = 0; d_ < (rank); d_++) ic_[(perm)[d_]] = c_[d_];              \
      want_[i_] = in_[linear((rank), (dims), ic_)];                          \
    }                                                                        \
    CHECK_EQ(tml_transpose_init(&p_, (es), (rank), (dims), (perm)), TML_OK); \
    for (d_ = 0; d_ < (rank); d_++) CHECK_EQ(p_.out_dims[d_], odims_[d_]);   \
    tml_transpose(&p_, in_, out_);                                           \
    CHECK(memcmp(out_, want_, (size_t)n_ * sizeof(T)) == 0);                 \
  } while (0)

static void test_transpose_generic(void) {
  static const int32_t d4[4] = {2, 3, 4, 5}, nchw[4] = {0, 3, 1, 2};
  static const int32_t d5[5] = {2, 3, 2, 4, 3}, p5[5] = {4, 2, 0, 3, 1};
  static const int32_t d6[6] = {2, 2, 3, 2, 2, 3}, p6[6] = {5, 0, 3, 1, 4, 2};
  static const int32_t keep_last[6] = {1, 0, 3, 2, 4, 5};
  static const int32_t d3[3] = {4, 1, 6}, p3[3] = {1, 2, 0};
  TRANSPOSE_CASE(int8_t, 1, 4, d4, nchw); /* NHWC -> NCHW */
  TRANSPOSE_CASE(float, 4, 4, d4, nchw);
  TRANSPOSE_CASE(int16_t, 2, 5, d5, p5);
  TRANSPOSE_CASE(int32_t, 4, 6, d6, p6);
  TRANSPOSE_CASE(int8_t, 1, 6, d6, keep_last); /* contiguous rows */
  TRANSPOSE_CASE(int8_t, 1, 3, d3, p3);
}

static void test_transpose_errors(void) {
  static const int32_t d[3] = {2, 3, 4};
  static const int32_t dup[3] = {0, 1, 1}, range[3] = {0, 1, 3},
                       negative[3] = {-1, 0, 1};
  tml_transpose_params p;
  CHECK_EQ(tml_transpose_init(&p, 1, 3, d, dup), TML_ERR_OPTIONS);
  CHECK_EQ(tml_transpose_init(&p, 1, 3, d, range), TML_ERR_OPTIONS);
  CHECK_EQ(tml_transpose_init(&p, 1, 3, d, negative), TML_ERR_OPTIONS);
  CHECK_EQ(tml_transpose_init(&p, 1, 7, d, dup), TML_ERR_LIMIT);
}

/* ------------------------------------------------------ strided slice */

static int8_t iota10[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
static const int32_t d10[1] = {10};

/* 1-D slice of 0..9; expected values by hand. */
static void slice1(int32_t b, int32_t e, int32_t s, int32_t bm, int32_t em,
                   int32_t off, const int8_t *want, int32_t n) {
  tml_slice_params p;
  int8_t out[10];
  CHECK_EQ(
      tml_strided_slice_init(&p, 1, 1, d10, &b, &e, &s, bm, em, 0, 0, 0, off),
      TML_OK);
  CHECK_EQ(p.out_dims[0], n);
  tml_strided_slice(&p, iota10, out);
  CHECK_ARRAY_EQ(out, want, n);
}

static void test_slice_1d(void) {
  static const int8_t w_step3[3] = {1, 4, 7};
  static const int8_t w_neg[2] = {7, 8};
  static const int8_t w_rev2[5] = {9, 7, 5, 3, 1};
  static const int8_t w_rev_endmask[3] = {8, 5, 2};
  static const int8_t w_beginmask[4] = {0, 2, 4, 6};
  static const int8_t w_clamp[2] = {8, 9};
  static const int8_t w_offset[3] = {2, 3, 4};
  static const int8_t w_all_rev[10] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  slice1(1, 8, 3, 0, 0, 0, w_step3, 3);
  slice1(-3, -1, 1, 0, 0, 0, w_neg, 2);        /* 7 .. 8 */
  slice1(-1, 0, -2, 0, 0, 0, w_rev2, 5);       /* 9, 7, ... down to 1 */
  slice1(8, 5, -3, 0, 1, 0, w_rev_endmask, 3); /* end mask: to -1 */
  slice1(100, 7, 2, 1, 0, 0, w_beginmask, 4);  /* begin mask: from 0 */
  slice1(8, 100, 1, 0, 0, 0, w_clamp, 2);      /* end clamps to 10 */
  slice1(2, 3, 1, 0, 0, 1, w_offset, 3);       /* end = begin + 3 */
  slice1(0, 0, -1, 1, 1, 0, w_all_rev, 10);    /* [::-1] */
  slice1(5, 2, 1, 0, 0, 0, w_all_rev, 0);      /* empty */
  /* Backwards from before the first element: the start clamps to -1 and
  ** nothing is selected, even with the end mask. */
  slice1(-20, 0, -1, 0, 1, 0, w_all_rev, 0);
}

/* [3,4] holding 0..11: rows 1..2, columns 3 down to 1 ->
** [[7,6,5],[11,10,9]]. */
static void test_slice_2d_negative_stride(void) {
  static const int8_t in[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  static const int32_t d[2] = {3, 4}, b[2] = {1, -1}, e[2] = {3, 0},
                       s[2] = {1, -1};
  static const int8_t want[6] = {7, 6, 5, 11, 10, 9};
  tml_slice_params p;
  int8_t out[6];
  CHECK_EQ(tml_strided_slice_init(&p, 1, 2, d, b, e, s, 0, 0, 0, 0, 0, 0),
           TML_OK);
  CHECK_EQ(p.out_dims[0], 2);
  CHECK_EQ(p.out_dims[1], 3);
  tml_strided_slice(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 6);
}

/* [2,3,4] holding 0..23, shrink dims 0 and 2: x[-1, :, 2] =
** in[1][j][2] = 12 + 4j + 2 = {14, 18, 22}. The end values of shrunk dims
** do not matter. */
static void test_slice_shrink(void) {
  static const int16_t in[24] = {0,  1,  2,  3,  4,  5,  6,  7,
                                 8,  9,  10, 11, 12, 13, 14, 15,
                                 16, 17, 18, 19, 20, 21, 22, 23};
  static const int32_t d[3] = {2, 3, 4}, b[3] = {-1, 0, 2}, e[3] = {0, 3, 0},
                       s[3] = {1, 1, 1};
  static const int16_t want[3] = {14, 18, 22};
  tml_slice_params p;
  int16_t out[3];
  CHECK_EQ(tml_strided_slice_init(&p, 2, 3, d, b, e, s, 0, 0, 0, 0, 0x5, 0),
           TML_OK);
  CHECK_EQ(p.out_dims[0], 1);
  CHECK_EQ(p.out_dims[1], 3);
  CHECK_EQ(p.out_dims[2], 1);
  tml_strided_slice(&p, in, out);
  CHECK_ARRAY_EQ(out, want, 3);
}

/* 4-D float against the index formula in = begin + c * stride. */
static void test_slice_4d(void) {
  static const int32_t d[4] = {3, 4, 5, 6};
  static const int32_t b[4] = {0, -1, 1, 5}, e[4] = {3, 0, -1, 0},
                       s[4] = {2, -2, 1, -2};
  static const int32_t want_dims[4] = {2, 2, 3, 3};
  static float in[360];
  float out[36], want[36];
  int32_t c[4], ic[4], i, k;
  tml_slice_params p;
  for (i = 0; i < 360; i++) in[i] = (float)i * 0.5f - 7.0f;
  CHECK_EQ(tml_strided_slice_init(&p, 4, 4, d, b, e, s, 0, 0, 0, 0, 0, 0),
           TML_OK);
  for (k = 0; k < 4; k++) CHECK_EQ(p.out_dims[k], want_dims[k]);
  for (i = 0; i < 36; i++) {
    coords(i, 4, want_dims, c);
    ic[0] = 0 + 2 * c[0]; /* 0, 2 */
    ic[1] = 3 - 2 * c[1]; /* 3, 1 (stop 0 excluded) */
    ic[2] = 1 + c[2];     /* 1, 2, 3 (stop -1 = 4 excluded) */
    ic[3] = 5 - 2 * c[3]; /* 5, 3, 1 */
    want[i] = in[linear(4, d, ic)];
  }
  tml_strided_slice(&p, in, out);
  CHECK(memcmp(out, want, sizeof want) == 0);
}

static void test_slice_errors(void) {
  static const int32_t d[2] = {3, 4}, b[2] = {0, 0}, e[2] = {3, 4},
                       s[2] = {1, 1}, s0[2] = {1, 0}, sneg[2] = {-1, 1},
                       bout[2] = {3, 0};
  tml_slice_params p;
  CHECK_EQ(tml_strided_slice_init(&p, 1, 2, d, b, e, s0, 0, 0, 0, 0, 0, 0),
           TML_ERR_OPTIONS);
  CHECK_EQ(tml_strided_slice_init(&p, 1, 2, d, b, e, s, 0, 0, 1, 0, 0, 0),
           TML_ERR_OPTIONS);
  CHECK_EQ(tml_strided_slice_init(&p, 1, 2, d, b, e, s, 0, 0, 0, 2, 0, 0),
           TML_ERR_OPTIONS);
  /* Shrinking at index 3 of a dim of 3, or with a negative stride. */
  CHECK_EQ(tml_strided_slice_init(&p, 1, 2, d, bout, e, s, 0, 0, 0, 0, 1, 0),
           TML_ERR_OPTIONS);
  CHECK_EQ(tml_strided_slice_init(&p, 1, 2, d, b, e, sneg, 0, 0, 0, 0, 1, 0),
           TML_ERR_OPTIONS);
  CHECK_EQ(tml_strided_slice_init(&p, 1, 7, d, b, e, s, 0, 0, 0, 0, 0, 0),
           TML_ERR_LIMIT);
}

int main(void) {
  test_concat_axis0_s8();
  test_concat_last_axis_s8();
  test_concat_middle_f32();
  test_concat_s16();
  test_concat_errors();
  test_pad_small();
  test_pad_generic();
  test_pad_empty();
  test_pad_errors();
  test_transpose_2d();
  test_transpose_generic();
  test_transpose_errors();
  test_slice_1d();
  test_slice_2d_negative_stride();
  test_slice_shrink();
  test_slice_4d();
  test_slice_errors();
  return TEST_REPORT();
}
