/*
** tml_test.h — a minimal test harness: each test file is one program; CHECKs
** count failures and report file:line; main returns non-zero on any failure.
*/
#ifndef TML_TEST_H
#define TML_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tml_test_failures;
static int tml_test_checks;

#define CHECK(cond)                                                      \
  do {                                                                   \
    tml_test_checks++;                                                   \
    if (!(cond)) {                                                       \
      tml_test_failures++;                                               \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,  \
              #cond);                                                    \
    }                                                                    \
  } while (0)

#define CHECK_EQ(a, b)                                                   \
  do {                                                                   \
    long long va_ = (long long)(a), vb_ = (long long)(b);                \
    tml_test_checks++;                                                   \
    if (va_ != vb_) {                                                    \
      tml_test_failures++;                                               \
      fprintf(stderr, "%s:%d: CHECK_EQ failed: %s = %lld, %s = %lld\n",  \
              __FILE__, __LINE__, #a, va_, #b, vb_);                     \
    }                                                                    \
  } while (0)

#define CHECK_NEAR(a, b, tol)                                            \
  do {                                                                   \
    double va_ = (double)(a), vb_ = (double)(b);                         \
    tml_test_checks++;                                                   \
    if (!(va_ - vb_ <= (tol) && vb_ - va_ <= (tol))) {                   \
      tml_test_failures++;                                               \
      fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.9g, %s = %.9g\n",\
              __FILE__, __LINE__, #a, va_, #b, vb_);                     \
    }                                                                    \
  } while (0)

/* Compare n integer elements of two arrays (any integer element type). */
#define CHECK_ARRAY_EQ(got, want, n)                                     \
  do {                                                                   \
    int i_, bad_ = 0;                                                    \
    tml_test_checks++;                                                   \
    for (i_ = 0; i_ < (int)(n); i_++) {                                  \
      if ((long long)(got)[i_] != (long long)(want)[i_]) {               \
        if (bad_++ < 5)                                                  \
          fprintf(stderr, "%s:%d: %s[%d] = %lld, want %lld\n", __FILE__, \
                  __LINE__, #got, i_, (long long)(got)[i_],              \
                  (long long)(want)[i_]);                                \
      }                                                                  \
    }                                                                    \
    if (bad_) tml_test_failures++;                                       \
  } while (0)

#define CHECK_ARRAY_NEAR(got, want, n, tol)                              \
  do {                                                                   \
    int i_, bad_ = 0;                                                    \
    tml_test_checks++;                                                   \
    for (i_ = 0; i_ < (int)(n); i_++) {                                  \
      double d_ = (double)(got)[i_] - (double)(want)[i_];                \
      if (!(d_ <= (tol) && -d_ <= (tol))) {                              \
        if (bad_++ < 5)                                                  \
          fprintf(stderr, "%s:%d: %s[%d] = %.9g, want %.9g\n", __FILE__, \
                  __LINE__, #got, i_, (double)(got)[i_],                 \
                  (double)(want)[i_]);                                   \
      }                                                                  \
    }                                                                    \
    if (bad_) tml_test_failures++;                                       \
  } while (0)

/* The shared models and data: $TML_SHARED, else the folder CMake was
** configured with. */
static inline const char *tml_test_shared(void) {
  const char *s = getenv("TML_SHARED");
#ifdef TML_SHARED_DIR
  if (!s || !*s) s = TML_SHARED_DIR;
#endif
  return s && *s ? s : "../shared";
}

#define TEST_REPORT()                                                    \
  (printf("%s: %d checks, %d failed\n", __FILE__, tml_test_checks,       \
          tml_test_failures),                                            \
   tml_test_failures ? 1 : 0)

#endif
