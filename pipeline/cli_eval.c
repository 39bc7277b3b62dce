/*
 * cli_eval.c - `vnplan eval`: scores the parser against gold files.
 *
 *   vnplan eval [OPTIONS] GOLD...
 *   vnplan eval [OPTIONS] --ocr-of GOLD OCRTEXT...
 *   vnplan eval [OPTIONS] --pairs PAIR.tsv... [GOLD...]
 *
 * Each GOLD is a (possibly partial) `vnplan parse` JSON naming its source
 * with "source": {"path": ...} relative to the gold file's directory. The
 * source (or each OCR copy, or DIR/NAME.txt with --source-dir) is parsed
 * with default options and compared field by field (eval.c). Prints a
 * table per document and the total (counts summed over documents), or one
 * JSON object with --json; --explain lists every miss and false hit.
 * --thresholds FILE checks the total F1 of each field against the floors
 * recorded for --set NAME (docs/eval.md). Each PAIR.tsv (an argument
 * ending in .tsv, or the value of --pairs) is a gold alignment of
 * corpus/pairs/: `vnplan compare` runs on the sources its name implies and
 * its links are scored as field "alignment" (eval.c, ev_pair_run).
 *
 * Exit: 0 ok; 1 a gold or source could not be read, or a score fell below
 * its floor; 2 usage or rule-file error.
 */
#include "eval.h"
#include "vnplan.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_eval_main(int argc, char **argv);

typedef struct ev_cli {
  const char *rules_dir;
  const char *ocr_of;
  const char *source_dir;
  const char *set;
  const char *thresholds;
  int json;
  int explain;
  ev_opts eo;
  const char **pairs; /* gold alignments (.tsv) */
  int npairs;
} ev_cli;

static const char EVAL_USAGE[] =
    "usage: vnplan eval [OPTIONS] GOLD...\n"
    "       vnplan eval [OPTIONS] --ocr-of GOLD OCRTEXT...\n"
    "       vnplan eval [OPTIONS] --pairs PAIR.tsv... [GOLD...]\n"
    "\n"
    "  --rules DIR         rule directory\n"
    "  --json              JSON instead of tables\n"
    "  --explain           list every miss and false hit\n"
    "  --ocr-of GOLD       score each OCRTEXT against GOLD's facts\n"
    "  --source-dir DIR    parse DIR/NAME.txt for each GOLD NAME.json\n"
    "                      (golds without one are skipped)\n"
    "  --pairs PAIR.tsv    also score `vnplan compare` against the gold\n"
    "                      alignment PAIR.tsv (DIR/C-P.tsv: child\n"
    "                      DIR/../C_*.txt, parent DIR/../P_*.txt); every\n"
    "                      argument ending in .tsv is one\n"
    "  --set NAME          name of the corpus set (default: clean)\n"
    "  --thresholds FILE   fail if a total F1 is below its floor for --set\n"
    "  --similarity X      fuzzy text threshold, 0..1 (default 0.85;\n"
    "                      1 = normalized text must be equal)\n";

/* ---- prototypes ---- */
static int eval_opts(int argc, char **argv, ev_cli *c, char ***pos, int *npos);
static void print_table(const ev_score *s, const char *indent);
static json_t *score_json(const ev_score *s);
static int check_floors(const ev_cli *c, const ev_score *total,
                        json_t *jfloors);
static char *source_in_dir(const char *dir, const char *gold);

static int eval_opts(int argc, char **argv, ev_cli *c, char ***pos, int *npos) {
  *pos = calloc((size_t)argc + 1, sizeof(char *));
  c->pairs = calloc((size_t)argc + 1, sizeof(char *));
  if (!*pos || !c->pairs)
    abort();
  *npos = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char **dst = NULL;
    if (strcmp(a, "--json") == 0) {
      c->json = 1;
      continue;
    }
    if (strcmp(a, "--explain") == 0) {
      c->explain = 1;
      continue;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(EVAL_USAGE, stdout);
      return 1;
    }
    if (strcmp(a, "--rules") == 0)
      dst = &c->rules_dir;
    else if (strcmp(a, "--ocr-of") == 0)
      dst = &c->ocr_of;
    else if (strcmp(a, "--source-dir") == 0)
      dst = &c->source_dir;
    else if (strcmp(a, "--set") == 0)
      dst = &c->set;
    else if (strcmp(a, "--pairs") == 0)
      dst = &c->pairs[c->npairs++];
    else if (strcmp(a, "--thresholds") == 0)
      dst = &c->thresholds;
    else if (strcmp(a, "--similarity") == 0) {
      if (i + 1 >= argc)
        goto needval;
      char *end;
      double v = strtod(argv[++i], &end);
      if (*end || v < 0 || v > 1) {
        fprintf(stderr, "vnplan eval: invalid similarity '%s' (0..1)\n",
                argv[i]);
        return -1;
      }
      c->eo.similarity = v;
      continue;
    } else if (strcmp(a, "--") == 0) {
      for (i++; i < argc; i++) {
        size_t al = strlen(argv[i]);
        if (al > 4 && strcmp(argv[i] + al - 4, ".tsv") == 0)
          c->pairs[c->npairs++] = argv[i];
        else
          (*pos)[(*npos)++] = argv[i];
      }
      break;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "vnplan eval: unknown option '%s'\n%s", a, EVAL_USAGE);
      return -1;
    } else {
      size_t al = strlen(a);
      if (al > 4 && strcmp(a + al - 4, ".tsv") == 0)
        c->pairs[c->npairs++] = a;
      else
        (*pos)[(*npos)++] = argv[i];
      continue;
    }
    if (i + 1 >= argc)
      goto needval;
    *dst = argv[++i];
    continue;
  needval:
    fprintf(stderr, "vnplan eval: option %s needs a value\n", a);
    return -1;
  }
  return 0;
}

static void print_table(const ev_score *s, const char *indent) {
  printf("%s%-11s %5s %5s %5s %6s %6s %6s\n", indent, "field", "tp", "fp", "fn",
         "P", "R", "F1");
  for (int f = 0; f < EV_NFIELDS; f++) {
    if (!s->scored[f])
      continue;
    const ev_counts *c = &s->c[f];
    printf("%s%-11s %5ld %5ld %5ld %6.3f %6.3f %6.3f\n", indent,
           ev_field_name(f), c->tp, c->fp, c->fn, ev_precision(c), ev_recall(c),
           ev_f1(c));
  }
}

static json_t *score_json(const ev_score *s) {
  json_t *o = json_object();
  for (int f = 0; f < EV_NFIELDS; f++) {
    if (!s->scored[f])
      continue;
    const ev_counts *c = &s->c[f];
    json_object_set_new(
        o, ev_field_name(f),
        json_pack("{s:I,s:I,s:I,s:f,s:f,s:f}", "tp", (json_int_t)c->tp, "fp",
                  (json_int_t)c->fp, "fn", (json_int_t)c->fn, "precision",
                  ev_precision(c), "recall", ev_recall(c), "f1", ev_f1(c)));
  }
  return o;
}

/* THRESHOLDS: one floor a line, "SET FIELD MIN_F1"; '#' starts a comment.
 * Returns the number of floors broken (or -1 if the file is unreadable). */
static int check_floors(const ev_cli *c, const ev_score *total,
                        json_t *jfloors) {
  FILE *f = fopen(c->thresholds, "r");
  if (!f) {
    fprintf(stderr, "vnplan eval: %s: %s\n", c->thresholds, strerror(errno));
    return -1;
  }
  char line[512];
  int broken = 0, lineno = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    char *hash = strchr(line, '#');
    if (hash)
      *hash = 0;
    char set[128], field[64];
    double min;
    int n = sscanf(line, "%127s %63s %lf", set, field, &min);
    if (n <= 0)
      continue;
    if (n != 3) {
      fprintf(stderr, "vnplan eval: %s:%d: expected SET FIELD MIN_F1\n",
              c->thresholds, lineno);
      broken++;
      continue;
    }
    if (strcmp(set, c->set) != 0)
      continue;
    int fi = ev_field_index(field);
    if (fi < 0) {
      fprintf(stderr, "vnplan eval: %s:%d: unknown field '%s'\n", c->thresholds,
              lineno, field);
      broken++;
      continue;
    }
    if (!total->scored[fi]) {
      fprintf(stderr,
              "vnplan eval: %s:%d: floor for %s %s, but no gold annotates "
              "it\n",
              c->thresholds, lineno, set, field);
      broken++;
      continue;
    }
    double f1 = ev_f1(&total->c[fi]);
    int ok = f1 + 1e-9 >= min;
    if (!ok) {
      broken++;
      fprintf(stderr,
              "vnplan eval: %s %s: F1 %.3f below the floor %.3f (%s:%d)\n", set,
              field, f1, min, c->thresholds, lineno);
    }
    if (jfloors)
      json_array_append_new(jfloors,
                            json_pack("{s:s,s:f,s:f,s:b}", "field", field,
                                      "min", min, "f1", f1, "ok", ok));
  }
  fclose(f);
  return broken;
}

/* DIR/NAME.txt for gold .../NAME.json; caller frees. */
static char *source_in_dir(const char *dir, const char *gold) {
  const char *base = strrchr(gold, '/');
  base = base ? base + 1 : gold;
  size_t bl = strlen(base);
  if (bl > 5 && strcmp(base + bl - 5, ".json") == 0)
    bl -= 5;
  size_t n = strlen(dir) + bl + 8;
  char *p = malloc(n);
  if (!p)
    abort();
  snprintf(p, n, "%s/%.*s.txt", dir, (int)bl, base);
  return p;
}

int cli_eval_main(int argc, char **argv) {
  ev_cli c;
  memset(&c, 0, sizeof c);
  c.eo.similarity = EV_DEFAULT_SIMILARITY;
  char **pos;
  int npos;
  int r = eval_opts(argc, argv, &c, &pos, &npos);
  if (r != 0) {
    free(pos);
    free(c.pairs);
    return r > 0 ? 0 : 2;
  }
  if (!c.set)
    c.set = c.ocr_of || c.source_dir ? "ocr" : "clean";
  if (npos == 0 && (c.npairs == 0 || c.ocr_of)) {
    fprintf(stderr, "vnplan eval: no %s given\n%s",
            c.ocr_of ? "OCR text" : "gold file", EVAL_USAGE);
    free(pos);
    free(c.pairs);
    return 2;
  }
  if (c.npairs && (c.ocr_of || c.source_dir)) {
    fprintf(stderr, "vnplan eval: --pairs scores the clean sources; not "
                    "with --ocr-of or --source-dir\n");
    free(pos);
    free(c.pairs);
    return 2;
  }
  vnp_rules *rules;
  vnp_error err;
  if (vnp_rules_load(c.rules_dir, &rules, &err) != 0) {
    char *msg = vnp_error_format(&err);
    fputs(msg, stderr);
    vnp_free(msg);
    free(pos);
    free(c.pairs);
    return 2;
  }
  int status = 0, ndocs = 0;
  ev_score total;
  memset(&total, 0, sizeof total);
  json_t *jdocs = json_array();
  for (int i = 0; i < npos; i++) {
    const char *gold = c.ocr_of ? c.ocr_of : pos[i];
    char *override = NULL;
    if (c.ocr_of)
      override = strdup(pos[i]);
    else if (c.source_dir) {
      override = source_in_dir(c.source_dir, gold);
      FILE *t = fopen(override, "rb");
      if (!t) {
        if (!c.json)
          printf("%s: no %s, skipped\n\n", gold, override);
        free(override);
        continue;
      }
      fclose(t);
    }
    ev_score s;
    memset(&s, 0, sizeof s);
    vnp_buf ex = VNP_BUF_INIT;
    char *src = NULL, *msg = NULL;
    if (ev_run(rules, NULL, gold, override, &c.eo, &s, c.explain ? &ex : NULL,
               &src, &msg) != 0) {
      fprintf(stderr, "vnplan eval: %s\n", msg);
      free(msg);
      free(override);
      vnp_buf_free(&ex);
      status = 1;
      continue;
    }
    ndocs++;
    ev_score_add(&total, &s);
    if (c.json) {
      json_t *d = json_pack("{s:s,s:s,s:o}", "gold", gold, "source", src,
                            "fields", score_json(&s));
      if (c.explain)
        json_object_set_new(d, "explain", json_string(ex.ptr));
      json_array_append_new(jdocs, d);
    } else {
      printf("%s  <-  %s\n", gold, src);
      print_table(&s, "  ");
      if (c.explain && ex.len)
        fputs(ex.ptr, stdout);
      putchar('\n');
    }
    vnp_buf_free(&ex);
    free(src);
    free(override);
  }
  json_t *jpairs = json_array();
  int nscored_pairs = 0;
  for (int i = 0; i < c.npairs; i++) {
    ev_score s;
    memset(&s, 0, sizeof s);
    char *parent = NULL, *child = NULL, *msg = NULL;
    if (ev_pair_run(rules, c.pairs[i], &s, &parent, &child, &msg) != 0) {
      fprintf(stderr, "vnplan eval: %s\n", msg);
      free(msg);
      status = 1;
      continue;
    }
    nscored_pairs++;
    ev_score_add(&total, &s);
    if (c.json)
      json_array_append_new(
          jpairs, json_pack("{s:s,s:s,s:s,s:o}", "pair", c.pairs[i], "child",
                            child, "parent", parent, "fields", score_json(&s)));
    else {
      printf("%s  <-  compare %s %s\n", c.pairs[i], parent, child);
      print_table(&s, "  ");
      putchar('\n');
    }
    free(parent);
    free(child);
  }
  json_t *jfloors = c.json && c.thresholds ? json_array() : NULL;
  if (!c.json) {
    printf("TOTAL %s (%d document%s", c.set, ndocs, ndocs == 1 ? "" : "s");
    if (c.npairs)
      printf(", %d pair%s", nscored_pairs, nscored_pairs == 1 ? "" : "s");
    printf(", similarity %.2f)\n", c.eo.similarity);
    print_table(&total, "  ");
  }
  if (c.thresholds) {
    int broken = check_floors(&c, &total, jfloors);
    if (broken != 0)
      status = 1;
  }
  if (c.json) {
    json_t *out = json_pack("{s:s,s:f,s:o,s:o}", "set", c.set, "similarity",
                            c.eo.similarity, "documents", jdocs, "total",
                            score_json(&total));
    if (c.npairs)
      json_object_set_new(out, "pairs", jpairs);
    else
      json_decref(jpairs);
    if (jfloors)
      json_object_set_new(out, "floors", jfloors);
    char *js = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    puts(js);
    free(js);
    json_decref(out);
  } else {
    json_decref(jdocs);
    json_decref(jpairs);
  }
  vnp_rules_free(rules);
  free(pos);
  free(c.pairs);
  if (fflush(stdout) != 0)
    status = 1;
  return status;
}
