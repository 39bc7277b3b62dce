/*
 * cli_compare.c - `vnplan compare PARENT CHILD... [--format text|json|html]
 * [-o FILE] [--gold FILE] [--rules DIR]`.
 *
 * Reads each file whole (source text or `vnplan parse` JSON), hands it to
 * vnp_compare_add, runs the comparison and writes the chosen format. With
 * --gold, prints precision/recall/F1 of the first child's alignment
 * against the gold TSV instead. Exit codes as `vnplan parse`: 0 ok, 1 an
 * input could not be read or is not a document, 2 usage or rules error.
 */
#include "vnplan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_compare_main(int argc, char **argv);

static const char CMP_USAGE[] =
    "usage: vnplan compare PARENT CHILD... [--format text|json|html]\n"
    "                      [-o FILE] [--gold FILE] [--rules DIR]\n";

static char *cmp_slurp(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 16, n = 0;
  char *s = malloc(cap);
  if (!s)
    abort();
  size_t k;
  while ((k = fread(s + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap) {
      cap *= 2;
      s = realloc(s, cap);
      if (!s)
        abort();
    }
  }
  int bad = ferror(f);
  if (f != stdin)
    fclose(f);
  if (bad) {
    free(s);
    return NULL;
  }
  *len = n;
  return s;
}

int cli_compare_main(int argc, char **argv) {
  const char *format = "text", *out = NULL, *gold = NULL, *rules_dir = NULL;
  const char **files = calloc((size_t)argc + 1, sizeof *files);
  int nfiles = 0;
  if (!files)
    abort();
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char **dst = NULL;
    if (!strcmp(a, "--format") || !strcmp(a, "-f"))
      dst = &format;
    else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
      dst = &out;
    else if (!strcmp(a, "--gold"))
      dst = &gold;
    else if (!strcmp(a, "--rules"))
      dst = &rules_dir;
    else if (!strncmp(a, "--format=", 9))
      format = a + 9;
    else if (!strncmp(a, "--gold=", 7))
      gold = a + 7;
    else if (!strncmp(a, "--rules=", 8))
      rules_dir = a + 8;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(CMP_USAGE, stdout);
      free(files);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "vnplan compare: unknown option '%s'\n%s", a, CMP_USAGE);
      free(files);
      return 2;
    } else
      files[nfiles++] = a;
    if (dst) {
      if (i + 1 >= argc) {
        fprintf(stderr, "vnplan compare: option %s needs a value\n", a);
        free(files);
        return 2;
      }
      *dst = argv[++i];
    }
  }
  vnp_compare_format fmt;
  if (!strcmp(format, "text"))
    fmt = VNP_COMPARE_TEXT;
  else if (!strcmp(format, "json"))
    fmt = VNP_COMPARE_JSON;
  else if (!strcmp(format, "html"))
    fmt = VNP_COMPARE_HTML;
  else {
    fprintf(stderr, "vnplan compare: invalid format '%s' (text, json, html)\n",
            format);
    free(files);
    return 2;
  }
  if (nfiles < 2) {
    fputs(CMP_USAGE, stderr);
    free(files);
    return 2;
  }
  vnp_rules *rules = NULL;
  vnp_error err;
  if (vnp_rules_load(rules_dir, &rules, &err) != 0) {
    char *m = vnp_error_format(&err);
    fputs(m, stderr);
    vnp_free(m);
    free(files);
    return 2;
  }
  vnp_compare *c = vnp_compare_new(rules);
  int status = 0;
  for (int i = 0; i < nfiles && status == 0; i++) {
    size_t len = 0;
    char *buf = cmp_slurp(files[i], &len);
    if (!buf) {
      fprintf(stderr, "vnplan compare: cannot read %s\n", files[i]);
      status = 1;
      break;
    }
    if (vnp_compare_add(c, buf, len, files[i], &err) != 0) {
      fprintf(stderr, "vnplan compare: %s:%u:%u: %s\n", files[i], err.line,
              err.column, err.message);
      status = 1;
    }
    free(buf);
  }
  if (status == 0) {
    vnp_compare_run(c);
    char *res = NULL;
    size_t rl = 0;
    if (gold) {
      size_t gl;
      char *g = cmp_slurp(gold, &gl);
      if (!g) {
        fprintf(stderr, "vnplan compare: cannot read %s\n", gold);
        status = 1;
      } else {
        double prf[3];
        res = vnp_compare_gold(c, 1, g, gl, prf);
        rl = res ? strlen(res) : 0;
        free(g);
      }
    } else
      res = vnp_compare_render(c, fmt, &rl);
    if (res) {
      FILE *o = out ? fopen(out, "wb") : stdout;
      if (!o || fwrite(res, 1, rl, o) != rl || fflush(o) != 0) {
        fprintf(stderr, "vnplan compare: cannot write %s\n",
                out ? out : "stdout");
        status = 1;
      }
      if (o && o != stdout)
        fclose(o);
    }
    vnp_free(res);
  }
  vnp_compare_free(c);
  vnp_rules_free(rules);
  free(files);
  return status;
}
