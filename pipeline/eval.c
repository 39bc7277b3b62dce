/*
 * eval.c - scores a parse output against a gold file, field by field.
 *
 * Input: two JSON documents in the `vnplan parse` format (docs/schema.json):
 * the gold, which may omit any top-level key it does not annotate, and the
 * program's output. Output: per field, counts of true positives (a gold
 * fact the output has), false positives (an output fact the gold lacks)
 * and false negatives (a gold fact the output lacks), plus with `explain`
 * one line per miss and false hit.
 *
 * Facts. Each field turns both documents into a list of facts, each a
 * tuple of components (see the collect_* functions and docs/eval.md):
 *   headings    level, label, title              (section nodes, heading)
 *   kinds       label, title, kind               (section nodes with kind)
 *   header      one fact per document field (type number date place
 *               issuer title) - compared key by key, not as a list
 *   tasks       id
 *   leads       task id, body                    (body: name or text)
 *   partners    task id, body
 *   deadlines   task id, kind, start, end
 *   targets     horizon, comparator, value, unit
 *   citations   number, relation
 *   recipients  text
 *   signature   signer, position, on_behalf      (key by key, as header)
 *
 * Components compare as: EXACT (the JSON scalar as text), CODE (normalized,
 * spaces removed: document numbers, labels), TEXT (normalized equal, or
 * diacritic-insensitive similarity >= the threshold). A null component
 * equals only null.
 *
 * Matching is greedy in gold order: each gold fact takes the first unused
 * output fact whose components all match. When both sides come from the
 * same source bytes, two facts that both carry spans match only if the
 * spans overlap (the right value at another place is not the gold fact),
 * and a first pass pairs overlapping facts before the others, so repeated
 * values (two "Muc tieu" headings) pair with the right occurrence. An OCR
 * copy has other bytes, so spans are ignored there.
 *
 * Limits: similarity is a banded edit distance, O(n * k) for strings of n
 * bytes and k = (1 - threshold) * n allowed edits; facts are matched in
 * O(gold * output) per field, fine for documents of a few hundred facts.
 * No Vietnamese text lives here: normalization is utf8proc (NFC, case
 * fold, mark stripping) and tone.c.
 */
#include "eval.h"
#include "compare.h"

#include "tone.h"

#include <glob.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { C_EXACT, C_CODE, C_TEXT };

#define EV_MAXC 4

typedef struct ev_fact {
  char *val[EV_MAXC][2];  /* normalized value (and an alternative) or NULL */
  char *fold[EV_MAXC][2]; /* folded forms of TEXT components */
  int type[EV_MAXC];
  int n;
  char *show; /* as written, for --explain */
  long start, end, line;
  int used;
} ev_fact;

typedef VNP_VEC(ev_fact) ev_facts;

typedef void (*ev_collect_fn)(const json_t *doc, ev_facts *out,
                              const json_t *gold);

static const char *const FIELD_NAMES[EV_NFIELDS] = {
    "headings",  "kinds",      "header",    "tasks",
    "leads",     "partners",   "deadlines", "targets",
    "citations", "recipients", "signature", "alignment"};

static const char *const HEADER_KEYS[] = {"type",  "number", "date",
                                          "place", "issuer", "title"};
static const int HEADER_TYPES[] = {C_TEXT, C_CODE, C_EXACT,
                                   C_TEXT, C_TEXT, C_TEXT};
static const char *const SIGN_KEYS[] = {"signer", "position", "on_behalf"};

/* ---- prototypes ---- */
static utf8proc_int32_t ev_fold_dbar(utf8proc_int32_t cp, void *data);
static int is_trailing_punct(unsigned char c);
static char *code_norm(const char *v);
static void explain_line(vnp_buf *ex, const char *what, const char *field,
                         const ev_fact *f);
static const char *jstr(const json_t *o, const char *key);
static char *errmsg(const char *a, const char *b, const char *c);
static char *ev_scalar(const json_t *v);
static void fact_init(ev_fact *f, const json_t *span);
static void fact_add(ev_fact *f, int type, const char *v, const char *alt);
static void fact_show(ev_fact *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void facts_free(ev_facts *fs);
static int comp_match(const ev_fact *g, const ev_fact *o, int i, double thr);
static int fact_match(const ev_fact *g, const ev_fact *o, double thr);
static int span_overlap(const ev_fact *g, const ev_fact *o);
static void match_lists(ev_facts *gold, ev_facts *got, const ev_opts *o,
                        ev_counts *c, const char *field, vnp_buf *explain);
static void walk_sections(const json_t *nodes, ev_facts *out, int kinds);
static void collect_headings(const json_t *doc, ev_facts *out,
                             const json_t *gold);
static void collect_kinds(const json_t *doc, ev_facts *out, const json_t *gold);
static int task_annotated(const json_t *gold, const char *id, const char *key);
static void collect_bodies(const json_t *doc, ev_facts *out, const json_t *gold,
                           const char *key);
static void collect_tasks(const json_t *doc, ev_facts *out, const json_t *gold);
static void collect_leads(const json_t *doc, ev_facts *out, const json_t *gold);
static void collect_partners(const json_t *doc, ev_facts *out,
                             const json_t *gold);
static void collect_deadlines(const json_t *doc, ev_facts *out,
                              const json_t *gold);
static void collect_targets(const json_t *doc, ev_facts *out,
                            const json_t *gold);
static void collect_citations(const json_t *doc, ev_facts *out,
                              const json_t *gold);
static void collect_recipients(const json_t *doc, ev_facts *out,
                               const json_t *gold);
static void compare_keys(const json_t *gold, const json_t *got,
                         const char *const *keys, const int *types, size_t n,
                         double thr, ev_counts *c, const char *field,
                         vnp_buf *explain);
static char *read_file(const char *path, size_t *len);

/* ---- names and arithmetic ---- */

const char *ev_field_name(int f) {
  return f >= 0 && f < EV_NFIELDS ? FIELD_NAMES[f] : NULL;
}

int ev_field_index(const char *name) {
  for (int f = 0; f < EV_NFIELDS; f++)
    if (strcmp(FIELD_NAMES[f], name) == 0)
      return f;
  return -1;
}

double ev_f1(const ev_counts *c) {
  long d = 2 * c->tp + c->fp + c->fn;
  return d ? (double)(2 * c->tp) / (double)d : 1.0;
}

double ev_precision(const ev_counts *c) {
  long d = c->tp + c->fp;
  return d ? (double)c->tp / (double)d : 1.0;
}

double ev_recall(const ev_counts *c) {
  long d = c->tp + c->fn;
  return d ? (double)c->tp / (double)d : 1.0;
}

void ev_score_add(ev_score *into, const ev_score *s) {
  for (int f = 0; f < EV_NFIELDS; f++) {
    into->c[f].tp += s->c[f].tp;
    into->c[f].fp += s->c[f].fp;
    into->c[f].fn += s->c[f].fn;
    into->scored[f] |= s->scored[f];
  }
}

/* ---- normalization and similarity ---- */

/* U+0110/U+0111 (d with stroke) have no decomposition, so mark stripping
 * leaves them; folding maps them to plain d. */
static utf8proc_int32_t ev_fold_dbar(utf8proc_int32_t cp, void *data) {
  (void)data;
  if (cp == 0x0110 || cp == 0x0111)
    return 'd';
  return cp;
}

static int is_trailing_punct(unsigned char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' ||
         c == ' ';
}

char *ev_normalize(const char *s, int fold) {
  if (!s)
    return NULL;
  utf8proc_uint8_t *m = NULL;
  utf8proc_option_t opt = UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                          UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                          UTF8PROC_IGNORE;
  utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &m, opt);
  if (n < 0)
    return xstrdup(s);
  vnp_buf b = VNP_BUF_INIT;
  tone_restyle((const char *)m, (size_t)n, VNP_TONE_FIRST_VOWEL, &b);
  free(m);
  if (fold) {
    m = NULL;
    n = utf8proc_map_custom((const utf8proc_uint8_t *)b.ptr, (ssize_t)b.len, &m,
                            UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                UTF8PROC_STRIPMARK,
                            ev_fold_dbar, NULL);
    if (n >= 0) {
      vnp_buf_clear(&b);
      vnp_buf_put(&b, m, (size_t)n);
    }
    free(m);
  }
  /* whitespace runs (ASCII, U+00A0, U+2028, U+202F) become one space */
  char *out = xmalloc(b.len + 1);
  size_t k = 0;
  int sp = 0;
  for (size_t i = 0; i < b.len;) {
    unsigned char c = (unsigned char)b.ptr[i];
    size_t w = 1;
    int space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (c == 0xE2 && i + 2 < b.len && (unsigned char)b.ptr[i + 1] == 0x80 &&
        ((unsigned char)b.ptr[i + 2] == 0xA8 ||
         (unsigned char)b.ptr[i + 2] == 0xAF)) {
      space = 1; /* U+2028, U+202F */
      w = 3;
    } else if (c == 0xC2 && i + 1 < b.len &&
               (unsigned char)b.ptr[i + 1] == 0xA0) {
      space = 1; /* U+00A0 */
      w = 2;
    }
    if (space) {
      sp = k > 0;
    } else {
      if (sp)
        out[k++] = ' ';
      sp = 0;
      memcpy(out + k, b.ptr + i, w);
      k += w;
    }
    i += w;
  }
  while (k > 0 && is_trailing_punct((unsigned char)out[k - 1]))
    k--;
  out[k] = 0;
  vnp_buf_free(&b);
  return out;
}

double ev_similarity(const char *a, const char *b, double minsim) {
  size_t la = strlen(a), lb = strlen(b);
  size_t mx = la > lb ? la : lb;
  if (mx == 0)
    return 1.0;
  if (minsim < 0)
    minsim = 0;
  /* k: most edits that can still reach `minsim` */
  size_t k = minsim >= 1.0 ? 0 : (size_t)((1.0 - minsim) * (double)mx + 1e-9);
  size_t diff = la > lb ? la - lb : lb - la;
  if (diff > k)
    return 0.0;
  size_t inf = k + 1;
  size_t *prev = xmalloc((lb + 2) * sizeof *prev);
  size_t *cur = xmalloc((lb + 2) * sizeof *cur);
  for (size_t j = 0; j <= lb + 1; j++)
    prev[j] = j <= k && j <= lb ? j : inf;
  for (size_t i = 1; i <= la; i++) {
    size_t lo = i > k ? i - k : 0;
    size_t hi = i + k < lb ? i + k : lb;
    size_t rowmin = inf;
    if (lo == 0) {
      cur[0] = i <= k ? i : inf;
      rowmin = cur[0];
      lo = 1;
    } else {
      cur[lo - 1] = inf;
    }
    for (size_t j = lo; j <= hi; j++) {
      size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);
      if (prev[j] + 1 < v)
        v = prev[j] + 1;
      if (cur[j - 1] + 1 < v)
        v = cur[j - 1] + 1;
      if (v > inf)
        v = inf;
      cur[j] = v;
      if (v < rowmin)
        rowmin = v;
    }
    if (hi + 1 <= lb)
      cur[hi + 1] = inf;
    size_t *t = prev;
    prev = cur;
    cur = t;
    if (rowmin > k) {
      free(prev);
      free(cur);
      return 0.0;
    }
  }
  size_t d = prev[lb];
  free(prev);
  free(cur);
  if (d > k)
    return 0.0;
  return 1.0 - (double)d / (double)mx;
}

/* ---- facts ---- */

static char *ev_scalar(const json_t *v) {
  char tmp[64];
  if (!v || json_is_null(v))
    return NULL;
  if (json_is_string(v))
    return xstrdup(json_string_value(v));
  if (json_is_integer(v)) {
    snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
    return xstrdup(tmp);
  }
  if (json_is_real(v)) {
    double d = json_real_value(v);
    if (d == floor(d) && fabs(d) < 1e15)
      snprintf(tmp, sizeof tmp, "%lld", (long long)d);
    else
      snprintf(tmp, sizeof tmp, "%.6g", d);
    return xstrdup(tmp);
  }
  if (json_is_true(v))
    return xstrdup("true");
  if (json_is_false(v))
    return xstrdup("false");
  char *s = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
  char *r = xstrdup(s ? s : "");
  free(s);
  return r;
}

static void fact_init(ev_fact *f, const json_t *span) {
  memset(f, 0, sizeof *f);
  f->start = f->end = f->line = -1;
  if (json_is_object(span)) {
    json_t *s = json_object_get(span, "start");
    json_t *e = json_object_get(span, "end");
    json_t *l = json_object_get(span, "line");
    if (json_is_integer(s) && json_is_integer(e)) {
      f->start = (long)json_integer_value(s);
      f->end = (long)json_integer_value(e);
    }
    if (json_is_integer(l))
      f->line = (long)json_integer_value(l);
  }
}

static char *code_norm(const char *v) {
  char *s = ev_normalize(v, 0);
  size_t k = 0;
  for (size_t i = 0; s[i]; i++)
    if (s[i] != ' ')
      s[k++] = s[i];
  s[k] = 0;
  return s;
}

static void fact_add(ev_fact *f, int type, const char *v, const char *alt) {
  if (f->n >= EV_MAXC)
    return;
  int i = f->n++;
  f->type[i] = type;
  const char *src[2] = {v, alt};
  for (int a = 0; a < 2; a++) {
    if (!src[a])
      continue;
    switch (type) {
    case C_EXACT:
      f->val[i][a] = xstrdup(src[a]);
      break;
    case C_CODE:
      f->val[i][a] = code_norm(src[a]);
      break;
    default:
      f->val[i][a] = ev_normalize(src[a], 0);
      f->fold[i][a] = ev_normalize(src[a], 1);
      break;
    }
  }
}

static void fact_show(ev_fact *f, const char *fmt, ...) {
  vnp_buf b = VNP_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  vnp_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  f->show = vnp_buf_detach(&b, NULL);
}

static void facts_free(ev_facts *fs) {
  for (size_t k = 0; k < fs->n; k++) {
    ev_fact *f = &fs->v[k];
    for (int i = 0; i < f->n; i++)
      for (int a = 0; a < 2; a++) {
        free(f->val[i][a]);
        free(f->fold[i][a]);
      }
    free(f->show);
  }
  vnp_vec_free(*fs);
}

static int comp_match(const ev_fact *g, const ev_fact *o, int i, double thr) {
  if (i >= o->n)
    return 0;
  int gnull = !g->val[i][0] && !g->val[i][1];
  int onull = !o->val[i][0] && !o->val[i][1];
  if (gnull || onull)
    return gnull && onull;
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++)
      if (g->val[i][a] && o->val[i][b] &&
          strcmp(g->val[i][a], o->val[i][b]) == 0)
        return 1;
  if (g->type[i] != C_TEXT || thr >= 1.0)
    return 0;
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++)
      if (g->fold[i][a] && o->fold[i][b] &&
          ev_similarity(g->fold[i][a], o->fold[i][b], thr) >= thr)
        return 1;
  return 0;
}

static int fact_match(const ev_fact *g, const ev_fact *o, double thr) {
  if (g->n != o->n)
    return 0;
  for (int i = 0; i < g->n; i++)
    if (!comp_match(g, o, i, thr))
      return 0;
  return 1;
}

static int span_overlap(const ev_fact *g, const ev_fact *o) {
  return g->start >= 0 && o->start >= 0 && g->start < o->end &&
         o->start < g->end;
}

static void explain_line(vnp_buf *ex, const char *what, const char *field,
                         const ev_fact *f) {
  vnp_buf_printf(ex, "  %-5s %-10s %s", what, field, f->show ? f->show : "");
  if (f->line > 0)
    vnp_buf_printf(ex, "  (line %ld)", f->line);
  vnp_buf_putc(ex, '\n');
}

static void match_lists(ev_facts *gold, ev_facts *got, const ev_opts *o,
                        ev_counts *c, const char *field, vnp_buf *explain) {
  /* pass 0 (same source only): pairs whose spans overlap; pass 1: the
   * first unused equal fact in document order, where (same source) two
   * facts that both have spans must still overlap: the right value found
   * at another place of the document is not the gold fact */
  for (int pass = o->same_source ? 0 : 1; pass < 2; pass++)
    for (size_t gi = 0; gi < gold->n; gi++) {
      ev_fact *g = &gold->v[gi];
      if (g->used)
        continue;
      for (size_t oi = 0; oi < got->n; oi++) {
        ev_fact *x = &got->v[oi];
        int both = g->start >= 0 && x->start >= 0;
        if (x->used ||
            (o->same_source && (pass == 0 || both) && !span_overlap(g, x)))
          continue;
        if (!fact_match(g, x, o->similarity))
          continue;
        x->used = g->used = 1;
        c->tp++;
        break;
      }
    }
  for (size_t gi = 0; gi < gold->n; gi++)
    if (!gold->v[gi].used) {
      c->fn++;
      if (explain)
        explain_line(explain, "miss", field, &gold->v[gi]);
    }
  for (size_t oi = 0; oi < got->n; oi++)
    if (!got->v[oi].used) {
      c->fp++;
      if (explain)
        explain_line(explain, "false", field, &got->v[oi]);
    }
}

/* ---- collectors ---- */

static const char *jstr(const json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

static void walk_sections(const json_t *nodes, ev_facts *out, int kinds) {
  size_t i;
  json_t *n;
  json_array_foreach(nodes, i, n) {
    if (!json_is_object(n))
      continue;
    const char *type = jstr(n, "type");
    if (type && strcmp(type, "section") == 0) {
      const char *label = jstr(n, "label");
      const char *title = jstr(n, "title");
      if (!kinds && json_is_true(json_object_get(n, "heading"))) {
        ev_fact f;
        fact_init(&f, json_object_get(n, "span"));
        char *lv = ev_scalar(json_object_get(n, "level"));
        fact_add(&f, C_EXACT, lv, NULL);
        fact_add(&f, C_CODE, label, NULL);
        fact_add(&f, C_TEXT, title, NULL);
        fact_show(&f, "%s | %s | %s", lv ? lv : "?", label ? label : "",
                  title ? title : "");
        free(lv);
        vnp_vec_push(*out, f);
      } else if (kinds && jstr(n, "kind")) {
        const char *t = title ? title : jstr(n, "text");
        ev_fact f;
        fact_init(&f, json_object_get(n, "span"));
        fact_add(&f, C_CODE, label, NULL);
        fact_add(&f, C_TEXT, t, NULL);
        fact_add(&f, C_EXACT, jstr(n, "kind"), NULL);
        fact_show(&f, "%s %s -> %s", label ? label : "", t ? t : "",
                  jstr(n, "kind"));
        vnp_vec_push(*out, f);
      }
    }
    walk_sections(json_object_get(n, "children"), out, kinds);
  }
}

static void collect_headings(const json_t *doc, ev_facts *out,
                             const json_t *gold) {
  (void)gold;
  walk_sections(json_object_get(doc, "sections"), out, 0);
}

static void collect_kinds(const json_t *doc, ev_facts *out,
                          const json_t *gold) {
  (void)gold;
  walk_sections(json_object_get(doc, "sections"), out, 1);
}

/* 0 when the gold lists task `id` without `key` (not annotated there). */
static int task_annotated(const json_t *gold, const char *id, const char *key) {
  if (!gold || !id)
    return 1;
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(gold, "tasks"), i, t) {
    const char *gid = jstr(t, "id");
    if (gid && strcmp(gid, id) == 0)
      return json_object_get(t, key) != NULL;
  }
  return 1;
}

static void collect_tasks(const json_t *doc, ev_facts *out,
                          const json_t *gold) {
  (void)gold;
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(doc, "tasks"), i, t) {
    const char *id = jstr(t, "id");
    const char *text = jstr(t, "text");
    ev_fact f;
    fact_init(&f, json_object_get(t, "span"));
    if (id)
      fact_add(&f, C_CODE, id, NULL);
    else
      fact_add(&f, C_TEXT, text, NULL);
    fact_show(&f, "%s: %.80s", id ? id : "(no id)", text ? text : "");
    vnp_vec_push(*out, f);
  }
}

static void collect_bodies(const json_t *doc, ev_facts *out, const json_t *gold,
                           const char *key) {
  size_t i, j;
  json_t *t, *b;
  json_array_foreach(json_object_get(doc, "tasks"), i, t) {
    const char *id = jstr(t, "id");
    if (!task_annotated(gold, id, key))
      continue;
    json_array_foreach(json_object_get(t, key), j, b) {
      const char *name = jstr(b, "name");
      const char *text = jstr(b, "text");
      ev_fact f;
      fact_init(&f, json_object_get(b, "span"));
      fact_add(&f, C_CODE, id, NULL);
      fact_add(&f, C_TEXT, name ? name : text, name ? text : NULL);
      fact_show(&f, "%s: %s%s%s%s", id ? id : "(no id)", text ? text : "",
                name ? " [" : "", name ? name : "", name ? "]" : "");
      vnp_vec_push(*out, f);
    }
  }
}

static void collect_leads(const json_t *doc, ev_facts *out,
                          const json_t *gold) {
  collect_bodies(doc, out, gold, "lead");
}

static void collect_partners(const json_t *doc, ev_facts *out,
                             const json_t *gold) {
  collect_bodies(doc, out, gold, "partners");
}

static void collect_deadlines(const json_t *doc, ev_facts *out,
                              const json_t *gold) {
  size_t i, j;
  json_t *t, *d;
  json_array_foreach(json_object_get(doc, "tasks"), i, t) {
    const char *id = jstr(t, "id");
    if (!task_annotated(gold, id, "deadline"))
      continue;
    json_array_foreach(json_object_get(t, "deadline"), j, d) {
      const char *kind = jstr(d, "kind");
      const char *start = jstr(d, "start");
      const char *end = jstr(d, "end");
      ev_fact f;
      fact_init(&f, json_object_get(d, "span"));
      fact_add(&f, C_CODE, id, NULL);
      fact_add(&f, C_EXACT, kind, NULL);
      fact_add(&f, C_EXACT, start, NULL);
      fact_add(&f, C_EXACT, end, NULL);
      fact_show(&f, "%s: \"%s\" %s %s..%s", id ? id : "(no id)",
                jstr(d, "text") ? jstr(d, "text") : "", kind ? kind : "null",
                start ? start : "null", end ? end : "null");
      vnp_vec_push(*out, f);
    }
  }
}

static void collect_targets(const json_t *doc, ev_facts *out,
                            const json_t *gold) {
  (void)gold;
  size_t i;
  json_t *t;
  json_array_foreach(json_object_get(doc, "targets"), i, t) {
    char *hz = ev_scalar(json_object_get(t, "horizon"));
    char *val = ev_scalar(json_object_get(t, "value"));
    const char *cmp = jstr(t, "comparator");
    const char *unit = jstr(t, "unit");
    ev_fact f;
    fact_init(&f, json_object_get(t, "span"));
    fact_add(&f, C_EXACT, hz, NULL);
    fact_add(&f, C_EXACT, cmp, NULL);
    fact_add(&f, C_EXACT, val, NULL);
    fact_add(&f, C_TEXT, unit, NULL);
    fact_show(&f, "horizon %s %s %s %s  \"%.60s\"", hz ? hz : "null",
              cmp ? cmp : "null", val ? val : "null", unit ? unit : "null",
              jstr(t, "text") ? jstr(t, "text") : "");
    free(hz);
    free(val);
    vnp_vec_push(*out, f);
  }
}

static void collect_citations(const json_t *doc, ev_facts *out,
                              const json_t *gold) {
  (void)gold;
  size_t i;
  json_t *c;
  json_array_foreach(json_object_get(doc, "citations"), i, c) {
    const char *num = jstr(c, "number");
    const char *rel = jstr(c, "relation");
    ev_fact f;
    fact_init(&f, json_object_get(c, "span"));
    fact_add(&f, C_CODE, num, NULL);
    fact_add(&f, C_EXACT, rel, NULL);
    fact_show(&f, "%s %s (%s)", jstr(c, "type") ? jstr(c, "type") : "",
              num ? num : "null", rel ? rel : "null");
    vnp_vec_push(*out, f);
  }
}

static void collect_recipients(const json_t *doc, ev_facts *out,
                               const json_t *gold) {
  (void)gold;
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(doc, "recipients"), i, r) {
    const char *text = jstr(r, "text");
    ev_fact f;
    fact_init(&f, json_object_get(r, "span"));
    fact_add(&f, C_TEXT, text, NULL);
    fact_show(&f, "%s", text ? text : "");
    vnp_vec_push(*out, f);
  }
}

/* ---- key-by-key fields (header, signature) ---- */

static void compare_keys(const json_t *gold, const json_t *got,
                         const char *const *keys, const int *types, size_t n,
                         double thr, ev_counts *c, const char *field,
                         vnp_buf *explain) {
  for (size_t k = 0; k < n; k++) {
    /* a gold object annotates the keys it has; a null gold annotates all */
    if (json_is_object(gold) && !json_object_get(gold, keys[k]))
      continue;
    char *gv =
        json_is_object(gold) ? ev_scalar(json_object_get(gold, keys[k])) : NULL;
    char *ov =
        json_is_object(got) ? ev_scalar(json_object_get(got, keys[k])) : NULL;
    int type = types ? types[k] : C_TEXT;
    ev_fact g, o;
    fact_init(&g, NULL);
    fact_init(&o, NULL);
    fact_add(&g, type, gv, NULL);
    fact_add(&o, type, ov, NULL);
    if (gv && ov) {
      if (comp_match(&g, &o, 0, thr)) {
        c->tp++;
      } else {
        c->fp++;
        c->fn++;
        if (explain)
          vnp_buf_printf(explain, "  wrong %-10s %s: gold \"%s\" got \"%s\"\n",
                         field, keys[k], gv, ov);
      }
    } else if (gv) {
      c->fn++;
      if (explain)
        vnp_buf_printf(explain, "  miss  %-10s %s: \"%s\"\n", field, keys[k],
                       gv);
    } else if (ov) {
      c->fp++;
      if (explain)
        vnp_buf_printf(explain, "  false %-10s %s: \"%s\"\n", field, keys[k],
                       ov);
    }
    for (int a = 0; a < 2; a++) {
      free(g.val[0][a]);
      free(g.fold[0][a]);
      free(o.val[0][a]);
      free(o.fold[0][a]);
    }
    free(gv);
    free(ov);
  }
}

/* ---- comparison ---- */

void ev_compare(const json_t *gold, const json_t *got, const ev_opts *o,
                ev_score *s, vnp_buf *explain) {
  static const struct {
    int field;
    const char *key;      /* top-level gold key that annotates it */
    const char *task_key; /* ... and a key some gold task must have */
    ev_collect_fn fn;
  } LISTS[] = {
      {EV_HEADINGS, "sections", NULL, collect_headings},
      {EV_KINDS, "sections", NULL, collect_kinds},
      {EV_TASKS, "tasks", NULL, collect_tasks},
      {EV_LEADS, "tasks", "lead", collect_leads},
      {EV_PARTNERS, "tasks", "partners", collect_partners},
      {EV_DEADLINES, "tasks", "deadline", collect_deadlines},
      {EV_TARGETS, "targets", NULL, collect_targets},
      {EV_CITATIONS, "citations", NULL, collect_citations},
      {EV_RECIPIENTS, "recipients", NULL, collect_recipients},
  };
  ev_opts def = {EV_DEFAULT_SIMILARITY, 1};
  if (!o)
    o = &def;
  for (size_t l = 0; l < sizeof LISTS / sizeof LISTS[0]; l++) {
    if (!json_object_get(gold, LISTS[l].key))
      continue;
    if (LISTS[l].task_key) {
      int any = 0;
      size_t i;
      json_t *t;
      json_array_foreach(json_object_get(gold, "tasks"), i, t) {
        if (json_object_get(t, LISTS[l].task_key))
          any = 1;
      }
      if (!any)
        continue;
    }
    int f = LISTS[l].field;
    s->scored[f] = 1;
    ev_facts gf = {0}, of = {0};
    LISTS[l].fn(gold, &gf, NULL);
    LISTS[l].fn(got, &of, gold);
    match_lists(&gf, &of, o, &s->c[f], FIELD_NAMES[f], explain);
    facts_free(&gf);
    facts_free(&of);
  }
  const json_t *gd = json_object_get(gold, "document");
  if (json_is_object(gd)) {
    s->scored[EV_HEADER] = 1;
    compare_keys(gd, json_object_get(got, "document"), HEADER_KEYS,
                 HEADER_TYPES, sizeof HEADER_KEYS / sizeof HEADER_KEYS[0],
                 o->similarity, &s->c[EV_HEADER], "header", explain);
  }
  const json_t *gs = json_object_get(gold, "signature");
  if (gs) {
    s->scored[EV_SIGNATURE] = 1;
    compare_keys(gs, json_object_get(got, "signature"), SIGN_KEYS, NULL,
                 sizeof SIGN_KEYS / sizeof SIGN_KEYS[0], o->similarity,
                 &s->c[EV_SIGNATURE], "signature", explain);
  }
}

/* ---- running one gold file ---- */

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  vnp_buf b = VNP_BUF_INIT;
  char tmp[65536];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
    vnp_buf_put(&b, tmp, n);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    vnp_buf_free(&b);
    return NULL;
  }
  return vnp_buf_detach(&b, len);
}

static char *errmsg(const char *a, const char *b, const char *c) {
  vnp_buf e = VNP_BUF_INIT;
  vnp_buf_printf(&e, "%s%s%s", a, b, c);
  return vnp_buf_detach(&e, NULL);
}

int ev_run(const vnp_rules *rules, const vnp_options *popts,
           const char *gold_path, const char *source_override, const ev_opts *o,
           ev_score *s, vnp_buf *explain, char **source_out, char **err) {
  json_error_t jerr;
  *err = NULL;
  if (source_out)
    *source_out = NULL;
  json_t *gold = json_load_file(gold_path, 0, &jerr);
  if (!gold) {
    vnp_buf e = VNP_BUF_INIT;
    vnp_buf_printf(&e, "%s:%d:%d: %s", gold_path, jerr.line, jerr.column,
                   jerr.text);
    *err = vnp_buf_detach(&e, NULL);
    return -1;
  }
  if (!json_is_object(gold)) {
    *err = errmsg(gold_path, ": gold is not a JSON object", "");
    json_decref(gold);
    return -1;
  }
  char *src;
  if (source_override) {
    src = xstrdup(source_override);
  } else {
    const char *rel = jstr(json_object_get(gold, "source"), "path");
    if (!rel) {
      *err = errmsg(gold_path, ": no \"source\": {\"path\": ...}", "");
      json_decref(gold);
      return -1;
    }
    const char *slash = strrchr(gold_path, '/');
    vnp_buf p = VNP_BUF_INIT;
    if (rel[0] != '/' && slash)
      vnp_buf_put(&p, gold_path, (size_t)(slash - gold_path + 1));
    vnp_buf_puts(&p, rel);
    src = vnp_buf_detach(&p, NULL);
  }
  size_t len = 0;
  char *bytes = read_file(src, &len);
  if (!bytes) {
    *err = errmsg(src, ": cannot read source of ", gold_path);
    free(src);
    json_decref(gold);
    return -1;
  }
  vnp_options po;
  memset(&po, 0, sizeof po);
  if (popts)
    po = *popts;
  po.path = src;
  vnp_pipeline *p = vnp_pipeline_new(rules, &po);
  vnp_pipeline_feed(p, bytes, len);
  vnp_pipeline_finish(p);
  free(bytes);
  size_t jl = 0;
  char *js = vnp_pipeline_json(p, 0, &jl);
  vnp_pipeline_free(p);
  json_t *got = json_loadb(js, jl, 0, &jerr);
  vnp_free(js);
  if (!got) {
    *err = errmsg(src, ": parse output is not valid JSON: ", jerr.text);
    free(src);
    json_decref(gold);
    return -1;
  }
  ev_opts oo = o ? *o : (ev_opts){EV_DEFAULT_SIMILARITY, 1};
  oo.same_source = source_override == NULL;
  ev_compare(gold, got, &oo, s, explain);
  json_decref(got);
  json_decref(gold);
  if (source_out)
    *source_out = src;
  else
    free(src);
  return 0;
}

/* ---- gold alignments (--pairs) ---- */

/* The one file UP/PREFIX_*.txt; caller frees. NULL with *err set if there
 * is none or more than one. */
static char *pair_source(const char *up, const char *prefix, size_t plen,
                         const char *pair_path, char **err) {
  vnp_buf pat = VNP_BUF_INIT;
  vnp_buf_printf(&pat, "%s/%.*s_*.txt", up, (int)plen, prefix);
  glob_t g;
  int r = glob(pat.ptr, 0, NULL, &g);
  char *out = NULL;
  if (r == 0 && g.gl_pathc == 1)
    out = xstrdup(g.gl_pathv[0]);
  else {
    vnp_buf e = VNP_BUF_INIT;
    vnp_buf_printf(&e, "%s: %s source %s", pair_path,
                   r == 0 ? "more than one" : "no", pat.ptr);
    *err = vnp_buf_detach(&e, NULL);
  }
  if (r == 0)
    globfree(&g);
  vnp_buf_free(&pat);
  return out;
}

int ev_pair_sources(const char *pair_path, char **parent, char **child,
                    char **err) {
  *parent = *child = *err = NULL;
  const char *slash = strrchr(pair_path, '/');
  const char *base = slash ? slash + 1 : pair_path;
  size_t bl = strlen(base);
  if (bl > 4 && strcmp(base + bl - 4, ".tsv") == 0)
    bl -= 4;
  const char *dash = memchr(base, '-', bl);
  if (!dash || dash == base || dash + 1 == base + bl ||
      memchr(dash + 1, '-', (size_t)(base + bl - dash - 1))) {
    *err = errmsg(pair_path, ": not named CHILD-PARENT.tsv", "");
    return -1;
  }
  /* UP: the directory above the pair file's directory */
  vnp_buf up = VNP_BUF_INIT;
  if (!slash)
    vnp_buf_puts(&up, "..");
  else {
    const char *s2 = slash;
    while (s2 > pair_path && s2[-1] != '/')
      s2--;
    if (s2 == pair_path)
      vnp_buf_puts(&up, ".");
    else
      vnp_buf_put(&up, pair_path, (size_t)(s2 - 1 - pair_path));
    if (!up.len)
      vnp_buf_puts(&up, "/");
  }
  *child = pair_source(up.ptr, base, (size_t)(dash - base), pair_path, err);
  if (*child)
    *parent = pair_source(up.ptr, dash + 1, (size_t)(base + bl - dash - 1),
                          pair_path, err);
  vnp_buf_free(&up);
  if (!*parent) {
    free(*child);
    *child = NULL;
    return -1;
  }
  return 0;
}

int ev_pair_run(const vnp_rules *rules, const char *pair_path, ev_score *s,
                char **parent_out, char **child_out, char **err) {
  char *paths[2];
  if (parent_out)
    *parent_out = NULL;
  if (child_out)
    *child_out = NULL;
  if (ev_pair_sources(pair_path, &paths[0], &paths[1], err) != 0)
    return -1;
  size_t tl = 0;
  char *tsv = read_file(pair_path, &tl);
  int rc = -1;
  vnp_compare *c = vnp_compare_new(rules);
  if (!tsv) {
    *err = errmsg(pair_path, ": cannot read", "");
    goto done;
  }
  for (int i = 0; i < 2; i++) {
    size_t len = 0;
    char *bytes = read_file(paths[i], &len);
    if (!bytes) {
      *err = errmsg(paths[i], ": cannot read source of ", pair_path);
      goto done;
    }
    vnp_error e;
    int ar = vnp_compare_add(c, bytes, len, paths[i], &e);
    free(bytes);
    if (ar != 0) {
      vnp_buf m = VNP_BUF_INIT;
      vnp_buf_printf(&m, "%s:%u:%u: %s", paths[i], e.line, e.column, e.message);
      *err = vnp_buf_detach(&m, NULL);
      goto done;
    }
  }
  vnp_compare_run(c);
  ev_counts k = {0, 0, 0};
  long bad = cmp_gold_counts(c, 1, tsv, tl, &k.tp, &k.fp, &k.fn);
  if (bad != 0) {
    vnp_buf m = VNP_BUF_INIT;
    vnp_buf_printf(&m, "%s: %ld line%s no item of %s or %s", pair_path, bad,
                   bad == 1 ? " names" : "s name", paths[1], paths[0]);
    *err = vnp_buf_detach(&m, NULL);
    goto done;
  }
  s->c[EV_ALIGNMENT].tp += k.tp;
  s->c[EV_ALIGNMENT].fp += k.fp;
  s->c[EV_ALIGNMENT].fn += k.fn;
  s->scored[EV_ALIGNMENT] = 1;
  rc = 0;
done:
  vnp_compare_free(c);
  free(tsv);
  if (rc == 0 && parent_out)
    *parent_out = paths[0];
  else
    free(paths[0]);
  if (rc == 0 && child_out)
    *child_out = paths[1];
  else
    free(paths[1]);
  return rc;
}
