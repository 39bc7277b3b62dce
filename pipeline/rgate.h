/*
 * rgate.h - cheap necessary conditions for the rules of one kind (internal).
 *
 * A stage that runs every rule of a kind on every line or block spends
 * most of that time entering PCRE2 for rules that cannot match: a heading
 * pattern anchored at "^" whose first character is not the line's first
 * byte, a normalize rule that needs a digit on a line without one. An
 * rgate reads what PCRE2 itself knows about each compiled pattern (the
 * bytes a match can start with, whether it is anchored, its minimum
 * length: pcre2_pattern_info) and answers "may rule k match this text?"
 * from a 256-entry byte table, without calling PCRE2.
 *
 * Invariant: a rule the gate rules out is one PCRE2's own start-of-match
 * optimizations would reject without matching, so skipping it never
 * changes a result; rules with no usable information always pass.
 * Immutable after rgate_init; owned by one stage instance (no sharing).
 */
#ifndef VNP_RGATE_H
#define VNP_RGATE_H

#include "rules.h"

#include <stddef.h>
#include <stdint.h>

/* Only the first RGATE_MAX rules of a kind are gated; later ones always
 * pass. */
#define RGATE_MAX 64

typedef struct rgate {
  const rule *const *rv;
  size_t n;
  uint64_t always;   /* rules without start information */
  uint64_t anchored; /* rules that can only match at the start offset */
  uint64_t loose;    /* unanchored rules with start information */
  int walk;          /* rgate_scan walks the text for `loose` rules */
  uint32_t minlen[RGATE_MAX];
  uint64_t first[256]; /* bit k: rule k may start a match with this byte */
} rgate;

/* Reads the start information of every rule of `kind`. */
void rgate_init(rgate *g, const vnp_rules *rs, const char *kind);

/* Rules (bit k = the k-th rule of the kind) that may match s[0..len) at
 * start offset 0: an anchored rule needs s[0] among its first bytes, an
 * unanchored one (when the kind has several) some byte of s among them;
 * every rule needs len >= its minimum length.
 * Rules past RGATE_MAX are not represented: test them with
 * rgate_may(). */
uint64_t rgate_scan(const rgate *g, const char *s, size_t len);

/* May rule k match, given the mask from rgate_scan? */
static inline int rgate_may(uint64_t mask, size_t k) {
  return k >= RGATE_MAX || ((mask >> k) & 1);
}

#endif
