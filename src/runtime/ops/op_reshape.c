/*
** RESHAPE, SQUEEZE, EXPAND_DIMS: the bytes do not change, only the shape the
** model declares. The planner gives the output its input's place, so eval
** normally has nothing to do; it copies only when the input could not be
** shared (a constant or a recurrent state).
*/
#include <string.h>

#include "tml_records.h"

void tml_eval_reshape(const tml_rec *r) {
  const tml_reshape_rec *q = (const tml_reshape_rec *)r;
  if (q->in != q->out) memmove(q->out, q->in, q->bytes);
}

tml_status tml_prepare_reshape(tml_prep *p) {
  tml_tensor_view in, out;
  tml_reshape_rec *rec;
  tml_status s;
  if ((s = tml_prep_arity(p, 1, 2, 1)) != TML_OK ||
      (s = tml_prep_input(p, 0, &in)) != TML_OK ||
      (s = tml_prep_output(p, 0, &out)) != TML_OK ||
      (s = tml_prep_type(p, &out, in.type)) != TML_OK)
    return s;
  if (in.bytes != out.bytes || in.bytes == 0)
    return tml_prep_fail(p, TML_ERR_SHAPE, out.index,
                         "output of %u bytes from input of %u bytes",
                         (unsigned)out.bytes, (unsigned)in.bytes);
  p->alias = 1;
  rec = tml_prep_record(p, sizeof *rec, tml_eval_reshape);
  if (rec) {
    rec->in = tml_prep_data(p, &in);
    rec->out = tml_prep_data(p, &out);
    rec->bytes = in.bytes;
  }
  return TML_OK;
}
