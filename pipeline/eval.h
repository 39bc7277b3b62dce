/*
 * eval.h - scoring parse output against gold files (internal; used by
 * `vnplan eval` and tests/test_eval.c). See eval.c and docs/eval.md.
 */
#ifndef VNP_EVAL_H
#define VNP_EVAL_H

#include "buf.h"
#include "vnplan.h"

#include <jansson.h>

/* The scored fields, in table order. */
enum {
  EV_HEADINGS,
  EV_KINDS,
  EV_HEADER,
  EV_TASKS,
  EV_LEADS,
  EV_PARTNERS,
  EV_DEADLINES,
  EV_TARGETS,
  EV_CITATIONS,
  EV_RECIPIENTS,
  EV_SIGNATURE,
  EV_ALIGNMENT, /* links of `vnplan compare` against a gold pair (--pairs) */
  EV_NFIELDS
};

typedef struct ev_counts {
  long tp, fp, fn;
} ev_counts;

typedef struct ev_score {
  ev_counts c[EV_NFIELDS];
  unsigned char scored[EV_NFIELDS]; /* 1 if the gold annotates the field */
} ev_score;

/* Comparison settings. */
typedef struct ev_opts {
  double similarity; /* fuzzy threshold for text fields, 0..1 (1: exact) */
  int same_source;   /* output parsed from the gold's own bytes: spans
                        align, and overlap picks among equal candidates */
} ev_opts;

#define EV_DEFAULT_SIMILARITY 0.85

/* Name of field `f` ("headings", ...), or NULL when out of range. */
const char *ev_field_name(int f);
/* Field index for a name, or -1. */
int ev_field_index(const char *name);

/* F1 = 2tp / (2tp + fp + fn); 1 when there is nothing to find. */
double ev_f1(const ev_counts *c);
double ev_precision(const ev_counts *c);
double ev_recall(const ev_counts *c);

/* Adds the counts of `s` into `into` (a field is scored in `into` once it
 * is scored in any document). */
void ev_score_add(ev_score *into, const ev_score *s);

/* Normalized text for comparison: NFC, case-folded, first-vowel tone
 * style, whitespace runs as one space, no leading/trailing space or
 * trailing punctuation. `fold` also strips every diacritic (d-bar to d).
 * Caller frees. */
char *ev_normalize(const char *s, int fold);

/* Similarity of two strings in [0, 1]: 1 - edit distance / longer length,
 * on their folded forms (the Levenshtein distance of the bytes, which are
 * ASCII for Vietnamese text once folded). Returns 0 early when it cannot
 * reach `minsim`. */
double ev_similarity(const char *a, const char *b, double minsim);

/* Compares `got` (a parse output) with `gold` (a possibly partial parse
 * output) and adds the counts to *s. With `explain` non-NULL, appends one
 * line per miss ("miss"), false hit ("false") and per header field whose
 * value differs ("wrong"). */
void ev_compare(const json_t *gold, const json_t *got, const ev_opts *o,
                ev_score *s, vnp_buf *explain);

/* Loads `gold_path`, parses its source (or `source_override`, e.g. an OCR
 * copy) with `rules` and `popts`, and compares. Returns 0, or -1 with a
 * message in `err` (caller frees) when a file cannot be read or the gold is
 * not JSON. *source_out receives the source path used (caller frees). */
int ev_run(const vnp_rules *rules, const vnp_options *popts,
           const char *gold_path, const char *source_override, const ev_opts *o,
           ev_score *s, vnp_buf *explain, char **source_out, char **err);

/* Parent and child sources implied by a gold alignment DIR/C-P.tsv
 * (docs/eval.md): the one file UP/C_*.txt (child) and UP/P_*.txt (parent),
 * UP being the directory above DIR (corpus/pairs/04-01.tsv: child
 * corpus/04_*.txt, parent corpus/01_*.txt). Returns 0, or -1 with a
 * message in `err` (caller frees); caller frees *parent and *child. */
int ev_pair_sources(const char *pair_path, char **parent, char **child,
                    char **err);

/* Runs `vnplan compare` on the sources of `pair_path` and adds the strict
 * link counts to s->c[EV_ALIGNMENT] (tp: predicted links in the gold, fp:
 * other predicted links of the child items the gold names, fn: gold links
 * not predicted). Returns 0, or -1 with a message in `err` (caller frees)
 * when a file cannot be read or a gold line names no item. *parent_out and
 * *child_out (may be NULL) receive the sources used (caller frees). */
int ev_pair_run(const vnp_rules *rules, const char *pair_path, ev_score *s,
                char **parent_out, char **child_out, char **err);

#endif
