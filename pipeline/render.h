/*
 * render.h - the parsed document as JSON (internal).
 */
#ifndef VNP_RENDER_H
#define VNP_RENDER_H

#include "doc.h"

void render_json(const vnp_doc *d, vnp_buf *out, unsigned flags);
/* Normalized text: one paragraph per line. */
void render_text(const vnp_doc *d, vnp_buf *out);
/* The change list of `vnplan normalize --changes` as a JSON array. */
void render_changes(const vnp_doc *d, vnp_buf *out);

#endif
