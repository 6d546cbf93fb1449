/*
** tml.h — TML, a TinyML runtime: run TensorFlow Lite models in portable C99.
**
** The model stays where it is (flash on a device): TML reads it in place.
** All working memory comes from one arena the caller supplies; the library
** never calls malloc and never writes outside the arena and the buffers it
** is given.
**
**   tml_model m;  tml_interp it;  static uint8_t arena[N];
**   tml_model_load(&m, model_bytes, model_size, &err);
**   tml_arena_size(&m, &n, &err);                  // how large N must be
**   tml_init(&it, &m, arena, sizeof arena, &err);
**   tml_input(&it, 0, &t);  ...fill t.data...
**   tml_invoke(&it);
**   tml_output(&it, 0, &t); ...read t.data...
*/
#ifndef TML_H
#define TML_H

#include <stddef.h>
#include <stdint.h>

#include "tml_config.h"

#define TML_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* Every function that can fail returns one of these. Codes are stable: tools
** and tests rely on the numbers (docs/errors.md lists what raises each). */
typedef enum tml_status {
  TML_OK = 0,
  TML_ERR_ARG = 1,             /* NULL pointer or invalid argument */
  TML_ERR_TRUNCATED = 2,       /* data ends before a structure it must hold */
  TML_ERR_IDENTIFIER = 3,      /* not a TFLite flatbuffer (no "TFL3") */
  TML_ERR_OFFSET = 4,          /* an offset or length points outside the model */
  TML_ERR_SCHEMA = 5,          /* a required field is missing or malformed */
  TML_ERR_TENSOR_INDEX = 6,    /* tensor/buffer/opcode index out of range */
  TML_ERR_SHAPE = 7,           /* negative, overflowing or mismatched shape */
  TML_ERR_TYPE = 8,            /* tensor type not supported for this op */
  TML_ERR_QUANT = 9,           /* quantization missing, mismatched or unusable */
  TML_ERR_BUFFER = 10,         /* constant data too short, misaligned or absent */
  TML_ERR_UNSUPPORTED_OP = 11, /* operator not implemented */
  TML_ERR_OP_VERSION = 12,     /* operator version newer than implemented */
  TML_ERR_OPTIONS = 13,        /* invalid builtin options (stride 0, ...) */
  TML_ERR_LIMIT = 14,          /* exceeds a TML_MAX_* limit of tml_config.h */
  TML_ERR_ARENA_TOO_SMALL = 15,/* arena smaller than tml_arena_size() */
  TML_ERR_INPUT_SIZE = 16,     /* input data size differs from the tensor */
  TML_ERR_NONFINITE = 17,      /* NaN or Inf in a float input */
  TML_ERR_STATE = 18,          /* interpreter not initialised */
  TML_ERR_GRAPH = 19,          /* tensor read before written, written twice */
  TML_ERR_CANARY = 20          /* arena canary overwritten (TML_ARENA_CANARY) */
} tml_status;

/* Short name of a status code ("TML_ERR_SHAPE"). */
const char *tml_status_name(tml_status s);

/* Where and why something failed. Pass NULL where details do not matter. */
typedef struct tml_error {
  tml_status status;
  int32_t op;     /* operator index, or -1 */
  int32_t tensor; /* tensor index, or -1 */
#if TML_ERROR_MESSAGES
  char message[TML_ERROR_MESSAGE_SIZE];
#endif
} tml_error;

/* Element types, numbered as in the TFLite schema. */
typedef enum tml_type {
  TML_FLOAT32 = 0,
  TML_FLOAT16 = 1,
  TML_INT32 = 2,
  TML_UINT8 = 3,
  TML_INT64 = 4,
  TML_STRING = 5,
  TML_BOOL = 6,
  TML_INT16 = 7,
  TML_INT8 = 9
} tml_type;

const char *tml_type_name(int32_t type);
/* Bytes per element, 0 for types TML cannot hold in the arena. */
size_t tml_type_size(int32_t type);

/* A validated, zero-copy view of a .tflite model. The bytes must stay valid
** and unchanged while the view is used. Constant tensors are used in place:
** keep the model 16-byte aligned (flatbuffers align buffers to 16 relative to
** the start), or at least aligned to 4 for int32 biases. */
typedef struct tml_model {
  const uint8_t *data;
  size_t size;
  uint32_t version;
  uint32_t opcodes, buffers, tensors, ops, inputs, outputs; /* vector positions */
  uint32_t n_opcodes, n_buffers, n_tensors, n_ops, n_inputs, n_outputs;
  uint32_t n_subgraphs;
} tml_model;

tml_status tml_model_load(tml_model *m, const void *data, size_t size,
                          tml_error *err);

/* Description of a model input or output. */
typedef struct tml_tensor {
  void *data;
  size_t bytes;
  int32_t type; /* tml_type */
  int32_t rank;
  int32_t dims[TML_MAX_RANK];
  float scale; /* 0 when not quantized */
  int32_t zero_point;
  const char *name; /* not NUL-terminated: use name_len */
  uint32_t name_len;
} tml_tensor;

/* The interpreter. All its tables live in the arena; this struct only points
** into it. */
struct tml_var;
typedef struct tml_interp {
  const tml_model *model;
  uint8_t *arena;             /* 8-aligned start of the caller's arena */
  size_t arena_size;
  size_t arena_used;          /* bytes of the arena this model needs */
  uint8_t *acts;              /* planned region: activations and scratch */
  const uint8_t *records;     /* per-op kernel records, in order */
  uint8_t **io;               /* input then output data pointers */
  const struct tml_var *vars; /* variable tensors (recurrent state) */
  uint32_t n_vars;
  uint32_t n_ops, n_inputs, n_outputs;
  uint32_t ready;
  uint8_t *canary; /* TML_ARENA_CANARY's guard after the planned region, or
                     NULL (always present: the struct's layout does not
                     depend on that setting) */
} tml_interp;

/* Bytes of arena the model needs: kernel records, activations, scratch.
** It plans on the stack: TML_ARENA_SIZE_ITEMS x 28 bytes (14 KB by default).
** Call it on the host (`tml info` prints the figure), or on a device with
** that much stack; tml_init itself needs none of it. */
tml_status tml_arena_size(const tml_model *m, size_t *bytes, tml_error *err);

/* Prepare every operator and plan the arena. The arena must be aligned to 8
** bytes. On TML_ERR_ARENA_TOO_SMALL, err (if given) names the size needed. */
tml_status tml_init(tml_interp *it, const tml_model *m, void *arena,
                    size_t arena_size, tml_error *err);

/* Run the model once on the current input data. Inputs are consumed: once
** the last operator reading an input has run, its bytes may hold other
** tensors, so set the inputs again before every invoke. With
** TML_ARENA_CANARY, returns TML_ERR_CANARY if the canary after the planned
** region was overwritten (the arena is then corrupt: tml_init again). */
tml_status tml_invoke(tml_interp *it);

/* Set variable tensors (recurrent state) back to their initial values. */
tml_status tml_reset(tml_interp *it);

int tml_num_inputs(const tml_interp *it);
int tml_num_outputs(const tml_interp *it);
tml_status tml_input(const tml_interp *it, int k, tml_tensor *t);
tml_status tml_output(const tml_interp *it, int k, tml_tensor *t);

/* Copy `bytes` of data into input k, checking the size against the tensor. */
tml_status tml_set_input(tml_interp *it, int k, const void *data, size_t bytes);

#ifdef __cplusplus
}
#endif

#endif
