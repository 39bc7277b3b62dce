/*
 * test_pipeline.c - the whole pipeline through the public API: chunk
 * invariance on every corpus document, JSON validity on odd bytes, the
 * feed/finish contract, error formatting.
 */
#include "buf.h"
#include "vnplan.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vnp_rules *rules;

static void setup(void) {
  rules = tu_rules_load();
}

static void teardown(void) { vnp_rules_free(rules); }

static char *slurp(const char *path, size_t *len) {
  return tu_slurp(path, len);
}

/* Parses `s` fed in chunks of `chunk` bytes (0: random sizes 1..97). */
static char *parse_chunked(const char *s, size_t len, size_t chunk,
                           unsigned seed) {
  vnp_options o = {0};
  o.path = "doc.txt";
  vnp_pipeline *p = vnp_pipeline_new(rules, &o);
  size_t i = 0;
  while (i < len) {
    size_t n = chunk;
    if (!chunk) {
      seed = seed * 1103515245u + 12345u;
      n = 1 + (seed >> 16) % 97;
    }
    if (n > len - i)
      n = len - i;
    cr_assert_eq(vnp_pipeline_feed(p, s + i, n), 0);
    i += n;
  }
  vnp_pipeline_finish(p);
  char *js = vnp_pipeline_json(p, 0, NULL);
  cr_assert_eq(vnp_pipeline_feed(p, "x", 1), VNP_ESTATE,
               "feed after finish must fail");
  vnp_pipeline_free(p);
  return js;
}

Test(pipeline, chunk_invariance_on_corpus, .init = setup, .fini = teardown,
     .timeout = 120) {
  const char *root = getenv("VNPLAN_ROOT");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/corpus", root ? root : ".");
  DIR *dh = opendir(dir);
  cr_assert_not_null(dh);
  struct dirent *de;
  int docs = 0;
  while ((de = readdir(dh)) != NULL) {
    size_t nl = strlen(de->d_name);
    if (nl < 5 || strcmp(de->d_name + nl - 4, ".txt") != 0)
      continue;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    size_t len;
    char *s = slurp(path, &len);
    char *whole = parse_chunked(s, len, len ? len : 1, 0);
    size_t sizes[] = {1, 7, 4096, 0};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
      char *js = parse_chunked(s, len, sizes[k], (unsigned)k + 1);
      cr_assert_str_eq(js, whole, "%s: chunk size %zu differs", de->d_name,
                       sizes[k]);
      vnp_free(js);
    }
    vnp_free(whole);
    free(s);
    docs++;
  }
  closedir(dh);
  cr_assert_geq(docs, 12, "expected the 12 corpus documents, found %d",
                docs);
}

Test(pipeline, crlf_and_lf_give_same_structure, .init = setup,
     .fini = teardown) {
  const char lf[] = "KẾ HOẠCH\n\nI. MỤC ĐÍCH\n\n1. Nội dung một.\n";
  const char crlf[] =
      "KẾ HOẠCH\r\n\r\nI. MỤC ĐÍCH\r\n\r\n1. Nội dung một.\r\n";
  char *a = parse_chunked(lf, sizeof lf - 1, 3, 0);
  char *b = parse_chunked(crlf, sizeof crlf - 1, 3, 0);
  /* spans differ (CR bytes), the sections' titles do not */
  cr_assert(strstr(a, "\"sections\"") != NULL);
  cr_assert(strstr(b, "\"sections\"") != NULL);
  vnp_free(a);
  vnp_free(b);
}

/* Every output byte sequence must be valid UTF-8 and contain no raw
 * control characters, whatever the input. The normalizer turns controls in
 * the text into spaces, so the path (printed as source.path) carries them to
 * the JSON writer. */
Test(pipeline, json_escapes_controls_and_bad_bytes, .init = setup,
     .fini = teardown) {
  char in[600];
  size_t n = 0;
  for (int c = 0; c < 256; c++) {
    in[n++] = (char)c;
    if (c % 16 == 15)
      in[n++] = '\n';
  }
  vnp_options o = {0};
  o.path = "a\001b\033c\"d\\e\x7f.txt";
  vnp_pipeline *p = vnp_pipeline_new(rules, &o);
  vnp_pipeline_feed(p, in, n);
  vnp_pipeline_finish(p);
  char *js = vnp_pipeline_json(p, 0, NULL);
  vnp_pipeline_free(p);
  for (const unsigned char *q = (const unsigned char *)js; *q; q++) {
    if (*q == '\n')
      cr_assert_eq(q[1], 0, "only the final newline may be raw");
    else
      cr_assert_geq(*q, 0x20, "raw control byte 0x%02x in JSON", *q);
    cr_assert(*q != 0x7F, "raw DEL in JSON");
  }
  cr_assert(strstr(js, "\"path\":\"a\\u0001b\\u001bc\\\"d\\\\e\\u007f.txt\"") !=
                NULL,
            "controls, quote, backslash and DEL escaped in: %.200s", js);
  cr_assert(strstr(js, "\xEF\xBF\xBD") != NULL,
            "invalid bytes of the text come out as U+FFFD");
  vnp_free(js);
}

Test(pipeline, error_format_has_caret) {
  vnp_error e;
  memset(&e, 0, sizeof e);
  strcpy(e.path, "r.rules");
  e.line = 3;
  e.column = 5;
  strcpy(e.message, "bad thing");
  strcpy(e.context, "ab\xC3\xB2" "defg");
  char *s = vnp_error_format(&e);
  cr_assert_str_eq(s, "r.rules:3:5: error: bad thing\n  ab\xC3\xB2" "defg\n"
                      "      ^\n");
  vnp_free(s);
}

Test(pipeline, rules_load_missing_dir_reports_path) {
  vnp_rules *r = NULL;
  vnp_error e;
  cr_assert_eq(vnp_rules_load("/nonexistent/rules", &r, &e), VNP_ERULES);
  cr_assert_null(r);
  cr_assert_str_eq(e.path, "/nonexistent/rules");
  cr_assert(strstr(e.message, "No such file") != NULL, "%s", e.message);
}

static void to_buf(const char *s, size_t n, void *ctx) {
  vnp_buf *b = ctx;
  vnp_buf_put(b, s, n);
}

/* vnp_pipeline_json_write streams the very bytes vnp_pipeline_json
 * returns (a corpus document, compact and pretty). */
Test(pipeline, streamed_json_equals_buffered, .init = setup, .fini = teardown) {
  const char *root = getenv("VNPLAN_ROOT");
  char path[4096];
  snprintf(path, sizeof path,
           "%s/corpus/04_nq03-nqcp-2025_chinh-phu_ctrhd-thuc-hien-nq57.txt",
           root ? root : ".");
  size_t len;
  char *s = slurp(path, &len);
  for (unsigned fl = 0; fl <= VNP_JSON_PRETTY; fl += VNP_JSON_PRETTY) {
    vnp_options o = {0};
    o.path = "doc.txt";
    vnp_pipeline *p = vnp_pipeline_new(rules, &o);
    cr_assert_eq(vnp_pipeline_feed(p, s, len), 0);
    vnp_pipeline_finish(p);
    size_t jl;
    char *js = vnp_pipeline_json(p, fl, &jl);
    vnp_buf b = VNP_BUF_INIT;
    vnp_pipeline_json_write(p, fl, to_buf, &b);
    cr_assert_gt(jl, 65536, "the document must span several pieces");
    cr_assert_eq(b.len, jl);
    cr_assert(memcmp(b.ptr, js, jl) == 0, "streamed JSON differs");
    vnp_buf_free(&b);
    vnp_free(js);
    vnp_pipeline_free(p);
  }
  free(s);
}
