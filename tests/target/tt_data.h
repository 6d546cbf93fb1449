/*
** tt_data.h — golden cases as the target tests see them. tt_gen writes one
** C file per firmware that defines tt_golden from $TML_SHARED at build time.
*/
#ifndef TT_DATA_H
#define TT_DATA_H

#include <stddef.h>

/* Models and cases go to flash, 16-byte aligned (as TML wants its model),
** in section .golden, which the port's linker script keeps out of .rodata. */
#define TT_GOLDEN __attribute__((aligned(16), section(".golden")))

typedef struct tt_case {
  const char *name;        /* MODEL/CASE, as in the manifest */
  const unsigned char *in; /* all inputs, concatenated in input order */
  size_t in_bytes;
  const unsigned char *out; /* all outputs, concatenated */
  size_t out_bytes;
} tt_case;

typedef struct tt_data {
  const char *model_name;     /* case prefix: kws_ref_model */
  const char *model_path;     /* relative to $TML_SHARED */
  const unsigned char *model; /* the .tflite bytes; NULL if not embedded */
  size_t model_size;
  int float_io; /* the manifest gives float32 inputs */
  int n_cases;
  const tt_case *cases;
} tt_data;

extern const tt_data tt_golden;

#endif
