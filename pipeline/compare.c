/*
 * compare.c - `vnplan compare`: align a lower-level plan (CHILD) with the
 * plan or resolution it implements (PARENT), and check the link.
 *
 * Input:  `vnplan parse` JSON for each document (a source text is parsed
 *         with the pipeline first). The first document added is the
 *         parent; every later one is a child.
 * Output: a vnp_compare holding, per child: the alignment (links child
 *         item -> parent item with a score and the shared key phrases),
 *         coverage of each parent item, local additions, copy ratio,
 *         conflicts, missing expected parts, and the citation link.
 *         compare_render.c prints it as text, JSON or HTML.
 *
 * Items: every section or item node of the `sections` tree with text
 * (title + text + paragraphs, not its children) and every table row (its
 * cells joined). Ids are paths of numbers (II.1.a); an unnumbered bullet
 * takes its position among its siblings; an annex section's number is
 * prefixed with 'A' and a table row takes 'T' + its first cell (AII.T39).
 *
 * Similarity: Vietnamese words are runs of syllables, so an item is a bag
 * of syllable unigrams and bigrams on a match key (NFD, case-folded, marks
 * stripped, U+0111 -> 'd': tolerant of tone styles and of OCR that drops
 * diacritics). Stopwords (rules/stopwords.lst) are dropped and break
 * bigrams. Weights are (1 + ln tf) * ln(1 + N/df) with df over the items of
 * every document in the run; the score is the cosine, times
 * CMP_KIND_BONUS (capped at 1) when both items sit under sections of the
 * same kind (tasks with tasks, objectives with objectives). Structure is a
 * second hint: a child plan follows its parent's outline, so when the
 * nearest enclosing item of a child item (its section, or the group row
 * 'II.' of a table row) matches parent item X, scores against X and the
 * items below X are multiplied by CMP_CTX_BONUS. Table cells under
 * metadata headers (lead body, partners, deadline: compare-columns.lst)
 * are shown but not weighed. A long child item also scores each sentence
 * alone and links to every parent item one of them restates (many-to-one).
 *
 * Invariants: no global state; the rules are only read. Item and term
 * indexes are uint32; a run holds at most CMP_MAX_DOCS documents.
 *
 * Limits and tricky cases: JSON that is not a parse result is an error
 * (VNP_EINPUT); missing keys are treated as empty. Folding merges words
 * that differ only by marks (doi: change / team); bigrams limit the harm.
 * Numbers of documents compare on a folded key (57-NQ/TW = 57-nq/tw), and
 * a citation with a different date is a different document.
 */
#include "compare.h"

#include <jansson.h>

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* A syllable: its match key in a scratch buffer and its original bytes. */
typedef struct cmp_tok {
  uint32_t fs, fl; /* folded bytes in the scratch buffer */
  uint32_t os, oe; /* original bytes */
  int stop;
} cmp_tok;

typedef struct cmp_toks {
  cmp_tok *v;
  size_t n, cap;
} cmp_toks;

/* a child item's syllables with their term ids, for cmp_evidence */
typedef struct cmp_ev {
  cmp_toks toks;
  int64_t *uid, *bid; /* term of the syllable, of the bigram it starts */
} cmp_ev;

/* inverted index over the parent's items and sentences (cmp_align) */
typedef struct cmp_unit {
  uint32_t item; /* parent item */
  double f;      /* 1 for the whole item, CMP_SENT_FACTOR for a sentence */
  double norm;
} cmp_unit;

typedef struct cmp_post {
  uint32_t unit;
  float w;
} cmp_post;

typedef struct cmp_index {
  uint32_t *off; /* postings of term id: post[off[id] .. off[id + 1]) */
  size_t nterm;
  cmp_post *post;
  cmp_unit *unit;
  size_t nunit;
  double *acc;       /* per unit: dot product so far (0 between calls) */
  uint32_t *touched; /* units with a nonzero acc */
} cmp_index;

/* ---- prototypes ---- */

/* folding and terms */
static uint64_t cmp_hash(const char *s, size_t n);
static uint32_t cmp_dict_add(vnp_compare *c, const char *key, size_t klen,
                             const char *surf, size_t slen);
static int cmp_is_stop(const vnp_compare *c, uint64_t h);
static void cmp_load_lists(vnp_compare *c);
static void cmp_item_terms(vnp_compare *c, cmp_item *it);
static double cmp_weigh(vnp_compare *c, cmp_term *t, size_t n, size_t N);
static int cmp_term_cmp(const void *a, const void *b);
static cmp_term *cmp_bag(vnp_compare *c, const char *s, size_t len, int bigrams,
                         size_t *n, size_t *ncontent);
static cmp_term *cmp_bag_toks(vnp_compare *c, const char *s,
                              const cmp_toks *toks, const vnp_buf *f,
                              size_t from, size_t to, int bigrams, size_t *n,
                              size_t *ncontent, vnp_buf *key);
static int cmp_u64(const void *a, const void *b);
static int cmp_blank(const char *s, size_t n);
static void cmp_tokenize(const vnp_compare *c, const char *s, size_t len,
                         cmp_toks *toks, vnp_buf *f);
static int64_t cmp_dict_find(const vnp_compare *c, const char *key,
                             size_t klen);
static double cmp_weight_of(const cmp_item *it, uint32_t id);

/* reading JSON */
static const char *jstr(json_t *o, const char *key);
static long jint(json_t *o, const char *key);
static void jspan(json_t *span, long *s, long *e, long *line);
static void cmp_walk(const vnp_compare *c, cmp_doc *d, json_t *nodes,
                     const char *prefix, const char *kind, int up, int top,
                     int depth);
static uint32_t cmp_meta_columns(const vnp_compare *c, json_t *header);
static void cmp_add_item(cmp_doc *d, const char *id, const char *text,
                         char *own, const char *kind, int up, int top,
                         int depth, long s, long e, long line);
static void cmp_read_extracted(cmp_doc *d);
static int cmp_doc_load(vnp_compare *c, cmp_doc *d, const char *json,
                        size_t len, vnp_error *err);
static void cmp_bodies(json_t *arr, cmp_body **out, size_t *n);
static int cmp_item_at(cmp_doc *d, long s);

/* analysis */
static void cmp_align(vnp_compare *c, cmp_doc *p, cmp_doc *ch);
static void cmp_copy_ratio(vnp_compare *c, cmp_doc *p, cmp_doc *ch);
static void cmp_check_link(vnp_compare *c, size_t child);
static void cmp_conflicts(vnp_compare *c, cmp_doc *p, cmp_doc *ch);
static void cmp_missing(vnp_compare *c, cmp_doc *ch);
static void cmp_add_conflict(cmp_doc *ch, const char *type, cmp_doc *p, int ci,
                             int pi, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int cmp_same_number(const char *a, const char *b);
static int cmp_text_has(const vnp_compare *c, const char *hay,
                        const char *needle_folded);
static int cmp_link_by_score(const void *a, const void *b);
static void cmp_ev_prep(vnp_compare *c, const cmp_item *a, cmp_ev *ev);
static void cmp_ev_free(cmp_ev *ev);
static void cmp_evidence(const cmp_ev *ev, const cmp_item *a, const cmp_item *b,
                         cmp_link *l);
static int cmp_kind_group(const char *k);
static void cmp_index_build(const vnp_compare *c, const cmp_doc *p,
                            cmp_index *ix);
static void cmp_index_scores(cmp_index *ix, const cmp_term *t, size_t n,
                             double norm, double *out);
static void cmp_index_free(cmp_index *ix);
static int cmp_under(const cmp_doc *d, int x, int top);
static int cmp_outer(const cmp_doc *d, int i);
static void cmp_shingle(cmp_fold_ent *cache, const char *s, size_t len,
                        uint64_t *tmp, void (*emit)(void *, uint64_t, size_t),
                        void *ctx, size_t item);
static void cmp_emit_set(void *ctx, uint64_t h, size_t item);
static void cmp_emit_count(void *ctx, uint64_t h, size_t item);
static int cmp_cites_doc(const cmp_doc *d, const cmp_doc *t, int *datebad);
static char *cmp_fmt(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static int cmp_dir(const char *cmp, int *strength);
static void cmp_target_key(vnp_compare *c, cmp_doc *d, cmp_target *t);

/* ---- folding ---- */

/* The match key of one code point into out (at most 8 code points). */
static void cmp_fold_cp(utf8proc_int32_t cp, vnp_buf *out) {
  utf8proc_int32_t dst[8];
  int bound = 0;
  utf8proc_ssize_t m = utf8proc_decompose_char(
      cp, dst, 8, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
      &bound);
  for (utf8proc_ssize_t j = 0; j < m && j < 8; j++) {
    utf8proc_int32_t f = dst[j];
    if (f == 0x111 || f == 0x110)
      f = 'd';
    uint8_t enc[4];
    utf8proc_ssize_t el = utf8proc_encode_char(f, enc);
    vnp_buf_put(out, enc, (size_t)el);
  }
}

/* Appends the match key of s[0..len) to `out`: NFD, case-folded, marks
 * stripped, U+0111 as 'd'. Returns the number of bytes appended. `cache`
 * (CMP_FOLD_CACHE entries, zeroed, or NULL) keeps the keys of the code
 * points below CMP_FOLD_CACHE met so far: Vietnamese letters are in Latin-1,
 * Latin Extended-A/B and Latin Extended Additional (U+1E00..U+1EFF). */
size_t cmp_fold_cached(cmp_fold_ent *cache, const char *s, size_t len,
                       vnp_buf *out) {
  size_t before = out->len;
  size_t i = 0;
  while (i < len) {
    /* ASCII: case folding is all there is to do */
    size_t a = i;
    while (a < len && (unsigned char)s[a] < 0x80)
      a++;
    if (a > i) {
      vnp_buf_grow(out, a - i);
      for (; i < a; i++)
        out->ptr[out->len++] =
            s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
      out->ptr[out->len] = 0;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &cp);
    if (k <= 0) {
      i++;
      continue;
    }
    i += (size_t)k;
    if (!cache || cp >= CMP_FOLD_CACHE) {
      cmp_fold_cp(cp, out);
      continue;
    }
    cmp_fold_ent *e = &cache[cp];
    if (!e->n) {
      size_t at = out->len;
      cmp_fold_cp(cp, out);
      size_t n = out->len - at;
      if (n < sizeof e->s) {
        memcpy(e->s, out->ptr + at, n);
        e->n = (uint8_t)(n + 1);
      }
      continue;
    }
    vnp_buf_put(out, e->s, (size_t)e->n - 1);
  }
  return out->len - before;
}

size_t cmp_fold(const char *s, size_t len, vnp_buf *out) {
  return cmp_fold_cached(NULL, s, len, out);
}

static uint64_t cmp_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

static uint32_t cmp_dict_add(vnp_compare *c, const char *key, size_t klen,
                             const char *surf, size_t slen) {
  uint64_t h = cmp_hash(key, klen);
  if (c->terms.n * 2 >= c->nslots) {
    size_t ns = c->nslots ? c->nslots * 2 : 4096;
    uint32_t *sl = xmalloc(ns * sizeof *sl);
    memset(sl, 0xff, ns * sizeof *sl);
    for (size_t t = 0; t < c->terms.n; t++) {
      size_t j = c->terms.v[t].h & (ns - 1);
      while (sl[j] != UINT32_MAX)
        j = (j + 1) & (ns - 1);
      sl[j] = (uint32_t)t;
    }
    free(c->slots);
    c->slots = sl;
    c->nslots = ns;
  }
  size_t j = h & (c->nslots - 1);
  while (c->slots[j] != UINT32_MAX) {
    cmp_dict_entry *e = &c->terms.v[c->slots[j]];
    if (e->h == h && e->keylen == klen &&
        memcmp(c->keys.ptr + e->key, key, klen) == 0)
      return c->slots[j];
    j = (j + 1) & (c->nslots - 1);
  }
  cmp_dict_entry e = {h, (uint32_t)c->keys.len, (uint32_t)klen, 0, 0, 0};
  vnp_buf_put(&c->keys, key, klen);
  e.surf = (uint32_t)c->keys.len;
  e.surflen = (uint32_t)slen;
  vnp_buf_put(&c->keys, surf, slen);
  c->slots[j] = (uint32_t)c->terms.n;
  vnp_vec_push(c->terms, e);
  return (uint32_t)(c->terms.n - 1);
}

static int64_t cmp_dict_find(const vnp_compare *c, const char *key,
                             size_t klen) {
  if (!c->nslots)
    return -1;
  uint64_t h = cmp_hash(key, klen);
  for (size_t j = h & (c->nslots - 1); c->slots[j] != UINT32_MAX;
       j = (j + 1) & (c->nslots - 1)) {
    const cmp_dict_entry *e = &c->terms.v[c->slots[j]];
    if (e->h == h && e->keylen == klen &&
        memcmp(c->keys.ptr + e->key, key, klen) == 0)
      return c->slots[j];
  }
  return -1;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static int cmp_is_stop(const vnp_compare *c, uint64_t h) {
  return c->nstop && bsearch(&h, c->stop, c->nstop, sizeof h, cmp_u64) != NULL;
}

/* Stopwords (stopwords.lst) as hashes of their match keys; reporting
 * phrases (compare-report.lst) as match keys. */
static void cmp_load_lists(vnp_compare *c) {
  vnp_buf b;
  vnp_buf_init(&b);
  const rule_list *l = c->rules ? rules_list(c->rules, "stopwords") : NULL;
  if (l) {
    c->stop = xmalloc((l->n + 1) * sizeof *c->stop);
    for (size_t i = 0; i < l->n; i++) {
      vnp_buf_clear(&b);
      cmp_fold(l->items[i], strlen(l->items[i]), &b);
      c->stop[c->nstop++] = cmp_hash(b.ptr, b.len);
    }
    qsort(c->stop, c->nstop, sizeof *c->stop, cmp_u64);
  }
  l = c->rules ? rules_list(c->rules, "compare-columns") : NULL;
  for (size_t i = 0; l && i < l->n; i++) {
    vnp_buf_clear(&b);
    cmp_fold(l->items[i], strlen(l->items[i]), &b);
    vnp_vec_push(c->meta_cols, xstrndup(b.ptr, b.len));
  }
  l = c->rules ? rules_list(c->rules, "compare-report") : NULL;
  for (size_t i = 0; l && i < l->n; i++) {
    vnp_buf_clear(&b);
    cmp_fold(l->items[i], strlen(l->items[i]), &b);
    vnp_vec_push(c->report_words, xstrndup(b.ptr, b.len));
  }
  vnp_buf_free(&b);
}

/* Only blanks between two syllables: a bigram does not cross punctuation. */
static int cmp_blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
      return 0;
  return 1;
}

static int cmp_term_cmp(const void *a, const void *b) {
  const cmp_term *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Splits s into syllables (runs of letters, marks and digits) with their
 * match keys appended to f. */
static void cmp_tokenize(const vnp_compare *c, const char *s, size_t len,
                         cmp_toks *toks, vnp_buf *f) {
  size_t i = 0;
  long tstart = -1;
  while (i <= len) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t k = 1;
    int word = 0;
    if (i < len) {
      k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                           (utf8proc_ssize_t)(len - i), &cp);
      if (k <= 0)
        k = 1;
      else {
        utf8proc_category_t cat = utf8proc_category(cp);
        word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ND);
      }
    }
    if (word && tstart < 0)
      tstart = (long)i;
    if (!word && tstart >= 0) {
      cmp_tok t;
      t.fs = (uint32_t)f->len;
      t.fl =
          (uint32_t)cmp_fold_cached(c->fold, s + tstart, i - (size_t)tstart, f);
      t.os = (uint32_t)tstart;
      t.oe = (uint32_t)i;
      t.stop = cmp_is_stop(c, cmp_hash(f->ptr + t.fs, t.fl));
      vnp_vec_push(*toks, t);
      tstart = -1;
    }
    i += (size_t)k;
  }
}

/* The sorted bag of unigram (+ bigram) term ids with counts of the tokens
 * [from, to) of s (tokenized by cmp_tokenize into toks and f). */
static cmp_term *cmp_bag_toks(vnp_compare *c, const char *s,
                              const cmp_toks *toks, const vnp_buf *f,
                              size_t from, size_t to, int bigrams, size_t *n,
                              size_t *ncontent, vnp_buf *key) {
  VNP_VEC(cmp_term) out = {0};
  size_t content = 0;
  for (size_t t = from; t < to; t++) {
    const cmp_tok *a = &toks->v[t];
    if (!a->stop) {
      content++;
      cmp_term x = {
          cmp_dict_add(c, f->ptr + a->fs, a->fl, s + a->os, a->oe - a->os), 1};
      vnp_vec_push(out, x);
    }
    if (bigrams && t + 1 < to && !a->stop && !toks->v[t + 1].stop &&
        cmp_blank(s + a->oe, toks->v[t + 1].os - a->oe)) {
      const cmp_tok *b = &toks->v[t + 1];
      vnp_buf_clear(key);
      vnp_buf_put(key, f->ptr + a->fs, a->fl);
      vnp_buf_putc(key, ' ');
      vnp_buf_put(key, f->ptr + b->fs, b->fl);
      if (cmp_is_stop(c, cmp_hash(key->ptr, key->len)))
        continue;
      cmp_term x = {
          cmp_dict_add(c, key->ptr, key->len, s + a->os, b->oe - a->os), 1};
      vnp_vec_push(out, x);
    }
  }
  if (out.n)
    qsort(out.v, out.n, sizeof *out.v, cmp_term_cmp);
  size_t m = 0;
  for (size_t t = 0; t < out.n; t++) {
    if (m && out.v[m - 1].id == out.v[t].id)
      out.v[m - 1].w += 1;
    else
      out.v[m++] = out.v[t];
  }
  *n = m;
  if (ncontent)
    *ncontent = content;
  return out.v;
}

/* Splits s into syllables, folds them, and returns the sorted bag of
 * unigram (+ bigram) term ids with counts. */
static cmp_term *cmp_bag(vnp_compare *c, const char *s, size_t len, int bigrams,
                         size_t *n, size_t *ncontent) {
  cmp_toks toks = {0};
  vnp_buf f, key;
  vnp_buf_init(&f);
  vnp_buf_init(&key);
  cmp_tokenize(c, s, len, &toks, &f);
  cmp_term *r =
      cmp_bag_toks(c, s, &toks, &f, 0, toks.n, bigrams, n, ncontent, &key);
  vnp_vec_free(toks);
  vnp_buf_free(&f);
  vnp_buf_free(&key);
  return r;
}

static void cmp_item_terms(vnp_compare *c, cmp_item *it) {
  const char *text = it->sim ? it->sim : it->text;
  cmp_toks toks = {0};
  vnp_buf f, key;
  vnp_buf_init(&f);
  vnp_buf_init(&key);
  cmp_tokenize(c, text, strlen(text), &toks, &f);
  it->terms = cmp_bag_toks(c, text, &toks, &f, 0, toks.n, 1, &it->nterms,
                           &it->ncontent, &key);
  /* a heading over items of its own is covered through them */
  if (it->heading && it->ncontent < CMP_HEADING_TERMS)
    it->ncontent = 0;
  for (size_t t = 0; t < it->nterms; t++)
    c->terms.v[it->terms[t].id].df++;
  /* sentences (ends: . ; : before a blank): a long parent paragraph often
   * holds one sentence per task of the child; the bags of their tokens */
  const char *x = text;
  size_t from = 0;
  VNP_VEC(cmp_sent) ss = {0};
  for (;; x++) {
    int end = !*x || ((*x == '.' || *x == ';' || *x == ':') &&
                      (x[1] == ' ' || x[1] == 0));
    if (!end)
      continue;
    size_t to = from;
    while (to < toks.n && toks.v[to].os < (uint32_t)(x - text))
      to++;
    size_t nc;
    cmp_sent se = {NULL, 0, 0};
    se.terms =
        cmp_bag_toks(c, text, &toks, &f, from, to, 1, &se.nterms, &nc, &key);
    if (nc >= CMP_SENT_TERMS)
      vnp_vec_push(ss, se);
    else
      free(se.terms);
    from = to;
    if (!*x)
      break;
  }
  if (ss.n >= 2) {
    it->sents = ss.v;
    it->nsents = ss.n;
  } else {
    for (size_t i = 0; i < ss.n; i++)
      free(ss.v[i].terms);
    vnp_vec_free(ss);
  }
  vnp_vec_free(toks);
  vnp_buf_free(&f);
  vnp_buf_free(&key);
}

static double cmp_weigh(vnp_compare *c, cmp_term *t, size_t n, size_t N) {
  double nn = 0;
  for (size_t i = 0; i < n; i++) {
    double df = c->terms.v[t[i].id].df;
    if (df < 1)
      df = 1;
    double w = (1 + log(t[i].w)) * log(1 + (double)N / df);
    t[i].w = (float)w;
    nn += w * w;
  }
  return sqrt(nn);
}

double cmp_cosine(const cmp_term *a, size_t na, double norma, const cmp_term *b,
                  size_t nb, double normb) {
  if (norma <= 0 || normb <= 0)
    return 0;
  double dot = 0;
  size_t i = 0, j = 0;
  while (i < na && j < nb) {
    if (a[i].id < b[j].id)
      i++;
    else if (a[i].id > b[j].id)
      j++;
    else
      dot += (double)a[i++].w * b[j++].w;
  }
  return dot / (norma * normb);
}

/* ---- reading the parse JSON ---- */

static const char *jstr(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

static long jint(json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

static void jspan(json_t *span, long *s, long *e, long *line) {
  *s = *e = -1;
  *line = 0;
  if (!json_is_object(span))
    return;
  *s = jint(span, "start");
  *e = jint(span, "end");
  *line = jint(span, "line");
}

static void cmp_add_item(cmp_doc *d, const char *id, const char *text,
                         char *own, const char *kind, int up, int top,
                         int depth, long s, long e, long line) {
  cmp_item it;
  memset(&it, 0, sizeof it);
  /* ids unique within the document: a repeated path gets ~2, ~3, ... */
  if (d->items.n * 2 >= d->nidslots) {
    size_t ns = d->nidslots ? d->nidslots * 2 : 256;
    uint32_t *sl = xcalloc(ns, sizeof *sl);
    for (size_t i = 0; i < d->items.n; i++) {
      const char *x = d->items.v[i].id;
      size_t j = cmp_hash(x, strlen(x)) & (ns - 1);
      while (sl[j])
        j = (j + 1) & (ns - 1);
      sl[j] = (uint32_t)i + 1;
    }
    free(d->idslots);
    d->idslots = sl;
    d->nidslots = ns;
  }
  char buf[256];
  snprintf(buf, sizeof buf, "%s", id);
  size_t j;
  for (int k = 2;; k++) {
    int dup = 0;
    j = cmp_hash(buf, strlen(buf)) & (d->nidslots - 1);
    for (; d->idslots[j] && !dup; j = (j + 1) & (d->nidslots - 1))
      dup = strcmp(d->items.v[d->idslots[j] - 1].id, buf) == 0;
    if (!dup)
      break;
    snprintf(buf, sizeof buf, "%s~%d", id, k);
  }
  d->idslots[j] = (uint32_t)d->items.n + 1;
  it.id = xstrdup(buf);
  it.text = text ? text : "";
  it.own = own;
  it.kind = kind;
  it.up = up;
  it.top = top < 0 ? (int)d->items.n : top;
  it.depth = depth;
  it.start = s;
  it.end = e;
  it.line = line;
  it.task = -1;
  it.group = -1;
  it.kgroup = cmp_kind_group(kind);
  it.best_item = -1;
  vnp_vec_push(d->items, it);
}

/* Bit k set: column k of a table holds metadata (lead body, partners,
 * deadline, unit: rules/compare-columns.lst), not the item's topic. */
static uint32_t cmp_meta_columns(const vnp_compare *c, json_t *header) {
  uint32_t m = 0;
  vnp_buf f;
  vnp_buf_init(&f);
  size_t k;
  json_t *h;
  json_array_foreach(header, k, h) {
    const char *t = json_string_value(h);
    if (!t || k >= 32)
      continue;
    vnp_buf_clear(&f);
    cmp_fold(t, strlen(t), &f);
    for (size_t w = 0; w < c->meta_cols.n; w++) {
      size_t wl = strlen(c->meta_cols.v[w]);
      if (f.len >= wl && memcmp(f.ptr, c->meta_cols.v[w], wl) == 0 &&
          (f.len == wl || !isalnum((unsigned char)f.ptr[wl]))) {
        m |= (uint32_t)1 << k;
        break;
      }
    }
  }
  vnp_buf_free(&f);
  return m;
}

static void cmp_walk(const vnp_compare *c, cmp_doc *d, json_t *nodes,
                     const char *prefix, const char *kind, int up, int top,
                     int depth) {
  if (!json_is_array(nodes) || depth > CMP_MAX_DEPTH)
    return;
  size_t idx;
  json_t *n;
  int pos = 0;
  json_array_foreach(nodes, idx, n) {
    const char *type = jstr(n, "type");
    if (!type)
      continue;
    char id[256];
    if (strcmp(type, "table") == 0) {
      json_t *rows = json_object_get(n, "rows");
      size_t ri;
      json_t *row;
      int group = -1;
      uint32_t meta = cmp_meta_columns(c, json_object_get(n, "header"));
      json_array_foreach(rows, ri, row) {
        json_t *cells = json_object_get(row, "cells");
        vnp_buf b, sim;
        vnp_buf_init(&b);
        vnp_buf_init(&sim);
        size_t ci;
        json_t *cell;
        const char *first = NULL;
        json_array_foreach(cells, ci, cell) {
          const char *t = json_string_value(cell);
          if (!t || !*t)
            continue;
          if (ci == 0)
            first = t;
          if (b.len)
            vnp_buf_puts(&b, " | ");
          vnp_buf_puts(&b, t);
          if (ci < 32 && (meta >> ci) & 1)
            continue;
          if (sim.len)
            vnp_buf_puts(&sim, " | ");
          vnp_buf_puts(&sim, t);
        }
        char seg[32];
        size_t fl = first ? strlen(first) : 0;
        while (fl && (first[fl - 1] == '.' || first[fl - 1] == ' '))
          fl--;
        if (first && fl && fl < 8 && !strchr(first, ' '))
          snprintf(seg, sizeof seg, "T%.*s", (int)fl, first);
        else
          snprintf(seg, sizeof seg, "r%zu", ri + 1);
        snprintf(id, sizeof id, "%s%s%s", prefix, *prefix ? "." : "", seg);
        long s, e, line;
        jspan(json_object_get(row, "span"), &s, &e, &line);
        char *own = vnp_buf_detach(&b, NULL);
        cmp_add_item(d, id, own, own, kind, up, top, depth, s, e, line);
        if (meta && sim.len)
          d->items.v[d->items.n - 1].sim = vnp_buf_detach(&sim, NULL);
        vnp_buf_free(&sim);
        /* a row numbered I, II, ... heads the rows below it */
        if (first && fl && strspn(first, "IVXLC") == fl)
          group = (int)d->items.n - 1;
        else
          d->items.v[d->items.n - 1].group = group;
      }
      continue;
    }
    pos++;
    const char *num = jstr(n, "number");
    const char *nkind = jstr(n, "kind");
    const char *k = nkind ? nkind : kind;
    char seg[64];
    if (num && strchr(num, '.') && *prefix) {
      /* 2.1 under 2: the number is a path of its own below the top */
      size_t tl = strcspn(prefix, ".");
      snprintf(id, sizeof id, "%.*s.%s", (int)tl, prefix, num);
      seg[0] = 0;
    } else if (num && *num)
      snprintf(seg, sizeof seg, "%s%s",
               nkind && strcmp(nkind, "annex") == 0 ? "A" : "", num);
    else
      snprintf(seg, sizeof seg, "%d", pos);
    if (seg[0])
      snprintf(id, sizeof id, "%s%s%s", prefix, *prefix ? "." : "", seg);
    vnp_buf b;
    vnp_buf_init(&b);
    const char *title = jstr(n, "title"), *text = jstr(n, "text");
    if (title)
      vnp_buf_puts(&b, title);
    if (text) {
      if (b.len)
        vnp_buf_putc(&b, ' ');
      vnp_buf_puts(&b, text);
    }
    long s, e, line;
    jspan(json_object_get(n, "span"), &s, &e, &line);
    json_t *paras = json_object_get(n, "paragraphs");
    size_t pi;
    json_t *p;
    json_array_foreach(paras, pi, p) {
      const char *t = jstr(p, "text");
      if (!t)
        continue;
      if (b.len)
        vnp_buf_putc(&b, ' ');
      vnp_buf_puts(&b, t);
      long ps, pe, pl;
      jspan(json_object_get(p, "span"), &ps, &pe, &pl);
      if (pe > e)
        e = pe;
    }
    char *own = vnp_buf_detach(&b, NULL);
    cmp_add_item(d, id, own, own, k, up, top, depth, s, e, line);
    int me = (int)d->items.n - 1;
    d->items.v[me].heading =
        json_array_size(json_object_get(n, "children")) > 0;
    cmp_walk(c, d, json_object_get(n, "children"), d->items.v[me].id, k, me,
             top < 0 ? me : top, depth + 1);
  }
}

static void cmp_bodies(json_t *arr, cmp_body **out, size_t *n) {
  *n = json_array_size(arr);
  *out = *n ? xcalloc(*n, sizeof **out) : NULL;
  for (size_t i = 0; i < *n; i++) {
    json_t *b = json_array_get(arr, i);
    (*out)[i].name = jstr(b, "name") ? jstr(b, "name") : jstr(b, "text");
    (*out)[i].type = jstr(b, "type");
    (*out)[i].level = jstr(b, "level");
  }
}

/* The smallest item whose span holds `s` (-1: none). */
static int cmp_item_at(cmp_doc *d, long s) {
  if (!d->bystart) {
    d->bystart = xmalloc((d->items.n + 1) * sizeof *d->bystart);
    for (size_t i = 0; i < d->items.n; i++)
      if (d->items.v[i].start >= 0)
        d->bystart[d->nbystart++] = (int)i;
    /* document order is start order but for odd spans: sort to be sure */
    for (size_t i = 1; i < d->nbystart; i++) {
      int x = d->bystart[i];
      size_t k = i;
      while (k > 0 && d->items.v[d->bystart[k - 1]].start > d->items.v[x].start)
        d->bystart[k] = d->bystart[k - 1], k--;
      d->bystart[k] = x;
    }
  }
  /* the last item starting at or before s, else one of its ancestors */
  size_t lo = 0, hi = d->nbystart;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (d->items.v[d->bystart[mid]].start <= s)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0)
    return -1;
  for (int x = d->bystart[lo - 1]; x >= 0; x = d->items.v[x].up) {
    const cmp_item *it = &d->items.v[x];
    if (it->start >= 0 && s >= it->start && s < it->end)
      return x;
  }
  return -1;
}

/* tasks, targets and citations from the extraction stage, when present */
static void cmp_read_extracted(cmp_doc *d) {
  size_t i;
  json_t *o;
  json_array_foreach(json_object_get(d->root, "tasks"), i, o) {
    cmp_task t;
    memset(&t, 0, sizeof t);
    t.id = jstr(o, "id");
    t.text = jstr(o, "text");
    jspan(json_object_get(o, "span"), &t.start, &t.end, &t.line);
    cmp_bodies(json_object_get(o, "lead"), &t.lead, &t.nlead);
    t.report = json_array_size(json_object_get(o, "report_to")) > 0;
    size_t di;
    json_t *dl;
    json_array_foreach(json_object_get(o, "deadline"), di, dl) {
      const char *e = jstr(dl, "end");
      if (!e)
        e = jstr(dl, "start");
      if (e && strlen(e) == 10 && strcmp(e, t.end_date) > 0) {
        memcpy(t.end_date, e, 11);
        t.deadline_text = jstr(dl, "text");
      }
    }
    t.item = cmp_item_at(d, t.start);
    if (t.item >= 0 && d->items.v[t.item].task < 0)
      d->items.v[t.item].task = (int)d->tasks.n;
    vnp_vec_push(d->tasks, t);
  }
  json_array_foreach(json_object_get(d->root, "targets"), i, o) {
    cmp_target t;
    memset(&t, 0, sizeof t);
    json_t *h = json_object_get(o, "horizon");
    t.horizon = json_is_integer(h) ? (long)json_integer_value(h) : 0;
    t.indicator = jstr(o, "indicator");
    t.comparator = jstr(o, "comparator");
    t.unit = jstr(o, "unit");
    t.text = jstr(o, "text");
    json_t *v = json_object_get(o, "value");
    if (!json_is_number(v))
      continue;
    t.value = json_number_value(v);
    jspan(json_object_get(o, "span"), &t.start, &t.end, &t.line);
    t.item = cmp_item_at(d, t.start);
    vnp_vec_push(d->targets, t);
  }
  json_array_foreach(json_object_get(d->root, "citations"), i, o) {
    cmp_cite t;
    memset(&t, 0, sizeof t);
    t.type = jstr(o, "type");
    t.number = jstr(o, "number");
    t.date = jstr(o, "date");
    t.issuer = jstr(o, "issuer");
    t.relation = jstr(o, "relation");
    jspan(json_object_get(o, "span"), &t.start, &t.end, &t.line);
    if (t.number)
      vnp_vec_push(d->cites, t);
  }
}

static int cmp_doc_load(vnp_compare *c, cmp_doc *d, const char *json,
                        size_t len, vnp_error *err) {
  json_error_t je;
  d->root = json_loadb(json, len, 0, &je);
  if (!d->root || !json_is_object(d->root) ||
      !json_is_array(json_object_get(d->root, "sections"))) {
    if (err) {
      err->code = VNP_EINPUT;
      err->line = d->root ? 0 : (unsigned)je.line;
      err->column = d->root ? 0 : (unsigned)je.column;
      snprintf(err->message, sizeof err->message, "%s",
               d->root ? "not a vnplan parse result (no \"sections\")"
                       : je.text);
    }
    json_decref(d->root);
    d->root = NULL;
    return VNP_EINPUT;
  }
  json_t *doc = json_object_get(d->root, "document");
  d->number = jstr(doc, "number");
  d->date = jstr(doc, "date");
  d->issuer = jstr(doc, "issuer");
  d->type = jstr(doc, "type");
  d->title = jstr(doc, "title");
  cmp_walk(c, d, json_object_get(d->root, "sections"), "", NULL, -1, -1, 0);
  cmp_read_extracted(d);
  for (size_t i = 0; i < d->items.n; i++)
    cmp_item_terms(c, &d->items.v[i]);
  d->link_cite = d->link_via = -1;
  return 0;
}

/* ---- public API ---- */

vnp_compare *vnp_compare_new(const vnp_rules *rules) {
  vnp_compare *c = xcalloc(1, sizeof *c);
  c->rules = rules;
  c->fold = xcalloc(CMP_FOLD_CACHE, sizeof *c->fold);
  vnp_buf_init(&c->keys);
  cmp_load_lists(c);
  return c;
}

int vnp_compare_add(vnp_compare *c, const char *buf, size_t len,
                    const char *path, vnp_error *err) {
  if (err)
    memset(err, 0, sizeof *err);
  if (c->ndocs >= CMP_MAX_DOCS || c->ran) {
    if (err) {
      err->code = VNP_EUSAGE;
      snprintf(err->message, sizeof err->message, "%s",
               c->ran ? "documents added after vnp_compare_run"
                      : "too many documents");
    }
    return VNP_EUSAGE;
  }
  if (err && path)
    snprintf(err->path, sizeof err->path, "%s", path);
  size_t i = 0;
  while (i < len &&
         (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
    i++;
  cmp_doc *d = &c->docs[c->ndocs];
  memset(d, 0, sizeof *d);
  int rc;
  if (i < len && buf[i] == '{') {
    rc = cmp_doc_load(c, d, buf, len, err);
  } else {
    if (!c->rules) {
      if (err) {
        err->code = VNP_EUSAGE;
        snprintf(err->message, sizeof err->message, "%s",
                 "source text needs rules to be parsed");
      }
      return VNP_EUSAGE;
    }
    vnp_options o;
    memset(&o, 0, sizeof o);
    o.path = path;
    vnp_pipeline *p = vnp_pipeline_new(c->rules, &o);
    vnp_pipeline_feed(p, buf, len);
    vnp_pipeline_finish(p);
    size_t jl;
    char *js = vnp_pipeline_json(p, 0, &jl);
    vnp_pipeline_free(p);
    rc = cmp_doc_load(c, d, js, jl, err);
    free(js);
  }
  if (rc != 0)
    return rc;
  d->path = xstrdup(path ? path : "-");
  c->ndocs++;
  return 0;
}

int vnp_compare_run(vnp_compare *c) {
  if (c->ndocs < 2 || c->ran)
    return VNP_EUSAGE;
  c->ran = 1;
  /* tf-idf weights over every item of every document */
  size_t N = 0;
  for (size_t k = 0; k < c->ndocs; k++)
    N += c->docs[k].items.n;
  for (size_t k = 0; k < c->ndocs; k++) {
    cmp_doc *d = &c->docs[k];
    for (size_t i = 0; i < d->items.n; i++) {
      cmp_item *it = &d->items.v[i];
      it->norm = cmp_weigh(c, it->terms, it->nterms, N);
      for (size_t j = 0; j < it->nsents; j++)
        it->sents[j].norm =
            cmp_weigh(c, it->sents[j].terms, it->sents[j].nterms, N);
    }
  }
  cmp_doc *p = &c->docs[0];
  for (size_t k = 1; k < c->ndocs; k++) {
    cmp_align(c, p, &c->docs[k]);
    cmp_copy_ratio(c, p, &c->docs[k]);
    cmp_conflicts(c, p, &c->docs[k]);
    cmp_missing(c, &c->docs[k]);
  }
  for (size_t k = 1; k < c->ndocs; k++)
    cmp_check_link(c, k);
  return 0;
}

/* ---- alignment ---- */

static int cmp_link_by_score(const void *a, const void *b) {
  const cmp_link *x = a, *y = b;
  return x->score < y->score ? 1 : x->score > y->score ? -1 : 0;
}

/* The weight of term `id` in an item, 0 if absent. */
static double cmp_weight_of(const cmp_item *it, uint32_t id) {
  size_t lo = 0, hi = it->nterms;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (it->terms[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < it->nterms && it->terms[lo].id == id ? it->terms[lo].w : 0;
}

/* The syllables of a child item with the term ids of each syllable and of
 * the bigram it starts (-1: none), for the evidence of its links. */
static void cmp_ev_prep(vnp_compare *c, const cmp_item *a, cmp_ev *ev) {
  vnp_buf f, key;
  vnp_buf_init(&f);
  vnp_buf_init(&key);
  memset(ev, 0, sizeof *ev);
  const char *s = a->text;
  cmp_tokenize(c, s, strlen(s), &ev->toks, &f);
  size_t n = ev->toks.n;
  ev->uid = xmalloc((n + 1) * sizeof *ev->uid);
  ev->bid = xmalloc((n + 1) * sizeof *ev->bid);
  for (size_t t = 0; t < n; t++) {
    cmp_tok *x = &ev->toks.v[t];
    ev->uid[t] = ev->bid[t] = -1;
    if (x->stop)
      continue;
    ev->uid[t] = cmp_dict_find(c, f.ptr + x->fs, x->fl);
    if (t + 1 >= n || ev->toks.v[t + 1].stop ||
        !cmp_blank(s + x->oe, ev->toks.v[t + 1].os - x->oe))
      continue;
    vnp_buf_clear(&key);
    vnp_buf_put(&key, f.ptr + x->fs, x->fl);
    vnp_buf_putc(&key, ' ');
    vnp_buf_put(&key, f.ptr + ev->toks.v[t + 1].fs, ev->toks.v[t + 1].fl);
    ev->bid[t] = cmp_dict_find(c, key.ptr, key.len);
  }
  vnp_buf_free(&f);
  vnp_buf_free(&key);
}

static void cmp_ev_free(cmp_ev *ev) {
  vnp_vec_free(ev->toks);
  free(ev->uid);
  free(ev->bid);
}

/* Evidence of a link: the longest runs of syllables of the child item whose
 * every bigram also occurs in the parent item ('đổi mới sáng tạo'), ranked
 * by the weight they share; single shared syllables when no bigram is. */
static void cmp_evidence(const cmp_ev *ev, const cmp_item *a, const cmp_item *b,
                         cmp_link *l) {
  const char *s = a->text;
  size_t n = ev->toks.n;
  const cmp_tok *tv = ev->toks.v;
  double *pw = xcalloc(n + 1, sizeof *pw); /* shared bigram t, t+1 */
  double *uw = xcalloc(n + 1, sizeof *uw); /* shared syllable t */
  for (size_t t = 0; t < n; t++) {
    if (ev->uid[t] >= 0)
      uw[t] = cmp_weight_of(a, (uint32_t)ev->uid[t]) *
              cmp_weight_of(b, (uint32_t)ev->uid[t]);
    if (ev->bid[t] >= 0)
      pw[t] = cmp_weight_of(a, (uint32_t)ev->bid[t]) *
              cmp_weight_of(b, (uint32_t)ev->bid[t]);
  }
  double best[CMP_EVIDENCE] = {0};
  l->nevidence = 0;
  for (size_t t = 0; t < n; t++) {
    double w = 0;
    size_t e = t;
    if (pw[t] > 0 && (t == 0 || pw[t - 1] <= 0)) {
      while (e < n && pw[e] > 0)
        w += 3 * pw[e++]; /* a shared phrase says more than a syllable */
    } else if (uw[t] > 0 && pw[t] <= 0 && (t == 0 || pw[t - 1] <= 0)) {
      w = uw[t];
    } else
      continue;
    uint32_t os = tv[t].os, oe = tv[e].oe;
    int dup = 0;
    for (int k = 0; k < l->nevidence && !dup; k++)
      dup = l->ev_end[k] - l->ev_start[k] == oe - os &&
            memcmp(s + l->ev_start[k], s + os, oe - os) == 0;
    if (dup)
      continue;
    int at = l->nevidence;
    while (at > 0 && best[at - 1] < w)
      at--;
    if (at >= CMP_EVIDENCE)
      continue;
    int last = l->nevidence < CMP_EVIDENCE ? l->nevidence : CMP_EVIDENCE - 1;
    for (int k = last; k > at; k--) {
      best[k] = best[k - 1];
      l->ev_start[k] = l->ev_start[k - 1];
      l->ev_end[k] = l->ev_end[k - 1];
    }
    best[at] = w;
    l->ev_start[at] = os;
    l->ev_end[at] = oe;
    if (l->nevidence < CMP_EVIDENCE)
      l->nevidence++;
  }
  free(pw);
  free(uw);
}

static int cmp_kind_group(const char *k) {
  if (!k)
    return 0;
  if (!strcmp(k, "tasks") || !strcmp(k, "assignment") || !strcmp(k, "annex"))
    return 1;
  if (!strcmp(k, "objectives"))
    return 2;
  if (!strcmp(k, "viewpoints") || !strcmp(k, "purpose"))
    return 3;
  if (!strcmp(k, "implementation") || !strcmp(k, "reporting"))
    return 4;
  return 0;
}

/* The parent's scoring units in an inverted index: every scored item
 * whole (factor 1) and each of its sentences (factor CMP_SENT_FACTOR);
 * term id -> (unit, weight). Scoring a child vector walks the postings of
 * its terms only, not every parent item. */
static void cmp_index_build(const vnp_compare *c, const cmp_doc *p,
                            cmp_index *ix) {
  memset(ix, 0, sizeof *ix);
  ix->nterm = c->terms.n;
  ix->off = xcalloc(ix->nterm + 2, sizeof *ix->off);
  size_t nu = 0, npost = 0;
  for (size_t pi = 0; pi < p->items.n; pi++) {
    const cmp_item *b = &p->items.v[pi];
    if (b->ncontent < CMP_MIN_TERMS)
      continue;
    nu += 1 + b->nsents;
    npost += b->nterms;
    for (size_t q = 0; q < b->nsents; q++)
      npost += b->sents[q].nterms;
  }
  ix->unit = xmalloc((nu + 1) * sizeof *ix->unit);
  ix->post = xmalloc((npost + 1) * sizeof *ix->post);
  ix->acc = xcalloc(nu + 1, sizeof *ix->acc);
  ix->touched = xmalloc((nu + 1) * sizeof *ix->touched);
  /* two passes over the units: count postings per term, then fill */
  for (int pass = 0; pass < 2; pass++) {
    size_t u = 0;
    for (size_t pi = 0; pi < p->items.n; pi++) {
      const cmp_item *b = &p->items.v[pi];
      if (b->ncontent < CMP_MIN_TERMS)
        continue;
      for (size_t q = 0; q <= b->nsents; q++, u++) {
        const cmp_term *t = q ? b->sents[q - 1].terms : b->terms;
        size_t n = q ? b->sents[q - 1].nterms : b->nterms;
        if (pass == 0) {
          ix->unit[u].item = (uint32_t)pi;
          ix->unit[u].f = q ? CMP_SENT_FACTOR : 1.0;
          ix->unit[u].norm = q ? b->sents[q - 1].norm : b->norm;
        }
        for (size_t k = 0; k < n; k++) {
          if (pass == 0)
            ix->off[t[k].id + 2]++;
          else
            ix->post[ix->off[t[k].id + 1]++] = (cmp_post){(uint32_t)u, t[k].w};
        }
      }
    }
    if (pass == 0)
      for (size_t i = 2; i < ix->nterm + 2; i++)
        ix->off[i] += ix->off[i - 1];
  }
  ix->nunit = nu;
}

/* out[pi] = max over the units of parent item pi of factor x cosine with
 * the vector t (out must be 0 on entry; items sharing no term stay 0). */
static void cmp_index_scores(cmp_index *ix, const cmp_term *t, size_t n,
                             double norm, double *out) {
  size_t nt = 0;
  if (norm <= 0)
    return;
  for (size_t k = 0; k < n; k++) {
    if (t[k].id >= ix->nterm)
      continue;
    for (uint32_t j = ix->off[t[k].id]; j < ix->off[t[k].id + 1]; j++) {
      uint32_t u = ix->post[j].unit;
      if (ix->acc[u] == 0)
        ix->touched[nt++] = u;
      ix->acc[u] += (double)t[k].w * ix->post[j].w;
    }
  }
  for (size_t k = 0; k < nt; k++) {
    const cmp_unit *un = &ix->unit[ix->touched[k]];
    double s = 0;
    if (un->norm > 0)
      s = un->f * (ix->acc[ix->touched[k]] / (norm * un->norm));
    if (s > out[un->item])
      out[un->item] = s;
    ix->acc[ix->touched[k]] = 0;
  }
}

static void cmp_index_free(cmp_index *ix) {
  free(ix->off);
  free(ix->post);
  free(ix->unit);
  free(ix->acc);
  free(ix->touched);
}

/* Is parent item x the item `top` or below it? */
static int cmp_under(const cmp_doc *d, int x, int top) {
  for (; x >= 0; x = d->items.v[x].up)
    if (x == top)
      return 1;
  return 0;
}

/* The enclosing item of child item i for the structure hint: the group row
 * of a table row, else the enclosing section or item. */
static int cmp_outer(const cmp_doc *d, int i) {
  const cmp_item *it = &d->items.v[i];
  return it->group >= 0 ? it->group : it->up;
}

static void cmp_align(vnp_compare *c, cmp_doc *p, cmp_doc *ch) {
  size_t np = p->items.n, nc = ch->items.n;
  ch->pstatus = xcalloc(np + 1, sizeof *ch->pstatus);
  ch->pbest = xcalloc(np + 1, sizeof *ch->pbest);
  ch->pbest_item = xmalloc((np + 1) * sizeof *ch->pbest_item);
  for (size_t i = 0; i < np; i++)
    ch->pbest_item[i] = -1;
  /* raw scores, child item by parent item (0 where either is skipped),
   * from an inverted index over the parent's items and sentences */
  cmp_index ix;
  cmp_index_build(c, p, &ix);
  double *row = xcalloc(np + 1, sizeof *row);
  float *S = xcalloc(nc * np + 1, sizeof *S);
  int *rawbest = xmalloc((nc + 1) * sizeof *rawbest);
  for (size_t ci = 0; ci < nc; ci++) {
    const cmp_item *a = &ch->items.v[ci];
    double best = 0;
    rawbest[ci] = -1;
    if (a->ncontent < CMP_MIN_TERMS)
      continue;
    cmp_index_scores(&ix, a->terms, a->nterms, a->norm, row);
    int ga = cmp_kind_group(a->kind);
    for (size_t pi = 0; pi < np; pi++) {
      double s = row[pi];
      if (s <= 0)
        continue;
      row[pi] = 0;
      if (ga && ga == p->items.v[pi].kgroup) {
        s *= CMP_KIND_BONUS;
        if (s > 1)
          s = 1;
      }
      S[ci * np + pi] = (float)s;
      if (s > best) {
        best = s;
        rawbest[ci] = (int)pi;
      }
    }
    if (best < CMP_CTX_MIN)
      rawbest[ci] = -1;
  }
  cmp_link cand[CMP_MAX_LINKS];
  for (size_t ci = 0; ci < nc; ci++) {
    cmp_item *a = &ch->items.v[ci];
    a->best = 0;
    a->best_item = -1;
    if (a->ncontent < CMP_MIN_TERMS)
      continue;
    /* structure as a hint: a child plan follows its parent's outline, so
     * an item under a section that matches parent section X prefers X and
     * the items below X */
    int ctx = -1;
    for (int x = cmp_outer(ch, (int)ci); x >= 0 && ctx < 0;
         x = cmp_outer(ch, x))
      ctx = rawbest[x];
    int ncand = 0;
    for (size_t pi = 0; pi < np; pi++) {
      double s = S[ci * np + pi];
      if (s <= 0)
        continue;
      if (ctx >= 0 && cmp_under(p, (int)pi, ctx)) {
        s *= CMP_CTX_BONUS;
        if (s > 1)
          s = 1;
      }
      if (s > ch->pbest[pi]) {
        ch->pbest[pi] = s;
        ch->pbest_item[pi] = (int)ci;
      }
      if (s > a->best) {
        a->best = s;
        a->best_item = (int)pi;
      }
      if (s < CMP_T_PARTIAL)
        continue;
      cmp_link l;
      memset(&l, 0, sizeof l);
      l.child_item = (int)ci;
      l.parent_item = (int)pi;
      l.score = s;
      if (ncand < CMP_MAX_LINKS)
        cand[ncand++] = l;
      else if (s > cand[ncand - 1].score)
        cand[ncand - 1] = l;
      qsort(cand, (size_t)ncand, sizeof *cand, cmp_link_by_score);
    }
    /* keep the best link and those close to it (one-to-many) */
    size_t first = ch->links.n;
    cmp_ev ev;
    memset(&ev, 0, sizeof ev);
    for (int k = 0; k < ncand; k++) {
      if (k > 0 && cand[k].score < cand[0].score * CMP_LINK_RATIO)
        break;
      if (!ev.uid)
        cmp_ev_prep(c, a, &ev);
      cmp_evidence(&ev, a, &p->items.v[cand[k].parent_item], &cand[k]);
      vnp_vec_push(ch->links, cand[k]);
    }
    /* many-to-one: a long child item whose sentences take up several
     * parent items links to each of them */
    for (size_t j = 0; j < a->nsents; j++) {
      const cmp_sent *se = &a->sents[j];
      double bs = 0;
      int bp = -1;
      cmp_index_scores(&ix, se->terms, se->nterms, se->norm, row);
      for (size_t pi = 0; pi < np; pi++) {
        if (row[pi] > bs) {
          bs = row[pi];
          bp = (int)pi;
        }
        row[pi] = 0;
      }
      if (bp < 0 || bs < CMP_CSENT_T || ch->links.n - first >= CMP_CSENT_MAX)
        continue;
      int have = 0;
      for (size_t l = first; l < ch->links.n && !have; l++)
        have = ch->links.v[l].parent_item == bp;
      if (have)
        continue;
      cmp_link l;
      memset(&l, 0, sizeof l);
      l.child_item = (int)ci;
      l.parent_item = bp;
      l.score = S[ci * np + (size_t)bp];
      if (!ev.uid)
        cmp_ev_prep(c, a, &ev);
      cmp_evidence(&ev, a, &p->items.v[bp], &l);
      vnp_vec_push(ch->links, l);
    }
    cmp_ev_free(&ev);
    if (a->best < CMP_T_PARTIAL)
      ch->n_local++;
  }
  free(S);
  free(rawbest);
  free(row);
  cmp_index_free(&ix);
  double sum = 0;
  size_t counted = 0;
  for (size_t pi = 0; pi < np; pi++) {
    cmp_item *b = &p->items.v[pi];
    int st = -1;
    if (b->ncontent >= CMP_MIN_TERMS)
      st = ch->pbest[pi] >= CMP_T_FULL      ? 2
           : ch->pbest[pi] >= CMP_T_PARTIAL ? 1
                                            : 0;
    ch->pstatus[pi] = st;
    if (st >= 0) {
      ch->n_cov[st]++;
      sum += st / 2.0;
      counted++;
    }
  }
  ch->coverage = counted ? sum / (double)counted : 0;
}

/* ---- copy ratio ---- */

typedef struct cmp_shingles {
  VNP_VEC(uint64_t) h;
} cmp_shingles;

/* Hashes of every run of CMP_SHINGLE folded syllables (stopwords kept). */
static void cmp_shingle(cmp_fold_ent *cache, const char *s, size_t len,
                        uint64_t *tmp, void (*emit)(void *, uint64_t, size_t),
                        void *ctx, size_t item) {
  vnp_buf f;
  vnp_buf_init(&f);
  cmp_fold_cached(cache, s, len, &f);
  size_t n = 0;
  size_t i = 0;
  while (i < f.len) {
    while (i < f.len && !isalnum((unsigned char)f.ptr[i]) &&
           (unsigned char)f.ptr[i] < 0x80)
      i++;
    size_t st = i;
    while (i < f.len && (isalnum((unsigned char)f.ptr[i]) ||
                         (unsigned char)f.ptr[i] >= 0x80))
      i++;
    if (i == st)
      break;
    tmp[n % CMP_SHINGLE] = cmp_hash(f.ptr + st, i - st);
    n++;
    if (n >= CMP_SHINGLE) {
      uint64_t h = 0;
      for (size_t k = 0; k < CMP_SHINGLE; k++)
        h = h * 31 + tmp[(n + k) % CMP_SHINGLE];
      emit(ctx, h, item);
    }
  }
  vnp_buf_free(&f);
}

static void cmp_emit_set(void *ctx, uint64_t h, size_t item) {
  (void)item;
  cmp_shingles *s = ctx;
  vnp_vec_push(s->h, h);
}

typedef struct cmp_copy_ctx {
  cmp_shingles *parent;
  cmp_doc *child;
} cmp_copy_ctx;

static void cmp_emit_count(void *ctx, uint64_t h, size_t item) {
  cmp_copy_ctx *x = ctx;
  cmp_item *it = &x->child->items.v[item];
  x->child->copy_sh++;
  int hit = x->parent->h.n &&
            bsearch(&h, x->parent->h.v, x->parent->h.n, sizeof h, cmp_u64);
  x->child->copy_hit += hit;
  it->nsh++;
  it->nhit += (size_t)hit;
}

static void cmp_copy_ratio(vnp_compare *c, cmp_doc *p, cmp_doc *ch) {
  cmp_shingles ps = {{0}};
  uint64_t tmp[CMP_SHINGLE];
  for (size_t i = 0; i < p->items.n; i++)
    cmp_shingle(c->fold, p->items.v[i].text, strlen(p->items.v[i].text), tmp,
                cmp_emit_set, &ps, i);
  if (ps.h.n)
    qsort(ps.h.v, ps.h.n, sizeof *ps.h.v, cmp_u64);
  cmp_copy_ctx x = {&ps, ch};
  for (size_t i = 0; i < ch->items.n; i++) {
    ch->items.v[i].nsh = ch->items.v[i].nhit = 0;
    cmp_shingle(c->fold, ch->items.v[i].text, strlen(ch->items.v[i].text), tmp,
                cmp_emit_count, &x, i);
  }
  vnp_vec_free(ps.h);
}

/* ---- link check ---- */

/* Document numbers are equal on their match keys without spaces. */
static int cmp_same_number(const char *a, const char *b) {
  if (!a || !b)
    return 0;
  vnp_buf x, y;
  vnp_buf_init(&x);
  vnp_buf_init(&y);
  cmp_fold(a, strlen(a), &x);
  cmp_fold(b, strlen(b), &y);
  size_t i = 0, j = 0, n = 0;
  for (i = 0; i < x.len; i++)
    if (x.ptr[i] != ' ')
      x.ptr[n++] = x.ptr[i];
  x.len = n;
  n = 0;
  for (j = 0; j < y.len; j++)
    if (y.ptr[j] != ' ')
      y.ptr[n++] = y.ptr[j];
  y.len = n;
  int eq = x.len && x.len == y.len && memcmp(x.ptr, y.ptr, x.len) == 0;
  vnp_buf_free(&x);
  vnp_buf_free(&y);
  return eq;
}

/* Does the match key of `hay` contain `needle_folded`? */
static int cmp_text_has(const vnp_compare *c, const char *hay,
                        const char *needle_folded) {
  (void)c;
  if (!hay || !needle_folded || !*needle_folded)
    return 0;
  vnp_buf f;
  vnp_buf_init(&f);
  cmp_fold(hay, strlen(hay), &f);
  vnp_buf_putc(&f, 0);
  int r = strstr(f.ptr, needle_folded) != NULL;
  vnp_buf_free(&f);
  return r;
}

/* Which citation of `d` names document `t` (-1: none); *datebad set when
 * the number matches but the date does not. */
static int cmp_cites_doc(const cmp_doc *d, const cmp_doc *t, int *datebad) {
  *datebad = 0;
  for (size_t i = 0; i < d->cites.n; i++) {
    const cmp_cite *ci = &d->cites.v[i];
    if (!cmp_same_number(ci->number, t->number))
      continue;
    if (ci->date && t->date && strncmp(ci->date, t->date, 10) != 0) {
      *datebad = 1;
      continue;
    }
    return (int)i;
  }
  return -1;
}

static char *cmp_vfmt(const char *fmt, va_list ap) {
  vnp_buf b;
  vnp_buf_init(&b);
  vnp_buf_vprintf(&b, fmt, ap);
  return vnp_buf_detach(&b, NULL);
}

static char *cmp_fmt(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *r = cmp_vfmt(fmt, ap);
  va_end(ap);
  return r;
}

static void cmp_check_link(vnp_compare *c, size_t k) {
  cmp_doc *p = &c->docs[0], *ch = &c->docs[k];
  const char *pn = p->number ? p->number : p->path;
  int datebad = 0;
  int ci = cmp_cites_doc(ch, p, &datebad);
  if (ci >= 0) {
    snprintf(ch->link_status, sizeof ch->link_status, "direct");
    ch->link_cite = ci;
    ch->link_message = cmp_fmt(
        "cites %s%s%s (line %ld)", ch->cites.v[ci].number,
        ch->cites.v[ci].date ? " of " : "",
        ch->cites.v[ci].date ? ch->cites.v[ci].date : "", ch->cites.v[ci].line);
    return;
  }
  /* through another child that cites the parent */
  for (size_t j = 1; j < c->ndocs; j++) {
    int db2;
    if (j == k || !c->docs[j].number)
      continue;
    int a = cmp_cites_doc(ch, &c->docs[j], &db2);
    int b = cmp_cites_doc(&c->docs[j], p, &db2);
    if (a >= 0 && b >= 0) {
      snprintf(ch->link_status, sizeof ch->link_status, "indirect");
      ch->link_cite = a;
      ch->link_via = (int)j;
      ch->link_message =
          cmp_fmt("cites %s, which cites %s", c->docs[j].number, pn);
      return;
    }
  }
  if (datebad) {
    snprintf(ch->link_status, sizeof ch->link_status, "date-mismatch");
    ch->link_message =
        cmp_fmt("cites a %s of another date (not the parent of %s)", pn,
                p->date ? p->date : "?");
    return;
  }
  /* no citations extracted: look for the number in the title/preamble */
  if (!ch->cites.n && p->number) {
    vnp_buf f;
    vnp_buf_init(&f);
    cmp_fold(p->number, strlen(p->number), &f);
    vnp_buf_putc(&f, 0);
    int found = cmp_text_has(c, ch->title, f.ptr);
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(ch->root, "preamble"), i, o) {
      found = found || cmp_text_has(c, jstr(o, "text"), f.ptr);
    }
    vnp_buf_free(&f);
    if (found) {
      snprintf(ch->link_status, sizeof ch->link_status, "direct");
      ch->link_message =
          cmp_fmt("names %s in its title or preamble (date not checked)", pn);
      return;
    }
  }
  /* implemented documents that are not among those given */
  vnp_buf impl;
  vnp_buf_init(&impl);
  for (size_t i = 0; i < ch->cites.n; i++) {
    const cmp_cite *a = &ch->cites.v[i];
    if (!a->relation || strcmp(a->relation, "implements") != 0)
      continue;
    int given = 0;
    for (size_t j = 0; j < c->ndocs && !given; j++)
      given = j != k && cmp_same_number(a->number, c->docs[j].number);
    for (size_t j = 0; j < p->cites.n && !given; j++)
      given = cmp_same_number(a->number, p->cites.v[j].number);
    if (!given)
      vnp_buf_printf(&impl, "%s%s%s%s", impl.len ? ", " : "", a->number,
                     a->date ? " of " : "", a->date ? a->date : "");
  }
  vnp_buf_putc(&impl, 0);
  impl.len--;
  /* siblings: parent and child implement the same document */
  for (size_t i = 0; i < ch->cites.n; i++) {
    const cmp_cite *a = &ch->cites.v[i];
    if (!a->relation || strcmp(a->relation, "implements") != 0)
      continue;
    for (size_t j = 0; j < p->cites.n; j++) {
      const cmp_cite *b = &p->cites.v[j];
      if (!b->relation || strcmp(b->relation, "implements") != 0 ||
          !cmp_same_number(a->number, b->number) ||
          (a->date && b->date && strcmp(a->date, b->date) != 0))
        continue;
      snprintf(ch->link_status, sizeof ch->link_status, "sibling");
      ch->link_cite = (int)i;
      ch->link_message = cmp_fmt(
          "does not cite %s; both implement %s%s%s (siblings, not parent "
          "and child)%s%s",
          pn, a->number, a->date || b->date ? " of " : "",
          a->date   ? a->date
          : b->date ? b->date
                    : "",
          impl.len ? "; cited but not given: " : "", impl.ptr);
      vnp_buf_free(&impl);
      return;
    }
  }
  if (impl.len) {
    snprintf(ch->link_status, sizeof ch->link_status, "missing");
    ch->link_message = cmp_fmt(
        "implements %s: the cited parent is not among the documents given "
        "(no citation of %s)",
        impl.ptr, pn);
  } else {
    snprintf(ch->link_status, sizeof ch->link_status, "none");
    ch->link_message = cmp_fmt("does not cite %s", pn);
  }
  vnp_buf_free(&impl);
}

/* ---- conflicts ---- */

static void cmp_add_conflict(cmp_doc *ch, const char *type, cmp_doc *p, int ci,
                             int pi, const char *fmt, ...) {
  cmp_conflict x;
  memset(&x, 0, sizeof x);
  x.type = type;
  x.child_item = ci;
  x.parent_item = pi;
  x.cstart = x.cend = x.pstart = x.pend = -1;
  if (ci >= 0) {
    x.cstart = ch->items.v[ci].start;
    x.cend = ch->items.v[ci].end;
    x.cline = ch->items.v[ci].line;
  }
  if (pi >= 0) {
    x.pstart = p->items.v[pi].start;
    x.pend = p->items.v[pi].end;
    x.pline = p->items.v[pi].line;
  }
  va_list ap;
  va_start(ap, fmt);
  x.message = cmp_vfmt(fmt, ap);
  va_end(ap);
  vnp_vec_push(ch->conflicts, x);
}

/* Strength of a lower bound: gt > gte > eq > approx; of an upper bound:
 * lt > lte. Returns 1 for a lower bound, -1 for an upper bound. */
static int cmp_dir(const char *cmp, int *strength) {
  if (!cmp)
    cmp = "eq";
  if (!strcmp(cmp, "gt"))
    return *strength = 3, 1;
  if (!strcmp(cmp, "gte"))
    return *strength = 2, 1;
  if (!strcmp(cmp, "eq"))
    return *strength = 1, 1;
  if (!strcmp(cmp, "lt"))
    return *strength = 2, -1;
  if (!strcmp(cmp, "lte"))
    return *strength = 1, -1;
  return *strength = 0, 1; /* approx */
}

static void cmp_target_key(vnp_compare *c, cmp_doc *d, cmp_target *t) {
  if (t->key || t->knorm < 0)
    return; /* done for an earlier child */
  t->knorm = -1;
  const char *s = t->indicator;
  size_t len = s ? strlen(s) : 0;
  if (!s && t->item >= 0) {
    /* no indicator: the words before the value in its item */
    cmp_item *it = &d->items.v[t->item];
    const char *txt = it->text;
    const char *at = t->text ? strstr(txt, t->text) : NULL;
    if (at) {
      const char *b = at;
      int words = 0;
      while (b > txt && words < 8) {
        b--;
        if (*b == ' ')
          words++;
        if (*b == ';' || *b == ':' || *b == ',')
          break;
      }
      s = b;
      len = (size_t)(at - b);
    }
  }
  if (!s)
    return;
  t->key = cmp_bag(c, s, len, 0, &t->nkey, NULL);
  double nn = 0;
  for (size_t i = 0; i < t->nkey; i++)
    nn += (double)t->key[i].w * t->key[i].w;
  t->knorm = sqrt(nn);
}

static void cmp_conflicts(vnp_compare *c, cmp_doc *p, cmp_doc *ch) {
  /* deadlines: an aligned child task ending after its parent task */
  for (size_t l = 0; l < ch->links.n; l++) {
    cmp_link *k = &ch->links.v[l];
    int ct = ch->items.v[k->child_item].task;
    int pt = p->items.v[k->parent_item].task;
    if (ct < 0 || pt < 0)
      continue;
    cmp_task *a = &ch->tasks.v[ct], *b = &p->tasks.v[pt];
    if (a->end_date[0] && b->end_date[0] &&
        strcmp(a->end_date, b->end_date) > 0)
      cmp_add_conflict(ch, "deadline", p, k->child_item, k->parent_item,
                       "child task %s ends %s, after the parent's %s (%s)",
                       ch->items.v[k->child_item].id, a->end_date, b->end_date,
                       p->items.v[k->parent_item].id);
  }
  /* targets: same indicator and horizon (or later), weaker */
  for (size_t i = 0; i < p->targets.n; i++)
    cmp_target_key(c, p, &p->targets.v[i]);
  for (size_t i = 0; i < ch->targets.n; i++)
    cmp_target_key(c, ch, &ch->targets.v[i]);
  for (size_t i = 0; i < ch->targets.n; i++) {
    cmp_target *a = &ch->targets.v[i];
    int found = 0;
    for (size_t j = 0; j < p->targets.n && !found; j++) {
      cmp_target *b = &p->targets.v[j];
      if (!a->nkey || !b->nkey)
        continue;
      if ((a->unit == NULL) != (b->unit == NULL) ||
          (a->unit && cmp_same_number(a->unit, b->unit) == 0))
        continue;
      if (cmp_cosine(a->key, a->nkey, a->knorm, b->key, b->nkey, b->knorm) <
          0.5)
        continue;
      if (a->horizon && b->horizon && a->horizon < b->horizon)
        continue;
      int sa, sb;
      int da = cmp_dir(a->comparator, &sa), db = cmp_dir(b->comparator, &sb);
      if (da != db)
        continue;
      const char *why = NULL;
      if (da > 0 ? a->value < b->value : a->value > b->value)
        why = "value";
      else if (a->value == b->value && sa < sb)
        why = "comparator";
      else if (a->value == b->value && a->horizon > b->horizon && b->horizon)
        why = "horizon";
      if (!why)
        continue;
      found = 1;
      cmp_add_conflict(ch, "target", p, a->item, b->item,
                       "child target '%s' (%ld) is weaker than the parent's "
                       "'%s' (%ld): %s",
                       a->text ? a->text : "", a->horizon,
                       b->text ? b->text : "", b->horizon, why);
    }
  }
  /* bodies: a parent task led by a body type the child assigns nothing */
  for (size_t i = 0; i < p->tasks.n; i++) {
    cmp_task *pt = &p->tasks.v[i];
    if (pt->item < 0)
      continue;
    int aligned = 0;
    for (size_t l = 0; l < ch->links.n && !aligned; l++)
      aligned = ch->links.v[l].parent_item == pt->item &&
                ch->items.v[ch->links.v[l].child_item].task >= 0;
    if (!aligned)
      continue;
    for (size_t b = 0; b < pt->nlead; b++) {
      const char *ty = pt->lead[b].type;
      if (!ty)
        continue;
      int seen = 0;
      for (size_t t = 0; t < ch->tasks.n && !seen; t++)
        for (size_t m = 0; m < ch->tasks.v[t].nlead && !seen; m++)
          seen = ch->tasks.v[t].lead[m].type &&
                 strcmp(ch->tasks.v[t].lead[m].type, ty) == 0;
      if (!seen) {
        cmp_add_conflict(ch, "body", p, -1, pt->item,
                         "parent task %s is assigned to a body of type '%s' "
                         "(%s); the child assigns no task to that type",
                         p->items.v[pt->item].id, ty,
                         pt->lead[b].name ? pt->lead[b].name : "");
        break;
      }
    }
  }
}

/* ---- missing expected parts ---- */

static void cmp_missing(vnp_compare *c, cmp_doc *ch) {
  int impl = 0, report = 0;
  for (size_t i = 0; i < ch->items.n; i++) {
    const char *k = ch->items.v[i].kind;
    if (k && (!strcmp(k, "implementation") || !strcmp(k, "assignment")))
      impl = 1;
    if (k && !strcmp(k, "reporting"))
      report = 1;
    for (size_t w = 0; w < c->report_words.n && !report; w++)
      report = cmp_text_has(c, ch->items.v[i].text, c->report_words.v[w]);
  }
  for (size_t t = 0; t < ch->tasks.n; t++)
    report = report || ch->tasks.v[t].report;
  if (!impl) {
    vnp_vec_push(ch->missing_code, xstrdup("no-implementation"));
    vnp_vec_push(ch->missing,
                 xstrdup("no implementation section (organization of "
                         "implementation, assignment of tasks)"));
  }
  size_t nolead = 0;
  for (size_t t = 0; t < ch->tasks.n; t++)
    nolead += ch->tasks.v[t].nlead == 0;
  if (nolead) {
    vnp_vec_push(ch->missing_code, xstrdup("task-without-body"));
    vnp_vec_push(ch->missing,
                 cmp_fmt("%zu of %zu tasks have no responsible body", nolead,
                         ch->tasks.n));
  }
  if (!report) {
    vnp_vec_push(ch->missing_code, xstrdup("no-reporting"));
    vnp_vec_push(ch->missing, xstrdup("no reporting duty"));
  }
}

void vnp_compare_free(vnp_compare *c) {
  if (!c)
    return;
  for (size_t k = 0; k < c->ndocs; k++) {
    cmp_doc *d = &c->docs[k];
    for (size_t i = 0; i < d->items.n; i++) {
      free(d->items.v[i].id);
      free(d->items.v[i].own);
      free(d->items.v[i].sim);
      free(d->items.v[i].terms);
      for (size_t j = 0; j < d->items.v[i].nsents; j++)
        free(d->items.v[i].sents[j].terms);
      free(d->items.v[i].sents);
    }
    for (size_t i = 0; i < d->tasks.n; i++)
      free(d->tasks.v[i].lead);
    for (size_t i = 0; i < d->targets.n; i++)
      free(d->targets.v[i].key);
    for (size_t i = 0; i < d->conflicts.n; i++)
      free(d->conflicts.v[i].message);
    for (size_t i = 0; i < d->missing.n; i++) {
      free(d->missing.v[i]);
      free(d->missing_code.v[i]);
    }
    vnp_vec_free(d->items);
    vnp_vec_free(d->tasks);
    vnp_vec_free(d->targets);
    vnp_vec_free(d->cites);
    vnp_vec_free(d->links);
    vnp_vec_free(d->conflicts);
    vnp_vec_free(d->missing);
    vnp_vec_free(d->missing_code);
    free(d->link_message);
    free(d->pstatus);
    free(d->pbest);
    free(d->pbest_item);
    free(d->idslots);
    free(d->bystart);
    free(d->path);
    json_decref(d->root);
  }
  for (size_t i = 0; i < c->report_words.n; i++)
    free(c->report_words.v[i]);
  vnp_vec_free(c->report_words);
  free(c->fold);
  for (size_t i = 0; i < c->meta_cols.n; i++)
    free(c->meta_cols.v[i]);
  vnp_vec_free(c->meta_cols);
  vnp_vec_free(c->terms);
  free(c->slots);
  free(c->stop);
  vnp_buf_free(&c->keys);
  free(c);
}

double vnp_compare_similarity(vnp_compare *c, const char *a, const char *b) {
  size_t na, nb;
  cmp_term *ta = cmp_bag(c, a, strlen(a), 1, &na, NULL);
  cmp_term *tb = cmp_bag(c, b, strlen(b), 1, &nb, NULL);
  /* no collection: plain (1 + ln tf), so the measure depends on a, b only */
  double xa = 0, xb = 0;
  for (size_t i = 0; i < na; i++) {
    ta[i].w = (float)(1 + log(ta[i].w));
    xa += (double)ta[i].w * ta[i].w;
  }
  for (size_t i = 0; i < nb; i++) {
    tb[i].w = (float)(1 + log(tb[i].w));
    xb += (double)tb[i].w * tb[i].w;
  }
  double s = cmp_cosine(ta, na, sqrt(xa), tb, nb, sqrt(xb));
  free(ta);
  free(tb);
  return s;
}

/* Index of the item of `d` with id id[0..n), or -1. */
static int cmp_item_by_id(const cmp_doc *d, const char *id, size_t n) {
  for (size_t i = 0; i < d->items.n; i++)
    if (strlen(d->items.v[i].id) == n && !memcmp(d->items.v[i].id, id, n))
      return (int)i;
  return -1;
}

long cmp_gold_read(const vnp_compare *c, size_t child, const char *tsv,
                   size_t len, cmp_gold_pairs *gold, char *named,
                   size_t *nlocal, vnp_buf *rep) {
  const cmp_doc *p = &c->docs[0], *ch = &c->docs[child];
  long bad = 0;
  size_t i = 0, lineno = 0;
  while (i < len) {
    size_t e = i;
    while (e < len && tsv[e] != '\n')
      e++;
    lineno++;
    const char *ln = tsv + i;
    size_t ll = e - i;
    i = e + 1;
    while (ll && ln[ll - 1] == '\r')
      ll--;
    if (!ll || ln[0] == '#')
      continue;
    const char *t1 = memchr(ln, '\t', ll);
    if (!t1) {
      if (rep)
        vnp_buf_printf(rep, "gold:%zu: no tab\n", lineno);
      bad++;
      continue;
    }
    const char *f2 = t1 + 1;
    const char *t2 = memchr(f2, '\t', (size_t)(ln + ll - f2));
    size_t f2l = (size_t)((t2 ? t2 : ln + ll) - f2);
    while (f2l && f2[f2l - 1] == ' ')
      f2l--;
    int ci = cmp_item_by_id(ch, ln, (size_t)(t1 - ln));
    if (ci < 0) {
      if (rep)
        vnp_buf_printf(rep, "gold:%zu: no child item %.*s\n", lineno,
                       (int)(t1 - ln), ln);
      bad++;
      continue;
    }
    named[ci] = 1;
    if (f2l == 1 && f2[0] == '-') {
      if (nlocal)
        (*nlocal)++;
      continue;
    }
    int pi = cmp_item_by_id(p, f2, f2l);
    if (pi < 0) {
      if (rep)
        vnp_buf_printf(rep, "gold:%zu: no parent item %.*s\n", lineno, (int)f2l,
                       f2);
      bad++;
      continue;
    }
    cmp_gold_pair x = {ci, pi};
    vnp_vec_push(*gold, x);
  }
  return bad;
}

long cmp_gold_counts(vnp_compare *c, size_t child, const char *tsv, size_t len,
                     long *tp, long *fp, long *fn) {
  *tp = *fp = *fn = 0;
  if (!c->ran || child < 1 || child >= c->ndocs)
    return -1;
  cmp_doc *ch = &c->docs[child];
  cmp_gold_pairs gold = {0};
  char *named = xcalloc(ch->items.n + 1, 1);
  long bad = cmp_gold_read(c, child, tsv, len, &gold, named, NULL, NULL);
  for (size_t l = 0; l < ch->links.n; l++) {
    const cmp_link *k = &ch->links.v[l];
    if (!named[k->child_item])
      continue;
    int hit = 0;
    for (size_t g = 0; g < gold.n && !hit; g++)
      hit = gold.v[g].ci == k->child_item && gold.v[g].pi == k->parent_item;
    if (hit)
      (*tp)++;
    else
      (*fp)++;
  }
  for (size_t g = 0; g < gold.n; g++) {
    int hit = 0;
    for (size_t l = 0; l < ch->links.n && !hit; l++)
      hit = ch->links.v[l].child_item == gold.v[g].ci &&
            ch->links.v[l].parent_item == gold.v[g].pi;
    if (!hit)
      (*fn)++;
  }
  free(named);
  vnp_vec_free(gold);
  return bad;
}
