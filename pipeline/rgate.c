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
 *                    length as PCRE2 does itself;
 *   LASTCODEUNIT     a code unit every match holds (PCRE2 looks for it
 *                    itself before matching); only ASCII ones are used, an
 *                    ASCII letter admitting both cases as for first units.
 * A pattern that begins with \d (not optional; after "^" and group
 * openers, with no alternation in those groups or at the top level) can
 * only start at a decimal digit: PCRE2 10.42 computes no
 * start bits for \d under UCP (it is \p{Nd}), so such a rule would be
 * tried at every position of every line. rgate_digit_at admits an ASCII
 * digit and every code point outside ranges that hold no Nd in any Unicode
 * version (tests/test_rgate.c checks them against PCRE2's own \d);
 * rgate_next moves a search's start offset to the next such position
 * (no match can start before it; lookbehinds still see the text before).
 * Tricky cases: a rule with a word index (`starts`, rules.c) is compiled
 * anchored yet matched at each word start it names, so it is never gated.
 * A pattern with a backtracking verb ("(*COMMIT)" ...) may
 * match differently without PCRE2's start optimizations, so any pattern
 * holding "(*" is never gated. A pattern that can match the empty string
 * has no first-unit information and a minimum length of 0: never gated.
 * Cost: rgate_init is 4-6 pcre2_pattern_info calls and a 256-byte pass per
 * rule; rgate_scan reads s[0] and the minimum lengths, and walks s once
 * (two table loads and ORs per byte, gathering first bytes and required
 * code units) only for a kind with RGATE_MIN_SCAN or more unanchored gated
 * rules or an unanchored rule starting with \d: for one or two rules with
 * first bytes the walk cost more than the PCRE2 calls it saved (measured
 * on the normalize kind), while a \d rule costs PCRE2 a match attempt at
 * every position.
 */
#include "rgate.h"

#include <string.h>

/* Unanchored gated rules of a kind needed for rgate_scan to walk the
 * text. */
#define RGATE_MIN_SCAN 4

/* Length of a group opener at p that is neither an assertion nor
 * special: "(", "(?:", "(?<name>", "(?P<name>", "(?'name'"; 0 if none. */
static size_t rgate_group_open(const char *p) {
  if (p[0] != '(')
    return 0;
  if (p[1] != '?')
    return p[1] == '*' ? 0 : 1;
  if (p[2] == ':')
    return 3;
  const char *q = p + 2;
  char close = '>';
  if (*q == 'P')
    q++;
  if (*q == '\'')
    close = '\'';
  else if (*q != '<')
    return 0;
  q++;
  if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || *q == '_'))
    return 0; /* (?<= (?<! */
  while ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
         (*q >= '0' && *q <= '9') || *q == '_')
    q++;
  return *q == close ? (size_t)(q + 1 - p) : 0;
}

/* Does the quantifier at q (if any) allow zero repetitions? */
static int rgate_may_skip(const char *q) {
  return q[0] == '*' || q[0] == '?' ||
         (q[0] == '{' && !(q[1] >= '1' && q[1] <= '9'));
}

/* Scans p to its end: 1 if no '|' stands outside all groups or directly
 * in one of the `open` groups already open at p, and none of those closes
 * with a quantifier that allows zero (escapes, character classes, \Q..\E
 * and (?#...) comments skipped); 0 otherwise or when p is malformed. */
static int rgate_no_alt(const char *p, int open) {
  int depth = open;
  for (const char *c = p; *c; c++) {
    if (c[0] == '\\' && c[1] == 'Q') {
      const char *e = strstr(c + 2, "\\E");
      if (!e)
        return 1; /* quoted to the end */
      c = e + 1;
    } else if (c[0] == '\\') {
      if (!c[1])
        return 0;
      c++;
    } else if (c[0] == '(' && c[1] == '?' && c[2] == '#') {
      const char *e = strchr(c, ')');
      if (!e)
        return 0;
      c = e;
    } else if (c[0] == '[') {
      /* a class: "]" first is literal, [:name:] inside, escapes */
      c++;
      if (*c == '^')
        c++;
      if (*c == ']')
        c++;
      while (*c && *c != ']') {
        if (c[0] == '\\' && c[1])
          c++;
        else if (c[0] == '[' && c[1] == ':') {
          const char *e = strstr(c + 2, ":]");
          if (e)
            c = e + 1;
        }
        c++;
      }
      if (!*c)
        return 0;
    } else if (c[0] == '(') {
      depth++;
    } else if (c[0] == ')') {
      if (depth == open) { /* a group of the prefix closes */
        if (open == 0 || rgate_may_skip(c + 1))
          return 0;
        open--;
      }
      depth--;
    } else if (c[0] == '|' && depth <= open) {
      return 0;
    }
  }
  return 1;
}

/* Does every match of the pattern start with \d (rgate.h)? True when it is
 * "^"? then group openers ("(", "(?:", named groups), then "\d" not
 * followed by a quantifier that allows zero, where no '|' stands in those
 * groups or outside all groups and none of those groups is optional
 * (escapes, character classes, \Q..\E and (?#...) comments skipped).
 * Extended-mode patterns are not looked at. */
int rgate_starts_digit(const char *p, uint32_t compile_opts) {
  if (!p)
    return 0;
  /* extended mode: white space could stand between \d and a quantifier,
   * a comment could hide a parenthesis */
  if ((compile_opts & (PCRE2_EXTENDED | PCRE2_EXTENDED_MORE | PCRE2_LITERAL)) ||
      strstr(p, "(?x"))
    return 0;
  if (*p == '^')
    p++;
  int open = 0; /* groups of the prefix still open */
  for (size_t k; (k = rgate_group_open(p)) != 0; p += k)
    open++;
  if (strncmp(p, "\\d", 2) != 0 || rgate_may_skip(p + 2))
    return 0;
  return rgate_no_alt(p, open);
}

/* Skips a character class at c ('['): returns the byte after its ']', or
 * NULL if it does not close. */
static const char *rgate_skip_class(const char *c) {
  c++;
  if (*c == '^')
    c++;
  if (*c == ']')
    c++;
  while (*c && *c != ']') {
    if (c[0] == '\\' && c[1])
      c++;
    else if (c[0] == '[' && c[1] == ':') {
      const char *e = strstr(c + 2, ":]");
      if (e)
        c = e + 1;
    }
    c++;
  }
  return *c ? c + 1 : NULL;
}

/* Parses the alternatives of an assertion from c (just after "(?=" or
 * "(?<="): fills the literal prefix of each and returns their number, 0
 * if one has none or they are more than max; *after gets the byte after
 * the assertion's ')'. */
static int rgate_alt_literals(const char *c, const char **lit, uint8_t *len,
                              int max, const char **after) {
  static const char meta[] = "\\^$.[]()*+?{}|";
  int n = 0;
  for (;;) { /* one alternative */
    const char *a = c;
    while (*c && !strchr(meta, *c))
      c++;
    const char *e = c;
    if (*c == '*' || *c == '+' || *c == '?' || *c == '{') {
      /* the last character is quantified: not part of the literal */
      if (e > a)
        e--;
      while (e > a && ((uint8_t)*e & 0xC0) == 0x80)
        e--;
    }
    if (e == a || e - a > 255 || n == max)
      return 0;
    lit[n] = a;
    len[n] = (uint8_t)(e - a);
    n++;
    /* the rest of the alternative */
    int depth = 0;
    for (;;) {
      if (!*c)
        return 0;
      if (c[0] == '\\') {
        if (!c[1] || c[1] == 'Q')
          return 0;
        c += 2;
      } else if (c[0] == '[') {
        if (!(c = rgate_skip_class(c)))
          return 0;
      } else if (c[0] == '(') {
        depth++;
        c++;
      } else if (c[0] == ')') {
        if (depth-- == 0)
          break;
        c++;
      } else if (c[0] == '|' && depth == 0) {
        break;
      } else {
        c++;
      }
    }
    if (*c == ')')
      break;
    c++; /* '|' */
  }
  *after = c + 1;
  return n;
}

int rgate_assert_literals(const char *pattern, uint32_t compile_opts,
                          const char **lit, uint8_t *len, int max) {
  if (!pattern ||
      (compile_opts & (PCRE2_CASELESS | PCRE2_EXTENDED | PCRE2_EXTENDED_MORE |
                       PCRE2_LITERAL)))
    return 0;
  /* inline options could make the assertion caseless or extended */
  for (const char *q = strstr(pattern, "(?"); q; q = strstr(q + 2, "(?"))
    if (q[2] && strchr("imnsxJU^-", q[2]))
      return 0;
  int n = 0, depth = 0;
  for (const char *c = pattern; *c;) {
    if (c[0] == '\\') {
      if (!c[1] || c[1] == 'Q')
        return 0;
      c += 2;
    } else if (c[0] == '[') {
      if (!(c = rgate_skip_class(c)))
        return 0;
    } else if (c[0] == '(' && c[1] == '?' && c[2] == '#') {
      const char *e = strchr(c, ')');
      if (!e)
        return 0;
      c = e + 1;
    } else if (c[0] == '(') {
      const char *after;
      int k = 0;
      if (depth == 0 && !n) {
        if (strncmp(c, "(?=", 3) == 0)
          k = rgate_alt_literals(c + 3, lit, len, max, &after);
        else if (strncmp(c, "(?<=", 4) == 0)
          k = rgate_alt_literals(c + 4, lit, len, max, &after);
      }
      if (k && !rgate_may_skip(after) && *after != '+') {
        n = k; /* a positive assertion every match goes through */
        c = after;
      } else {
        depth++;
        c++;
      }
    } else if (c[0] == ')') {
      depth--;
      c++;
    } else if (c[0] == '|' && depth <= 0) {
      return 0;
    } else {
      c++;
    }
  }
  return depth == 0 ? n : 0;
}

/* The byte of lit[0, n) rgate_has looks for first: the first capital if
 * any, else the first byte of a letter's UTF-8 tail (0x80-0xBF), else the
 * first byte that is not a space: bytes rarer in text than small ASCII
 * letters and spaces, so that memchr stops less often. Any byte would be
 * correct. */
static uint8_t rgate_pivot(const char *lit, size_t n) {
  int best = -1, score = -1;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = (uint8_t)lit[i];
    int sc = c >= 'A' && c <= 'Z' ? 3 : c >= 0x80 && c < 0xC0 ? 2 : c != ' ';
    if (sc > score) {
      score = sc;
      best = (int)i;
    }
  }
  return (uint8_t)(best < 0 ? 0 : best);
}

/* Does lit[0, n) occur in s[0, len)? memchr for its byte `piv`, then a
 * comparison (glibc's memmem costs a two-way setup per call). */
static int rgate_has(const char *s, size_t len, const char *lit, size_t n,
                     size_t piv) {
  if (n > len)
    return 0;
  const char *p = s + piv, *end = s + len - n + piv + 1;
  while (p < end) {
    const char *q = memchr(p, lit[piv], (size_t)(end - p));
    if (!q)
      return 0;
    if (memcmp(q - piv, lit, n) == 0)
      return 1;
    p = q + 1;
  }
  return 0;
}

static void rgate_set_byte(uint64_t *t, uint32_t cu, uint64_t bit) {
  t[cu] |= bit;
  if ((cu | 0x20) >= 'a' && (cu | 0x20) <= 'z')
    t[cu ^ 0x20] |= bit;
}

void rgate_init(rgate *g, const vnp_rules *rs, const char *kind) {
  memset(g, 0, sizeof *g);
  g->n = rules_of_kind(rs, kind, &g->rv);
  size_t n = g->n < RGATE_MAX ? g->n : RGATE_MAX;
  for (size_t k = 0; k < n; k++) {
    const rule *r = g->rv[k];
    uint64_t bit = 1ull << k;
    uint32_t type = 0, opts = 0, minlen = 0, ltype = 0;
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
    uint32_t lcu = 0;
    if (pcre2_pattern_info(r->re, PCRE2_INFO_LASTCODETYPE, &ltype) == 0 &&
        ltype == 1 &&
        pcre2_pattern_info(r->re, PCRE2_INFO_LASTCODEUNIT, &lcu) == 0 &&
        lcu < 0x80) {
      rgate_set_byte(g->need, lcu, bit);
      g->req |= bit;
    }
    if (type == 1) {
      uint32_t cu = 0;
      if (pcre2_pattern_info(r->re, PCRE2_INFO_FIRSTCODEUNIT, &cu) != 0 ||
          cu > 0xFF) {
        g->always |= bit;
        continue;
      }
      rgate_set_byte(g->first, cu, bit);
    } else if (type == 0 &&
               pcre2_pattern_info(r->re, PCRE2_INFO_FIRSTBITMAP, &bitmap) ==
                   0 &&
               bitmap) {
      for (unsigned c = 0; c < 256; c++)
        if (bitmap[c >> 3] & (1u << (c & 7)))
          g->first[c] |= bit;
    } else if (type == 0 && rgate_starts_digit(r->pattern, r->compile_opts)) {
      /* the bytes rgate_digit_at admits on their own; E1 and E2 need
       * their second byte (rgate_scan) */
      g->digit |= bit;
      for (unsigned c = '0'; c <= '9'; c++)
        g->first[c] |= bit;
      for (unsigned c = 0xD8; c < 256; c++)
        if (c != 0xE1 && c != 0xE2)
          g->first[c] |= bit;
    } else {
      g->always |= bit;
    }
  }
  /* positive assertions of literals every match goes through */
  for (size_t k = 0; k < n && g->nlit < RGATE_LIT_RULES; k++) {
    const rule *r = g->rv[k];
    rgate_lit *l = &g->lit[g->nlit];
    if (!r->re || r->start_bit || strstr(r->pattern, "(*"))
      continue;
    l->n = rgate_assert_literals(r->pattern, r->compile_opts, l->s, l->len,
                                 RGATE_LIT_ALTS);
    if (!l->n)
      continue;
    l->k = (int)k;
    l->same = -1;
    for (int a = 0; a < l->n; a++)
      l->piv[a] = rgate_pivot(l->s[a], l->len[a]);
    for (int j = 0; j < g->nlit && l->same < 0; j++) {
      const rgate_lit *o = &g->lit[j];
      int eq = o->n == l->n;
      for (int a = 0; eq && a < l->n; a++)
        eq = o->len[a] == l->len[a] && memcmp(o->s[a], l->s[a], l->len[a]) == 0;
      if (eq)
        l->same = j;
    }
    g->nlit++;
  }
  /* rules without start information still have a minimum length; those
   * past RGATE_MAX are not represented in the masks at all */
  uint64_t all = n == 64 ? ~0ull : n ? (1ull << n) - 1 : 0;
  g->loose = all & ~g->anchored & ~g->always;
  g->walk = __builtin_popcountll(g->loose) >= RGATE_MIN_SCAN ||
            (g->loose & g->digit) != 0;
  if (g->n <= 32)
    for (unsigned c = 0; c < 256; c++)
      g->both[c] = (g->first[c] & 0xFFFFFFFFu) | g->need[c] << 32;
}

/* Does s hold, at a lead byte E1 or E2, a code point rgate_digit_at
 * admits? */
static int rgate_digit_e1e2(const char *s, size_t len) {
  const uint8_t *u = (const uint8_t *)s;
  for (size_t i = 0; i < len; i++)
    if ((u[i] == 0xE1 || u[i] == 0xE2) && rgate_digit_at(s, len, i))
      return 1;
  return 0;
}

uint64_t rgate_scan(const rgate *g, const char *s, size_t len) {
  if (!g->n)
    return 0;
  uint64_t may = g->always;
  if (len) {
    uint64_t a = g->first[(uint8_t)s[0]];
    if ((g->digit & g->anchored) && rgate_digit_at(s, len, 0))
      a |= g->digit;
    may |= a & g->anchored;
  }
  /* unanchored gated rules: one walk over s ORing the table answers for
   * all of them at once, which pays when there are several (PCRE2 would
   * scan s once per rule); with fewer, they pass and PCRE2's own vector
   * scan decides. The same walk collects the required code units. */
  uint64_t want = g->loose;
  if (g->walk) {
    const uint8_t *u = (const uint8_t *)s;
    uint64_t acc = 0, accn = 0, wantn = g->req;
    /* blocks of 16 bytes, then a check whether every bit is in; a kind of
     * at most 32 rules reads one table with both answers per byte */
    size_t i = 0;
    if (g->n <= 32) {
      uint64_t both = 0, wantb = want | wantn << 32;
      while (i < len) {
        size_t e = len - i > 16 ? i + 16 : len;
        for (; i < e; i++)
          both |= g->both[u[i]];
        if ((both & wantb) == wantb)
          break;
      }
      acc = both & 0xFFFFFFFFu;
      accn = both >> 32;
    }
    while (i < len) {
      size_t e = len - i > 16 ? i + 16 : len;
      for (; i < e; i++) {
        acc |= g->first[u[i]];
        accn |= g->need[u[i]];
      }
      if ((acc & want) == want && (accn & wantn) == wantn)
        break;
    }
    if ((want & g->digit & ~acc) && rgate_digit_e1e2(s, len))
      acc |= g->digit;
    may |= acc & want;
    may &= ~(g->req & ~accn);
  } else {
    may |= want;
  }
  /* minimum lengths */
  for (uint64_t m = may; m; m &= m - 1) {
    int k = __builtin_ctzll(m);
    if (len < g->minlen[k])
      may &= ~(1ull << k);
  }
  /* literals of assertions (each set looked for once) */
  int found[RGATE_LIT_RULES];
  for (int j = 0; j < g->nlit; j++) {
    const rgate_lit *l = &g->lit[j];
    found[j] = -1;
    if (!((may >> l->k) & 1))
      continue;
    if (l->same >= 0 && found[l->same] >= 0) {
      found[j] = found[l->same];
    } else {
      found[j] = 0;
      for (int a = 0; a < l->n && !found[j]; a++)
        found[j] = rgate_has(s, len, l->s[a], l->len[a], l->piv[a]);
    }
    if (!found[j])
      may &= ~(1ull << l->k);
  }
  return may;
}

size_t rgate_next(const rgate *g, size_t k, const char *s, size_t len,
                  size_t from) {
  if (k >= RGATE_MAX || !((g->digit >> k) & 1))
    return from;
  for (size_t i = from; i < len; i++)
    if (rgate_digit_at(s, len, i))
      return i;
  return len + 1;
}
