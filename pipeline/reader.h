/*
 * reader.h - bytes -> whole lines of valid UTF-8 (internal).
 */
#ifndef VNP_READER_H
#define VNP_READER_H

#include "doc.h"

/* Called once per complete line. `text` is valid UTF-8 without the line
 * ending (borrowed, valid during the call), `map` maps it to the original
 * bytes. `flags` carries LINE_PAGEBREAK and LINE_INVALID. */
typedef void (*reader_line_fn)(void *ctx, const char *text, uint32_t len,
                               const omap *map, uint64_t orig_start,
                               uint64_t orig_end, uint32_t lineno,
                               unsigned flags);

typedef struct reader reader;

reader *reader_new(vnp_doc *doc, reader_line_fn fn, void *ctx);
void reader_feed(reader *r, const char *buf, size_t len);
/* Flushes the last line, fills doc->bytes/sha256/encoding and reports
 * repairs as diagnostics. */
void reader_finish(reader *r);
void reader_free(reader *r);

#endif
