/*
 * normalize.h - line -> normalized line, lines -> paragraphs (internal).
 */
#ifndef VNP_NORMALIZE_H
#define VNP_NORMALIZE_H

#include "doc.h"

typedef struct normalizer normalizer;

normalizer *normalize_new(vnp_doc *d);
/* Normalizes one line from the reader and appends it to d->lines. */
void normalize_line(normalizer *n, const char *text, uint32_t len,
                    const omap *map, uint64_t orig_start, uint64_t orig_end,
                    uint32_t lineno, unsigned flags);
/* Whole-document passes after the last line: page numbers, running
 * headers, stamp noise, then reflow of lines into d->blocks. */
void normalize_finish(normalizer *n);
void normalize_free(normalizer *n);
/* For tests: code points below U+3000 whose precomputed step flags differ
 * from the per-character definitions (0). */
size_t normalize_hot_mismatches(const normalizer *n);

struct rule;
/* Rule examples of kind "normalize": for key "result", writes `text` with
 * every match of `r` replaced by its template to `out` and returns 1;
 * returns 0 for any other rule or key. */
int normalize_example_value(const vnp_rules *rs, const struct rule *r,
                            const char *text, size_t len, const char *key,
                            vnp_buf *out);

#endif
