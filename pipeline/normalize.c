/*
 * normalize.c - line -> normalized line; lines -> paragraphs.
 * (Placeholder: copies lines, one paragraph per non-blank line.)
 */
#include "normalize.h"

#include <stdlib.h>
#include <string.h>

struct normalizer {
  vnp_doc *doc;
};

normalizer *normalize_new(vnp_doc *d) {
  normalizer *n = xcalloc(1, sizeof(normalizer));
  n->doc = d;
  return n;
}

void normalize_free(normalizer *n) { free(n); }

void normalize_line(normalizer *n, const char *text, uint32_t len,
                    const omap *map, uint64_t orig_start, uint64_t orig_end,
                    uint32_t lineno, unsigned flags) {
  vnp_line l;
  memset(&l, 0, sizeof l);
  l.text = xstrndup(text, len);
  l.len = len;
  l.flags = flags | (len == 0 ? LINE_BLANK : 0);
  l.lineno = lineno;
  l.orig_start = orig_start;
  l.orig_end = orig_end;
  omap_copy(&l.map, map);
  vnp_vec_push(n->doc->lines, l);
}

void normalize_finish(normalizer *n) {
  vnp_doc *d = n->doc;
  for (size_t i = 0; i < d->lines.n; i++) {
    vnp_line *l = &d->lines.v[i];
    if (l->flags & (LINE_BLANK | LINE_NOISE | LINE_PAGENUM | LINE_RUNHEAD))
      continue;
    vnp_block b;
    memset(&b, 0, sizeof b);
    b.text = xstrndup(l->text, l->len);
    b.len = l->len;
    b.flags = l->flags;
    b.first_line = (uint32_t)i;
    b.nlines = 1;
    b.lineno = l->lineno;
    omap_copy(&b.map, &l->map);
    vnp_vec_push(d->blocks, b);
  }
}
