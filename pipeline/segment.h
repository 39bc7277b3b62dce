/*
 * segment.h - paragraphs -> header, preamble, section tree, footer.
 */
#ifndef VNP_SEGMENT_H
#define VNP_SEGMENT_H

#include "doc.h"

/* Fills d->type/number/date/..., d->preamble, d->root's children,
 * d->recipients and d->signature from d->blocks. */
void segment_run(vnp_doc *d);

#endif
