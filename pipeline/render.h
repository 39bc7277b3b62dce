/*
 * render.h - the parsed document as JSON (internal).
 */
#ifndef VNP_RENDER_H
#define VNP_RENDER_H

#include "doc.h"
#include "json.h"

void render_json(const vnp_doc *d, vnp_buf *out, unsigned flags);
/* The same JSON handed to fn in pieces of about JSON_FLUSH_AT bytes. */
void render_json_to(const vnp_doc *d, unsigned flags, json_flush_fn fn,
                    void *ctx);
/* Normalized text: one paragraph per line. */
void render_text(const vnp_doc *d, vnp_buf *out);
/* The change list of `vnplan normalize --changes` as a JSON array. */
void render_changes(const vnp_doc *d, vnp_buf *out);

#endif
