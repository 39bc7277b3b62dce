/*
 * extract.c - rule-driven extraction: tasks, responsible bodies, deadlines,
 * targets, citations and funding sources.
 *
 * Input: a segmented document (d->root tree, d->preamble, d->blocks) and the
 * compiled rules of kinds deadline, target, body, role, citation, funding,
 * field and column, plus the tables values.tsv (group, surface, value: maps
 * a captured word to a code, e.g. comparator words to gt/gte) and
 * bodies.tsv (the gazetteer: name, aliases, level, type) and the lists
 * task_sections / target_sections (section kinds).
 * Output: d->ext, written by extract_json as the keys "tasks", "targets",
 * "citations", "bodies", "funding".
 *
 * Mechanics (the C side; every word lives in rules/):
 *   1. scan: run every rule of a kind over a text piece (prefilter first),
 *      collect hits, keep a non-overlapping set (appelt: longest span, then
 *      priority, then file order), sorted by position;
 *   2. resolve: turn one hit's named groups and emitted constants into a
 *      value (ISO dates with an exclusive end, numbers, canonical names);
 *   3. compose: a second pass over hits - bodies around role cues (lead
 *      before a lead cue, partners chained after a partner cue through
 *      separator gaps; unknown bodies after a partner cue, up to a
 *      role=stop word that begins the predicate, as surface text with no
 *      name; with no lead cue, the bodies opening a task's own
 *      text are its subject and lead), targets that are shares of the
 *      previous one, field lines that attach to the item above them (and
 *      to the run of field-less items of one style they close), table
 *      columns mapped to fields by their header.
 *
 * Invariants: nothing here is global or mutable outside the document; the
 * rules are read-only. Strings live in the document arena. Spans map back to
 * original bytes through the block offset maps.
 * Limits: paragraphs longer than VNP_MAX_EXTRACT_PARA are skipped (with a
 * diagnostic); a PCRE2 match/depth limit stops that rule on that text with
 * a "regex-limit" diagnostic.
 * Tricky cases: implicit years (resolved against the document date,
 * year_source records it); ranges whose first end has no year take the
 * year of the second end ("from 15/10 to 15/11/2023"); citation dates
 * are masked so they never become deadlines; the document's own number is
 * never its own citation.
 */
#include "extract.h"

#include "limits.h"
#include "tone.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Longest unknown body the partner fallback takes, in syllables. */
#define VNP_FALLBACK_SYLL 14

/* ---- types ---- */

typedef struct ymd {
  int y, m, d;
} ymd;

typedef struct ext_hit {
  const rule *r;
  uint32_t s, e;
} ext_hit;
typedef VNP_VEC(ext_hit) hitvec;

typedef struct ext_deadline {
  const char *kind, *text, *timex, *mod, *grain, *year_source, *rule;
  char start[11], end[11]; /* "" = null */
  const char *every, *window, *due, *cond;
  vnp_span span;
} ext_deadline;

typedef struct ext_target {
  int h1, h2; /* horizon years (0 = none) */
  const char *indicator, *comparator, *unit, *text, *rule;
  double value, value2; /* value2: high end of a range ("16 - 18%") */
  int has_value, has_value2;
  long share_of;
  vnp_span span;
} ext_target;

typedef struct ext_citation {
  const char *type, *number, *issuer, *relation, *text, *rule;
  char date[11];
  vnp_span span;
} ext_citation;

typedef struct ext_body {
  const char *text, *name, *level, *type;
  vnp_span span;
} ext_body;
typedef VNP_VEC(ext_body) bodyvec;
/* Bodies a heading hands down to the items under it (arena storage). */
typedef struct leadset {
  const ext_body *v;
  size_t n;
} leadset;
typedef VNP_VEC(ext_deadline) dlvec;
typedef VNP_VEC(const char *) strvec;
typedef VNP_VEC(size_t) idxvec;

/* A funding source as written, with its kind (funding rules emitting
 * role=type give `source`) and budget level (level words). */
typedef struct ext_funding {
  const char *text, *source, *level;
  const char *rule; /* the rule of the funding statement, or NULL: a field */
  vnp_span span;
} ext_funding;
typedef VNP_VEC(ext_funding) fundvec;

/* An item of a list: s[s..e) of the text split. */
typedef struct ext_range {
  size_t s, e;
} ext_range;
typedef VNP_VEC(ext_range) rangevec;

typedef struct ext_task {
  const char *id, *section, *text, *result;
  vnp_span result_span;
  bodyvec lead, partners, report_to;
  dlvec deadline;
  fundvec funding;
  vnp_span span;
  const vnp_node *node;
  uint32_t block; /* block that opened the task (for field attachment) */
  int lead_explicit;
} ext_task;

struct vnp_ext {
  VNP_VEC(ext_task) tasks;
  VNP_VEC(ext_target) targets;
  VNP_VEC(ext_citation) citations;
  bodyvec bodies;
  fundvec funding;
  uint32_t *bset;          /* open-addressing set of body indexes + 1 */
  unsigned char *bscanned; /* per block: bodies already collected */
  /* body hits per block, computed once: every task piece, heading and
   * field value inside a block reuses them */
  hitvec bh;
  struct {
    uint32_t off, n;
    int done;
  } * bblk;
  size_t bcap;
  /* per block, the word starts of the citation rules (rules_words keeps
   * them when it first reads a whole block, for doc_citations, which
   * scans every block again after the walk): (pos, bits & cbits) */
  rule_wordvec cw;
  struct {
    uint32_t off, n;
    uint64_t any;
    int done;
  } * cblk;
  uint64_t cbits; /* the start bits of the citation rules */
};

/* A piece of text to scan, with a way back to original bytes. */
typedef struct piece {
  const char *s;
  size_t len;
  const vnp_block *b; /* NULL: spans fall back to `span` */
  size_t boff;        /* offset of s within b->text */
  vnp_span span;
} piece;

/* Resolved bodies by (rule, text): a document names the same bodies again
 * and again, the gazetteer lookup runs once per distinct name. */
typedef struct bcache_ent {
  uint64_t h;
  const rule *r;
  const char *text, *name, *level, *type;
} bcache_ent;

/* A scan remembered: its arguments (texts by address: every text scanned
 * lives, unchanged, as long as the extraction) and its hits. */
#define MEMO_SLOTS 2048
#define MEMO_HITS 6
typedef struct scan_memo {
  const char *kind, *s, *key, *val;
  size_t len;
  unsigned mode, n, nlim;
  ext_hit hits[MEMO_HITS];
  struct {
    const rule *r;
    int rc;
  } lim[4];
} scan_memo;

/* Extraction context: per document or per phrase. */
typedef struct ext_ctx {
  vnp_doc *d; /* NULL for phrases and examples */
  const vnp_rules *rs;
  vnp_arena *a;
  pcre2_match_data *md;
  ymd ref;               /* reference date (y = 0: unknown) */
  hitvec h1, h2, h3, h4; /* scratch */
  struct {
    const char *kind; /* the caller's string (compared by address) */
    const rule *const *rv;
    size_t n;
  } kc[16]; /* rules_of_kind, remembered */
  size_t nkc;
  struct scan_memo *memo; /* recent scans (scan) */
  struct {
    const rule *r;
    int rc;
  } lim[4]; /* regex limits hit by the scan running */
  size_t nlim;
  rule_wordvec words;  /* rules_words of the text last scanned */
  uint64_t words_any;  /* ... the union of their rule bits */
  const char *words_s; /* ... that text (NULL: none) */
  size_t words_len;
  const rule_word *wv; /* the word starts the scan running uses: x->words */
  size_t wn;           /* or a block's in ext->cw */
  long wblock;         /* block whose whole text the next scan reads (its
                          words may be kept, see cw), or -1 */
  rule_wordvec bwords; /* rules_words of the last whole block read: */
  const char *bw_s;    /* ... its text (the words of a piece inside it are */
  size_t bw_len;       /* ... derived from them, rules_words_sub) */
  uint64_t bw_any;
  const char *gate_s;  /* the text whose rule gates are known: */
  size_t gate_len;
  uint32_t gate_known, gate_pass; /* bit gate_id - 1 */
  int gate_digit;                 /* ... has an ASCII digit (-1: unknown) */
  int self_lead;         /* piece_roles saw a lead cue with no body before */
  int subject;           /* piece_roles: the piece opens a task, bodies
                            opening it are its subject */
  bcache_ent *bc;        /* open addressing, bcap a power of two */
  size_t bcap, bn;
  /* last ordinal computed by node_path: tasks come in document order, so
   * counting resumes from the previous sibling instead of the first one
   * (linear, not quadratic, on a section with 200,000 bullets) */
  const vnp_node *ord_node;
  size_t ord_pos;
  /* per depth of the numbering path: does that parent mix numbered and
   * unnumbered children? (computed once per parent, in document order) */
  struct {
    const vnp_node *parent;
    int mixed;
  } mix[VNP_MAX_DEPTH * 4];
} ext_ctx;

/* One end of a time expression (0 = not said). */
typedef struct endp {
  int y, q, h, m, d;
  int has;
} endp;

/* Task assembly state. */
typedef struct walk {
  ext_ctx *x;
  struct vnp_ext *ext;
  const vnp_node *lifted; /* its field lines belong to its parent */
  const vnp_node *folded; /* a task whose plain bullets are its points */
  int flat; /* no section kinds: top-level items are tasks too */
} walk;

enum scan_mode {
  SCAN_ANY = 0,
  SCAN_FIELDSCOPE = 1 /* allow rules with emit scope=field */
};

/* ---- prototypes ---- */

/* small text helpers (no vocabulary here) */
static int is_space_punct(unsigned char c);
static void trim_span(const char *s, size_t *a, size_t *b, const char *punct);
static const char *adup(ext_ctx *x, const char *s, size_t n);
static int ci_eq(const char *a, size_t an, const char *b, size_t bn);
static const char *squeeze(ext_ctx *x, const char *s, size_t n);
static size_t ci_find_last(const char *s, size_t n, const char *w);

/* rule-side tables */
static const char *vmap(const vnp_rules *rs, const char *group, const char *s,
                        size_t n);
static int in_list(const vnp_rules *rs, const char *list, const char *s);
static int col_index(const rule_table *t, const char *name);

/* dates */
static int leap(int y);
static int mdays(int y, int m);
static ymd add_months(ymd t, int n);
static ymd next_day(ymd t);
static void fmt_date(char out[11], ymd t);
static int cmp_ymd(ymd a, ymd b);
static int parse_ref(const char *s, ymd *o);
static int parse_small(const char *s, size_t n);
static int parse_vn_number(const char *s, size_t n, double *out);

/* scanning */
static int cmp_hit_pref(const void *pa, const void *pb);
static int cmp_hit_pos(const void *pa, const void *pb);
static void regex_limit(ext_ctx *x, const rule *r, int rc);
static size_t kind_rules(ext_ctx *x, const char *kind, const rule *const **rv);
static size_t scan(ext_ctx *x, const char *kind, const char *s, size_t len,
                   unsigned mode, const char *emit_key, const char *emit_val,
                   hitvec *out);
static size_t scan_run(ext_ctx *x, const char *kind, const char *s, size_t len,
                       unsigned mode, const char *emit_key,
                       const char *emit_val, hitvec *out);
static int has_digit(const char *s, size_t len);
static int refill(ext_ctx *x, const ext_hit *h, const char *s, size_t len);
static int grp(ext_ctx *x, const rule *r, const char *name, size_t *gs,
               size_t *ge);
static int grp_int(ext_ctx *x, const rule *r, const char *s, const char *name);
static const char *grp_str(ext_ctx *x, const rule *r, const char *s,
                           const char *name, const char *punct);
static int sep_gap(ext_ctx *x, const char *s, size_t a, size_t b);

/* deadlines */
static endp get_endp(ext_ctx *x, const rule *r, const char *s, const char *sfx);
static const char *endp_grain(const endp *e);
static void endp_range(const endp *e, ymd *a, ymd *b);
static void endp_timex(const endp *e, char *out, size_t n);
static void resolve_deadline(ext_ctx *x, const rule *r, const char *s,
                             size_t len, ext_deadline *o);

/* targets */
static void resolve_target(ext_ctx *x, const rule *r, const char *s,
                           ext_target *o);

/* citations */
static void resolve_citation(ext_ctx *x, const rule *r, const char *s,
                             ext_citation *o);

/* bodies */
static void resolve_body(ext_ctx *x, const rule *r, const char *s, ext_body *o);
static void resolve_body_lookup(ext_ctx *x, const rule *r, const char *s,
                                ext_body *o, size_t tl);
static int body_same(const ext_body *a, const ext_body *b);
static uint64_t body_hash(const ext_body *b);
static void doc_body_add(struct vnp_ext *e, const ext_body *b);
static void body_add_unique(bodyvec *v, const ext_body *b);

/* spans */
static vnp_span piece_span(ext_ctx *x, const piece *p, size_t s, size_t e);

/* composite scanners over one piece */
static size_t body_scan(ext_ctx *x, const piece *p, hitvec *out);
static void piece_bodies(ext_ctx *x, const piece *p, hitvec *hv, bodyvec *out);
static void piece_roles(ext_ctx *x, const piece *p, bodyvec *lead,
                        bodyvec *partners, bodyvec *report_to);
static size_t first_word_syll(const char *s, size_t a, size_t b, size_t *wend);
static int word_in_list(const vnp_rules *rs, const char *list, const char *s,
                        size_t n);
static size_t partner_fallback(ext_ctx *x, const piece *p, const hitvec *bpos,
                               const bodyvec *bodies, const hitvec *stops,
                               const hitvec *splits, size_t q, bodyvec *dst);
static int dl_same_undated(const ext_deadline *a, const ext_deadline *b);
static size_t piece_deadlines(ext_ctx *x, const piece *p, unsigned mode,
                              dlvec *out);
static void split_ranges(ext_ctx *x, const char *s, size_t a, size_t b,
                         rangevec *out);
static void split_list(ext_ctx *x, const char *s, size_t a, size_t b,
                       strvec *out);
static const char *level_of(ext_ctx *x, const char *s, size_t n);
static void funding_items(ext_ctx *x, const piece *p, size_t a, size_t b,
                          const rule *r, fundvec *out);

/* tasks */
static const char *nz(const char *s);
static const char *find_first(const char *h, size_t hl, const char *n,
                              size_t nl);
static int is_blank_tail(const char *s, size_t a, size_t b);
static void piece_init(ext_ctx *x, piece *p, const char *s, uint32_t block,
                       vnp_span fallback);
static void apply_field(ext_ctx *x, ext_task *t, const char *field,
                        const piece *p, size_t a, size_t b);
static int piece_fields(ext_ctx *x, ext_task *t, const piece *p);
static const char *node_label_part(const vnp_node *n, size_t pos);
static const char *node_path(ext_ctx *x, const vnp_node *n);
static int heading_body(ext_ctx *x, const piece *p, int has_children,
                        int cue_only, leadset *out);
static void issuer_lead(ext_ctx *x, ext_task *t);
static int task_kind(const vnp_rules *rs, const char *kind);
static ext_task *new_task(walk *w, const vnp_node *n, const char *section);
static ext_task *task_before(walk *w, const vnp_node *n, uint32_t block,
                             size_t from);
static void table_tasks(walk *w, const vnp_node *n, const char *section,
                        const leadset *inherited);
static void table_targets(ext_ctx *x, const vnp_node *n);
static int field_line(ext_ctx *x, const piece *p, const char **field,
                      int *empty);
static int node_field_piece(ext_ctx *x, const vnp_node *n, piece *p);
static int is_label_heading(ext_ctx *x, const vnp_node *n);
static int is_field_node(walk *w, const vnp_node *n);
static void field_children(walk *w, ext_task *t, const vnp_node *n,
                           const char *field);
static ext_task *task_of(walk *w, const vnp_node *n, size_t from);
static void task_absorb(walk *w, size_t tix, const piece *p, vnp_span span,
                        int append);
static void walk_node(walk *w, const vnp_node *n, const char *section,
                      const leadset *inherited, int in_tasks);
static int plain_bullets(const vnp_node *n);
static void run_fields(walk *w, const idxvec *run, size_t owner,
                       const piece *fp);
static int has_field_kids(walk *w, const vnp_node *n);
static const vnp_node *lifted_fields(walk *w, const vnp_node *n,
                                     const char *isf);
static int no_task(ext_ctx *x, const piece *p);
static void absorb_item(walk *w, size_t tix, const vnp_node *c);
static void table_tasks(walk *w, const vnp_node *n, const char *section,
                        const leadset *inherited);

/* document-level passes */
static void doc_targets_piece(ext_ctx *x, const piece *p, int *h1, int *h2,
                              int governs);
static void table_targets(ext_ctx *x, const vnp_node *n);
static void doc_targets_node(ext_ctx *x, const vnp_node *n, int *h1, int *h2);
static void doc_targets_sub(ext_ctx *x, const vnp_node *n);
static int cite_cue_before(ext_ctx *x, const char *s, size_t len, size_t at);
static const char *norm_number(ext_ctx *x, const char *s);
static void doc_citations(ext_ctx *x, uint32_t preamble_end);
static void doc_bodies_funding(ext_ctx *x);
static void ctx_init(ext_ctx *x, vnp_doc *d, const vnp_rules *rs, vnp_arena *a,
                     const char *ref);
static void ctx_free(ext_ctx *x);

/* JSON */
static void span_json(json_w *w, vnp_span sp);
static void date_json(json_w *w, const char *key, const char *d);
static void body_json(json_w *w, const ext_body *b, int with_span);
static void deadline_json(json_w *w, const ext_deadline *dl, int with_span);
static void target_json(json_w *w, const ext_target *t, int with_span);
static void citation_json(json_w *w, const ext_citation *c, int with_span);
static void bodies_json(json_w *w, const char *key, const bodyvec *v);
static void funding_json(json_w *w, const char *key, const fundvec *v);

/* vnplan match */
static int want(const char *kind, const char *k);

/* ---- small text helpers (no vocabulary here) ---- */

static int is_space_punct(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' ||
         c == ';' || c == ':' || c == '.' || c == '*' || c == '(' || c == ')' ||
         c == '-' || c == '+' || c == '"' || c == '/';
}

/* Trims spaces and the given punctuation at both ends. */
static void trim_span(const char *s, size_t *a, size_t *b, const char *punct) {
  while (*a < *b && (s[*a] == ' ' || s[*a] == '\t' || s[*a] == '\n' ||
                     strchr(punct, s[*a])))
    (*a)++;
  while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t' ||
                     s[*b - 1] == '\n' || strchr(punct, s[*b - 1])))
    (*b)--;
}

static const char *adup(ext_ctx *x, const char *s, size_t n) {
  return arena_strndup(x->a, s, n);
}

/* Caseless comparison of two UTF-8 strings, code point by code point. */
static int ci_eq(const char *a, size_t an, const char *b, size_t bn) {
  size_t i = 0, j = 0;
  /* case pairs differ by at most one byte per character; a large length
   * difference cannot be equal */
  if (an > bn + bn / 2 + 2 || bn > an + an / 2 + 2)
    return 0;
  while (i < an && j < bn) {
    utf8proc_int32_t ca, cb;
    utf8proc_ssize_t la = utf8proc_iterate((const utf8proc_uint8_t *)a + i,
                                           (utf8proc_ssize_t)(an - i), &ca);
    utf8proc_ssize_t lb = utf8proc_iterate((const utf8proc_uint8_t *)b + j,
                                           (utf8proc_ssize_t)(bn - j), &cb);
    if (la <= 0 || lb <= 0)
      return 0;
    if (ca != cb && utf8proc_tolower(ca) != utf8proc_tolower(cb))
      return 0;
    i += (size_t)la;
    j += (size_t)lb;
  }
  return i == an && j == bn;
}

/* Collapses runs of white space to one space. */
static const char *squeeze(ext_ctx *x, const char *s, size_t n) {
  char *o = arena_alloc(x->a, n + 1);
  size_t k = 0;
  int sp = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      sp = 1;
      continue;
    }
    if (sp && k)
      o[k++] = ' ';
    sp = 0;
    o[k++] = c;
  }
  o[k] = 0;
  return o;
}

/* Is the word w (caseless) found in s at word boundaries? Returns the
 * byte offset of the last occurrence + 1, or 0. */
static size_t ci_find_last(const char *s, size_t n, const char *w) {
  size_t wl = strlen(w), best = 0;
  if (!wl || wl > n)
    return 0;
  for (size_t i = 0; i + wl <= n; i++) {
    if ((s[i] & 0xC0) == 0x80)
      continue;
    if (i > 0 && !is_space_punct((unsigned char)s[i - 1]))
      continue;
    if (i + wl < n && !is_space_punct((unsigned char)s[i + wl]))
      continue;
    if (ci_eq(s + i, wl, w, wl))
      best = i + 1;
  }
  return best;
}

/* ---- rule-side tables ---- */

/* values.tsv: group, surface, value. Returns the value for `surface`
 * (caseless, white space squeezed by the caller) or NULL. */
static const char *vmap(const vnp_rules *rs, const char *group, const char *s,
                        size_t n) {
  const rule_table *t = rules_table(rs, "values");
  if (!t)
    return NULL;
  while (n && (*s == ' '))
    s++, n--;
  while (n && s[n - 1] == ' ')
    n--;
  for (size_t i = 0; i < t->nrows; i++) {
    if (t->rowlen[i] < 3 || strcmp(t->rows[i][0], group) != 0)
      continue;
    if (ci_eq(t->rows[i][1], strlen(t->rows[i][1]), s, n))
      return t->rows[i][2];
  }
  return NULL;
}

static int in_list(const vnp_rules *rs, const char *list, const char *s) {
  const rule_list *l = rules_list(rs, list);
  if (!l || !s)
    return 0;
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->items[i], s) == 0)
      return 1;
  return 0;
}

static int col_index(const rule_table *t, const char *name) {
  for (size_t k = 0; t && k < t->ncols; k++)
    if (strcmp(t->header[k], name) == 0)
      return (int)k;
  return -1;
}

/* ---- dates ---- */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int mdays(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : dm[(m - 1) % 12];
}

static ymd add_months(ymd t, int n) {
  int m0 = t.y * 12 + (t.m - 1) + n;
  t.y = m0 / 12;
  t.m = m0 % 12 + 1;
  return t;
}

static ymd next_day(ymd t) {
  if (++t.d > mdays(t.y, t.m)) {
    t.d = 1;
    t = add_months(t, 1);
  }
  return t;
}

static void fmt_date(char out[11], ymd t) {
  if (t.y <= 0 || t.y > 9999) {
    out[0] = 0;
    return;
  }
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", t.y, t.m, t.d);
  memcpy(out, tmp, 10);
  out[10] = 0;
}

static int cmp_ymd(ymd a, ymd b) {
  if (a.y != b.y)
    return a.y < b.y ? -1 : 1;
  if (a.m != b.m)
    return a.m < b.m ? -1 : 1;
  return a.d < b.d ? -1 : a.d > b.d;
}

static int parse_ref(const char *s, ymd *o) {
  int y, m, d;
  if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
      d < 1 || d > 31)
    return 0;
  o->y = y;
  o->m = m;
  o->d = d;
  return 1;
}

/* Small integer from digits or a Roman numeral (I..XII); -1 if neither. */
static int parse_small(const char *s, size_t n) {
  while (n && *s == ' ')
    s++, n--;
  while (n && s[n - 1] == ' ')
    n--;
  if (!n || n > 6)
    return -1;
  if (s[0] >= '0' && s[0] <= '9') {
    int v = 0;
    for (size_t i = 0; i < n; i++) {
      if (s[i] < '0' || s[i] > '9')
        return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  }
  int v = 0, prev = 0;
  for (size_t i = n; i-- > 0;) {
    int c;
    switch (s[i] | 32) {
    case 'i':
      c = 1;
      break;
    case 'v':
      c = 5;
      break;
    case 'x':
      c = 10;
      break;
    default:
      return -1;
    }
    v += c < prev ? -c : c;
    if (c > prev)
      prev = c;
  }
  return v;
}

/* Vietnamese number: "5.000" = 5000, "10,5" = 10.5, "05" = 5. */
static int parse_vn_number(const char *s, size_t n, double *out) {
  char buf[64];
  size_t k = 0;
  int has_comma = memchr(s, ',', n) != NULL;
  for (size_t i = 0; i < n && k < sizeof buf - 1; i++) {
    char c = s[i];
    if (c >= '0' && c <= '9')
      buf[k++] = c;
    else if (c == ',')
      buf[k++] = '.';
    else if (c == '.') {
      /* thousands separator when a comma is the decimal mark or exactly
       * three digits follow */
      size_t j = i + 1, dg = 0;
      while (j < n && s[j] >= '0' && s[j] <= '9')
        j++, dg++;
      if (has_comma || dg == 3)
        continue;
      buf[k++] = '.';
    } else if (c == ' ')
      continue;
    else
      break;
  }
  buf[k] = 0;
  if (!k)
    return 0;
  *out = strtod(buf, NULL);
  return 1;
}

/* ---- scanning ---- */

static int cmp_hit_pref(const void *pa, const void *pb) {
  const ext_hit *a = pa, *b = pb;
  uint32_t la = a->e - a->s, lb = b->e - b->s;
  if (la != lb)
    return la > lb ? -1 : 1;
  if (a->r->priority != b->r->priority)
    return a->r->priority > b->r->priority ? -1 : 1;
  if (a->r->order != b->r->order)
    return a->r->order < b->r->order ? -1 : 1;
  return a->s < b->s ? -1 : a->s > b->s;
}

static int cmp_hit_pos(const void *pa, const void *pb) {
  const ext_hit *a = pa, *b = pb;
  return a->s < b->s ? -1 : a->s > b->s;
}

static void regex_limit(ext_ctx *x, const rule *r, int rc) {
  if (x->nlim < sizeof x->lim / sizeof *x->lim) {
    x->lim[x->nlim].r = r;
    x->lim[x->nlim].rc = rc;
  }
  x->nlim++;
  if (!x->d)
    return;
  vnp_span none = {0, 0, 0};
  doc_diag(x->d, "warning", "regex-limit", none,
           "rule %s stopped on a paragraph (PCRE2 error %d)", r->id, rc);
}

/* rules_of_kind, remembered per kind string: the callers pass the same
 * few string constants again and again. */
static size_t kind_rules(ext_ctx *x, const char *kind, const rule *const **rv) {
  for (size_t i = 0; i < x->nkc; i++)
    if (x->kc[i].kind == kind) {
      *rv = x->kc[i].rv;
      return x->kc[i].n;
    }
  size_t n = rules_of_kind(x->rs, kind, rv);
  if (x->nkc < sizeof x->kc / sizeof *x->kc) {
    x->kc[x->nkc].kind = kind;
    x->kc[x->nkc].rv = *rv;
    x->kc[x->nkc].n = n;
    x->nkc++;
  }
  return n;
}

/* Does s[0..len) hold an ASCII digit? Eight bytes at a time: a byte
 * strictly between '0' - 1 and '9' + 1 sets its high bit in the test
 * (bytes of 0x80 and above never do). */
static int has_digit(const char *s, size_t len) {
  const uint64_t ones = 0x0101010101010101ull, low7 = ones * 127;
  size_t k = 0;
  for (; k + 8 <= len; k += 8) {
    uint64_t v;
    memcpy(&v, s + k, 8);
    uint64_t t = ((ones * (127 + '9' + 1) - (v & low7)) & ~v &
                  ((v & low7) + ones * (127 - ('0' - 1)))) &
                 (ones * 128);
    if (t)
      return 1;
  }
  for (; k < len; k++)
    if (s[k] >= '0' && s[k] <= '9')
      return 1;
  return 0;
}

/* Sets x->wv/wn and x->words_any to the word starts of s[0..len) for the
 * indexed rules among rv[0..nr). The texts scanned live as long as the
 * document and never change: the word list of the last one serves every
 * kind scanned on it. The list of the last whole block read (x->wblock)
 * is kept too: a piece whose text lies inside that block's text gets its
 * list from it (rules_words_sub: only the words at the piece's ends are
 * read again). A whole block also keeps the starts of the citation rules,
 * so that doc_citations' pass over every block, after the walk, need not
 * read its words again: exact for rules whose bits are all in cbits (a
 * word's bits do not depend on what is scanned). */
static void scan_words(ext_ctx *x, const rule *const *rv, size_t nr,
                       const char *s, size_t len) {
  if (x->words_s == s && x->words_len == len) {
    x->wv = x->words.v;
    x->wn = x->words.n;
    return;
  }
  if (x->bw_s == s && x->bw_len == len) {
    x->wv = x->bwords.v;
    x->wn = x->bwords.n;
    x->words_any = x->bw_any;
    x->words_s = NULL;
    return;
  }
  struct vnp_ext *e = x->d ? x->d->ext : NULL;
  int blk = e && e->cblk && x->wblock >= 0 &&
            x->d->blocks.v[x->wblock].text == s &&
            x->d->blocks.v[x->wblock].len == len;
  if (blk && e->cblk[x->wblock].done) {
    uint64_t kbits = 0;
    for (size_t i = 0; i < nr; i++)
      kbits |= rv[i]->start_bit;
    if (!(kbits & ~e->cbits)) {
      x->wv = e->cw.v + e->cblk[x->wblock].off;
      x->wn = e->cblk[x->wblock].n;
      x->words_any = e->cblk[x->wblock].any;
      x->words_s = NULL; /* x->words does not hold them */
      return;
    }
  }
  /* a piece of the last block read (the same bytes: s points into it) */
  uintptr_t us = (uintptr_t)s, ub = (uintptr_t)x->bw_s;
  if (x->bw_s && us >= ub && us + len <= ub + x->bw_len) {
    x->words_any = rules_words_sub(x->rs, x->bw_s, x->bw_len, x->bwords.v,
                                   x->bwords.n, us - ub, us - ub + len,
                                   &x->words);
    x->words_s = s;
    x->words_len = len;
    x->wv = x->words.v;
    x->wn = x->words.n;
    return;
  }
  if (!blk) {
    x->words_any = rules_words(x->rs, s, len, &x->words);
    x->words_s = s;
    x->words_len = len;
    x->wv = x->words.v;
    x->wn = x->words.n;
    return;
  }
  x->bw_any = rules_words(x->rs, s, len, &x->bwords);
  x->bw_s = s;
  x->bw_len = len;
  x->words_any = x->bw_any;
  x->words_s = NULL;
  x->wv = x->bwords.v;
  x->wn = x->bwords.n;
  if (!e->cblk[x->wblock].done) {
    e->cblk[x->wblock].off = (uint32_t)e->cw.n;
    uint64_t any = 0;
    for (size_t i = 0; i < x->bwords.n; i++) {
      uint64_t m = x->bwords.v[i].mask & e->cbits;
      if (m) {
        rule_word w = {x->bwords.v[i].pos, m};
        vnp_vec_push(e->cw, w);
        any |= m;
      }
    }
    e->cblk[x->wblock].n = (uint32_t)(e->cw.n - e->cblk[x->wblock].off);
    e->cblk[x->wblock].any = any;
    e->cblk[x->wblock].done = 1;
  }
}

/* Runs the rules of `kind` (restricted to those whose emitted `emit_key`
 * equals `emit_val`, or that do not emit `emit_key` at all when emit_val is
 * NULL) over s[0..len); keeps an appelt selection sorted by position in
 * *out (cleared first). Returns the number of hits. */
static size_t scan_run(ext_ctx *x, const char *kind, const char *s, size_t len,
                       unsigned mode, const char *emit_key,
                       const char *emit_val, hitvec *out) {
  out->n = 0;
  const rule *const *rv;
  size_t nr = kind_rules(x, kind, &rv);
  hitvec *all = &x->h3;
  all->n = 0;
  int words = 0;  /* x->words holds this text's word starts */
  int by_role = emit_key && strcmp(emit_key, "role") == 0;
  for (size_t i = 0; i < nr; i++) {
    const rule *r = rv[i];
    if (emit_key) {
      const char *v = by_role ? r->emit_role : rule_emit(r, emit_key);
      if (emit_val ? (!v || strcmp(v, emit_val) != 0) : v != NULL)
        continue;
    }
    if (r->emit_scope && !(mode & SCAN_FIELDSCOPE))
      continue;
    if ((r->emit_needs || r->gate_id) &&
        (x->gate_s != s || x->gate_len != len)) {
      /* what is known of the text: once per text, not per scan */
      x->gate_s = s;
      x->gate_len = len;
      x->gate_known = x->gate_pass = 0;
      x->gate_digit = -1;
    }
    if (r->emit_needs) {
      /* needs=digit: the rule cannot match text without a digit */
      if (x->gate_digit < 0)
        x->gate_digit = has_digit(s, len);
      if (!x->gate_digit)
        continue;
    }
    if (r->gate_id) {
      /* the gate (a pattern every match contains) once per text */
      uint32_t gb = 1u << (r->gate_id - 1);
      if (!(x->gate_known & gb)) {
        x->gate_known |= gb;
        if (rule_gate(x->rs, r, s, len, x->md))
          x->gate_pass |= gb;
      }
      if (!(x->gate_pass & gb))
        continue;
    }
    if (r->start_bit && !words) {
      scan_words(x, rv, nr, s, len);
      words = 1;
    }
    if (r->start_bit && !(x->words_any & r->start_bit))
      continue; /* none of its first words in the text */
    size_t start = 0;
    while (start <= len) {
      int rc = r->start_bit ? rule_exec_words(x->rs, r, s, len, start, x->md,
                                              x->wv, x->wn)
                            : rule_exec(x->rs, r, s, len, start, x->md);
      if (rc < 0) {
        regex_limit(x, r, rc);
        break;
      }
      if (rc == 0)
        break;
      size_t ms, me;
      rule_span(x->md, &ms, &me);
      if (me > ms) {
        ext_hit h = {r, (uint32_t)ms, (uint32_t)me};
        vnp_vec_push(*all, h);
        start = me;
      } else {
        start = ms + 1;
        while (start < len && (s[start] & 0xC0) == 0x80)
          start++;
      }
    }
  }
  if (!all->n)
    return 0;
  qsort(all->v, all->n, sizeof(ext_hit), cmp_hit_pref);
  for (size_t i = 0; i < all->n; i++) {
    ext_hit *h = &all->v[i];
    int clash = 0;
    for (size_t j = 0; j < out->n && !clash; j++)
      clash = h->s < out->v[j].e && out->v[j].s < h->e;
    if (!clash)
      vnp_vec_push(*out, *h);
  }
  qsort(out->v, out->n, sizeof(ext_hit), cmp_hit_pos);
  return out->n;
}

/* scan_run, remembered: the walk over the tree asks for the same scan of
 * the same text again (a field line tested, then read; a paragraph's
 * fields tested, then applied), and gets the same hits (and the same
 * regex-limit diagnostics) from the memo. */
static size_t scan(ext_ctx *x, const char *kind, const char *s, size_t len,
                   unsigned mode, const char *emit_key, const char *emit_val,
                   hitvec *out) {
  out->n = 0;
  if (!len || len > VNP_MAX_EXTRACT_PARA)
    return 0;
  if (!x->memo)
    x->memo = xcalloc(MEMO_SLOTS, sizeof *x->memo);
  uint64_t h = (uint64_t)(uintptr_t)s * 0x9E3779B97F4A7C15ull;
  h ^= (uint64_t)len + ((uint64_t)(uintptr_t)kind << 7) + mode +
       ((uint64_t)(uintptr_t)emit_key << 3) +
       ((uint64_t)(uintptr_t)emit_val << 5);
  h *= 0xBF58476D1CE4E5B9ull;
  scan_memo *m = &x->memo[(h >> 40) & (MEMO_SLOTS - 1)];
  if (m->s == s && m->len == len && m->kind == kind && m->mode == mode &&
      m->key == emit_key && m->val == emit_val) {
    for (unsigned i = 0; i < m->nlim; i++)
      regex_limit(x, m->lim[i].r, m->lim[i].rc);
    for (unsigned i = 0; i < m->n; i++)
      vnp_vec_push(*out, m->hits[i]);
    return out->n;
  }
  x->nlim = 0;
  size_t n = scan_run(x, kind, s, len, mode, emit_key, emit_val, out);
  if (n <= MEMO_HITS && x->nlim <= sizeof m->lim / sizeof *m->lim) {
    m->kind = kind;
    m->s = s;
    m->len = len;
    m->mode = mode;
    m->key = emit_key;
    m->val = emit_val;
    m->n = (unsigned)n;
    if (n)
      memcpy(m->hits, out->v, n * sizeof(ext_hit));
    m->nlim = (unsigned)x->nlim;
    for (size_t i = 0; i < x->nlim; i++) {
      m->lim[i].r = x->lim[i].r;
      m->lim[i].rc = x->lim[i].rc;
    }
  } else {
    m->s = NULL; /* the slot's old scan may be gone from the caller's view */
  }
  return n;
}

/* Re-runs a kept hit so that x->md holds its groups. */
static int refill(ext_ctx *x, const ext_hit *h, const char *s, size_t len) {
  int rc = rule_exec(x->rs, h->r, s, len, h->s, x->md);
  if (rc <= 0)
    return 0;
  size_t ms, me;
  rule_span(x->md, &ms, &me);
  return ms == h->s;
}

static int grp(ext_ctx *x, const rule *r, const char *name, size_t *gs,
               size_t *ge) {
  return rule_group(r, x->md, name, gs, ge);
}

static int grp_int(ext_ctx *x, const rule *r, const char *s, const char *name) {
  size_t gs, ge;
  if (!grp(x, r, name, &gs, &ge))
    return 0;
  int v = parse_small(s + gs, ge - gs);
  return v < 0 ? 0 : v;
}

static const char *grp_str(ext_ctx *x, const rule *r, const char *s,
                           const char *name, const char *punct) {
  size_t gs, ge;
  if (!grp(x, r, name, &gs, &ge))
    return NULL;
  trim_span(s, &gs, &ge, punct);
  if (ge <= gs)
    return NULL;
  return squeeze(x, s + gs, ge - gs);
}

/* Is the gap s[a..b) only separators (a role rule emitting role=sep must
 * cover it entirely; an empty or blank gap always is)? */
static int sep_gap(ext_ctx *x, const char *s, size_t a, size_t b) {
  size_t i = a;
  while (i < b && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (i >= b)
    return 1;
  const rule *const *rv;
  size_t nr = kind_rules(x, "role", &rv);
  size_t pos = 0, n = b - a;
  int progress = 1;
  while (pos < n && progress) {
    progress = 0;
    for (size_t k = 0; k < nr && !progress; k++) {
      const char *v = rv[k]->emit_role;
      if (!v || strcmp(v, "sep") != 0)
        continue;
      int rc = rule_exec(x->rs, rv[k], s + a, n, pos, x->md);
      if (rc > 0) {
        size_t ms, me;
        rule_span(x->md, &ms, &me);
        if (ms == pos && me > pos) {
          pos = me;
          progress = 1;
        }
      }
    }
    while (pos < n && (s[a + pos] == ' ' || s[a + pos] == '\t'))
      pos++, progress = 1;
  }
  return pos >= n;
}

/* ---- deadlines ---- */

static endp get_endp(ext_ctx *x, const rule *r, const char *s,
                     const char *sfx) {
  endp e;
  memset(&e, 0, sizeof e);
  char nm[16];
  snprintf(nm, sizeof nm, "year%s", sfx);
  e.y = grp_int(x, r, s, nm);
  snprintf(nm, sizeof nm, "quarter%s", sfx);
  e.q = grp_int(x, r, s, nm);
  snprintf(nm, sizeof nm, "half%s", sfx);
  e.h = grp_int(x, r, s, nm);
  snprintf(nm, sizeof nm, "month%s", sfx);
  e.m = grp_int(x, r, s, nm);
  snprintf(nm, sizeof nm, "day%s", sfx);
  e.d = grp_int(x, r, s, nm);
  if (!e.h && !sfx[0] && rule_emit(r, "half"))
    e.h = atoi(rule_emit(r, "half"));
  if (e.q > 4)
    e.q = 0;
  if (e.h > 2)
    e.h = 0;
  if (e.m > 12)
    e.m = 0;
  if (e.d > 31 || !e.m)
    e.d = 0;
  e.has = e.y || e.q || e.h || e.m;
  return e;
}

static const char *endp_grain(const endp *e) {
  return e->d   ? "day"
         : e->m ? "month"
         : e->q ? "quarter"
         : e->h ? "half"
         : e->y ? "year"
                : NULL;
}

/* [start, end) of an endpoint whose year is set. */
static void endp_range(const endp *e, ymd *a, ymd *b) {
  a->y = e->y;
  a->m = 1;
  a->d = 1;
  if (e->d) {
    a->m = e->m;
    a->d = e->d > mdays(e->y, e->m) ? mdays(e->y, e->m) : e->d;
    *b = next_day(*a);
  } else if (e->m) {
    a->m = e->m;
    *b = add_months(*a, 1);
  } else if (e->q) {
    a->m = 3 * e->q - 2;
    *b = add_months(*a, 3);
  } else if (e->h) {
    a->m = 6 * e->h - 5;
    *b = add_months(*a, 6);
  } else {
    *b = add_months(*a, 12);
  }
}

static void endp_timex(const endp *e, char *out, size_t n) {
  if (e->d)
    snprintf(out, n, "%04d-%02d-%02d", e->y, e->m, e->d);
  else if (e->m)
    snprintf(out, n, "%04d-%02d", e->y, e->m);
  else if (e->q)
    snprintf(out, n, "%04d-Q%d", e->y, e->q);
  else if (e->h)
    snprintf(out, n, "%04d-H%d", e->y, e->h);
  else
    snprintf(out, n, "%04d", e->y);
}

static void resolve_deadline(ext_ctx *x, const rule *r, const char *s,
                             size_t len, ext_deadline *o) {
  (void)len;
  memset(o, 0, sizeof *o);
  size_t ms, me;
  rule_span(x->md, &ms, &me);
  trim_span(s, &ms, &me, ",;.:*");
  /* drop a parenthesis only when its partner is outside the match */
  if (me > ms && s[ms] == '(' && !memchr(s + ms, ')', me - ms))
    ms++;
  if (me > ms && s[me - 1] == ')' && !memchr(s + ms, '(', me - ms))
    me--;
  trim_span(s, &ms, &me, ",;.:*");
  o->text = squeeze(x, s + ms, me - ms);
  o->rule = r->id;
  const char *kind = rule_emit(r, "kind");
  const char *mod = rule_emit(r, "mod");
  endp e1 = get_endp(x, r, s, ""), e2 = get_endp(x, r, s, "2");
  /* recurrence */
  const char *every = rule_emit(r, "every");
  size_t gs, ge;
  if (grp(x, r, "every", &gs, &ge)) {
    const char *v = vmap(x->rs, "every", s + gs, ge - gs);
    if (v)
      every = v;
  }
  int n = grp_int(x, r, s, "n");
  if (n > 0 && grp(x, r, "unit", &gs, &ge)) {
    const char *u = vmap(x->rs, "period", s + gs, ge - gs);
    if (u) {
      int mult = 1;
      if (u[0] >= '0' && u[0] <= '9')
        mult = atoi(u);
      while (*u >= '0' && *u <= '9')
        u++;
      char buf[32];
      snprintf(buf, sizeof buf, "P%d%s", n * mult, u);
      every = adup(x, buf, strlen(buf));
    }
  }
  o->cond = grp_str(x, r, s, "cond", ",;.:*() ");
  if (!kind)
    kind = every     ? "recurring"
           : o->cond ? "conditional"
           : e1.has  ? (e1.d && !e2.has ? "point" : "interval")
                     : "unresolved";
  o->kind = kind;
  o->mod = mod;
  if (strcmp(kind, "recurring") == 0) {
    o->every = every;
    int dd = grp_int(x, r, s, "day3"), mm = grp_int(x, r, s, "month3");
    if (!mm && e1.m && e1.d && !e1.y) {
      dd = e1.d;
      mm = e1.m;
    }
    char buf[32];
    if (mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31) {
      snprintf(buf, sizeof buf, "--%02d-%02d", mm, dd);
      o->due = adup(x, buf, strlen(buf));
    }
    if (e1.q && !e1.y) {
      snprintf(buf, sizeof buf, "Q%d", e1.q);
      o->window = adup(x, buf, strlen(buf));
    } else if (e1.m && !e1.d && !e1.y) {
      snprintf(buf, sizeof buf, "--%02d", e1.m);
      o->window = adup(x, buf, strlen(buf));
    }
    o->timex = every;
    if (e1.y) {
      ymd a, b;
      endp_range(&e1, &a, &b);
      fmt_date(o->start, a);
      o->year_source = "explicit";
    }
    return;
  }
  if (strcmp(kind, "ongoing") == 0 || strcmp(kind, "conditional") == 0 ||
      !e1.has) {
    if (!e1.has && strcmp(kind, "ongoing") != 0 &&
        strcmp(kind, "conditional") != 0)
      o->kind = "unresolved";
    return;
  }
  o->grain = endp_grain(&e1);
  int explicit_y = e1.y || e2.y;
  int borrowed = 0;
  if (!e1.y) {
    e1.y = e2.y ? e2.y : x->ref.y;
    borrowed = 1;
  }
  if (e2.has && !e2.y)
    e2.y = e1.y;
  if (!e1.y) {
    o->kind = "unresolved";
    return;
  }
  o->year_source = explicit_y ? "explicit" : "document_date";
  ymd a1, b1, a2, b2;
  endp_range(&e1, &a1, &b1);
  if (e2.has) {
    endp_range(&e2, &a2, &b2);
    if (borrowed && cmp_ymd(a1, a2) > 0) { /* "from month 12 to month 3/2024" */
      e1.y--;
      endp_range(&e1, &a1, &b1);
    }
    b1 = b2;
  }
  char t1[32], t2[32], tx[72];
  endp_timex(&e1, t1, sizeof t1);
  if (e2.has) {
    endp_timex(&e2, t2, sizeof t2);
    snprintf(tx, sizeof tx, "%s/%s", t1, t2);
  } else {
    snprintf(tx, sizeof tx, "%s", t1);
  }
  o->timex = adup(x, tx, strlen(tx));
  if (mod && strcmp(mod, "BEFORE") == 0) {
    fmt_date(o->end, a1);
  } else if (mod && strcmp(mod, "ON_OR_BEFORE") == 0) {
    fmt_date(o->end, b1);
  } else if (mod && strcmp(mod, "AFTER") == 0) {
    fmt_date(o->start, b1);
  } else if (mod && strcmp(mod, "ON_OR_AFTER") == 0) {
    fmt_date(o->start, a1);
  } else {
    fmt_date(o->start, a1);
    fmt_date(o->end, b1);
  }
}

/* ---- targets ---- */

static void resolve_target(ext_ctx *x, const rule *r, const char *s,
                           ext_target *o) {
  memset(o, 0, sizeof *o);
  o->share_of = -1;
  size_t ms, me, gs, ge;
  rule_span(x->md, &ms, &me);
  trim_span(s, &ms, &me, ",;.:");
  o->text = squeeze(x, s + ms, me - ms);
  o->rule = r->id;
  o->h1 = grp_int(x, r, s, "horizon");
  o->h2 = grp_int(x, r, s, "horizon2");
  if (grp(x, r, "value", &gs, &ge))
    o->has_value = parse_vn_number(s + gs, ge - gs, &o->value);
  if (grp(x, r, "value2", &gs, &ge))
    o->has_value2 = parse_vn_number(s + gs, ge - gs, &o->value2);
  o->comparator = rule_emit(r, "comparator");
  if (grp(x, r, "comparator", &gs, &ge)) {
    const char *c = vmap(x->rs, "comparator", squeeze(x, s + gs, ge - gs),
                         strlen(squeeze(x, s + gs, ge - gs)));
    if (c)
      o->comparator = c;
  }
  if (grp(x, r, "unit", &gs, &ge)) {
    trim_span(s, &gs, &ge, ",;.:");
    const char *sq = squeeze(x, s + gs, ge - gs);
    const char *u = vmap(x->rs, "unit", sq, strlen(sq));
    o->unit = u ? u : sq;
  } else {
    o->unit = rule_emit(r, "unit");
  }
  o->indicator = grp_str(x, r, s, "indicator", ",;.:");
  if (rule_group(r, x->md, "share", &gs, &ge))
    o->share_of = -2; /* resolved by the caller */
}

/* ---- citations ---- */

static void resolve_citation(ext_ctx *x, const rule *r, const char *s,
                             ext_citation *o) {
  memset(o, 0, sizeof *o);
  size_t ms, me, gs, ge;
  rule_span(x->md, &ms, &me);
  o->text = squeeze(x, s + ms, me - ms);
  o->rule = r->id;
  o->relation = "cites";
  const char *ty = grp_str(x, r, s, "type", "");
  if (ty) {
    const char *c = vmap(x->rs, "doctype", ty, strlen(ty));
    o->type = c ? c : ty;
  } else {
    o->type = rule_emit(r, "type");
  }
  if (grp(x, r, "number", &gs, &ge)) {
    char *n = arena_alloc(x->a, ge - gs + 1);
    size_t k = 0;
    for (size_t i = gs; i < ge; i++)
      if (s[i] != ' ' && s[i] != '\t')
        n[k++] = s[i];
    while (k && (n[k - 1] == '.' || n[k - 1] == ',' || n[k - 1] == '-'))
      k--;
    n[k] = 0;
    o->number = n;
  }
  int d = grp_int(x, r, s, "day"), m = grp_int(x, r, s, "month");
  int y = grp_int(x, r, s, "year");
  if (y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= mdays(y, m)) {
    ymd t = {y, m, d};
    fmt_date(o->date, t);
  }
  o->issuer = grp_str(x, r, s, "issuer", ",;.:()");
}

/* ---- bodies ---- */

static void resolve_body(ext_ctx *x, const rule *r, const char *s,
                         ext_body *o) {
  memset(o, 0, sizeof *o);
  size_t bs, be;
  if (!grp(x, r, "body", &bs, &be))
    rule_span(x->md, &bs, &be);
  trim_span(s, &bs, &be, ",;.:()");
  o->text = squeeze(x, s + bs, be - bs);
  size_t tl = strlen(o->text);
  uint64_t h = 1469598103934665603ull ^ (uint64_t)(uintptr_t)r;
  for (size_t i = 0; i < tl; i++)
    h = (h ^ (unsigned char)o->text[i]) * 1099511628211ull;
  if (x->bcap) {
    for (size_t k = h & (x->bcap - 1); x->bc[k].text;
         k = (k + 1) & (x->bcap - 1))
      if (x->bc[k].h == h && x->bc[k].r == r &&
          strcmp(x->bc[k].text, o->text) == 0) {
        o->name = x->bc[k].name;
        o->level = x->bc[k].level;
        o->type = x->bc[k].type;
        return;
      }
  }
  resolve_body_lookup(x, r, s, o, tl);
  if ((x->bn + 1) * 2 > x->bcap) {
    size_t cap = x->bcap ? x->bcap * 2 : 256;
    bcache_ent *nb = xcalloc(cap, sizeof(bcache_ent));
    for (size_t i = 0; i < x->bcap; i++) {
      if (!x->bc[i].text)
        continue;
      size_t k = x->bc[i].h & (cap - 1);
      while (nb[k].text)
        k = (k + 1) & (cap - 1);
      nb[k] = x->bc[i];
    }
    free(x->bc);
    x->bc = nb;
    x->bcap = cap;
  }
  size_t k = h & (x->bcap - 1);
  while (x->bc[k].text)
    k = (k + 1) & (x->bcap - 1);
  bcache_ent ent = {h, r, o->text, o->name, o->level, o->type};
  x->bc[k] = ent;
  x->bn++;
}

static void resolve_body_lookup(ext_ctx *x, const rule *r, const char *s,
                                ext_body *o, size_t tl) {
  const rule_table *t = rules_table(x->rs, "bodies");
  int cn = col_index(t, "name"), ca = col_index(t, "aliases");
  int cl = col_index(t, "level"), ct = col_index(t, "type");
  for (size_t i = 0; t && cn >= 0 && i < t->nrows && !o->name; i++) {
    const char **row = t->rows[i];
    size_t rl = t->rowlen[i];
    int hit = (size_t)cn < rl && ci_eq(row[cn], strlen(row[cn]), o->text, tl);
    if (!hit && ca >= 0 && (size_t)ca < rl) {
      const char *c = row[ca];
      while (*c && !hit) {
        const char *bar = strchr(c, '|');
        size_t n = bar ? (size_t)(bar - c) : strlen(c);
        size_t a0 = 0, b0 = n;
        trim_span(c, &a0, &b0, "");
        hit = b0 > a0 && ci_eq(c + a0, b0 - a0, o->text, tl);
        if (!bar)
          break;
        c = bar + 1;
      }
    }
    if (hit) {
      o->name = row[cn];
      if (cl >= 0 && (size_t)cl < rl && row[cl][0])
        o->level = row[cl];
      if (ct >= 0 && (size_t)ct < rl && row[ct][0])
        o->type = row[ct];
    }
  }
  o->type = o->type ? o->type : rule_emit(r, "type");
  if (!o->type) {
    size_t hs, he;
    if (grp(x, r, "head", &hs, &he)) {
      const char *sq = squeeze(x, s + hs, he - hs);
      o->type = vmap(x->rs, "bodytype", sq, strlen(sq));
    }
  }
  if (!o->level)
    o->level = rule_emit(r, "level");
  if (!o->level)
    o->level = level_of(x, o->text, tl);
}

static int body_same(const ext_body *a, const ext_body *b) {
  if (a->name && b->name)
    return strcmp(a->name, b->name) == 0;
  return ci_eq(a->text, strlen(a->text), b->text, strlen(b->text));
}

/* Caseless FNV-1a hash of a body's canonical name or text. */
static uint64_t body_hash(const ext_body *b) {
  const char *s = b->name ? b->name : b->text;
  size_t n = strlen(s), i = 0;
  uint64_t h = 1469598103934665603ull;
  while (i < n) {
    utf8proc_int32_t c;
    utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &c);
    if (l <= 0)
      break;
    h = (h ^ (uint64_t)utf8proc_tolower(c)) * 1099511628211ull;
    i += (size_t)l;
  }
  return h;
}

/* Adds b to the document's distinct bodies (hash set: documents of
 * thousands of bodies stay linear). */
static void doc_body_add(struct vnp_ext *e, const ext_body *b) {
  if ((e->bodies.n + 1) * 2 > e->bcap) {
    size_t cap = e->bcap ? e->bcap * 2 : 64;
    uint32_t *set = xcalloc(cap, sizeof(uint32_t));
    for (size_t i = 0; i < e->bodies.n; i++) {
      size_t k = body_hash(&e->bodies.v[i]) & (cap - 1);
      while (set[k])
        k = (k + 1) & (cap - 1);
      set[k] = (uint32_t)i + 1;
    }
    free(e->bset);
    e->bset = set;
    e->bcap = cap;
  }
  size_t k = body_hash(b) & (e->bcap - 1);
  while (e->bset[k]) {
    if (body_same(&e->bodies.v[e->bset[k] - 1], b))
      return;
    k = (k + 1) & (e->bcap - 1);
  }
  vnp_vec_push(e->bodies, *b);
  e->bset[k] = (uint32_t)e->bodies.n;
}

static void body_add_unique(bodyvec *v, const ext_body *b) {
  for (size_t i = 0; i < v->n; i++)
    if (body_same(&v->v[i], b))
      return;
  vnp_vec_push(*v, *b);
}

/* ---- spans ---- */

static vnp_span piece_span(ext_ctx *x, const piece *p, size_t s, size_t e) {
  if (x->d && p->b)
    return doc_block_span(x->d, p->b, (uint32_t)(p->boff + s),
                          (uint32_t)(p->boff + e));
  if (!x->d) {
    vnp_span sp = {s, e, 1};
    return sp;
  }
  return p->span;
}

/* ---- composite scanners over one piece ---- */

/* Body hits of a piece: from the block's cached hits when the piece lies
 * in a block of the document, else scanned. */
static size_t body_scan(ext_ctx *x, const piece *p, hitvec *out) {
  struct vnp_ext *e = x->d ? x->d->ext : NULL;
  if (!e || !e->bblk || !p->b)
    return scan(x, "body", p->s, p->len, SCAN_ANY, NULL, NULL, out);
  size_t bi = (size_t)(p->b - x->d->blocks.v);
  if (!e->bblk[bi].done) {
    x->wblock = (long)bi;
    scan(x, "body", p->b->text, p->b->len, SCAN_ANY, NULL, NULL, &x->h4);
    x->wblock = -1;
    e->bblk[bi].off = (uint32_t)e->bh.n;
    e->bblk[bi].n = (uint32_t)x->h4.n;
    e->bblk[bi].done = 1;
    for (size_t i = 0; i < x->h4.n; i++)
      vnp_vec_push(e->bh, x->h4.v[i]);
  }
  out->n = 0;
  for (uint32_t i = 0; i < e->bblk[bi].n; i++) {
    ext_hit h = e->bh.v[e->bblk[bi].off + i];
    if (h.s < p->boff || h.e > p->boff + p->len)
      continue;
    h.s -= (uint32_t)p->boff;
    h.e -= (uint32_t)p->boff;
    vnp_vec_push(*out, h);
  }
  return out->n;
}

/* Bodies in a piece, resolved. */
static void piece_bodies(ext_ctx *x, const piece *p, hitvec *hv, bodyvec *out) {
  body_scan(x, p, hv);
  /* a whole block scanned here need not be scanned again for the
   * document's list of bodies */
  struct vnp_ext *e = x->d ? x->d->ext : NULL;
  int whole = e && e->bscanned && p->b && p->boff <= 16 && p->len == p->b->len;
  size_t kept = 0;
  for (size_t i = 0; i < hv->n; i++) {
    if (!refill(x, &hv->v[i], p->s, p->len))
      continue;
    /* hv keeps only the hits that became bodies: callers rely on
     * hv->v[k] <-> out->v[k] (a hit that does not match again in the
     * piece, e.g. at its edge, would shift them) */
    hv->v[kept++] = hv->v[i];
    ext_body b;
    resolve_body(x, hv->v[i].r, p->s, &b);
    b.span = piece_span(x, p, hv->v[i].s, hv->v[i].e);
    vnp_vec_push(*out, b);
    if (whole)
      doc_body_add(e, &b);
  }
  hv->n = kept;
  if (whole)
    e->bscanned[p->b - x->d->blocks.v] = 1;
}

/* Syllables (space-separated words) of s[a..b); *wend: end of the first. */
static size_t first_word_syll(const char *s, size_t a, size_t b, size_t *wend) {
  size_t n = 0, i = a;
  *wend = a;
  while (i < b) {
    while (i < b && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'))
      i++;
    if (i >= b)
      break;
    n++;
    while (i < b && s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
      i++;
    if (n == 1)
      *wend = i;
  }
  return n;
}

/* Is s[0..n) (caseless) an item of the list? */
static int word_in_list(const vnp_rules *rs, const char *list, const char *s,
                        size_t n) {
  return rules_list_find(rules_list(rs, list), s, n, ci_eq) != NULL;
}

/* Unknown bodies after a partner cue ('phối hợp với <not a known body>'):
 * the text from q up to the first role=stop hit (a word that begins the
 * predicate, or a clause mark), split at role=split hits. A short item
 * after a comma that does not open a new body (body_openers) completes the
 * one before it ('các tỉnh, thành phố'). An item that is exactly a body hit
 * is that body; any other is its surface text with no name. An item of more
 * than VNP_FALLBACK_SYLL syllables ends the list; after a ';' stop the list
 * goes on. Returns the number of bodies added to dst. */
static size_t partner_fallback(ext_ctx *x, const piece *p, const hitvec *bpos,
                               const bodyvec *bodies, const hitvec *stops,
                               const hitvec *splits, size_t q, bodyvec *dst) {
  enum { MAXIT = 16 };
  size_t added = 0;
  for (int seg = 0; seg < MAXIT; seg++) {
    while (q < p->len && (p->s[q] == ' ' || p->s[q] == '\t'))
      q++;
    size_t stop = p->len;
    for (size_t i = 0; i < stops->n; i++)
      if (stops->v[i].s >= q) {
        stop = stops->v[i].s;
        break;
      }
    struct {
      size_t a, b;
      int comma;
    } it[MAXIT];
    size_t ni = 0, a = q;
    int comma = 0;
    for (size_t i = 0; i <= splits->n && ni < MAXIT; i++) {
      size_t e = stop, next = stop;
      int c2 = 0;
      if (i < splits->n) {
        if (splits->v[i].s < a)
          continue;
        if (splits->v[i].s >= stop)
          i = splits->n;
        else {
          e = splits->v[i].s;
          next = splits->v[i].e;
          c2 = 1;
          for (size_t k = e; k < next; k++)
            if (p->s[k] != ' ' && p->s[k] != ',' && p->s[k] != '\t')
              c2 = 0;
        }
      }
      size_t ia = a, ib = e;
      trim_span(p->s, &ia, &ib, ",;");
      if (ib > ia) {
        size_t we;
        size_t syl = first_word_syll(p->s, ia, ib, &we);
        if (ni && comma && syl <= 2 &&
            !word_in_list(x->rs, "body_openers", p->s + ia, we - ia))
          it[ni - 1].b = ib;
        else {
          it[ni].a = ia;
          it[ni].b = ib;
          it[ni].comma = comma;
          ni++;
        }
      }
      a = next;
      comma = c2;
      if (e >= stop)
        break;
    }
    size_t seg_added = 0;
    for (size_t k = 0; k < ni; k++) {
      size_t we;
      size_t syl = first_word_syll(p->s, it[k].a, it[k].b, &we);
      unsigned char c0 = (unsigned char)p->s[it[k].a];
      if (syl > VNP_FALLBACK_SYLL ||
          (c0 < 0x80 && !((c0 | 0x20) >= 'a' && (c0 | 0x20) <= 'z')))
        return added;
      ext_body b;
      memset(&b, 0, sizeof b);
      for (size_t j = 0; j < bpos->n && !b.text; j++)
        if (bpos->v[j].s == it[k].a && bpos->v[j].e == it[k].b)
          b = bodies->v[j];
      if (!b.text) {
        b.text = squeeze(x, p->s + it[k].a, it[k].b - it[k].a);
        b.span = piece_span(x, p, it[k].a, it[k].b);
      }
      body_add_unique(dst, &b);
      added++, seg_added++;
    }
    if (!seg_added || stop >= p->len || p->s[stop] != ';')
      break;
    q = stop + 1;
  }
  return added;
}

/* Roles in a piece: lead before a lead cue, partners and report-to bodies
 * chained after their cue. */
static void piece_roles(ext_ctx *x, const piece *p, bodyvec *lead,
                        bodyvec *partners, bodyvec *report_to) {
  hitvec *bh = &x->h1, *rh = &x->h2;
  bodyvec bodies = {0};
  piece_bodies(x, p, bh, &bodies);
  /* bodies and their hit offsets stay parallel: bh->v[i] <-> bodies.v[i] */
  hitvec bpos = {0};
  for (size_t i = 0; i < bh->n; i++)
    vnp_vec_push(bpos, bh->v[i]);
  hitvec stops = {0}, splits = {0}; /* scanned at the first partner cue */
  int fb_scanned = 0;
  int coordinates = 0; /* a partner cue after its bodies ('<X> ... coordinate') */
  const char *roles[] = {"lead", "partner", "report_to"};
  for (int k = 0; k < 3; k++) {
    hitvec cues = {0};
    scan(x, "role", p->s, p->len, SCAN_ANY, "role", roles[k], rh);
    for (size_t i = 0; i < rh->n; i++)
      vnp_vec_push(cues, rh->v[i]);
    for (size_t c = 0; c < cues.n; c++) {
      const ext_hit *cue = &cues.v[c];
      const char *side = rule_emit(cue->r, "side");
      bodyvec *dst = k == 0 ? lead : k == 1 ? partners : report_to;
      if (side && strcmp(side, "before") == 0) {
        coordinates |= k == 1;
        /* the nearest body ending before the cue, separated by a gap of
         * separators only */
        size_t at = cue->s;
        size_t first = bpos.n;
        for (size_t i = bpos.n; i-- > 0;) {
          if (bpos.v[i].e > at)
            continue;
          if (!sep_gap(x, p->s, bpos.v[i].e, at))
            break;
          first = i;
          at = bpos.v[i].s;
        }
        for (size_t i = first; i < bpos.n && bpos.v[i].e <= cue->s; i++)
          body_add_unique(dst, &bodies.v[i]);
        if (k == 0 && first == bpos.n && is_blank_tail(p->s, 0, cue->s))
          x->self_lead = 1; /* a lead cue opening an item */
      } else {
        size_t at = cue->e, chained = 0;
        for (size_t i = 0; i < bpos.n; i++) {
          if (bpos.v[i].s < at)
            continue;
          if (!sep_gap(x, p->s, at, bpos.v[i].s))
            break;
          body_add_unique(dst, &bodies.v[i]);
          at = bpos.v[i].e;
          chained++;
        }
        if (k == 1 && !fb_scanned) {
          fb_scanned = 1;
          scan(x, "role", p->s, p->len, SCAN_ANY, "role", "stop", rh);
          for (size_t i = 0; i < rh->n; i++)
            vnp_vec_push(stops, rh->v[i]);
          scan(x, "role", p->s, p->len, SCAN_ANY, "role", "split", rh);
          for (size_t i = 0; i < rh->n; i++)
            vnp_vec_push(splits, rh->v[i]);
        }
        if (k == 1) {
          /* unknown bodies: right after the cue, or after a separator
           * that ends the chain of known ones */
          size_t q = chained ? 0 : at;
          for (size_t i = 0; chained && i < splits.n && !q; i++)
            if (splits.v[i].s == at)
              q = splits.v[i].e;
          if (q)
            partner_fallback(x, p, &bpos, &bodies, &stops, &splits, q, dst);
        }
      }
    }
    vnp_vec_free(cues);
  }
  /* no lead cue: the bodies opening the piece are its subject ('<body>
   * and <body> go on to ...'), unless the predicate makes them partners */
  if (x->subject && !lead->n && !coordinates && bpos.n &&
      is_blank_tail(p->s, 0, bpos.v[0].s)) {
    size_t e = 1;
    while (e < bpos.n && sep_gap(x, p->s, bpos.v[e - 1].e, bpos.v[e].s))
      e++;
    for (size_t i = 0; i < e; i++)
      body_add_unique(lead, &bodies.v[i]);
  }
  vnp_vec_free(stops);
  vnp_vec_free(splits);
  vnp_vec_free(bpos);
  vnp_vec_free(bodies);
}

/* Two undated deadlines of one kind and recurrence ("ongoing" in the text
 * and again in the field line under it) say the same thing once. */
static int dl_same_undated(const ext_deadline *a, const ext_deadline *b) {
  if (a->start[0] || a->end[0] || b->start[0] || b->end[0])
    return 0;
  if (!a->kind || !b->kind || strcmp(a->kind, b->kind) != 0)
    return 0;
  if (!a->every != !b->every || (a->every && strcmp(a->every, b->every) != 0))
    return 0;
  return !a->due && !b->due && !a->window && !b->window && !a->cond && !b->cond;
}

/* Deadlines in a piece (field scope for field values and table cells),
 * skipping anything inside a citation. Returns how many were found
 * (those already in `out` included). */
static size_t piece_deadlines(ext_ctx *x, const piece *p, unsigned mode,
                              dlvec *out) {
  hitvec cites = {0};
  size_t found = 0;
  if (!scan(x, "deadline", p->s, p->len, mode, NULL, NULL, &x->h2))
    return 0;
  hitvec dh = {0};
  for (size_t i = 0; i < x->h2.n; i++)
    vnp_vec_push(dh, x->h2.v[i]);
  /* citations only matter when a deadline might sit inside one */
  scan(x, "citation", p->s, p->len, SCAN_ANY, "role", NULL, &x->h1);
  for (size_t i = 0; i < x->h1.n; i++)
    vnp_vec_push(cites, x->h1.v[i]);
  for (size_t i = 0; i < dh.n; i++) {
    int masked = 0;
    for (size_t j = 0; j < cites.n && !masked; j++)
      masked = dh.v[i].s < cites.v[j].e && cites.v[j].s < dh.v[i].e;
    if (masked || !refill(x, &dh.v[i], p->s, p->len))
      continue;
    ext_deadline dl;
    resolve_deadline(x, dh.v[i].r, p->s, p->len, &dl);
    dl.span = piece_span(x, p, dh.v[i].s, dh.v[i].e);
    int dup = 0;
    for (size_t k = 0; k < out->n && !dup; k++)
      dup = (x->d && out->v[k].span.start == dl.span.start &&
             out->v[k].span.end == dl.span.end) ||
            dl_same_undated(&out->v[k], &dl);
    found++;
    if (!dup)
      vnp_vec_push(*out, dl);
  }
  vnp_vec_free(dh);
  vnp_vec_free(cites);
  return found;
}

/* Splits s[a..b) at separator matches (role rules emitting role=sep)
 * into trimmed items, as ranges of s; an item opening with a word of
 * predicate_starts.lst continues the item before it. */
static void split_ranges(ext_ctx *x, const char *s, size_t a, size_t b,
                         rangevec *out) {
  /* separators inside a body name ("Ministry of A and B") do not split */
  scan(x, "body", s + a, b - a, SCAN_ANY, NULL, NULL, &x->h2);
  scan(x, "role", s + a, b - a, SCAN_ANY, "role", "sep", &x->h1);
  size_t at = 0, n = b - a, first = out->n;
  const char *base = s + a;
  for (size_t i = 0; i <= x->h1.n; i++) {
    int inside = 0;
    for (size_t k = 0; i < x->h1.n && k < x->h2.n && !inside; k++)
      inside = x->h1.v[i].s > x->h2.v[k].s && x->h1.v[i].s < x->h2.v[k].e;
    if (inside)
      continue;
    size_t e = i < x->h1.n ? x->h1.v[i].s : n;
    size_t p = at, q = e;
    trim_span(base, &p, &q, ",;.:*()");
    if (q > p) {
      /* an item that opens with a predicate word ('tham mưu, giúp việc
       * thuộc ...') is no item of its own: it goes on with the one before */
      size_t w1, w2 = p;
      first_word_syll(base, p, q, &w1);
      if (w1 < q)
        first_word_syll(base, w1, q, &w2);
      if (out->n > first &&
          (word_in_list(x->rs, "predicate_starts", base + p, w1 - p) ||
           (w2 > w1 &&
            word_in_list(x->rs, "predicate_starts", base + p, w2 - p))))
        out->v[out->n - 1].e = a + q;
      else {
        ext_range r = {a + p, a + q};
        vnp_vec_push(*out, r);
      }
    }
    if (i < x->h1.n)
      at = x->h1.v[i].e;
  }
}

/* split_ranges, as squeezed texts. */
static void split_list(ext_ctx *x, const char *s, size_t a, size_t b,
                       strvec *out) {
  rangevec rv = {0};
  split_ranges(x, s, a, b, &rv);
  for (size_t i = 0; i < rv.n; i++)
    vnp_vec_push(*out, squeeze(x, s + rv.v[i].s, rv.v[i].e - rv.v[i].s));
  vnp_vec_free(rv);
}

/* The level of a name or source from its level words (values.tsv group
 * "level"): the last one in the text wins (a committee "of the province
 * Party committee" is provincial). */
static const char *level_of(ext_ctx *x, const char *s, size_t n) {
  const rule_table *v = rules_table(x->rs, "values");
  /* phrases whose level word names no level (values.tsv group
   * "level_not": society, the countryside) are masked first */
  char *m = NULL;
  for (size_t i = 0; v && i < v->nrows; i++) {
    if (v->rowlen[i] < 2 || strcmp(v->rows[i][0], "level_not") != 0)
      continue;
    const char *ph = v->rows[i][1];
    size_t pl = strlen(ph);
    for (size_t k = 0; pl && k + pl <= n; k++) {
      if ((k > 0 && !is_space_punct((unsigned char)s[k - 1])) ||
          (k + pl < n && !is_space_punct((unsigned char)s[k + pl])) ||
          !ci_eq(s + k, pl, ph, pl))
        continue;
      if (!m) {
        m = xmalloc(n ? n : 1);
        memcpy(m, s, n);
      }
      memset(m + k, '_', pl);
    }
  }
  const char *t = m ? m : s;
  const char *level = NULL;
  size_t best = 0;
  for (size_t i = 0; v && i < v->nrows; i++) {
    if (v->rowlen[i] < 3 || strcmp(v->rows[i][0], "level") != 0)
      continue;
    size_t at = ci_find_last(t, n, v->rows[i][1]);
    if (at > best) {
      best = at;
      level = v->rows[i][2];
    }
  }
  free(m);
  return level;
}

/* The sources listed in p->s[a..b) (a funding statement's `source` group
 * or a funding field's value), each with its span, kind and level, added
 * to out unless out already names it. */
static void funding_items(ext_ctx *x, const piece *p, size_t a, size_t b,
                          const rule *r, fundvec *out) {
  rangevec rv = {0};
  split_ranges(x, p->s, a, b, &rv);
  for (size_t i = 0; i < rv.n; i++) {
    ext_funding f;
    memset(&f, 0, sizeof f);
    size_t fs = rv.v[i].s, fe = rv.v[i].e;
    f.text = squeeze(x, p->s + fs, fe - fs);
    size_t tl = strlen(f.text), k = 0;
    for (; k < out->n; k++)
      if (ci_eq(out->v[k].text, strlen(out->v[k].text), f.text, tl))
        break;
    if (k < out->n)
      continue;
    /* the kind and level: the first classifying rule (role=type) in the
     * text; its group `level` holds the level words of the budget
     * (the budget of a district) */
    if (scan(x, "funding", f.text, tl, SCAN_ANY, "role", "type", &x->h1)) {
      const ext_hit *h = &x->h1.v[0];
      size_t ls, le;
      f.source = rule_emit(h->r, "source");
      f.level = rule_emit(h->r, "level");
      if (refill(x, h, f.text, tl) && grp(x, h->r, "level", &ls, &le))
        f.level = level_of(x, f.text + ls, le - ls);
    }
    f.rule = r ? r->id : NULL;
    f.span = piece_span(x, p, fs, fe);
    vnp_vec_push(*out, f);
  }
  vnp_vec_free(rv);
}

/* ---- tasks ---- */

static const char *nz(const char *s) { return s && *s ? s : NULL; }

static int is_blank_tail(const char *s, size_t a, size_t b) {
  for (size_t i = a; i < b; i++)
    if (!is_space_punct((unsigned char)s[i]))
      return 0;
  return 1;
}

/* The first occurrence of n[0..nl) in h[0..hl), as memmem. A node's text
 * usually sits a few bytes into its block (after its number): those
 * first positions are tried directly, which avoids memmem's table setup
 * for long needles on every piece. */
static const char *find_first(const char *h, size_t hl, const char *n,
                              size_t nl) {
  if (nl > hl)
    return NULL;
  size_t near = hl - nl + 1 < 64 ? hl - nl + 1 : 64;
  for (size_t i = 0; i < near; i++) {
    const char *q = memchr(h + i, n[0], near - i);
    if (!q)
      break;
    i = (size_t)(q - h);
    if (memcmp(q, n, nl) == 0)
      return q;
  }
  if (near == hl - nl + 1)
    return NULL;
  return memmem(h + near, hl - near, n, nl);
}

/* Where is `sub` inside block text? Sets the piece's block offset. */
static void piece_init(ext_ctx *x, piece *p, const char *s, uint32_t block,
                       vnp_span fallback) {
  memset(p, 0, sizeof *p);
  p->s = s ? s : "";
  p->len = strlen(p->s);
  p->span = fallback;
  if (!x->d || !s || block >= x->d->blocks.n)
    return;
  const vnp_block *b = &x->d->blocks.v[block];
  const char *at = NULL;
  if (s >= b->text && s < b->text + b->len)
    at = s;
  else if (p->len)
    at = find_first(b->text, b->len, s, p->len);
  if (at) {
    p->b = b;
    p->boff = (size_t)(at - b->text);
  }
}

/* Applies one field (lead, partners, report_to, deadline, funding,
 * result) with value s[a..b) of piece p to task t. */
static void apply_field(ext_ctx *x, ext_task *t, const char *field,
                        const piece *p, size_t a, size_t b) {
  trim_span(p->s, &a, &b, ",;.:*()");
  if (b <= a)
    return;
  piece v = *p;
  v.s = p->s + a;
  v.len = b - a;
  v.boff = p->boff + a;
  if (strcmp(field, "deadline") == 0) {
    if (!piece_deadlines(x, &v, SCAN_FIELDSCOPE, &t->deadline)) {
      ext_deadline dl;
      memset(&dl, 0, sizeof dl);
      dl.kind = "unresolved";
      dl.text = squeeze(x, v.s, v.len);
      dl.span = piece_span(x, &v, 0, v.len);
      vnp_vec_push(t->deadline, dl);
    }
  } else if (strcmp(field, "lead") == 0 || strcmp(field, "partners") == 0 ||
             strcmp(field, "report_to") == 0) {
    bodyvec *dst = field[0] == 'l'   ? &t->lead
                   : field[0] == 'p' ? &t->partners
                                     : &t->report_to;
    if (field[0] == 'l' && !t->lead_explicit) {
      t->lead.n = 0; /* an explicit field beats an inherited heading */
      t->lead_explicit = 1;
    }
    /* the value is a list: each item is a body when a body name covers
     * most of it, else the item as written (a person or a post) */
    strvec items = {0};
    if (field[0] == 'l' && !body_scan(x, &v, &x->h2))
      vnp_vec_push(items, squeeze(x, v.s, v.len)); /* a person, a post */
    else
      split_list(x, p->s, a, b, &items);
    for (size_t k = 0; k < items.n; k++) {
      piece ip = v;
      const char *at = strstr(p->s + a, items.v[k]);
      ip.s = items.v[k];
      ip.len = strlen(items.v[k]);
      ip.b = at ? p->b : NULL;
      ip.boff = at ? p->boff + (size_t)(at - p->s) : 0;
      bodyvec found = {0};
      piece_bodies(x, &ip, &x->h2, &found);
      size_t covered = 0;
      for (size_t j = 0; j < found.n; j++)
        covered += strlen(found.v[j].text);
      if (found.n && covered * 5 >= ip.len * 3) {
        for (size_t j = 0; j < found.n; j++)
          body_add_unique(dst, &found.v[j]);
      } else {
        ext_body bd;
        memset(&bd, 0, sizeof bd);
        bd.text = items.v[k];
        bd.span = piece_span(x, &ip, 0, ip.len);
        body_add_unique(dst, &bd);
      }
      vnp_vec_free(found);
    }
    vnp_vec_free(items);
  } else if (strcmp(field, "funding") == 0) {
    funding_items(x, p, a, b, NULL, &t->funding);
  } else if (strcmp(field, "result") == 0) {
    t->result = squeeze(x, v.s, v.len);
    t->result_span = piece_span(x, &v, 0, v.len);
  }
}

/* Field lines in a piece. Returns 1 if the whole piece is a field line
 * (it then belongs to the task above rather than being text). */
static int piece_fields(ext_ctx *x, ext_task *t, const piece *p) {
  hitvec fh = {0};
  scan(x, "field", p->s, p->len, SCAN_ANY, NULL, NULL, &x->h1);
  for (size_t i = 0; i < x->h1.n; i++)
    vnp_vec_push(fh, x->h1.v[i]);
  int whole = 0;
  for (size_t i = 0; i < fh.n; i++) {
    if (!refill(x, &fh.v[i], p->s, p->len))
      continue;
    const char *field = rule_emit(fh.v[i].r, "field");
    size_t gs, ge;
    if (!field || !rule_group(fh.v[i].r, x->md, "value", &gs, &ge))
      continue;
    if (is_blank_tail(p->s, 0, fh.v[i].s))
      whole = 1;
    if (t)
      apply_field(x, t, field, p, gs, ge);
  }
  vnp_vec_free(fh);
  return whole;
}

static const char *node_label_part(const vnp_node *n, size_t pos) {
  (void)pos;
  return n->number;
}

/* Numbering path "IV.2.b": numbers of the node and its ancestors; a
 * bullet counts its position among its unnumbered siblings; a dotted
 * number that extends its parent's ("1.2" under "1") replaces it. A
 * bullet whose siblings include numbered items ("2." over "- <bullet>"
 * and "2.1.") is joined with '-' instead of '.' ("IV.2-1"), so that its
 * ordinal never collides with a number ("IV.2.1"). */
static const char *node_path(ext_ctx *x, const vnp_node *n) {
  const vnp_node *chain[VNP_MAX_DEPTH * 4];
  size_t k = 0;
  for (const vnp_node *c = n;
       c && c->parent && k < sizeof chain / sizeof *chain; c = c->parent)
    chain[k++] = c;
  vnp_buf b = VNP_BUF_INIT;
  const char *prev = NULL;
  for (size_t i = k; i-- > 0;) {
    const vnp_node *c = chain[i];
    char tmp[32];
    char sep = '.';
    const char *num = node_label_part(c, 0);
    if (!num || !*num) {
      size_t dp = k - 1 - i; /* depth from the top */
      if (x->mix[dp].parent != c->parent) {
        x->mix[dp].parent = c->parent;
        x->mix[dp].mixed = 0;
        for (const vnp_node *s = c->parent->first; s && !x->mix[dp].mixed;
             s = s->next)
          x->mix[dp].mixed = nz(s->number) != NULL;
      }
      if (x->mix[dp].mixed)
        sep = '-';
      size_t pos = 1;
      const vnp_node *s = c->parent->first;
      if (x->ord_node && x->ord_node->parent == c->parent) {
        /* resume after the last counted sibling if it comes before c */
        const vnp_node *t = x->ord_node;
        size_t p = x->ord_pos;
        int before = 0;
        for (const vnp_node *u = t; u; u = u->next)
          if (u == c) {
            before = 1;
            break;
          }
        if (before) {
          s = t;
          pos = p;
        }
      }
      for (; s && s != c; s = s->next)
        if (!s->number || !*s->number)
          pos++;
      x->ord_node = c;
      x->ord_pos = pos;
      snprintf(tmp, sizeof tmp, "%zu", pos);
      num = tmp;
    }
    if (prev && strncmp(num, prev, strlen(prev)) == 0 &&
        num[strlen(prev)] == '.') {
      /* replace the parent's component */
      size_t cut = b.len - strlen(prev);
      vnp_buf_truncate(&b, cut);
    } else if (b.len) {
      vnp_buf_putc(&b, sep);
    }
    vnp_buf_puts(&b, num);
    prev = c->number && *c->number ? c->number : NULL;
  }
  const char *r = adup(x, b.ptr, b.len);
  vnp_buf_free(&b);
  return r;
}

/* A heading that names a body (the whole heading is a list of bodies, or
 * it starts with one and has items under it or ends with a colon) gives
 * its descendants a lead. cue_only (a top-level section): only when a lead
 * cue naming the bodies after it opens the title ('<tasks> OF <body>'). */
static int heading_body(ext_ctx *x, const piece *p, int has_children,
                        int cue_only, leadset *out) {
  if (!p->len)
    return 0;
  hitvec hv = {0};
  size_t from = 0;
  body_scan(x, p, &x->h2);
  if (!x->h2.n || !is_blank_tail(p->s, 0, x->h2.v[0].s)) {
    /* a lead cue that names the bodies after it ('<to> <bodies>:') may
     * open the heading: the bodies start after it */
    scan(x, "role", p->s, p->len, SCAN_ANY, "role", "lead", &x->h1);
    for (size_t i = 0; i < x->h1.n && !from; i++) {
      const char *side = rule_emit(x->h1.v[i].r, "side");
      if (side && strcmp(side, "after") == 0 &&
          is_blank_tail(p->s, 0, x->h1.v[i].s))
        from = x->h1.v[i].e;
    }
  }
  if (cue_only && !from)
    return 0;
  for (size_t i = 0; i < x->h2.n; i++)
    if (x->h2.v[i].s >= from)
      vnp_vec_push(hv, x->h2.v[i]);
  int ok = hv.n && is_blank_tail(p->s, from, hv.v[0].s);
  size_t chain = 0;
  if (ok) {
    chain = 1;
    while (chain < hv.n && sep_gap(x, p->s, hv.v[chain - 1].e, hv.v[chain].s))
      chain++;
    size_t e = p->len;
    while (e && (p->s[e - 1] == ' ' || p->s[e - 1] == '*'))
      e--;
    int colon = e && p->s[e - 1] == ':';
    if (!p->b && !colon) {
      /* the heading text may have lost its colon: look in the block */
    } else if (p->b && !colon) {
      size_t be = p->boff + p->len;
      while (be < p->b->len && (p->b->text[be] == ' ' || p->b->text[be] == '*'))
        be++;
      colon = be < p->b->len && p->b->text[be] == ':';
    }
    ok =
        colon || has_children || is_blank_tail(p->s, hv.v[chain - 1].e, p->len);
  }
  if (ok) {
    ext_body *v = arena_alloc(x->a, chain * sizeof(ext_body));
    for (size_t i = 0; i < chain; i++) {
      if (!refill(x, &hv.v[i], p->s, p->len)) {
        chain = i;
        break;
      }
      resolve_body(x, hv.v[i].r, p->s, &v[i]);
      v[i].span = piece_span(x, p, hv.v[i].s, hv.v[i].e);
    }
    out->v = v;
    out->n = chain;
    ok = chain > 0;
  }
  vnp_vec_free(hv);
  return ok;
}

/* A lead cue with no body and no heading: the issuing body leads. */
static void issuer_lead(ext_ctx *x, ext_task *t) {
  const vnp_field *f =
      nz(x->d->authority.text) ? &x->d->authority : &x->d->issuer;
  if (!nz(f->text))
    return;
  piece p;
  memset(&p, 0, sizeof p);
  p.s = f->text;
  p.len = strlen(f->text);
  p.span = f->span;
  bodyvec found = {0};
  piece_bodies(x, &p, &x->h2, &found);
  ext_body b;
  if (found.n == 1) {
    b = found.v[0];
  } else {
    memset(&b, 0, sizeof b);
    b.text = f->text;
  }
  b.span = f->span;
  vnp_vec_push(t->lead, b);
  vnp_vec_free(found);
}

static int task_kind(const vnp_rules *rs, const char *kind) {
  return kind && in_list(rs, "task_sections", kind);
}

static ext_task *new_task(walk *w, const vnp_node *n, const char *section) {
  ext_task t;
  memset(&t, 0, sizeof t);
  t.node = n;
  t.section = section;
  t.id = node_path(w->x, n);
  t.span = n->span;
  t.block = n->block;
  vnp_vec_push(w->ext->tasks, t);
  return &w->ext->tasks.v[w->ext->tasks.n - 1];
}

/* The task a field line at `block` under `n` belongs to: the last task
 * among n and its descendants opened before the block. */
static ext_task *task_before(walk *w, const vnp_node *n, uint32_t block,
                             size_t from) {
  /* tasks under n were all opened since index `from` */
  for (size_t i = w->ext->tasks.n; i-- > from;) {
    ext_task *t = &w->ext->tasks.v[i];
    if (t->block > block)
      continue;
    for (const vnp_node *c = t->node; c; c = c->parent)
      if (c == n)
        return t;
  }
  return NULL;
}

static void table_tasks(walk *w, const vnp_node *n, const char *section,
                        const leadset *inherited);
static void table_targets(ext_ctx *x, const vnp_node *n);

/* Is the piece a field line ("- <lead field>: ...")? Sets the field name
 * and whether its value is empty (then the items under it hold the value:
 * "* <deadline field>:" over "+ <phase 1>: ..."). */
static int field_line(ext_ctx *x, const piece *p, const char **field,
                      int *empty) {
  scan(x, "field", p->s, p->len, SCAN_ANY, NULL, NULL, &x->h1);
  for (size_t i = 0; i < x->h1.n; i++) {
    if (!is_blank_tail(p->s, 0, x->h1.v[i].s))
      continue;
    ext_hit h = x->h1.v[i];
    size_t gs, ge;
    if (!refill(x, &h, p->s, p->len) ||
        !rule_group(h.r, x->md, "value", &gs, &ge))
      continue;
    *field = rule_emit(h.r, "field");
    *empty = is_blank_tail(p->s, gs, ge);
    return *field != NULL;
  }
  return 0;
}

/* The text of a node for field detection: from its title (or text) to
 * the end of its block, so that a heading split into a field-name
 * title and a value text reads as one field line. */
static int node_field_piece(ext_ctx *x, const vnp_node *n, piece *p) {
  const char *s = nz(n->title) ? n->title : nz(n->text);
  if (!s)
    return 0;
  piece_init(x, p, s, n->block, n->span);
  if (p->b && nz(n->title) && nz(n->text)) {
    p->s = p->b->text + p->boff;
    p->len = p->b->len - p->boff;
  }
  return 1;
}

/* A heading whose title is a field label (a column rule matches it from
 * its start) and that has no text of its own. */
static int is_label_heading(ext_ctx *x, const vnp_node *n) {
  if (!nz(n->title) || nz(n->text))
    return 0;
  scan(x, "column", n->title, strlen(n->title), SCAN_ANY, NULL, NULL, &x->h1);
  return x->h1.n && is_blank_tail(n->title, 0, x->h1.v[0].s);
}

static int is_field_node(walk *w, const vnp_node *n) {
  if (n->type == NODE_TABLE)
    return 0;
  piece p;
  if (!node_field_piece(w->x, n, &p))
    return 0;
  const char *field;
  int empty;
  if (!field_line(w->x, &p, &field, &empty))
    return 0;
  return (!n->first && !n->paras.n) || empty;
}

/* The items and paragraphs under an empty field line are its values. */
static void field_children(walk *w, ext_task *t, const vnp_node *n,
                           const char *field) {
  for (size_t i = 0; i < n->paras.n; i++) {
    piece pp;
    piece_init(w->x, &pp, n->paras.v[i].text, n->paras.v[i].block,
               n->paras.v[i].span);
    apply_field(w->x, t, field, &pp, 0, pp.len);
    t->span = span_join(t->span, n->paras.v[i].span);
  }
  for (const vnp_node *c = n->first; c; c = c->next) {
    const char *cs = nz(c->title) ? c->title : nz(c->text);
    if (cs) {
      piece cp;
      piece_init(w->x, &cp, cs, c->block, c->span);
      apply_field(w->x, t, field, &cp, 0, cp.len);
      t->span = span_join(t->span, c->span);
    }
    field_children(w, t, c, field);
  }
}

/* The last task opened by node n, or NULL. */
static ext_task *task_of(walk *w, const vnp_node *n, size_t from) {
  for (size_t i = w->ext->tasks.n; i-- > from;)
    if (w->ext->tasks.v[i].node == n)
      return &w->ext->tasks.v[i];
  return NULL;
}

/* Adds a piece of text to task tix: its roles, fields and deadlines, and
 * (with `append`) its words. */
static void task_absorb(walk *w, size_t tix, const piece *p, vnp_span span,
                        int append) {
  ext_ctx *x = w->x;
  ext_task *t = &w->ext->tasks.v[tix];
  bodyvec lead = {0}, partners = {0}, report_to = {0};
  x->self_lead = 0;
  x->subject = !append; /* the task's own opening text */
  piece_roles(x, p, &lead, &partners, &report_to);
  x->subject = 0;
  if (lead.n && !t->lead_explicit) {
    t->lead.n = 0;
    t->lead_explicit = 1;
  } else if (!lead.n && !t->lead.n && x->self_lead) {
    issuer_lead(x, t);
  }
  for (size_t k = 0; k < lead.n; k++)
    body_add_unique(&t->lead, &lead.v[k]);
  for (size_t k = 0; k < partners.n; k++)
    body_add_unique(&t->partners, &partners.v[k]);
  for (size_t k = 0; k < report_to.n; k++)
    body_add_unique(&t->report_to, &report_to.v[k]);
  vnp_vec_free(lead);
  vnp_vec_free(partners);
  vnp_vec_free(report_to);
  piece_fields(x, t, p);
  piece_deadlines(x, p, SCAN_ANY, &t->deadline);
  if (append) {
    size_t ol = strlen(t->text);
    char *nt = arena_alloc(x->a, ol + p->len + 2);
    memcpy(nt, t->text, ol);
    size_t k = ol;
    if (ol)
      nt[k++] = ' ';
    memcpy(nt + k, p->s, p->len);
    nt[k + p->len] = 0;
    t->text = nt;
  } else if (!t->text[0]) {
    t->text = adup(x, p->s, p->len);
  }
  t->span = span_join(t->span, span);
}

/* A field line read for task `owner` also covers the other tasks of the
 * run of field-less leaf items it closes, when owner is the run's last. */
static void run_fields(walk *w, const idxvec *run, size_t owner,
                       const piece *fp) {
  if (!run->n || run->v[run->n - 1] != owner)
    return;
  for (size_t k = 0; k + 1 < run->n; k++)
    piece_fields(w->x, &w->ext->tasks.v[run->v[k]], fp);
}

/* Has n a field line among its children? */
static int has_field_kids(walk *w, const vnp_node *n) {
  for (const vnp_node *c = n->first; c; c = c->next)
    if (is_field_node(w, c))
      return 1;
  return 0;
}

/* Field lines that the segmenter nested under the last numbered child L
 * of n but that belong to n. A numbered line closes the bullet level
 * above it, so the field lines after "(3) ..." land under (3) ("2.1.
 * <task>" > "- <point>", "(1)", "(2)", "(3)" > "- <deadline field>").
 * They are n's when L has field lines, the earlier siblings of L's style
 * have none, n has none of its own, and n either has bullets of the field
 * lines' style before L or paragraphs of its own (the task that L and its
 * siblings detail). Returns L or NULL. */
static const vnp_node *lifted_fields(walk *w, const vnp_node *n,
                                     const char *isf) {
  /* cheap structural checks first: field scans only when they pass */
  const vnp_node *l = n->first;
  size_t i = 0, li;
  if (!l)
    return NULL;
  for (; l->next; l = l->next)
    if (isf[i++])
      return NULL; /* n has a field line of its own */
  li = i;
  if (isf[li] || !nz(l->number) || !nz(l->style) || !l->first)
    return NULL;
  int same = 0, bullets = n->paras.n > 0;
  for (const vnp_node *c = n->first; c != l; c = c->next)
    same |= nz(c->number) && nz(c->style) && strcmp(c->style, l->style) == 0;
  if (!same)
    return NULL;
  const char *fstyle = NULL;
  for (const vnp_node *g = l->first; g && !fstyle; g = g->next)
    if (is_field_node(w, g))
      fstyle = nz(g->style) ? g->style : "";
  if (!fstyle)
    return NULL;
  for (const vnp_node *c = n->first; c != l; c = c->next) {
    if (nz(c->number) && nz(c->style) && strcmp(c->style, l->style) == 0 &&
        has_field_kids(w, c))
      return NULL;
    if (c->type == NODE_ITEM && !nz(c->number) && nz(c->style) &&
        strcmp(c->style, fstyle) == 0)
      bullets = 1;
  }
  return bullets ? l : NULL;
}

/* Does a task rule (emit task=none) say the text is no task ("<funding>
 * is provided under ...": a statement, not an assignment)? */
static int no_task(ext_ctx *x, const piece *p) {
  if (!p->len)
    return 0;
  scan(x, "task", p->s, p->len, SCAN_ANY, "task", "none", &x->h1);
  return x->h1.n > 0;
}

/* Are all children of n bullets without numbers or children of their
 * own ("+ <point>")? */
static int plain_bullets(const vnp_node *n) {
  for (const vnp_node *c = n->first; c; c = c->next)
    if (c->type != NODE_ITEM || nz(c->number) || c->first)
      return 0;
  return 1;
}

/* Adds an item, its paragraphs and its sub-bullets to task tix. */
static void absorb_item(walk *w, size_t tix, const vnp_node *c) {
  ext_ctx *x = w->x;
  piece bp;
  const char *bs = nz(c->title) ? c->title : nz(c->text);
  if (bs) {
    piece_init(x, &bp, bs, c->block, c->span);
    task_absorb(w, tix, &bp, c->span, 1);
  }
  for (size_t k = 0; k < c->paras.n; k++) {
    piece_init(x, &bp, c->paras.v[k].text, c->paras.v[k].block,
               c->paras.v[k].span);
    task_absorb(w, tix, &bp, c->paras.v[k].span, 1);
  }
  for (const vnp_node *g = c->first; g; g = g->next)
    absorb_item(w, tix, g);
}

static void walk_node(walk *w, const vnp_node *n, const char *section,
                      const leadset *inherited, int in_tasks) {
  ext_ctx *x = w->x;
  if (n->type == NODE_TABLE) {
    if (in_tasks)
      table_tasks(w, n, section, inherited);
    table_targets(x, n);
    return;
  }
  if (in_tasks && n->level > 1 && n->kind &&
      in_list(x->rs, "nontask_sections", n->kind))
    in_tasks = 0; /* "3. <timeline>" inside a task section */
  leadset hb = {NULL, 0};
  const leadset *lead_here = inherited;
  size_t from = w->ext->tasks.n; /* every task of this subtree is after */
  piece head;
  const char *hs = nz(n->title) ? n->title : nz(n->text);
  piece_init(x, &head, hs, n->block, n->span);
  int is_heading_body =
      n->level >= 1 && hs &&
      heading_body(x, &head, n->first != NULL, n->level == 1, &hb);
  if (is_heading_body)
    lead_here = &hb;
  size_t nch = 0;
  for (const vnp_node *c = n->first; c; c = c->next)
    nch++;
  /* which children are field lines ("- <lead field>: ..."); 2: a field
   * line lifted to the parent (lifted_fields), skipped here */
  char *isf = nch ? xcalloc(nch, 1) : NULL;
  int has_task_children = 0, has_field_children = 0, plain = 1;
  int lifted_here = in_tasks && n == w->lifted;
  {
    size_t i = 0;
    for (const vnp_node *c = n->first; c; c = c->next, i++) {
      isf[i] = in_tasks && is_field_node(w, c);
      if (isf[i] && lifted_here) {
        isf[i] = 2;
        continue;
      }
      if (c->type != NODE_ITEM || nz(c->number) || c->first)
        plain = 0;
      if (isf[i])
        has_field_children = 1;
      else
        has_task_children = 1;
    }
  }
  const vnp_node *lift = in_tasks ? lifted_fields(w, n, isf) : NULL;
  if (lift)
    has_field_children = 1;
  /* an item with field lines under it is one task; its plain bullets are
   * part of its text. A heading that only labels fields ("2. <lead and
   * partner fields>" over "a) <lead field>") is no task: its fields go to
   * the task above it. */
  int label = in_tasks && has_field_children && is_label_heading(x, n);
  int fold = has_field_children && !is_heading_body && !label;
  /* a bullet over plain bullets only ("- <task>" over "+ <point>"): one
   * task, the sub-bullets are the points it lists (unless the bullet
   * names the body that leads them); so is a numbered child over plain
   * bullets of a task that lists its own points ("7. <task>: - <point>"
   * over "7.1. <task>" over "- <point>") */
  int points = in_tasks && n->first && !is_heading_body &&
               !has_field_children && has_task_children && plain &&
               ((n->type == NODE_ITEM && !nz(n->number)) ||
                (w->folded && n->parent == w->folded));
  ext_task *t = NULL;
  size_t tix = 0;
  if (in_tasks && (n->level > 1 || w->flat) && !label && !no_task(x, &head) &&
      (!is_heading_body ||
       (!has_task_children && (n->paras.n || (nz(n->title) && nz(n->text)))))) {
    /* a task: a leaf item, or an item whose own text assigns work */
    bodyvec lead = {0}, partners = {0}, report_to = {0};
    x->self_lead = 0;
    x->subject = 1;
    if (hs)
      piece_roles(x, &head, &lead, &partners, &report_to);
    x->subject = 0;
    if (!has_task_children || fold || points || lead.n || n->paras.n) {
      t = new_task(w, n, section);
      tix = w->ext->tasks.n - 1;
      for (size_t i = 0; i < lead.n; i++)
        body_add_unique(&t->lead, &lead.v[i]);
      if (lead.n)
        t->lead_explicit = 1;
      else if (lead_here)
        for (size_t i = 0; i < lead_here->n; i++)
          vnp_vec_push(t->lead, lead_here->v[i]);
      else if (x->self_lead)
        issuer_lead(x, t);
      for (size_t i = 0; i < partners.n; i++)
        body_add_unique(&t->partners, &partners.v[i]);
      for (size_t i = 0; i < report_to.n; i++)
        body_add_unique(&t->report_to, &report_to.v[i]);
      vnp_buf text = VNP_BUF_INIT;
      if (nz(n->title))
        vnp_buf_puts(&text, n->title);
      t->text = adup(x, text.ptr, text.len);
      vnp_buf_free(&text);
      if (nz(n->title)) {
        piece_fields(x, t, &head);
        piece_deadlines(x, &head, SCAN_ANY, &t->deadline);
      }
      if (nz(n->text) && n->text != n->title) {
        /* the body text of the item (or on the heading's own line) */
        piece tp;
        piece_init(x, &tp, n->text, n->block, n->span);
        task_absorb(w, tix, &tp, n->span, nz(n->title) != NULL);
      }
    }
    vnp_vec_free(lead);
    vnp_vec_free(partners);
    vnp_vec_free(report_to);
  }
  if (!t)
    lift = NULL; /* no task to take its field lines: they stay */
  /* children first, so that field paragraphs after them find them.
   * `run`: the tasks of the leaf children since the last field line; a
   * field line after such a run covers all of it ("3.1. ..", "3.2. ..",
   * "3.3. .." over "- <deadline field>: .." under 3.3) */
  idxvec run = {0};
  {
    size_t i = 0;
    int after_field = 0;
    const char *run_style = NULL;
    const vnp_node *prev = NULL; /* last non-field child seen */
    const vnp_node *was_lifted = w->lifted, *was_folded = w->folded;
    if (fold && t)
      w->folded = n; /* its numbered children list points too */
    for (const vnp_node *c = n->first; c; c = c->next, i++) {
      if (isf[i] == 2)
        continue; /* the parent's (lifted_fields) */
      if (isf[i]) {
        ext_task *owner = NULL;
        if (prev && nz(prev->number))
          owner = task_of(w, prev, from);
        if (!owner)
          owner = task_of(w, n, from);
        if (!owner && prev)
          owner = task_of(w, prev, from);
        if (!owner) /* the last task above the line, under n */
          owner = task_before(w, n, c->block, from);
        for (const vnp_node *a = n->parent; !owner && a; a = a->parent)
          owner = task_of(w, a, 0); /* "2. <roles>" > "a) <lead field>" */
        if (owner) {
          piece fp;
          node_field_piece(x, c, &fp);
          piece_fields(x, owner, &fp);
          owner->span = span_join(owner->span, c->span);
          const char *field;
          int empty;
          if ((c->first || c->paras.n) && field_line(x, &fp, &field, &empty) &&
              empty)
            field_children(w, owner, c, field);
          else
            run_fields(w, &run, (size_t)(owner - w->ext->tasks.v), &fp);
        }
        after_field = 1;
        continue;
      }
      if (after_field)
        run.n = 0;
      after_field = 0;
      prev = c;
      if ((fold || points) && t && c->type == NODE_ITEM && !nz(c->number) &&
          (!c->first || plain_bullets(c))) {
        absorb_item(w, tix, c);
        continue;
      }
      size_t before = w->ext->tasks.n;
      w->lifted = c == lift ? c : was_lifted;
      walk_node(w, c, section, lead_here, in_tasks);
      w->lifted = was_lifted;
      if (c == lift && t) {
        /* c's field lines are n's */
        for (const vnp_node *g = c->first; g; g = g->next) {
          piece fp;
          const char *field;
          int empty;
          ext_task *nt = &w->ext->tasks.v[tix];
          if (!is_field_node(w, g) || !node_field_piece(x, g, &fp))
            continue;
          piece_fields(x, nt, &fp);
          nt->span = span_join(nt->span, g->span);
          if ((g->first || g->paras.n) && field_line(x, &fp, &field, &empty) &&
              empty)
            field_children(w, nt, g, field);
        }
        run.n = 0;
        continue;
      }
      ext_task *ct = in_tasks ? task_of(w, c, before) : NULL;
      if (run.n && (!ct || !run_style ||
                    strcmp(nz(c->style) ? c->style : "", run_style) != 0))
        run.n = 0; /* a run is of one numbering style */
      run_style = nz(c->style);
      if (ct && !c->first) {
        /* only items with no time and no lead of their own join a run */
        if (!ct->deadline.n && !ct->lead_explicit)
          vnp_vec_push(run, (size_t)(ct - w->ext->tasks.v));
        else
          run.n = 0;
      } else if (ct && has_field_kids(w, c)) {
        /* c's own field lines also cover the run before it */
        size_t ci = (size_t)(ct - w->ext->tasks.v);
        vnp_vec_push(run, ci);
        for (const vnp_node *g = c->first; g; g = g->next) {
          piece fp;
          if (is_field_node(w, g) && node_field_piece(x, g, &fp))
            run_fields(w, &run, ci, &fp);
        }
        run.n = 0;
      } else {
        run.n = 0;
      }
    }
    w->folded = was_folded;
  }
  free(isf);
  if (!in_tasks) {
    vnp_vec_free(run);
    return;
  }
  for (size_t i = 0; i < n->paras.n; i++) {
    const vnp_para *pa = &n->paras.v[i];
    piece p;
    piece_init(x, &p, pa->text, pa->block, pa->span);
    ext_task *owner = task_before(w, n, pa->block, from);
    if (piece_fields(x, NULL, &p)) {
      if (owner) {
        piece_fields(x, owner, &p);
        run_fields(w, &run, (size_t)(owner - w->ext->tasks.v), &p);
      }
      continue;
    }
    if (t)
      task_absorb(w, tix, &p, pa->span, 1);
  }
  vnp_vec_free(run);
}

/* Rows of a task table: columns mapped to fields by their header cells
 * (column rules emitting field=...). */
static void table_tasks(walk *w, const vnp_node *n, const char *section,
                        const leadset *inherited) {
  ext_ctx *x = w->x;
  if (!n->has_header || n->rows.n < 2)
    return;
  size_t nc = n->row_ncells.v[0];
  const char **fields = arena_alloc(x->a, (nc + 1) * sizeof(char *));
  int has_task_col = 0;
  for (size_t c = 0; c < nc; c++) {
    const char *h = n->rows.v[0][c];
    if (!h)
      continue;
    scan(x, "column", h, strlen(h), SCAN_ANY, NULL, NULL, &x->h1);
    if (x->h1.n) {
      fields[c] = rule_emit(x->h1.v[0].r, "field");
      if (fields[c] && strcmp(fields[c], "task") == 0)
        has_task_col = 1;
    }
  }
  if (!has_task_col)
    return;
  for (size_t r = 1; r < n->rows.n; r++) {
    const char **cells = n->rows.v[r];
    size_t ncell = n->row_ncells.v[r];
    const char *id = NULL, *text = NULL;
    int other = 0;
    for (size_t c = 0; c < ncell && c < nc; c++) {
      if (!fields[c] || !cells[c] || !*cells[c])
        continue;
      if (strcmp(fields[c], "id") == 0)
        id = cells[c];
      else if (strcmp(fields[c], "task") == 0)
        text = cells[c];
      else
        other = 1;
    }
    if (!text || !other)
      continue; /* a group row ("I | <group title>") */
    ext_task t;
    memset(&t, 0, sizeof t);
    t.node = n;
    t.section = section;
    t.text = text;
    t.span = r < n->row_spans.n ? n->row_spans.v[r] : n->span;
    t.block = r < n->row_blocks.n ? n->row_blocks.v[r] : n->block;
    if (id) { /* "88." -> "88": the label's punctuation is no part of it */
      size_t il = strlen(id);
      while (il && is_space_punct((unsigned char)id[il - 1]))
        il--;
      id = il ? adup(x, id, il) : NULL;
    }
    t.id = id ? id : node_path(x, n);
    for (size_t i = 0; inherited && i < inherited->n; i++)
      vnp_vec_push(t.lead, inherited->v[i]);
    for (size_t c = 0; c < ncell && c < nc; c++) {
      if (!fields[c] || !cells[c] || !*cells[c])
        continue;
      piece p;
      piece_init(x, &p, cells[c], t.block, t.span);
      if (strcmp(fields[c], "id") != 0 && strcmp(fields[c], "task") != 0)
        apply_field(x, &t, fields[c], &p, 0, p.len);
    }
    vnp_vec_push(w->ext->tasks, t);
  }
}

/* ---- document-level passes ---- */

/* Targets of one piece of text. Horizons: a target's own ('trên 10% năm
 * 2026') is kept; a horizon-only match sets the horizon of the targets
 * after it. When the piece also states values ('Phấn đấu đến năm 2030,
 * 70% số hộ ...'), that horizon is the piece's own and is not handed on;
 * when the piece states none ('Đến năm 2030:', a heading 'giai đoạn 2026 -
 * 2030'), or `governs` is set (the title of a node, over its content), it
 * becomes the running horizon (*h1, *h2). The comparator chain ('khoảng 35
 * tổ hợp tác với 5.000 thành viên; 30 hợp tác xã ...') stops at a
 * sentence break, and a bound comparator ('giảm xuống dưới 30%; 100% các
 * cụm ...') at a clause break (';'); the share chain ('trong đó') stops at
 * a sentence break. */
static void doc_targets_piece(ext_ctx *x, const piece *p, int *h1, int *h2,
                              int governs) {
  struct vnp_ext *ext = x->d->ext;
  scan(x, "target", p->s, p->len, SCAN_ANY, NULL, NULL, &x->h1);
  hitvec th = {0};
  VNP_VEC(ext_target) tv = {0};
  int any_value = 0;
  for (size_t i = 0; i < x->h1.n; i++) {
    if (!refill(x, &x->h1.v[i], p->s, p->len))
      continue;
    ext_target t;
    resolve_target(x, x->h1.v[i].r, p->s, &t);
    if (!t.has_value && !t.h1)
      continue;
    any_value |= t.has_value;
    vnp_vec_push(th, x->h1.v[i]);
    vnp_vec_push(tv, t);
  }
  int pass_on = governs || !any_value;
  int l1 = *h1, l2 = *h2; /* the horizon in force inside this piece */
  long prev = -1;
  size_t prev_end = 0;
  const char *prev_cmp = NULL;
  for (size_t i = 0; i < th.n; i++) {
    ext_target t = tv.v[i];
    if (!t.has_value) {
      l1 = t.h1;
      l2 = t.h2;
      if (pass_on) {
        *h1 = t.h1;
        *h2 = t.h2;
      }
      continue;
    }
    if (!t.h1) {
      t.h1 = l1;
      t.h2 = l2;
    }
    /* a sentence break resets the share/comparator chain, a clause
     * break the comparator chain */
    int same_sentence = prev >= 0, same_clause = prev >= 0;
    for (size_t k = prev_end; k < th.v[i].s && same_sentence; k++)
      if (p->s[k] == '.' && (k + 1 >= p->len || p->s[k + 1] == ' '))
        same_sentence = same_clause = 0;
      else if (p->s[k] == ';')
        same_clause = 0;
    if (t.share_of == -2)
      t.share_of = same_sentence ? prev : -1;
    /* a bound ('dưới 30%') stays in its clause; a hedge ('khoảng')
     * spreads over the whole sentence's list */
    if (prev_cmp && !same_clause &&
        !(same_sentence && strcmp(prev_cmp, "approx") == 0))
      prev_cmp = NULL;
    if (!t.comparator)
      t.comparator = prev_cmp ? prev_cmp : "eq";
    t.span = piece_span(x, p, th.v[i].s, th.v[i].e);
    vnp_vec_push(ext->targets, t);
    prev = (long)ext->targets.n - 1;
    prev_end = th.v[i].e;
    prev_cmp = t.has_value2 ? NULL : t.comparator; /* a range's is its own */
  }
  vnp_vec_free(th);
  vnp_vec_free(tv);
}

/* Rows of a target table ("No | Indicator | Unit | Result | ..."):
 * columns mapped by column rules emitting field=indicator, unit and
 * value (or result); a row with only a horizon ("I | <by 2030>") sets
 * the horizon of the rows after it. Values are read by target rules with
 * scope=field (">= 80", "> 0,7", "<= 3 ...; <= 50 ..."). */
static void table_targets(ext_ctx *x, const vnp_node *n) {
  if (!x->d || !n->has_header || n->rows.n < 2)
    return;
  size_t nc = n->row_ncells.v[0];
  int ci = -1, cu = -1, cv = -1;
  for (size_t c = 0; c < nc; c++) {
    const char *h = n->rows.v[0][c];
    if (!h)
      continue;
    scan(x, "column", h, strlen(h), SCAN_ANY, NULL, NULL, &x->h1);
    const char *f = x->h1.n ? rule_emit(x->h1.v[0].r, "field") : NULL;
    if (!f)
      continue;
    if (strcmp(f, "task") == 0)
      return; /* a task table */
    if (strcmp(f, "indicator") == 0 && ci < 0)
      ci = (int)c;
    else if (strcmp(f, "unit") == 0 && cu < 0)
      cu = (int)c;
    else if ((strcmp(f, "value") == 0 || strcmp(f, "result") == 0) && cv < 0)
      cv = (int)c;
  }
  if (ci < 0 || cv < 0)
    return;
  struct vnp_ext *ext = x->d->ext;
  int h1 = 0, h2 = 0;
  for (size_t r = 1; r < n->rows.n; r++) {
    const char **cells = n->rows.v[r];
    size_t ncell = n->row_ncells.v[r];
    const char *ind = (size_t)ci < ncell ? cells[ci] : NULL;
    const char *val = (size_t)cv < ncell ? cells[cv] : NULL;
    const char *unit = cu >= 0 && (size_t)cu < ncell ? cells[cu] : NULL;
    vnp_span rspan = r < n->row_spans.n ? n->row_spans.v[r] : n->span;
    uint32_t rblock = r < n->row_blocks.n ? n->row_blocks.v[r] : n->block;
    if (ind && *ind && !nz(val)) {
      /* a group row: its horizon governs the rows below */
      scan(x, "target", ind, strlen(ind), SCAN_ANY, NULL, NULL, &x->h2);
      for (size_t i = 0; i < x->h2.n; i++) {
        if (!refill(x, &x->h2.v[i], ind, strlen(ind)))
          continue;
        ext_target t;
        resolve_target(x, x->h2.v[i].r, ind, &t);
        if (t.h1) {
          h1 = t.h1;
          h2 = t.h2;
        }
      }
      continue;
    }
    if (!nz(val))
      continue;
    piece p;
    piece_init(x, &p, val, rblock, rspan);
    hitvec th = {0};
    scan(x, "target", p.s, p.len, SCAN_FIELDSCOPE, NULL, NULL, &x->h2);
    for (size_t i = 0; i < x->h2.n; i++)
      vnp_vec_push(th, x->h2.v[i]);
    for (size_t i = 0; i < th.n; i++) {
      if (!refill(x, &th.v[i], p.s, p.len))
        continue;
      ext_target t;
      resolve_target(x, th.v[i].r, p.s, &t);
      if (!t.has_value)
        continue;
      if (!t.h1) {
        t.h1 = h1;
        t.h2 = h2;
      }
      if (!t.comparator)
        t.comparator = "eq";
      if (!t.unit && nz(unit))
        t.unit = squeeze(x, unit, strlen(unit));
      if (!t.indicator && nz(ind))
        t.indicator = squeeze(x, ind, strlen(ind));
      t.share_of = -1;
      t.span = piece_span(x, &p, th.v[i].s, th.v[i].e);
      vnp_vec_push(ext->targets, t);
    }
    vnp_vec_free(th);
  }
}

/* Subsections of a target kind inside a section of another kind ('I. QUAN
 * ĐIỂM, MỤC TIÊU' > '2. Mục tiêu năm 2026'). */
static void doc_targets_sub(ext_ctx *x, const vnp_node *n) {
  for (const vnp_node *c = n->first; c; c = c->next) {
    if (c->kind && in_list(x->d->rules, "target_sections", c->kind)) {
      int h1 = 0, h2 = 0;
      doc_targets_node(x, c, &h1, &h2);
    } else {
      doc_targets_sub(x, c);
    }
  }
}

static void doc_targets_node(ext_ctx *x, const vnp_node *n, int *h1, int *h2) {
  piece p;
  if (n->type == NODE_TABLE) {
    table_targets(x, n);
    return;
  }
  /* a horizon in a node's title (or in the text of an item with content
   * under it) governs that content and ends with the node; a leaf item
   * that is only a horizon ('- Đến năm 2030') governs its next siblings */
  int under = n->first || n->paras.n;
  int titled = nz(n->title) && nz(n->text);
  int s1 = *h1, s2 = *h2;
  const char *hs = nz(n->title) ? n->title : nz(n->text);
  if (hs) {
    piece_init(x, &p, hs, n->block, n->span);
    doc_targets_piece(x, &p, h1, h2, under || titled);
  }
  if (titled) {
    piece_init(x, &p, n->text, n->block, n->span);
    doc_targets_piece(x, &p, h1, h2, under);
  }
  /* paragraphs and children in document order, so that a horizon line
   * (a "by the year N" item) governs what follows it */
  size_t i = 0;
  const vnp_node *c = n->first;
  while (i < n->paras.n || c) {
    if (c && (i >= n->paras.n || c->block < n->paras.v[i].block)) {
      doc_targets_node(x, c, h1, h2);
      c = c->next;
    } else {
      piece_init(x, &p, n->paras.v[i].text, n->paras.v[i].block,
                 n->paras.v[i].span);
      doc_targets_piece(x, &p, h1, h2, 0);
      i++;
    }
  }
  if (under || titled) {
    *h1 = s1;
    *h2 = s2;
  }
}

static int cite_cue_before(ext_ctx *x, const char *s, size_t len, size_t at) {
  scan(x, "citation", s, len, SCAN_ANY, "role", "cue", &x->h2);
  for (size_t i = 0; i < x->h2.n; i++) {
    if (x->h2.v[i].s >= at)
      break;
    /* same sentence: no full stop between the cue and the citation */
    int broken = 0;
    for (size_t k = x->h2.v[i].e; k < at && !broken; k++)
      broken = s[k] == '.' && k + 1 < len && s[k + 1] == ' ';
    if (!broken)
      return 1;
  }
  return 0;
}

static const char *norm_number(ext_ctx *x, const char *s) {
  if (!s)
    return NULL;
  char *n = arena_alloc(x->a, strlen(s) + 1);
  size_t k = 0;
  for (; *s; s++)
    if (*s != ' ')
      n[k++] = *s;
  n[k] = 0;
  return n;
}

static void doc_citations(ext_ctx *x, uint32_t preamble_end) {
  vnp_doc *d = x->d;
  struct vnp_ext *ext = d->ext;
  const char *self = norm_number(x, d->number.text);
  for (size_t bi = 0; bi < d->blocks.n; bi++) {
    const vnp_block *b = &d->blocks.v[bi];
    if (b->len > VNP_MAX_EXTRACT_PARA)
      continue;
    x->wblock = (long)bi;
    scan(x, "citation", b->text, b->len, SCAN_ANY, "role", NULL, &x->h1);
    x->wblock = -1;
    hitvec ch = {0};
    for (size_t i = 0; i < x->h1.n; i++)
      vnp_vec_push(ch, x->h1.v[i]);
    for (size_t i = 0; i < ch.n; i++) {
      if (!refill(x, &ch.v[i], b->text, b->len))
        continue;
      ext_citation c;
      resolve_citation(x, ch.v[i].r, b->text, &c);
      if (!c.number)
        continue;
      if (self && self[0] &&
          ci_eq(self, strlen(self), c.number, strlen(c.number)))
        continue;
      if (self && self[0] && strstr(self, c.number) == self)
        continue; /* "16/KH-MTTQ" vs own "16/KH-MTTQ-BTT" */
      int impl =
          bi < preamble_end && cite_cue_before(x, b->text, b->len, ch.v[i].s);
      if (impl)
        c.relation = "implements";
      c.span = doc_block_span(d, b, ch.v[i].s, ch.v[i].e);
      size_t j = 0;
      for (; j < ext->citations.n; j++)
        if (ci_eq(ext->citations.v[j].number,
                  strlen(ext->citations.v[j].number), c.number,
                  strlen(c.number)))
          break;
      if (j < ext->citations.n) {
        ext_citation *o = &ext->citations.v[j];
        if (impl)
          o->relation = "implements";
        if (!o->date[0] && c.date[0])
          memcpy(o->date, c.date, sizeof o->date);
        if (c.issuer && (!o->issuer || (strlen(c.issuer) > strlen(o->issuer) &&
                                        strncmp(c.issuer, o->issuer,
                                                strlen(o->issuer)) == 0)))
          o->issuer = c.issuer; /* a mention cut by a line end */
        continue;
      }
      vnp_vec_push(ext->citations, c);
    }
    vnp_vec_free(ch);
  }
}

static void doc_bodies_funding(ext_ctx *x) {
  vnp_doc *d = x->d;
  struct vnp_ext *ext = d->ext;
  for (size_t bi = 0; bi < d->blocks.n; bi++) {
    const vnp_block *b = &d->blocks.v[bi];
    if (b->len > VNP_MAX_EXTRACT_PARA) {
      doc_diag(d, "warning", "extract-skipped", doc_block_span(d, b, 0, 0),
               "paragraph of %u bytes is longer than %u: not scanned for "
               "tasks, deadlines, bodies or citations",
               (unsigned)b->len, (unsigned)VNP_MAX_EXTRACT_PARA);
      continue;
    }
    if (ext->bscanned[bi])
      continue;
    piece p;
    memset(&p, 0, sizeof p);
    p.s = b->text;
    p.len = b->len;
    p.b = b;
    bodyvec found = {0};
    piece_bodies(x, &p, &x->h2, &found);
    for (size_t i = 0; i < found.n; i++)
      doc_body_add(ext, &found.v[i]);
    vnp_vec_free(found);
    scan(x, "funding", b->text, b->len, SCAN_ANY, "role", NULL, &x->h2);
    hitvec fh = {0};
    for (size_t i = 0; i < x->h2.n; i++)
      vnp_vec_push(fh, x->h2.v[i]);
    for (size_t i = 0; i < fh.n; i++) {
      size_t gs, ge;
      if (!refill(x, &fh.v[i], b->text, b->len) ||
          !rule_group(fh.v[i].r, x->md, "source", &gs, &ge))
        continue;
      funding_items(x, &p, gs, ge, fh.v[i].r, &ext->funding);
    }
    vnp_vec_free(fh);
  }
  /* and every source a task names, once (its first mention) */
  for (size_t i = 0; i < ext->tasks.n; i++) {
    const fundvec *tf = &ext->tasks.v[i].funding;
    for (size_t k = 0; k < tf->n; k++) {
      size_t j = 0, tl = strlen(tf->v[k].text);
      while (j < ext->funding.n &&
             !ci_eq(ext->funding.v[j].text, strlen(ext->funding.v[j].text),
                    tf->v[k].text, tl))
        j++;
      if (j == ext->funding.n)
        vnp_vec_push(ext->funding, tf->v[k]);
    }
  }
}

static void ctx_init(ext_ctx *x, vnp_doc *d, const vnp_rules *rs, vnp_arena *a,
                     const char *ref) {
  memset(x, 0, sizeof *x);
  x->d = d;
  x->rs = rs;
  x->a = a;
  x->md = rules_match_data(rs);
  x->wblock = -1;
  parse_ref(ref, &x->ref);
}

static void ctx_free(ext_ctx *x) {
  pcre2_match_data_free(x->md);
  vnp_vec_free(x->h1);
  vnp_vec_free(x->h2);
  vnp_vec_free(x->h3);
  vnp_vec_free(x->h4);
  vnp_vec_free(x->words);
  vnp_vec_free(x->bwords);
  free(x->memo);
  free(x->bc);
}

void extract_run(vnp_doc *d) {
  if (!d->rules)
    return;
  struct vnp_ext *ext = xcalloc(1, sizeof *ext);
  d->ext = ext;
  ext->bscanned = xcalloc(d->blocks.n + 1, 1);
  ext->bblk = xcalloc(d->blocks.n + 1, sizeof *ext->bblk);
  ext->cblk = xcalloc(d->blocks.n + 1, sizeof *ext->cblk);
  {
    const rule *const *cv;
    size_t nc = rules_of_kind(d->rules, "citation", &cv);
    for (size_t i = 0; i < nc; i++)
      ext->cbits |= cv[i]->start_bit;
  }
  ext_ctx x;
  ymd tmp;
  const char *ref = d->date.text && parse_ref(d->date.text, &tmp)
                        ? d->date.text
                        : d->opts.doc_date;
  ctx_init(&x, d, d->rules, &d->arena, ref);
  walk w = {&x, ext, NULL, NULL, 0};
  int any_kind = 0;
  for (const vnp_node *c = d->root ? d->root->first : NULL; c; c = c->next)
    if (c->kind)
      any_kind = 1;
  /* tasks and targets from the tree */
  uint32_t preamble_end = (uint32_t)d->blocks.n;
  if (d->root && d->root->first)
    preamble_end = d->root->first->block;
  for (const vnp_node *c = d->root ? d->root->first : NULL; c; c = c->next) {
    int in_tasks = task_kind(d->rules, c->kind);
    if (in_tasks) {
      walk_node(&w, c, c->kind, NULL, 1);
    } else if (c->kind && in_list(d->rules, "target_sections", c->kind)) {
      int h1 = 0, h2 = 0;
      doc_targets_node(&x, c, &h1, &h2);
    } else if (!any_kind) {
      /* no section names what it holds (a letter or a short directive
       * whose numbered items each give a body its work): the items are
       * its tasks, and may state targets */
      w.flat = c->type == NODE_ITEM || nz(c->number) != NULL;
      walk_node(&w, c, "tasks", NULL, 1);
      w.flat = 0;
      int h1 = 0, h2 = 0;
      doc_targets_node(&x, c, &h1, &h2);
    }
    if (c->kind && !in_list(d->rules, "target_sections", c->kind))
      doc_targets_sub(&x, c);
  }
  if (!d->root || !d->root->first) {
    /* no tree (segmentation found no sections): targets from every block,
     * the horizon carried from block to block */
    int h1 = 0, h2 = 0;
    for (size_t bi = 0; bi < d->blocks.n; bi++) {
      piece p;
      memset(&p, 0, sizeof p);
      p.s = d->blocks.v[bi].text;
      p.len = d->blocks.v[bi].len;
      p.b = &d->blocks.v[bi];
      doc_targets_piece(&x, &p, &h1, &h2, 0);
    }
  }
  doc_citations(&x, preamble_end);
  vnp_vec_free(ext->cw); /* kept for doc_citations only */
  free(ext->cblk);
  ext->cblk = NULL;
  doc_bodies_funding(&x);
  ctx_free(&x);
}

/* ---- JSON ---- */

/* Spans as everywhere in the output: {"start","end","line"}, or null when
 * the value has no place in the input. */
static void span_json(json_w *w, vnp_span sp) {
  json_key(w, "span");
  json_span(w, sp.start, sp.end, sp.line);
}

static void date_json(json_w *w, const char *key, const char *d) {
  json_key(w, key);
  if (d && d[0])
    json_strz(w, d);
  else
    json_null(w);
}

static void body_json(json_w *w, const ext_body *b, int with_span) {
  json_obj_begin(w);
  json_kstr(w, "text", b->text);
  json_kstr(w, "name", b->name);
  json_kstr(w, "level", b->level);
  json_kstr(w, "type", b->type);
  if (with_span)
    span_json(w, b->span);
  json_obj_end(w);
}

static void deadline_json(json_w *w, const ext_deadline *dl, int with_span) {
  json_obj_begin(w);
  json_kstr(w, "kind", dl->kind);
  json_kstr(w, "text", dl->text);
  date_json(w, "start", dl->start);
  date_json(w, "end", dl->end);
  json_kstr(w, "timex", dl->timex);
  json_kstr(w, "mod", dl->mod);
  json_kstr(w, "grain", dl->grain);
  json_kstr(w, "year_source", dl->year_source);
  json_key(w, "recurrence");
  if (dl->every || dl->window || dl->due) {
    json_obj_begin(w);
    json_kstr(w, "every", dl->every);
    if (dl->window) {
      json_kstr(w, "window", dl->window);
    }
    if (dl->due) {
      json_kstr(w, "due", dl->due);
    }
    json_obj_end(w);
  } else {
    json_null(w);
  }
  json_kstr(w, "condition", dl->cond);
  json_kstr(w, "rule", dl->rule);
  if (with_span)
    span_json(w, dl->span);
  json_obj_end(w);
}

static void target_json(json_w *w, const ext_target *t, int with_span) {
  json_obj_begin(w);
  json_key(w, "horizon");
  if (t->h1 && t->h2) {
    json_obj_begin(w);
    json_kint(w, "start", t->h1);
    json_kint(w, "end", t->h2);
    json_obj_end(w);
  } else if (t->h1) {
    json_int(w, t->h1);
  } else {
    json_null(w);
  }
  json_kstr(w, "indicator", t->indicator);
  json_kstr(w, "comparator", t->comparator);
  json_key(w, "value");
  if (t->has_value) {
    if (fabs(t->value) < 1e15 && (double)(long long)t->value == t->value)
      json_int(w, (long long)t->value);
    else
      json_double(w, t->value);
  } else {
    json_null(w);
  }
  if (t->has_value2) {
    json_key(w, "value2");
    if (fabs(t->value2) < 1e15 && (double)(long long)t->value2 == t->value2)
      json_int(w, (long long)t->value2);
    else
      json_double(w, t->value2);
  }
  json_kstr(w, "unit", t->unit);
  json_key(w, "share_of");
  if (t->share_of >= 0)
    json_int(w, t->share_of);
  else
    json_null(w);
  json_kstr(w, "text", t->text);
  if (with_span)
    span_json(w, t->span);
  json_kstr(w, "rule", t->rule);
  json_obj_end(w);
}

static void citation_json(json_w *w, const ext_citation *c, int with_span) {
  json_obj_begin(w);
  json_kstr(w, "type", c->type);
  json_kstr(w, "number", c->number);
  date_json(w, "date", c->date);
  json_kstr(w, "issuer", c->issuer);
  json_kstr(w, "relation", c->relation);
  if (with_span)
    span_json(w, c->span);
  json_kstr(w, "rule", c->rule);
  json_obj_end(w);
}

static void bodies_json(json_w *w, const char *key, const bodyvec *v) {
  json_key(w, key);
  json_arr_begin(w);
  for (size_t i = 0; i < v->n; i++)
    body_json(w, &v->v[i], 1);
  json_arr_end(w);
}

static void funding_json(json_w *w, const char *key, const fundvec *v) {
  json_key(w, key);
  json_arr_begin(w);
  for (size_t i = 0; i < v->n; i++) {
    const ext_funding *f = &v->v[i];
    json_obj_begin(w);
    json_kstr(w, "text", f->text);
    json_kstr(w, "source", f->source);
    json_kstr(w, "level", f->level);
    json_kstr(w, "rule", f->rule);
    span_json(w, f->span);
    json_obj_end(w);
  }
  json_arr_end(w);
}

void extract_json(const vnp_doc *d, json_w *w) {
  const struct vnp_ext *e = d->ext;
  json_key(w, "tasks");
  json_arr_begin(w);
  for (size_t i = 0; e && i < e->tasks.n; i++) {
    const ext_task *t = &e->tasks.v[i];
    json_obj_begin(w);
    json_kstr(w, "id", t->id);
    json_kstr(w, "section", t->section);
    json_kstr(w, "text", t->text);
    bodies_json(w, "lead", &t->lead);
    bodies_json(w, "partners", &t->partners);
    bodies_json(w, "report_to", &t->report_to);
    json_key(w, "deadline");
    json_arr_begin(w);
    for (size_t k = 0; k < t->deadline.n; k++)
      deadline_json(w, &t->deadline.v[k], 1);
    json_arr_end(w);
    funding_json(w, "funding", &t->funding);
    json_key(w, "result");
    if (t->result) {
      json_obj_begin(w);
      json_kstr(w, "text", t->result);
      span_json(w, t->result_span);
      json_obj_end(w);
    } else
      json_null(w);
    span_json(w, t->span);
    json_obj_end(w);
  }
  json_arr_end(w);
  json_key(w, "targets");
  json_arr_begin(w);
  for (size_t i = 0; e && i < e->targets.n; i++)
    target_json(w, &e->targets.v[i], 1);
  json_arr_end(w);
  json_key(w, "citations");
  json_arr_begin(w);
  for (size_t i = 0; e && i < e->citations.n; i++)
    citation_json(w, &e->citations.v[i], 1);
  json_arr_end(w);
  json_key(w, "bodies");
  json_arr_begin(w);
  for (size_t i = 0; e && i < e->bodies.n; i++)
    body_json(w, &e->bodies.v[i], 1);
  json_arr_end(w);
  if (e)
    funding_json(w, "funding", &e->funding);
  else {
    json_key(w, "funding");
    json_arr_begin(w);
    json_arr_end(w);
  }
}

void extract_free(struct vnp_ext *ext) {
  if (!ext)
    return;
  for (size_t i = 0; i < ext->tasks.n; i++) {
    ext_task *t = &ext->tasks.v[i];
    vnp_vec_free(t->lead);
    vnp_vec_free(t->partners);
    vnp_vec_free(t->report_to);
    vnp_vec_free(t->deadline);
    vnp_vec_free(t->funding);
  }
  vnp_vec_free(ext->tasks);
  vnp_vec_free(ext->targets);
  vnp_vec_free(ext->citations);
  vnp_vec_free(ext->bodies);
  vnp_vec_free(ext->funding);
  free(ext->bset);
  free(ext->bscanned);
  vnp_vec_free(ext->bh);
  free(ext->bblk);
  vnp_vec_free(ext->cw);
  free(ext->cblk);
  free(ext);
}

/* ---- rule examples ---- */

/* Reference date for examples in rule files (docs/rules.md). */
#define EXAMPLE_DATE "2023-01-01"

int extract_example_value(const vnp_rules *rs, const rule *r, const char *text,
                          size_t len, pcre2_match_data *md, const char *key,
                          vnp_buf *out) {
  vnp_arena a;
  arena_init(&a);
  ext_ctx x;
  memset(&x, 0, sizeof x);
  x.rs = rs;
  x.a = &a;
  x.md = md; /* holds the example's match */
  parse_ref(EXAMPLE_DATE, &x.ref);
  int ok = 0;
  vnp_buf_clear(out);
  if (strcmp(r->kind, "deadline") == 0) {
    ext_deadline dl;
    resolve_deadline(&x, r, text, len, &dl);
    const char *v = NULL;
    if (strcmp(key, "kind") == 0)
      v = dl.kind;
    else if (strcmp(key, "start") == 0)
      v = dl.start[0] ? dl.start : "null";
    else if (strcmp(key, "end") == 0)
      v = dl.end[0] ? dl.end : "null";
    else if (strcmp(key, "timex") == 0)
      v = dl.timex;
    else if (strcmp(key, "grain") == 0)
      v = dl.grain;
    else if (strcmp(key, "mod") == 0)
      v = dl.mod;
    else if (strcmp(key, "every") == 0 || strcmp(key, "recurrence") == 0)
      v = dl.every;
    else if (strcmp(key, "window") == 0)
      v = dl.window;
    else if (strcmp(key, "due") == 0)
      v = dl.due;
    else if (strcmp(key, "condition") == 0)
      v = dl.cond;
    else if (strcmp(key, "year_source") == 0)
      v = dl.year_source;
    if (v) {
      vnp_buf_puts(out, v);
      ok = 1;
    }
  } else if (strcmp(r->kind, "target") == 0) {
    ext_target t;
    resolve_target(&x, r, text, &t);
    if (strcmp(key, "value") == 0 && t.has_value) {
      if (fabs(t.value) < 1e15 && (double)(long long)t.value == t.value)
        vnp_buf_printf(out, "%lld", (long long)t.value);
      else
        vnp_buf_printf(out, "%g", t.value);
      ok = 1;
    } else if (strcmp(key, "value2") == 0 && t.has_value2) {
      vnp_buf_printf(out, "%g", t.value2);
      ok = 1;
    } else if (strcmp(key, "comparator") == 0 && t.comparator) {
      vnp_buf_puts(out, t.comparator);
      ok = 1;
    } else if (strcmp(key, "unit") == 0 && t.unit) {
      vnp_buf_puts(out, t.unit);
      ok = 1;
    } else if (strcmp(key, "indicator") == 0 && t.indicator) {
      vnp_buf_puts(out, t.indicator);
      ok = 1;
    } else if (strcmp(key, "horizon") == 0 && t.h1) {
      if (t.h2)
        vnp_buf_printf(out, "%d-%d", t.h1, t.h2);
      else
        vnp_buf_printf(out, "%d", t.h1);
      ok = 1;
    }
  } else if (strcmp(r->kind, "citation") == 0) {
    ext_citation c;
    resolve_citation(&x, r, text, &c);
    const char *v = NULL;
    if (strcmp(key, "number") == 0)
      v = c.number;
    else if (strcmp(key, "type") == 0)
      v = c.type;
    else if (strcmp(key, "date") == 0)
      v = c.date[0] ? c.date : NULL;
    else if (strcmp(key, "issuer") == 0)
      v = c.issuer;
    if (v) {
      vnp_buf_puts(out, v);
      ok = 1;
    }
  } else if (strcmp(r->kind, "body") == 0) {
    ext_body b;
    resolve_body(&x, r, text, &b);
    const char *v = NULL;
    if (strcmp(key, "name") == 0)
      v = b.name ? b.name : "null";
    else if (strcmp(key, "level") == 0)
      v = b.level ? b.level : "null";
    else if (strcmp(key, "type") == 0)
      v = b.type ? b.type : "null";
    else if (strcmp(key, "text") == 0)
      v = b.text;
    if (v) {
      vnp_buf_puts(out, v);
      ok = 1;
    }
  }
  free(x.bc);
  arena_free(&a);
  return ok;
}

/* ---- vnplan match ---- */

static int want(const char *kind, const char *k) {
  return !kind || !*kind || strcmp(kind, k) == 0;
}

char *vnp_match_phrase(const vnp_rules *rules, const char *kind,
                       const char *text, size_t len, const char *doc_date) {
  vnp_buf tb = VNP_BUF_INIT;
  /* the phrase gets the canonical form the documents get: NFC, first-vowel
   * tone placement */
  utf8proc_uint8_t *nfc = NULL;
  utf8proc_ssize_t m =
      utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len, &nfc,
                   UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (m >= 0)
    tone_restyle((const char *)nfc, (size_t)m, VNP_TONE_FIRST_VOWEL, &tb);
  else
    vnp_buf_put(&tb, text, len);
  free(nfc);
  vnp_arena a;
  arena_init(&a);
  ext_ctx x;
  ctx_init(&x, NULL, rules, &a, doc_date ? doc_date : NULL);
  vnp_buf out = VNP_BUF_INIT;
  json_w w;
  json_init(&w, &out, 1, VNP_TONE_KEEP);
  json_arr_begin(&w);
  piece p;
  memset(&p, 0, sizeof p);
  p.s = tb.ptr;
  p.len = tb.len;
  if (want(kind, "deadline")) {
    dlvec dv = {0};
    piece_deadlines(&x, &p, SCAN_FIELDSCOPE, &dv);
    for (size_t i = 0; i < dv.n; i++) {
      json_obj_begin(&w);
      json_kstr(&w, "kind", "deadline");
      json_key(&w, "value");
      deadline_json(&w, &dv.v[i], 1);
      json_obj_end(&w);
    }
    vnp_vec_free(dv);
  }
  if (want(kind, "target")) {
    scan(&x, "target", p.s, p.len, SCAN_ANY, NULL, NULL, &x.h1);
    hitvec th = {0};
    for (size_t i = 0; i < x.h1.n; i++)
      vnp_vec_push(th, x.h1.v[i]);
    long prev = -1, count = 0;
    const char *prev_cmp = NULL;
    size_t prev_end = 0;
    int h1 = 0, h2 = 0;
    for (size_t i = 0; i < th.n; i++) {
      if (!refill(&x, &th.v[i], p.s, p.len))
        continue;
      ext_target t;
      resolve_target(&x, th.v[i].r, p.s, &t);
      if (!t.has_value && t.h1) {
        h1 = t.h1;
        h2 = t.h2;
      } else if (!t.h1) {
        t.h1 = h1;
        t.h2 = h2;
      }
      if (t.share_of == -2)
        t.share_of = prev;
      /* as doc_targets_piece: a bound stays in its clause */
      for (size_t k = prev_end; prev_cmp && k < th.v[i].s; k++)
        if (p.s[k] == ';' && strcmp(prev_cmp, "approx") != 0)
          prev_cmp = NULL;
      if (!t.comparator && t.has_value)
        t.comparator = prev_cmp ? prev_cmp : "eq";
      t.span = piece_span(&x, &p, th.v[i].s, th.v[i].e);
      json_obj_begin(&w);
      json_kstr(&w, "kind", t.has_value ? "target" : "horizon");
      json_key(&w, "value");
      target_json(&w, &t, 1);
      json_obj_end(&w);
      if (t.has_value) {
        prev = count++;
        prev_cmp = t.has_value2 ? NULL : t.comparator;
        prev_end = th.v[i].e;
      }
    }
    vnp_vec_free(th);
  }
  if (want(kind, "citation")) {
    scan(&x, "citation", p.s, p.len, SCAN_ANY, "role", NULL, &x.h1);
    hitvec ch = {0};
    for (size_t i = 0; i < x.h1.n; i++)
      vnp_vec_push(ch, x.h1.v[i]);
    for (size_t i = 0; i < ch.n; i++) {
      if (!refill(&x, &ch.v[i], p.s, p.len))
        continue;
      ext_citation c;
      resolve_citation(&x, ch.v[i].r, p.s, &c);
      if (cite_cue_before(&x, p.s, p.len, ch.v[i].s))
        c.relation = "implements";
      c.span = piece_span(&x, &p, ch.v[i].s, ch.v[i].e);
      json_obj_begin(&w);
      json_kstr(&w, "kind", "citation");
      json_key(&w, "value");
      citation_json(&w, &c, 1);
      json_obj_end(&w);
    }
    vnp_vec_free(ch);
  }
  if (want(kind, "body")) {
    bodyvec lead = {0}, partners = {0}, report_to = {0}, all = {0};
    piece_roles(&x, &p, &lead, &partners, &report_to);
    piece_bodies(&x, &p, &x.h1, &all);
    for (size_t i = 0; i < all.n; i++) {
      const char *role = NULL;
      for (size_t k = 0; k < lead.n && !role; k++)
        if (lead.v[k].span.start == all.v[i].span.start)
          role = "lead";
      for (size_t k = 0; k < partners.n && !role; k++)
        if (partners.v[k].span.start == all.v[i].span.start)
          role = "partner";
      for (size_t k = 0; k < report_to.n && !role; k++)
        if (report_to.v[k].span.start == all.v[i].span.start)
          role = "report_to";
      json_obj_begin(&w);
      json_kstr(&w, "kind", "body");
      json_kstr(&w, "role", role);
      json_key(&w, "value");
      body_json(&w, &all.v[i], 1);
      json_obj_end(&w);
    }
    /* role bodies that are no body hit (the partner fallback) */
    for (int k = 0; k < 2; k++) {
      const bodyvec *v = k == 0 ? &lead : &partners;
      for (size_t j = 0; j < v->n; j++) {
        int seen = 0;
        for (size_t i = 0; i < all.n && !seen; i++)
          seen = all.v[i].span.start == v->v[j].span.start;
        if (seen)
          continue;
        json_obj_begin(&w);
        json_kstr(&w, "kind", "body");
        json_kstr(&w, "role", k == 0 ? "lead" : "partner");
        json_key(&w, "value");
        body_json(&w, &v->v[j], 1);
        json_obj_end(&w);
      }
    }
    vnp_vec_free(lead);
    vnp_vec_free(partners);
    vnp_vec_free(report_to);
    vnp_vec_free(all);
  }
  if (want(kind, "funding")) {
    scan(&x, "funding", p.s, p.len, SCAN_ANY, "role", NULL, &x.h2);
    hitvec fh = {0};
    for (size_t i = 0; i < x.h2.n; i++)
      vnp_vec_push(fh, x.h2.v[i]);
    for (size_t i = 0; i < fh.n; i++) {
      size_t gs, ge;
      if (!refill(&x, &fh.v[i], p.s, p.len) ||
          !rule_group(fh.v[i].r, x.md, "source", &gs, &ge))
        continue;
      fundvec items = {0};
      funding_items(&x, &p, gs, ge, fh.v[i].r, &items);
      json_obj_begin(&w);
      json_kstr(&w, "kind", "funding");
      funding_json(&w, "value", &items);
      json_obj_end(&w);
      vnp_vec_free(items);
    }
    vnp_vec_free(fh);
  }
  json_arr_end(&w);
  json_end(&w);
  ctx_free(&x);
  arena_free(&a);
  vnp_buf_free(&tb);
  return vnp_buf_detach(&out, NULL);
}
