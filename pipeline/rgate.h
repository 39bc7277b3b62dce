/*
 * rgate.h - cheap necessary conditions for the rules of one kind (internal).
 *
 * A stage that runs every rule of a kind on every line or block spends
 * most of that time entering PCRE2 for rules that cannot match: a heading
 * pattern anchored at "^" whose first character is not the line's first
 * byte, a normalize rule that needs a digit on a line without one. An
 * rgate reads what PCRE2 itself knows about each compiled pattern (the
 * bytes a match can start with, whether it is anchored, its minimum
 * length, the code unit every match must hold: pcre2_pattern_info) and
 * answers "may rule k match this text?" from 256-entry byte tables,
 * without calling PCRE2. A pattern that begins with \d (no top-level
 * alternation) gets no start information from PCRE2 10.42 under UCP; the
 * gate knows it can only start at a decimal digit (rgate_digit_at). Two
 * facts are read from the pattern's text: that leading \d, and the
 * literal alternatives of a lookbehind or lookahead every match passes
 * (rgate_assert_literals), which PCRE2 does not use for its own
 * optimizations.
 *
 * Invariant: a rule the gate rules out cannot match the text (PCRE2's own
 * start-of-match optimizations would reject it, or the digit or literal it
 * needs is absent), so skipping it never changes a result; rules with no
 * usable information always pass.
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
/* Rules of a kind gated by the literals of an assertion, and the most
 * alternatives such an assertion may have. */
#define RGATE_LIT_RULES 8
#define RGATE_LIT_ALTS 12

/* A rule whose pattern holds, outside all groups, a lookbehind or
 * lookahead of literal alternatives, '(?<=ngày |Ngày )...': a match needs
 * one of them (their literal prefixes) in the text. */
typedef struct rgate_lit {
  int k;    /* the rule's index in the kind */
  int n;    /* alternatives */
  int same; /* index of an earlier entry with the same literals, or -1 */
  const char *s[RGATE_LIT_ALTS]; /* into the rule's pattern */
  uint8_t len[RGATE_LIT_ALTS];
  uint8_t piv[RGATE_LIT_ALTS]; /* the byte looked for with memchr */
} rgate_lit;

typedef struct rgate {
  const rule *const *rv;
  size_t n;
  uint64_t always;   /* rules without start information */
  uint64_t anchored; /* rules that can only match at the start offset */
  uint64_t loose;    /* unanchored rules with start information */
  uint64_t digit;    /* matches start with \d: a decimal digit */
  uint64_t req;      /* rules with a required (ASCII) code unit */
  int walk;          /* rgate_scan walks the text */
  uint32_t minlen[RGATE_MAX];
  uint64_t first[256]; /* bit k: rule k may start a match with this byte */
  uint64_t need[256];  /* bit k: this byte is rule k's required code unit */
  uint64_t both[256];  /* kinds of <= 32 rules: first | need << 32 */
  rgate_lit lit[RGATE_LIT_RULES];
  int nlit;
} rgate;

/* Reads the start information of every rule of `kind`. */
void rgate_init(rgate *g, const vnp_rules *rs, const char *kind);

/* Rules (bit k = the k-th rule of the kind) that may match s[0..len) at
 * start offset 0: an anchored rule needs s[0] among its first bytes, an
 * unanchored one (when the kind has several, or it starts with \d) some
 * byte of s among them; a rule with a required code unit needs it in s;
 * a rule with an assertion of literals one of them in s; every
 * rule needs len >= its minimum length.
 * Rules past RGATE_MAX are not represented: test them with
 * rgate_may(). */
uint64_t rgate_scan(const rgate *g, const char *s, size_t len);

/* May a decimal digit (\d under UCP: \p{Nd}, any Unicode version) start
 * at s[i] (i < len)? An ASCII digit, or a code point outside the ranges
 * known to hold none (U+0080-U+05FF, U+1E00-U+1EFF, U+2000-U+20FF: Latin,
 * Vietnamese letters, combining marks, punctuation). */
static inline int rgate_digit_at(const char *s, size_t len, size_t i) {
  uint8_t c = (uint8_t)s[i];
  if (c < 0x80)
    return c >= '0' && c <= '9';
  if (c < 0xD8) /* C2-D7: U+0080-U+05FF (continuation bytes: no start) */
    return 0;
  if ((c == 0xE1 || c == 0xE2) && i + 1 < len) {
    uint8_t c1 = (uint8_t)s[i + 1];
    return c == 0xE1 ? !(c1 >= 0xB8 && c1 <= 0xBB) : c1 > 0x83;
  }
  return 1;
}

/* The first i >= from where rule k of g may start a match (len + 1 when
 * none): for a rule that starts with \d the next digit, else from. */
size_t rgate_next(const rgate *g, size_t k, const char *s, size_t len,
                  size_t from);

/* Does every match of `pattern` (after macro expansion; compile_opts as
 * compiled) start with \d? Read from the pattern's text: "^", group
 * openers, then \d that is not optional, with no alternation around it. */
int rgate_starts_digit(const char *pattern, uint32_t compile_opts);

/* The literals a match of `pattern` needs: when a positive assertion
 * ("(?=A|B)", "(?<=A|B)") stands outside all groups, not quantified, every
 * alternative of it starting with literal text, and no alternation stands
 * at the top level, fills the literal prefix of each alternative (pointers
 * into pattern) and returns their number (0: none). The assertion must
 * succeed inside the subject, so one of them occurs in it. Not for
 * caseless or extended patterns (nor with inline options). */
int rgate_assert_literals(const char *pattern, uint32_t compile_opts,
                          const char **lit, uint8_t *len, int max);

/* May rule k match, given the mask from rgate_scan? */
static inline int rgate_may(uint64_t mask, size_t k) {
  return k >= RGATE_MAX || ((mask >> k) & 1);
}

#endif
