/*
 * rgate.c - start information of compiled rules as a byte table (see
 * rgate.h).
 *
 * Input: the compiled rules of one kind. Output: per rule, the set of
 * bytes a match can start with, whether the pattern is anchored, and its
 * minimum length, all as PCRE2 computed them (pcre2_pattern_info):
 *   FIRSTCODETYPE 1  one first code unit; an ASCII letter also admits its
 *                    other case (PCRE2 records caseless first units without
 *                    saying so), which is a superset of what PCRE2 checks;
 *   FIRSTCODETYPE 0  the FIRSTBITMAP if PCRE2 built one (lead bytes in
 *                    UTF-8 mode), else no information;
 *   FIRSTCODETYPE 2  a match at the start of a line: no information;
 *   ALLOPTIONS & PCRE2_ANCHORED  the pattern is anchored (explicitly or by
 *                    a leading ^ or \A in every branch);
 *   MINLENGTH        a lower bound in characters, compared with a byte
 *                    length as PCRE2 does itself.
 * Tricky cases: a rule with a word index (`starts`, rules.c) is compiled
 * anchored yet matched at each word start it names, so it is never gated.
 * A pattern with a backtracking verb ("(*COMMIT)" ...) may
 * match differently without PCRE2's start optimizations, so any pattern
 * holding "(*" is never gated. A pattern that can match the empty string
 * has no first-unit information and a minimum length of 0: never gated.
 * Cost: rgate_init is 3-4 pcre2_pattern_info calls and a 256-byte pass per
 * rule; rgate_scan reads s[0] and the minimum lengths, and walks s once
 * (one table load and OR per byte) only for a kind with RGATE_MIN_SCAN or
 * more unanchored gated rules: for one or two such rules the walk cost
 * more than the PCRE2 calls it saved (measured on the normalize kind).
 */
#include "rgate.h"

#include <string.h>

/* Unanchored gated rules of a kind needed for rgate_scan to walk the
 * text. */
#define RGATE_MIN_SCAN 4

void rgate_init(rgate *g, const vnp_rules *rs, const char *kind) {
  memset(g, 0, sizeof *g);
  g->n = rules_of_kind(rs, kind, &g->rv);
  size_t n = g->n < RGATE_MAX ? g->n : RGATE_MAX;
  for (size_t k = 0; k < n; k++) {
    const rule *r = g->rv[k];
    uint64_t bit = 1ull << k;
    uint32_t type = 0, opts = 0, minlen = 0;
    const uint8_t *bitmap = NULL;
    /* a rule with a word index (`starts`) is compiled anchored but
     * rule_exec tries it at every word start it names: no gate */
    if (!r->re || r->start_bit || strstr(r->pattern, "(*") ||
        pcre2_pattern_info(r->re, PCRE2_INFO_FIRSTCODETYPE, &type) != 0 ||
        pcre2_pattern_info(r->re, PCRE2_INFO_ALLOPTIONS, &opts) != 0 ||
        pcre2_pattern_info(r->re, PCRE2_INFO_MINLENGTH, &minlen) != 0) {
      g->always |= bit;
      continue;
    }
    g->minlen[k] = minlen;
    if (opts & PCRE2_ANCHORED)
      g->anchored |= bit;
    if (type == 1) {
      uint32_t cu = 0;
      if (pcre2_pattern_info(r->re, PCRE2_INFO_FIRSTCODEUNIT, &cu) != 0 ||
          cu > 0xFF) {
        g->always |= bit;
        continue;
      }
      g->first[cu] |= bit;
      if ((cu | 0x20) >= 'a' && (cu | 0x20) <= 'z')
        g->first[cu ^ 0x20] |= bit;
    } else if (type == 0 &&
               pcre2_pattern_info(r->re, PCRE2_INFO_FIRSTBITMAP, &bitmap) ==
                   0 &&
               bitmap) {
      for (unsigned c = 0; c < 256; c++)
        if (bitmap[c >> 3] & (1u << (c & 7)))
          g->first[c] |= bit;
    } else {
      g->always |= bit;
    }
  }
  /* rules without start information still have a minimum length; those
   * past RGATE_MAX are not represented in the masks at all */
  uint64_t all = n == 64 ? ~0ull : n ? (1ull << n) - 1 : 0;
  g->loose = all & ~g->anchored & ~g->always;
  g->walk = __builtin_popcountll(g->loose) >= RGATE_MIN_SCAN;
}

uint64_t rgate_scan(const rgate *g, const char *s, size_t len) {
  if (!g->n)
    return 0;
  uint64_t may = g->always;
  if (len)
    may |= g->first[(uint8_t)s[0]] & g->anchored;
  /* unanchored gated rules: one walk over s ORing the table answers for
   * all of them at once, which pays when there are several (PCRE2 would
   * scan s once per rule); with fewer, they pass and PCRE2's own vector
   * scan decides */
  uint64_t want = g->loose;
  if (g->walk) {
    const uint8_t *u = (const uint8_t *)s;
    uint64_t acc = 0;
    for (size_t i = 0; i < len && (acc & want) != want; i++)
      acc |= g->first[u[i]];
    may |= acc & want;
  } else {
    may |= want;
  }
  /* minimum lengths */
  for (uint64_t m = may; m; m &= m - 1) {
    int k = __builtin_ctzll(m);
    if (len < g->minlen[k])
      may &= ~(1ull << k);
  }
  return may;
}
