/*
 * test_rgate.c - the start-information gate never rules out a rule that
 * matches, and does rule some out.
 *
 * For every kind of the repository's rules, every rule is run with PCRE2
 * on every example and counter-example of every rule, on every line of
 * three corpus documents, and on short edge strings (empty, one byte,
 * case variants); whenever PCRE2 matches from offset 0 the gate must have
 * admitted the rule. The gate must also rule out most heading rules on
 * ordinary prose lines (that is what it is for).
 */
#include "rgate.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vnp_rules *RS;
static pcre2_match_data *MD;

static void load_rules(void) {
  RS = tu_rules_load();
  MD = rules_match_data(RS);
}

static void free_rules(void) {
  pcre2_match_data_free(MD);
  vnp_rules_free(RS);
}

TestSuite(rgate, .init = load_rules, .fini = free_rules);

/* Checks every rule of g on s; returns the number of rules ruled out. */
static size_t check_text(const rgate *g, const char *s, size_t len) {
  uint64_t may = rgate_scan(g, s, len);
  size_t out = 0;
  for (size_t k = 0; k < g->n; k++) {
    int admitted = rgate_may(may, k);
    out += !admitted;
    if (admitted)
      continue;
    int rc = rule_exec(RS, g->rv[k], s, len, 0, MD);
    cr_expect_leq(rc, 0, "rule %s matches \"%.*s\" but the gate ruled it out",
                  g->rv[k]->id, (int)len, s);
  }
  return out;
}

static char *slurp(const char *name) {
  return tu_corpus(name, NULL);
}

static size_t check_lines(const rgate *g, const char *text) {
  size_t out = 0;
  for (const char *p = text; *p;) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    /* also the line without its leading spaces, as the normalizer sees it */
    size_t sp = 0;
    while (sp < len && p[sp] == ' ')
      sp++;
    out += check_text(g, p, len);
    out += check_text(g, p + sp, len - sp);
    p += len + (e ? 1 : 0);
  }
  return out;
}

Test(rgate, never_rules_out_a_match) {
  static const char *const docs[] = {
      "seed-000.txt",
      "01_nq57-ntw-2024_bo-chinh-tri_khcn-dmst-cds.txt",
      "09_qd3210-ubnd-tphcm-2014_kh-ho-tro-nha-o-nguoi-co-cong.txt"};
  static const char *const edge[] = {"",   "a",   "A",   "1",  "-",
                                     "I",  "I.",  "a)",  "+ ", "* x",
                                     "• ", "(1)", "1.2", "  ", "|"};
  char *text[3];
  for (int i = 0; i < 3; i++)
    text[i] = slurp(docs[i]);
  size_t checked_kinds = 0, ruled_out = 0;
  for (size_t i = 0; i < RS->nrules; i++) {
    const char *kind = RS->rules[i].kind;
    int seen = 0; /* each kind once */
    for (size_t j = 0; j < i && !seen; j++)
      seen = strcmp(RS->rules[j].kind, kind) == 0;
    if (seen)
      continue;
    rgate g;
    rgate_init(&g, RS, kind);
    checked_kinds++;
    for (size_t r = 0; r < RS->nrules; r++)
      for (size_t x = 0; x < RS->rules[r].nexamples; x++) {
        const char *t = RS->rules[r].examples[x].text;
        ruled_out += check_text(&g, t, strlen(t));
      }
    for (size_t e = 0; e < sizeof edge / sizeof *edge; e++)
      ruled_out += check_text(&g, edge[e], strlen(edge[e]));
    for (int d = 0; d < 3; d++)
      ruled_out += check_lines(&g, text[d]);
  }
  for (int i = 0; i < 3; i++)
    free(text[i]);
  cr_expect_geq(checked_kinds, 10, "%zu kinds", checked_kinds);
  cr_expect_gt(ruled_out, 0);
}

/* On a prose line most heading rules are ruled out by the first byte, and
 * a numbered heading keeps the rules that can start with a digit. */
Test(rgate, rules_out_headings_on_prose) {
  rgate g;
  rgate_init(&g, RS, "heading");
  cr_assert_gt(g.n, 10);
  const char *prose = "Tăng cường công tác lãnh đạo, chỉ đạo";
  uint64_t may = rgate_scan(&g, prose, strlen(prose));
  size_t admitted = 0;
  for (size_t k = 0; k < g.n; k++)
    admitted += rgate_may(may, k);
  cr_expect_lt(admitted * 2, g.n, "%zu of %zu heading rules admitted",
               admitted, g.n);
  /* "1. Mục tiêu": some rule matches it and the gate admits that rule */
  const char *num = "1. Mục tiêu";
  may = rgate_scan(&g, num, strlen(num));
  int matched = 0;
  for (size_t k = 0; k < g.n; k++)
    if (rule_exec(RS, g.rv[k], num, strlen(num), 0, MD) > 0) {
      matched = 1;
      cr_expect(rgate_may(may, k), "%s", g.rv[k]->id);
    }
  cr_expect(matched);
}

/* rgate_starts_digit reads "^", group openers and a leading \d; any
 * alternation around it, an optional \d or an optional group says no. */
Test(rgate, starts_digit_from_pattern_text) {
  static const char *const yes[] = {
      "\\d\\K\\h+(?=/)", "\\d+",
      "^\\d{1,3}\\.",    "^(?<arabic>\\d{1,3})\\s?\\.",
      "(?:\\d)x",        "^((\\d))",
      "\\d(?:a|b)",      "\\d[|(]",
      "\\d\\|x",         "\\d(?#|)x",
      "\\d\\Q|\\E"};
  static const char *const no[] = {
      "\\d|x",       "(?:\\d|x)y", "\\d*x",    "\\d?",         "\\d{0,2}",
      "\\d{,2}",     "(\\d)?x",    "(?:\\d)*", "(?:\\d){0,1}", "^(?=\\d)\\d",
      "(?<=a)\\d",   "x\\d",       "\\D",      "[\\d]",        "\\d(?:a)|b",
      "(?<n>\\d)|b", "(?i)\\d",    "",         "\\d # x\n|y"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
    cr_expect(rgate_starts_digit(yes[i], 0), "%s", yes[i]);
  for (size_t i = 0; i < sizeof no / sizeof *no; i++)
    cr_expect(!rgate_starts_digit(no[i], 0), "%s", no[i]);
  /* extended mode: "\d *" is \d* */
  cr_expect(!rgate_starts_digit("\\d *x", PCRE2_EXTENDED));
  cr_expect(!rgate_starts_digit("(?x)\\d *x", 0));
  cr_expect(!rgate_starts_digit("\\d+", PCRE2_EXTENDED));
  cr_expect(!rgate_starts_digit(NULL, 0));
}

/* Every code point PCRE2's \d matches under UCP (its own Unicode tables)
 * is admitted by rgate_digit_at, and the ranges it leaves out hold
 * Vietnamese letters and punctuation. */
Test(rgate, digit_at_admits_every_pcre2_digit) {
  int ec;
  PCRE2_SIZE eo;
  pcre2_code *re =
      pcre2_compile((PCRE2_SPTR) "\\d", 2,
                    PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED, &ec, &eo, NULL);
  cr_assert_not_null(re);
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
  size_t digits = 0, excluded = 0;
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF)
      continue;
    uint8_t u[4];
    size_t n = cp < 0x80      ? (u[0] = (uint8_t)cp, 1)
               : cp < 0x800   ? (u[0] = (uint8_t)(0xC0 | cp >> 6),
                               u[1] = (uint8_t)(0x80 | (cp & 0x3F)), 2)
               : cp < 0x10000 ? (u[0] = (uint8_t)(0xE0 | cp >> 12),
                                 u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)),
                                 u[2] = (uint8_t)(0x80 | (cp & 0x3F)), 3)
                              : (u[0] = (uint8_t)(0xF0 | cp >> 18),
                                 u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F)),
                                 u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)),
                                 u[3] = (uint8_t)(0x80 | (cp & 0x3F)), 4);
    int admitted = rgate_digit_at((const char *)u, n, 0);
    excluded += !admitted;
    if (pcre2_match(re, u, n, 0, 0, md, NULL) > 0) {
      digits++;
      cr_expect(admitted, "U+%04X is \\d but not admitted", cp);
    }
  }
  cr_expect_gt(digits, 300, "%zu digits", digits); /* Nd has 600+ */
  cr_expect_gt(excluded, 0x580 + 0x100 + 0x80);
  /* the common letters of Vietnamese text are not admitted */
  const char *vn[] = {"ạ", "ế", "ư", "đ", "ồ", "“", "–", "a", " "};
  for (size_t i = 0; i < sizeof vn / sizeof *vn; i++)
    cr_expect(!rgate_digit_at(vn[i], strlen(vn[i]), 0), "%s", vn[i]);
  cr_expect(rgate_digit_at("7", 1, 0));
  cr_expect(rgate_digit_at("\xD9\xA3", 2, 0)); /* U+0663 ARABIC-INDIC 3 */
  pcre2_match_data_free(md);
  pcre2_code_free(re);
}

/* A rule that starts with \d is gated by the digits of the text: the
 * normalize kind has such rules (norm.code.*), none admitted on a line
 * without a digit, and rgate_next moves to the first digit. */
Test(rgate, digit_rules_need_a_digit) {
  rgate g;
  rgate_init(&g, RS, "normalize");
  cr_assert_neq(g.digit, 0, "no normalize rule starts with \\d");
  const char *prose = "Tăng cường công tác lãnh đạo số / QĐ-UBND";
  uint64_t may = rgate_scan(&g, prose, strlen(prose));
  const char *code = "Quyết định số 12 /QĐ-UBND";
  uint64_t may2 = rgate_scan(&g, code, strlen(code));
  size_t at = strstr(code, "12") - code;
  for (size_t k = 0; k < g.n && k < RGATE_MAX; k++) {
    if (!((g.digit >> k) & 1))
      continue;
    cr_expect(!rgate_may(may, k), "%s admitted without a digit", g.rv[k]->id);
    /* (a rule anchored at the line start cannot match this line) */
    cr_expect(rgate_may(may2, k) || ((g.req >> k) & 1) ||
                  g.rv[k]->pattern[0] == '^',
              "%s", g.rv[k]->id);
    cr_expect_eq(rgate_next(&g, k, code, strlen(code), 0), at);
    cr_expect_eq(rgate_next(&g, k, code, strlen(code), at + 2),
                 strlen(code) + 1);
  }
  /* a rule without \d start is not moved */
  for (size_t k = 0; k < g.n && k < RGATE_MAX; k++)
    if (!((g.digit >> k) & 1))
      cr_expect_eq(rgate_next(&g, k, code, strlen(code), 3), 3);
}

/* rgate_assert_literals: a top-level lookbehind or lookahead of plain
 * alternatives gives their literal prefixes; anything that could let a
 * match happen without one of them gives none. */
static int lits(const char *pat, uint32_t opts, const char *want) {
  const char *l[RGATE_LIT_ALTS];
  uint8_t n[RGATE_LIT_ALTS];
  int k = rgate_assert_literals(pat, opts, l, n, RGATE_LIT_ALTS);
  char got[256] = "";
  for (int i = 0; i < k; i++) {
    strncat(got, l[i], n[i]);
    strcat(got, "/");
  }
  cr_expect_str_eq(got, want, "%s", pat);
  return k;
}

Test(rgate, assert_literals) {
  cr_expect_eq(lits("(?<=ngày |Ngày )[Il|](?=\\d)", 0, "ngày /Ngày /"), 2);
  lits("(?<=ngày \\d|tháng \\d)[Il|]", 0, "ngày /tháng /");
  lits("(?<=ab*c|de)x", 0, "a/de/"); /* b* is not required */
  lits("(?<=aé+|d)x", 0, "a/d/");    /* é is two bytes, quantified */
  lits("(?<=a[xy]|b(c|d))z", 0, "a/b/");
  lits("(?<=a)x|y", 0, ""); /* y matches without it */
  lits("(?<=a)?x", 0, "");  /* optional assertion */
  lits("(?<=a|)x", 0, "");  /* empty alternative */
  lits("(?<=\\d)x", 0, "");
  lits("(?<=a)x", PCRE2_CASELESS, "");
  lits("(?<=a b)x", PCRE2_EXTENDED, "");
  lits("(?<!a)x", 0, "");
  lits("x(?<=a)", 0, "a/");
  lits("\\d\\K\\h+(?=/\\p{Lu})", 0, "//"); /* norm.code.number-slash */
  lits("x(?:(?=a))", 0, "");               /* inside a group: not looked at */
  lits("x(?=a)?", 0, "");
  lits("(?i)x(?=a)", 0, "");
  lits("x(?i:y)(?=a)", 0, "");
  lits("x(?!a)", 0, "");
  lits("[(](?=a)", 0, "a/");
  lits("\\((?=a)", 0, "a/");
  lits("x(?=a)|y", 0, "");
  lits("(?<=a", 0, "");
  lits("(?<=a|b|c|d|e|f|g|h|i|j|k|l|m)x", 0, ""); /* too many */
  lits("(?<=a)(?:x|y)", 0, "a/");
}

/* On a line with no date word the date rules are ruled out by their
 * lookbehind literals; with one they are admitted. */
Test(rgate, assert_literals_gate_rules) {
  rgate g;
  rgate_init(&g, RS, "normalize");
  cr_assert_gt(g.nlit, 0);
  const char *no = "Ilô đất số I2, lô II";
  const char *yes = "ký ngày I5 tháng 6";
  uint64_t m0 = rgate_scan(&g, no, strlen(no));
  uint64_t m1 = rgate_scan(&g, yes, strlen(yes));
  int admitted = 0;
  for (int j = 0; j < g.nlit; j++) {
    cr_expect(!rgate_may(m0, (size_t)g.lit[j].k), "%s", g.rv[g.lit[j].k]->id);
    admitted += rgate_may(m1, (size_t)g.lit[j].k);
  }
  cr_expect_gt(admitted, 0);
}
