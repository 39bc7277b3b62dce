/*
 * segment.c - paragraphs -> header, preamble, section tree, footer.
 * (Placeholder: every paragraph goes to the preamble.)
 */
#include "segment.h"

void segment_run(vnp_doc *d) {
  for (size_t i = 0; i < d->blocks.n; i++) {
    vnp_block *b = &d->blocks.v[i];
    vnp_para p;
    p.text = b->text;
    p.block = (uint32_t)i;
    p.span = doc_block_span(d, b, 0, b->len);
    vnp_vec_push(d->preamble, p);
  }
}
