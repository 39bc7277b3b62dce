/*
 * extract.c - rule-driven extraction. (Placeholder: finds nothing.)
 */
#include "extract.h"

#include <stdlib.h>

struct vnp_ext {
  int unused;
};

void extract_run(vnp_doc *d) { (void)d; }

void extract_json(const vnp_doc *d, json_w *w) {
  (void)d;
  const char *keys[] = {"tasks", "targets", "citations"};
  for (size_t i = 0; i < 3; i++) {
    json_key(w, keys[i]);
    json_arr_begin(w);
    json_arr_end(w);
  }
}

void extract_free(struct vnp_ext *ext) { free(ext); }

int extract_example_value(const vnp_rules *rs, const rule *r,
                          const char *text, size_t len, pcre2_match_data *md,
                          const char *key, vnp_buf *out) {
  (void)rs; (void)r; (void)text; (void)len; (void)md; (void)key; (void)out;
  return 0;
}

char *vnp_match_phrase(const vnp_rules *rules, const char *kind,
                       const char *text, size_t len, const char *doc_date) {
  (void)rules; (void)kind; (void)text; (void)len; (void)doc_date;
  return xstrdup("[]\n");
}
