/*
** tt_model.h — the model under test, as the target harness (tt_main.c) runs
** it. The shape is the one `tml compile` generates (issue 4: NAME_invoke,
** NAME_input, NAME_input_size, NAME_output, NAME_output_size), plus a reset
** and a few facts for the report, so that two implementations plug in:
**
**   tt_interp.c    the interpreter over the model bytes in tt_golden
**   tt_compiled.c  the generated C of `tml compile` (NAME.c/NAME.h, built
**                  with -DTT_NAME=NAME), once that exists
**
** Inputs and outputs are numbered from 0; past the last one, tt_model_input
** and tt_model_output return NULL (sizes 0). The harness splits a case's
** bytes over the inputs in order, and compares the outputs in order.
*/
#ifndef TT_MODEL_H
#define TT_MODEL_H

#include <stddef.h>

#include "tt_data.h"

/* Bring the model into a fresh state (called before every case). 0 if ok;
** otherwise prints why and returns nonzero. */
int tt_model_setup(const tt_data *d);
/* One inference: 0 if ok. */
int tt_model_invoke(void);
void *tt_model_input(int k);
size_t tt_model_input_size(int k);
void *tt_model_output(int k);
size_t tt_model_output_size(int k);
/* Nonzero if output k holds float32 (compared with a tolerance). */
int tt_model_output_is_float(int k);
/* Bytes of working memory the model uses (TML arena), for the report. */
size_t tt_model_arena_used(void);
/* What runs the model ("interpreter", "compiled"). */
const char *tt_model_kind(void);

#endif
