/*
 * compare.h - internal model of `vnplan compare` (compare.c builds it,
 * compare_render.c prints it). See compare.c for the method.
 */
#ifndef VNP_COMPARE_H
#define VNP_COMPARE_H

#include "buf.h"
#include "rules.h"
#include "vnplan.h"

#include <stdint.h>

/* Thresholds, calibrated on 04->01 and 05->01 (docs/compare.md). */
#ifndef CMP_T_FULL
#define CMP_T_FULL 0.45 /* best score >= this: parent item covered */
#endif
#ifndef CMP_T_PARTIAL
#define CMP_T_PARTIAL 0.22 /* best score >= this: partly covered; a link */
#endif
#define CMP_KIND_BONUS 1.25 /* score factor when both items share a kind */
#define CMP_MAX_LINKS 3     /* parent items kept per child item */
#ifndef CMP_LINK_RATIO
#define CMP_LINK_RATIO 0.9 /* extra links within this ratio of the best */
#endif
#ifndef CMP_CTX_BONUS
#define CMP_CTX_BONUS 1.5 /* under the parent item the outer item matched */
#endif
#ifndef CMP_CSENT_T
#define CMP_CSENT_T 0.30 /* a child sentence this close adds a link */
#endif
#define CMP_CSENT_MAX 6 /* links of one child item at most */
#ifndef CMP_CTX_MIN
#define CMP_CTX_MIN 0.40 /* an enclosing item sets the context from here */
#endif
#define CMP_MIN_TERMS 3     /* items with fewer content syllables are skipped */
#define CMP_HEADING_TERMS 8 /* a shorter heading with children is skipped */
#ifndef CMP_SENT_FACTOR
#define CMP_SENT_FACTOR 0.8 /* weight of the best sentence of a long item */
#endif
#define CMP_SENT_TERMS 6 /* content syllables of a sentence scored alone */
#define CMP_SHINGLE 6    /* syllables per shingle for the copy ratio */
#define CMP_EVIDENCE 4   /* shared key phrases shown per link */
#define CMP_MAX_DOCS 64  /* parent + children in one run */
#define CMP_MAX_DEPTH 32 /* section nesting followed in the JSON tree */

typedef struct cmp_term {
  uint32_t id;
  float w; /* tf then tf-idf weight */
} cmp_term;

typedef struct cmp_sent {
  cmp_term *terms;
  size_t nterms;
  double norm;
} cmp_sent;

typedef struct cmp_item {
  char *id;         /* path id: II.1.a, AII.T39 */
  const char *text; /* display text (owned by `own` or by the JSON) */
  char *own;        /* text built by joining title/paragraphs/cells */
  char *sim;        /* table row: the cells that are not metadata, or NULL */
  const char *kind; /* nearest section kind or NULL */
  int top;          /* index of the top-level section item, or self */
  int up;           /* index of the enclosing item or -1 */
  int depth;
  int heading;           /* has children in the tree */
  int group;             /* table row: index of its group row, or -1 */
  int kgroup;            /* group of `kind` (tasks, objectives, ...) or 0 */
  long start, end, line; /* original span (line 0: unknown) */
  cmp_term *terms;
  size_t nterms;
  size_t ncontent; /* content syllables (not stopwords) */
  cmp_sent *sents; /* sentences of a long item (none if it has one) */
  size_t nsents;
  double norm;
  int task; /* index into doc tasks or -1 */
  /* child item: best parent item and its score */
  double best;
  int best_item;
  size_t nsh, nhit; /* child: shingles, and those found in the parent */
} cmp_item;

typedef struct cmp_body {
  const char *name, *type, *level;
} cmp_body;

typedef struct cmp_task {
  const char *id, *text;
  long start, end, line;
  cmp_body *lead;
  size_t nlead;
  char end_date[11]; /* latest deadline end, YYYY-MM-DD or "" */
  const char *deadline_text;
  int report; /* has report_to bodies */
  int item;   /* item index or -1 */
} cmp_task;

typedef struct cmp_target {
  long horizon;
  const char *indicator, *comparator, *unit, *text;
  double value;
  long start, end, line;
  int item;
  cmp_term *key; /* indicator (or context) unigram vector */
  size_t nkey;
  double knorm;
} cmp_target;

typedef struct cmp_cite {
  const char *type, *number, *date, *issuer, *relation;
  long start, end, line;
} cmp_cite;

typedef struct cmp_link {
  int child_item, parent_item;
  double score;
  /* evidence: shared phrases as byte ranges of the child item's text */
  uint32_t ev_start[CMP_EVIDENCE], ev_end[CMP_EVIDENCE];
  int nevidence;
} cmp_link;

typedef struct cmp_conflict {
  const char *type;            /* deadline, target, body */
  int child_item, parent_item; /* -1 if none */
  long cstart, cend, cline, pstart, pend, pline;
  char *message;
} cmp_conflict;

typedef struct cmp_doc {
  struct json_t *root; /* jansson; only compare.c looks inside */
  char *path;
  const char *number, *date, *issuer, *type, *title;
  VNP_VEC(cmp_item) items;
  VNP_VEC(cmp_task) tasks;
  VNP_VEC(cmp_target) targets;
  VNP_VEC(cmp_cite) cites;
  uint32_t *idslots; /* open addressing over item ids (index + 1, 0 free) */
  size_t nidslots;
  int *bystart; /* items with a span, by start (for spans -> items) */
  size_t nbystart;
  /* child results */
  VNP_VEC(cmp_link) links;
  VNP_VEC(cmp_conflict) conflicts;
  char link_status[16]; /* direct, indirect, date-mismatch, none, missing */
  char *link_message;
  int link_cite;           /* index into cites or -1 */
  int link_via;            /* doc index of the intermediate plan or -1 */
  VNP_VEC(char *) missing; /* missing expected parts (messages) */
  VNP_VEC(char *) missing_code;
  double coverage;          /* parent coverage by this child, 0..1 */
  size_t n_cov[3];          /* parent items not/partly/covered */
  size_t n_local;           /* child items with no basis in the parent */
  size_t copy_sh, copy_hit; /* shingles in the child, found in parent */
  int *pstatus;             /* per parent item: 2/1/0/-1 for this child */
  double *pbest;            /* per parent item: best score from this child */
  int *pbest_item;
} cmp_doc;

/* The match key of one code point (n = length + 1; 0: not known yet). */
typedef struct cmp_fold_ent {
  uint8_t n;
  char s[7];
} cmp_fold_ent;
#define CMP_FOLD_CACHE 0x2000 /* code points whose keys are cached */

typedef struct cmp_dict_entry {
  uint64_t h;
  uint32_t key, keylen; /* folded key in dict.keys */
  uint32_t df;
  uint32_t surf, surflen; /* first surface form in dict.keys */
} cmp_dict_entry;

struct vnp_compare {
  const vnp_rules *rules;
  cmp_doc docs[CMP_MAX_DOCS];
  size_t ndocs;
  VNP_VEC(cmp_dict_entry) terms;
  uint32_t *slots; /* open addressing over terms, power of two */
  size_t nslots;
  vnp_buf keys;
  uint64_t *stop; /* sorted stopword hashes (unigram and bigram keys) */
  size_t nstop;
  VNP_VEC(char *) report_words; /* folded reporting-duty phrases */
  VNP_VEC(char *) meta_cols;    /* folded headers of metadata columns */
  cmp_fold_ent *fold;           /* match keys of code points met so far */
  int ran;
};

/* compare.c */
size_t cmp_fold(const char *s, size_t len, vnp_buf *out);
size_t cmp_fold_cached(cmp_fold_ent *cache, const char *s, size_t len,
                       vnp_buf *out);
double cmp_cosine(const cmp_term *a, size_t na, double norma, const cmp_term *b,
                  size_t nb, double normb);
/* Strict link counts of child `child` (1-based) against a gold alignment
 * (the TSV of vnp_compare_gold; only the child items it names are scored):
 * tp = predicted links in the gold, fp = other predicted links, fn = gold
 * links not predicted. Returns the number of gold lines that name no item
 * (or have no tab), or -1 if the run has not been made or `child` is out of
 * range. Used by `vnplan eval --pairs`. */
long cmp_gold_counts(vnp_compare *c, size_t child, const char *tsv, size_t len,
                     long *tp, long *fp, long *fn);

/* One gold link: child item ci implements parent item pi. */
typedef struct cmp_gold_pair {
  int ci, pi;
} cmp_gold_pair;
typedef VNP_VEC(cmp_gold_pair) cmp_gold_pairs;

/* Reads a gold alignment TSV ("child-id TAB parent-id|-" a line, '#'
 * comments) of child `child` against parent docs[0]: the links go to
 * *gold, named[ci] is set for every child item a line names (named must
 * hold ch->items.n bytes, zeroed), *nlocal counts the lines with "-" (no
 * basis in the parent). A line with no tab or naming no item is skipped
 * and, when rep is not NULL, reported in it ("gold:LINE: ..."). Returns
 * the number of such lines. */
long cmp_gold_read(const vnp_compare *c, size_t child, const char *tsv,
                   size_t len, cmp_gold_pairs *gold, char *named,
                   size_t *nlocal, vnp_buf *rep);

#endif
