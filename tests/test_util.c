/*
 * test_util.c - helpers shared by the Criterion test files (see
 * test_util.h). No tests here.
 */
#include "test_util.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdio.h>
#include <stdlib.h>

vnp_rules *tu_rules_load(void) {
  const char *dir = getenv("VNPLAN_RULES");
  const char *root = getenv("VNPLAN_ROOT");
  char buf[4096];
  if (!dir) {
    snprintf(buf, sizeof buf, "%s/rules", root ? root : ".");
    dir = buf;
  }
  vnp_rules *rs = NULL;
  vnp_error err;
  int rc = vnp_rules_load(dir, &rs, &err);
  if (rc) {
    char *msg = vnp_error_format(&err);
    cr_log_error("%s", msg);
    vnp_free(msg);
  }
  cr_assert_eq(rc, 0, "rules load from %s failed", dir);
  return rs;
}

char *tu_slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  cr_assert_not_null(s);
  cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  s[n] = 0;
  if (len)
    *len = (size_t)n;
  return s;
}

char *tu_corpus(const char *name, size_t *len) {
  const char *root = getenv("VNPLAN_ROOT");
  char path[4096];
  snprintf(path, sizeof path, "%s/corpus/%s", root ? root : ".", name);
  return tu_slurp(path, len);
}
