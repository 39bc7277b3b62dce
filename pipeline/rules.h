/*
 * rules.h - rule files: loading, compiling, matching (internal).
 *
 * A rule directory holds `*.rules` files (stanzas, see docs/rules.md),
 * `*.lst` word lists (one literal phrase per line) and `*.tsv` tables.
 * Everything is read once by vnp_rules_load, every pattern is compiled once
 * with PCRE2 + JIT, and the result is immutable: stages share it across
 * threads and keep only their own pcre2_match_data.
 */
#ifndef VNP_RULES_H
#define VNP_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>

#include "buf.h"
#include "vnplan.h"

typedef struct rule_kv {
  const char *key;
  const char *value;
} rule_kv;

typedef struct rule_example {
  const char *text;  /* input phrase */
  rule_kv *expect;   /* expected key=value pairs (may be empty) */
  size_t nexpect;
  int counter;       /* 1: the rule must NOT match `text` */
  unsigned line;     /* line in the rule file */
} rule_example;

typedef struct rule {
  const char *id;
  const char *kind;
  const char *file; /* path of the rule file */
  unsigned line;    /* line of the "rule" keyword */
  const char *pattern; /* after macro expansion (lists as tries) */
  const char *pattern_flat; /* lists as flat alternations, or NULL if the
                               same as pattern (see rules.c) */
  pcre2_code *re;
  int jit; /* re was JIT-compiled: matched with pcre2_jit_match */
  uint32_t compile_opts;
  int priority;
  size_t order; /* position among all rules (file order) */
  rule_kv *emit;
  size_t nemit;
  /* rule_emit of the keys the scanners test for every rule (set at load) */
  const char *emit_role, *emit_scope, *emit_needs;
  const char *replace;   /* kind "normalize": substitution template */
  const char *prefilter; /* literal that must occur (caseless) or NULL */
  const char *gate;      /* `gate` regex every match contains, or NULL */
  pcre2_code *gate_re;   /* ... compiled (shared by rules with one gate) */
  unsigned gate_id;      /* 1 + its number among the distinct gates */
  const char *starts;    /* `starts` phrases as written, or NULL */
  unsigned starts_line;  /* line of the `starts` keyword */
  uint64_t start_bit;    /* this rule's bit in the word index (0: none);
                            the pattern is then compiled anchored */
  rule_example *examples;
  size_t nexamples;
} rule;

/* A named list of literal phrases (from a .lst file), longest first. */
typedef struct rule_list {
  const char *name; /* file name without .lst */
  const char **items;
  size_t n;
  /* items by rules_lower_hash (open addressing, lcap a power of 2; slot:
   * item index + 1, 0 empty); NULL if an item is not valid UTF-8 */
  uint64_t *lhash;
  uint32_t *lslot;
  size_t lcap;
} rule_list;

/* A hash of s[0..n) with every code point lowered (utf8proc_tolower): two
 * texts equal but for the case of their letters hash alike. *ok = 0 (and
 * 0 returned) if s is not valid UTF-8. */
uint64_t rules_lower_hash(const char *s, size_t n, int *ok);

/* Calls eq(item, s, n) for the items of l that may equal s[0..n) (those
 * with s's rules_lower_hash, or all items if there is no hash table or s
 * is not valid UTF-8) until it returns nonzero; returns that item or
 * NULL. eq must imply equal lowered code points. */
const char *rules_list_find(const rule_list *l, const char *s, size_t n,
                            int (*eq)(const char *, size_t, const char *,
                                      size_t));

/* A table from a .tsv file: rows of tab-separated cells; row 0 is the
 * header when the file's first line starts with '#'. */
typedef struct rule_table {
  const char *name; /* file name without .tsv */
  const char **header;
  size_t ncols;
  const char ***rows;
  size_t *rowlen;
  size_t nrows;
} rule_table;

struct vnp_rules {
  char *dir;
  rule *rules;
  size_t nrules;
  rule_list *lists;
  size_t nlists;
  rule_table *tables;
  size_t ntables;
  uint32_t max_groups; /* largest capture count of any pattern */
  struct rules_kind_index *index; /* rules grouped by kind, sorted */
  size_t nindex;
  pcre2_match_context *mctx; /* limits; read-only after load */
  /* word index of the `starts` rules: folded first word (hash) -> bits of
   * the rules a match may begin with; open addressing, wcap a power of 2 */
  uint64_t *wkeys, *wmasks;
  size_t wcap;
  uint64_t wfilter[1024];    /* one bit per key hash slice: a quick "no" */
  uint64_t digit_mask;       /* rules that may begin with any number */
  unsigned ngates;           /* distinct `gate` patterns (at most 32) */
  uint32_t *fold;            /* code points below RULES_FOLD_N: fold | flags */
  void *strings;             /* storage for every string above */
};

/* A word start in a text where some `starts` rule may match: the bits of
 * those rules (see rules_words). */
typedef struct rule_word {
  uint32_t pos;
  uint64_t mask;
} rule_word;
typedef VNP_VEC(rule_word) rule_wordvec;

/* All rules of `kind`, in priority order (highest first, then file order).
 * Returns the count; *out points into storage owned by the rules. */
size_t rules_of_kind(const vnp_rules *rs, const char *kind,
                     const rule *const **out);

/* The list or table called `name`, or NULL. */
const rule_list *rules_list(const vnp_rules *rs, const char *name);
const rule_table *rules_table(const vnp_rules *rs, const char *name);

/* A match-data block big enough for every rule (caller frees with
 * pcre2_match_data_free). */
pcre2_match_data *rules_match_data(const vnp_rules *rs);

/* Runs `r` on s[0..len) from `start`. Returns >0 on a match (ovector in
 * md), 0 on no match, <0 on a PCRE2 error (e.g. PCRE2_ERROR_MATCHLIMIT):
 * callers turn errors into diagnostics. Applies the prefilter. */
int rule_exec(const vnp_rules *rs, const rule *r, const char *s, size_t len,
              size_t start, pcre2_match_data *md);

/* The word starts of s[0..len) at which a `starts` rule may match, in
 * order, into *out (cleared first). Returns the union of their bits: a
 * rule whose bit is not in it cannot match s. */
uint64_t rules_words(const vnp_rules *rs, const char *s, size_t len,
                     rule_wordvec *out);

/* rules_words of s[a..b) (positions from a), given w[0..nw), the
 * rules_words of the whole text s[0..len): the same list, with only the
 * words at the ends of s[a..b) read again. */
uint64_t rules_words_sub(const vnp_rules *rs, const char *s, size_t len,
                         const rule_word *w, size_t nw, size_t a, size_t b,
                         rule_wordvec *out);

/* rule_exec for a text whose rules_words are w[0..nw): the same result,
 * without looking for word starts again. */
int rule_exec_words(const vnp_rules *rs, const rule *r, const char *s,
                    size_t len, size_t start, pcre2_match_data *md,
                    const rule_word *w, size_t nw);

/* The pattern of r, with its lists as flat alternations, compiled for an
 * ordinary unanchored search (no JIT), for rules_check_index; NULL if r
 * has no word index and no list written as a trie. Free with
 * pcre2_code_free. */
pcre2_code *rules_plain_code(const rule *r);

/* Checks the word index and the list tries of rule r on s[0..len): every
 * match rule_exec finds, left to right as extraction scans, must be the
 * one the plain search finds, with the same groups. Returns 1 if so (or
 * if r has neither), 0 with a message in why[0..n) if not. */
int rules_check_index(const vnp_rules *rs, const rule *r,
                      const pcre2_code *plain, const char *s, size_t len,
                      char *why, size_t n);

/* Does s[0..len) contain a match of r's gate (1; also if r has none)?
 * Every match of r contains one (`gate`, docs/rules.md), so a text
 * without it cannot match r. Uses md. */
int rule_gate(const vnp_rules *rs, const rule *r, const char *s, size_t len,
              pcre2_match_data *md);

/* Named group `name` of the last match: sets *gs and *ge (offsets into the
 * subject) and returns 1 if set, 0 if unset or absent. */
int rule_group(const rule *r, pcre2_match_data *md, const char *name,
               size_t *gs, size_t *ge);

/* The value of emitted constant `key`, or NULL. */
const char *rule_emit(const rule *r, const char *key);

/* Whole match offsets of the last match. */
void rule_span(pcre2_match_data *md, size_t *s, size_t *e);

/* Is `kind` a kind this build knows? (index + 1, or 0) */
int rules_kind_known(const char *kind);

#endif
