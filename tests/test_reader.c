/*
 * test_reader.c - the reader: encodings, line endings, bad bytes, chunking.
 */
#include "doc.h"
#include "reader.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

typedef struct got {
  char text[64][256];
  uint64_t start[64];
  uint32_t lineno[64];
  unsigned flags[64];
  int n;
} got;

static void on_line(void *ctx, const char *text, uint32_t len,
                    const omap *map, uint64_t s, uint64_t e, uint32_t lineno,
                    unsigned flags) {
  (void)map; (void)e;
  got *g = ctx;
  if (g->n >= 64)
    return;
  snprintf(g->text[g->n], 256, "%.*s", (int)len, text);
  g->start[g->n] = s;
  g->lineno[g->n] = lineno;
  g->flags[g->n] = flags;
  g->n++;
}

static vnp_doc *read_chunks(const char *in, size_t len, size_t chunk, got *g) {
  memset(g, 0, sizeof *g);
  vnp_doc *d = doc_new(NULL, NULL);
  reader *r = reader_new(d, on_line, g);
  for (size_t i = 0; i < len; i += chunk)
    reader_feed(r, in + i, len - i < chunk ? len - i : chunk);
  reader_finish(r);
  reader_free(r);
  return d;
}

Test(reader, line_endings_any_chunking) {
  const char in[] = "a\r\nb\rc\nd";
  for (size_t chunk = 1; chunk <= sizeof in; chunk++) {
    got g;
    vnp_doc *d = read_chunks(in, sizeof in - 1, chunk, &g);
    cr_assert_eq(g.n, 4, "chunk %zu: %d lines", chunk, g.n);
    cr_assert_str_eq(g.text[0], "a");
    cr_assert_str_eq(g.text[1], "b");
    cr_assert_str_eq(g.text[2], "c");
    cr_assert_str_eq(g.text[3], "d");
    cr_assert_eq(g.start[3], 7);
    cr_assert_eq(g.lineno[3], 4);
    doc_free(d);
  }
}

Test(reader, bom_and_multibyte_split) {
  const char in[] = "\xEF\xBB\xBFH\xC3\xB2" "a\n";
  for (size_t chunk = 1; chunk < 4; chunk++) {
    got g;
    vnp_doc *d = read_chunks(in, sizeof in - 1, chunk, &g);
    cr_assert_eq(g.n, 1);
    cr_assert_str_eq(g.text[0], "H\xC3\xB2" "a");
    cr_assert_eq(g.start[0], 3, "the BOM is not part of line 1");
    cr_assert_str_eq(d->encoding, "utf-8-bom");
    cr_assert_eq(d->diags.n, 0);
    doc_free(d);
  }
}

Test(reader, invalid_utf8_replaced_with_diagnostic) {
  const char in[] = "ok\nx\xFFy\xC3\n\xE1\xBB";
  got g;
  vnp_doc *d = read_chunks(in, sizeof in - 1, 4096, &g);
  cr_assert_eq(g.n, 3);
  cr_assert_str_eq(g.text[1], "x\xEF\xBF\xBDy\xEF\xBF\xBD");
  cr_assert_str_eq(g.text[2], "\xEF\xBF\xBD");
  cr_assert_eq(d->diags.n, 1);
  cr_assert_str_eq(d->diags.v[0].code, "invalid-encoding");
  cr_assert(strstr(d->diags.v[0].message, "byte offset 4") != NULL,
            "%s", d->diags.v[0].message);
  doc_free(d);
}

Test(reader, utf16le_with_bom) {
  /* "Hà\r\nB" in UTF-16LE with BOM */
  const char in[] = "\xFF\xFE" "H\0\xE0\0\r\0\n\0B\0";
  for (size_t chunk = 1; chunk < 5; chunk++) {
    got g;
    vnp_doc *d = read_chunks(in, sizeof in - 1, chunk, &g);
    cr_assert_eq(g.n, 2, "chunk %zu", chunk);
    cr_assert_str_eq(g.text[0], "H\xC3\xA0");
    cr_assert_str_eq(g.text[1], "B");
    cr_assert_eq(g.start[1], 10, "chunk %zu: start %llu", chunk, (unsigned long long)g.start[1]);
    cr_assert_str_eq(d->encoding, "utf-16le");
    doc_free(d);
  }
}

/* Tesseract returns a page it could not read as nothing: two form feeds
 * in a row (corpus/ocr/bad/seed-002 line 169). */
Test(reader, empty_page_between_form_feeds) {
  const char in[] = "page one\n\f\fpage three\n\fpage four\n";
  for (size_t chunk = 1; chunk <= 4096; chunk *= 8) {
    got g;
    vnp_doc *d = read_chunks(in, sizeof in - 1, chunk, &g);
    cr_assert_eq(g.n, 3);
    cr_assert_str_eq(g.text[1], "page three");
    cr_assert(g.flags[1] & LINE_EMPTYPAGE, "chunk %zu", chunk);
    cr_assert(g.flags[2] & LINE_PAGEBREAK);
    cr_assert_not(g.flags[2] & LINE_EMPTYPAGE, "chunk %zu", chunk);
    doc_free(d);
  }
}

Test(reader, nul_and_form_feed) {
  const char in[] = "a\0b\n\fpage two\n";
  got g;
  vnp_doc *d = read_chunks(in, sizeof in - 1, 4096, &g);
  cr_assert_eq(g.n, 2);
  cr_assert_str_eq(g.text[0], "a\xEF\xBF\xBD" "b");
  cr_assert_str_eq(g.text[1], "page two");
  cr_assert(g.flags[1] & LINE_PAGEBREAK);
  doc_free(d);
}
