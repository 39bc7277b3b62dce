/*
 * normalize.c - line -> normalized line; lines -> paragraphs.
 *
 * Input:  whole lines from the reader (valid UTF-8, no EOL), each with an
 *         omap to the original bytes, its line number and LINE_PAGEBREAK /
 *         LINE_INVALID flags.
 * Output: d->lines (one vnp_line per input line, text owned by the doc)
 *         and, after normalize_finish, d->blocks (paragraphs).
 *
 * Per line, in this order (each counted with doc_count_step and, when
 * d->record_changes is set, recorded as a vnp_change):
 *   whitespace     NBSP and other space separators, tabs and C0 controls
 *                  -> " "; ZWSP/ZWNJ/ZWJ/BOM/soft hyphen removed; runs
 *                  collapsed; both ends trimmed;
 *   nfc            NFC (utf8proc) on the segments between "safe" starters,
 *                  only on lines whose quick check fails;
 *   variant-chars  look-alikes from rules/chars.tsv (U+00D0 -> U+0110, spacing
 * tone marks after a vowel -> combining, then NFC); tone tone_restyle_step to
 * first-vowel style (internal text is always first-vowel; the writers restyle
 * on output); dashes         U+2010-U+2015, U+2212 -> "-"; markdown       "**",
 * "__", "*italic*", leading "#" runs stripped (hints kept as LINE_BOLD /
 * md_level), "  " hard breaks noted; doc-codes ...  every rule of kind
 * "normalize" (rules/normalize.rules); table          LINE_TABLE when cells are
 * separated by " | ". Whole document (normalize_finish): stamp noise, page
 * numbers, running headers, low-confidence OCR lines (documents with page
 * breaks only), then reflow of the remaining lines into blocks.
 *
 * Invariants: every step reads (text, map) and writes a new (text, map)
 * through an omap_builder, so spans always point at original bytes. The
 * normalizer keeps two scratch buffers and two maps and swaps them between
 * steps: a line that needs nothing costs one scan and the final copy.
 *
 * Tricky cases:
 *   - NFC segments: a code point that is ASCII or in a range known to be
 *     NFC_QC=Yes with ccc=0 never composes with what precedes it, so the
 *     text can be cut before it; only segments holding other code points
 *     are passed to utf8proc, and each composed segment maps as a whole.
 *   - Markdown bold can span lines (seed 001 lines 5-7: a bold title
 *     hard-wrapped with "  " breaks):
 *     the open/closed state is carried from line to line and reset at a
 *     blank line. A leading "* " is a literal bullet and stays.
 *   - Stamp noise is detected on the RAW line ("****" between bold
 *     fragments), remembered per line, and decided in normalize_finish.
 *   - Reflow never joins a line that starts a block (rules of kind heading
 *     and blockstart, a table row) and never joins across a blank line
 *     unless the previous line stops mid-sentence.
 *   - Web copies render table cells on lines of their own with a lone "|"
 *     between cells (a number label, the number, "|"): the lines of one
 *     cell become one block whatever they look like; the "|" is dropped.
 *   - Hard-wrapped text with no blank lines between paragraphs (PDF, web,
 *     OCR) is detected from its line pairs (step "hard-wrapped"); there a
 *     line that stops mid-phrase joins the next one even before a number or
 *     a capital, except a numbered/heading line before a capital unless it
 *     ends with a function word or fills the wrap width (a short numbered
 *     title and the capitalized paragraph under it stay apart). An
 *     upper-case line right before a legal basis line is never glued to a
 *     wrapped title (it is the authority).
 * Limits: lines are bounded by VNP_MAX_LINE (reader); rule matches that hit
 * a PCRE2 limit are skipped with one diagnostic per document; at most 64
 * markdown markers per line are stripped (the rest stay as text); stamp
 * noise is looked for in lines up to 240 bytes; the wrap width is only
 * trusted up to 200 characters.
 *
 * Cost: a line that needs nothing is one prescan (ASCII table, a table of
 * the steps that may change each code point below U+3000, built from
 * ranges once per normalizer), one tone scan that writes nothing
 * (tone_restyle_needed, with a per-normalizer memo of the words already
 * parsed), the rule-driven replacements and one copy. Rules run on every
 * line (normalize, noise, pagenum, heading, blockstart) go through an
 * rgate (rgate.h): a rule is never entered when its first bytes, its
 * required code unit, the digit its match starts with, the literals of
 * its top-level lookbehind/lookahead or its minimum length rule it out,
 * and a rule that starts with \d is searched from the line's first
 * digit.
 * NFC is utf8proc_decompose + utf8proc_reencode into a reused buffer per
 * dirty segment (what utf8proc_map does, without its allocation); short
 * segments are memoized per normalizer (NFD text repeats the same letter +
 * marks sequences). NFD input costs more, mostly in offset-map segments:
 * one per composed segment, so spans stay exact inside words.
 */
#include "normalize.h"

#include "rgate.h"
#include "rules.h"
#include "tone.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- prototypes ---- */
/* steps */
static void step_begin(normalizer *n);
static void step_end(normalizer *n);
static void norm_record(normalizer *n, const char *step, uint32_t s, uint32_t e,
                        const char *after, size_t alen);
static unsigned norm_prescan(const normalizer *n, const char *s, uint32_t len);
static const struct char_fold *fold_find(const normalizer *n, int32_t cp);
static void norm_whitespace(normalizer *n);
static void norm_nfc(normalizer *n);
static void norm_chars(normalizer *n);
static void norm_tone(normalizer *n);
static void norm_dashes(normalizer *n);
static void norm_markdown(normalizer *n, vnp_line *l);
static void norm_rules(normalizer *n);
static void norm_spacing(normalizer *n);
/* whole document */
static void finish_noise(normalizer *n);
static void finish_pages(normalizer *n);
static void finish_lowconf(normalizer *n);
static void finish_reflow(normalizer *n);
/* helpers */
static int32_t u8dec(const uint8_t *s, uint32_t *len);
static int nfc_safe(int32_t cp);
static void hot_build(normalizer *n);

/* Per-line facts the normalizer keeps for normalize_finish. */
enum {
  SIDE_GLUED = 1u << 0,     /* raw line had bold fragments glued by "****" */
  SIDE_BOLD_OPEN = 1u << 1, /* the line ended inside an open bold run */
  SIDE_BS_DONE = 1u << 2,   /* block-start test done */
  SIDE_BS = 1u << 3,        /* the line starts a block */
  SIDE_PIPE = 1u << 4,      /* a lone "|": a cell boundary of a table */
  SIDE_CELL = 1u << 5,      /* inside a cell between lone "|" lines */
};

/* Prescan flags: which steps a line may need. */
enum {
  PS_WS = 1u << 0,
  PS_NONASCII = 1u << 1,
  PS_NFC = 1u << 2,
  PS_CHARS = 1u << 3,
  PS_DASH = 1u << 4,
  PS_MD = 1u << 5,
  PS_PIPE = 1u << 6,
};

/* Code points below this are classified by the `hot` table. */
#define HOT_LIMIT 0x3000

typedef struct char_fold {
  int32_t from;
  char to[16];
  uint8_t tolen;
  const char *after; /* NULL: anywhere; else the characters it must follow */
} char_fold;

/* A composed NFC segment remembered by its bytes (NFD text repeats the
 * same few letter + marks sequences). klen 0: empty slot. */
#define NFC_MEMO 512
typedef struct nfc_memo {
  uint8_t klen, vlen;
  char key[14];
  char val[16];
} nfc_memo;

struct normalizer {
  vnp_doc *doc;
  const vnp_rules *rs;
  pcre2_match_data *md;
  /* current line being normalized */
  const char *cur;
  uint32_t curlen;
  const omap *curmap;
  int curix; /* -1: the reader's buffer; 0/1: buf[curix] */
  uint32_t lineno;
  vnp_buf buf[2];
  omap map[2];
  omap_builder b;
  int outix;
  vnp_buf tmp;           /* substitution results, record text */
  utf8proc_int32_t *u32; /* NFC scratch: code points of one segment */
  size_t u32cap;
  nfc_memo memo[NFC_MEMO]; /* NFC results of short segments */
  /* markdown state carried across lines */
  int bold_open;
  /* variant characters */
  VNP_VEC(char_fold) folds;
  uint64_t fold_bloom;
  /* per-line side facts, parallel to d->lines */
  VNP_VEC(uint8_t) side;
  int rule_error_reported;
  uint8_t hot[HOT_LIMIT]; /* PS_* steps that may change each code point */
  /* start information of the rule kinds run on every line */
  rgate g_norm, g_noise, g_pagenum, g_heading, g_blockstart;
  const rule *syllable; /* the rule of kind syllable, or NULL */
  tone_memo *tmemo;     /* words whose tone was looked at */
};

/* ---- UTF-8 helpers ---- */

/* Decodes one code point of valid UTF-8 (the reader guarantees it). */
static int32_t u8dec(const uint8_t *s, uint32_t *len) {
  uint8_t c = s[0];
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  if (c < 0xE0) {
    *len = 2;
    return ((int32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
  }
  if (c < 0xF0) {
    *len = 3;
    return ((int32_t)(c & 0x0F) << 12) | ((int32_t)(s[1] & 0x3F) << 6) |
           (s[2] & 0x3F);
  }
  *len = 4;
  return ((int32_t)(c & 0x07) << 18) | ((int32_t)(s[1] & 0x3F) << 12) |
         ((int32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

/* Code points that are NFC_QC=Yes with ccc=0: they never change under NFC
 * and never compose with a preceding character (Latin-1, Latin Extended
 * A/B, IPA, spacing modifiers, Latin Extended Additional, general
 * punctuation without the U+2000/U+2001 singletons, currency, U+FFFD). */
static int nfc_safe(int32_t cp) {
  return cp < 0x300 || (cp >= 0x1E00 && cp <= 0x1EFF) ||
         (cp >= 0x2010 && cp <= 0x205E) || (cp >= 0x20A0 && cp <= 0x20BF) ||
         cp == 0xFFFD;
}

static int is_dash(int32_t cp) {
  return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

/* 1: a space separator or control -> " "; 2: removed; 0: other. */
static int ws_class(int32_t cp) {
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
    return 1;
  switch (cp) {
  case ' ':
  case 0xA0:
  case 0x1680:
  case 0x2028:
  case 0x2029:
  case 0x202F:
  case 0x205F:
  case 0x3000:
    return 1;
  case 0xAD:
  case 0x200B:
  case 0x200C:
  case 0x200D:
  case 0x2060:
  case 0xFEFF:
    return 2;
  }
  if (cp >= 0x2000 && cp <= 0x200A)
    return 1;
  return 0;
}

/* ---- setup ---- */

/* Parses a chars.tsv cell: the character(s) themselves or U+XXXX codes
 * separated by spaces. Returns the UTF-8 length written to out (<= cap). */
static size_t parse_cell(const char *s, char *out, size_t cap) {
  size_t n = 0;
  if (!((s[0] == 'U' || s[0] == 'u') && s[1] == '+')) {
    size_t l = strlen(s);
    if (l >= cap)
      return 0;
    memcpy(out, s, l);
    return l;
  }
  while (*s) {
    while (*s == ' ')
      s++;
    if (!*s)
      break;
    if (!((s[0] == 'U' || s[0] == 'u') && s[1] == '+'))
      return 0;
    char *e;
    long cp = strtol(s + 2, &e, 16);
    if (e == s + 2 || !utf8proc_codepoint_valid((utf8proc_int32_t)cp) ||
        n + 4 >= cap)
      return 0;
    n += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
                                      (utf8proc_uint8_t *)out + n);
    s = e;
  }
  return n;
}

static void load_folds(normalizer *n) {
  const rule_table *t = n->rs ? rules_table(n->rs, "chars") : NULL;
  if (!t)
    return;
  for (size_t i = 0; i < t->nrows; i++) {
    if (t->rowlen[i] < 2)
      continue;
    char from[16];
    char_fold f;
    memset(&f, 0, sizeof f);
    size_t fl = parse_cell(t->rows[i][0], from, sizeof from);
    size_t tl = parse_cell(t->rows[i][1], f.to, sizeof f.to);
    if (!fl || !tl)
      continue;
    uint32_t l;
    f.from = u8dec((const uint8_t *)from, &l);
    if (l != fl || f.from < 0x80)
      continue; /* one non-ASCII code point only */
    f.tolen = (uint8_t)tl;
    if (t->rowlen[i] >= 3 && strncmp(t->rows[i][2], "after=", 6) == 0)
      f.after = t->rows[i][2] + 6;
    vnp_vec_push(n->folds, f);
    n->fold_bloom |= 1ull << (f.from & 63);
  }
}

normalizer *normalize_new(vnp_doc *d) {
  normalizer *n = xcalloc(1, sizeof(normalizer));
  n->doc = d;
  n->rs = d->rules;
  if (n->rs)
    n->md = rules_match_data(n->rs);
  vnp_buf_init(&n->buf[0]);
  vnp_buf_init(&n->buf[1]);
  vnp_buf_init(&n->tmp);
  omap_init(&n->map[0]);
  omap_init(&n->map[1]);
  omap_builder_init(&n->b);
  load_folds(n);
  if (n->rs) {
    rgate_init(&n->g_norm, n->rs, "normalize");
    rgate_init(&n->g_noise, n->rs, "noise");
    rgate_init(&n->g_pagenum, n->rs, "pagenum");
    rgate_init(&n->g_heading, n->rs, "heading");
    rgate_init(&n->g_blockstart, n->rs, "blockstart");
    const rule *const *sv;
    if (rules_of_kind(n->rs, "syllable", &sv) > 0)
      n->syllable = sv[0];
  }
  n->tmemo = tone_memo_new();
  hot_build(n);
  return n;
}

/* Fills n->hot for U+0080..HOT_LIMIT-1: what nfc_safe, ws_class, is_dash
 * and fold_find answer for each code point, from their ranges and the
 * fold list instead of one call each (this runs for every document; the
 * four predicates are the definition, tests/test_normalize.c compares). */
static void hot_build(normalizer *n) {
  uint8_t *h = n->hot;
  memset(h, 0, sizeof n->hot);
  /* nfc_safe: below U+0300, U+1E00-1EFF, U+2010-205E, U+20A0-20BF */
  for (int32_t cp = 0x300; cp < HOT_LIMIT; cp++)
    if (!(cp >= 0x1E00 && cp <= 0x1EFF) && !(cp >= 0x2010 && cp <= 0x205E) &&
        !(cp >= 0x20A0 && cp <= 0x20BF))
      h[cp] = PS_NFC;
  /* ws_class: every code point it answers non-zero for below HOT_LIMIT */
  for (int32_t cp = 0x80; cp < 0xA0; cp++)
    h[cp] |= PS_WS;
  static const int32_t ws[] = {0xA0,   0xAD,   0x1680, 0x200B, 0x200C, 0x200D,
                               0x2028, 0x2029, 0x202F, 0x205F, 0x2060};
  for (size_t k = 0; k < sizeof ws / sizeof *ws; k++)
    h[ws[k]] |= PS_WS;
  for (int32_t cp = 0x2000; cp <= 0x200A; cp++)
    h[cp] |= PS_WS;
  /* is_dash */
  for (int32_t cp = 0x2010; cp <= 0x2015; cp++)
    h[cp] |= PS_DASH;
  h[0x2212] |= PS_DASH;
  /* fold_find */
  for (size_t k = 0; k < n->folds.n; k++)
    if (n->folds.v[k].from >= 0x80 && n->folds.v[k].from < HOT_LIMIT)
      h[n->folds.v[k].from] |= PS_CHARS;
}

/* The definition hot_build follows; 0 when every entry agrees (tests). */
size_t normalize_hot_mismatches(const normalizer *n) {
  size_t bad = 0;
  for (int32_t cp = 0x80; cp < HOT_LIMIT; cp++)
    bad += n->hot[cp] !=
           (uint8_t)((nfc_safe(cp) ? 0 : PS_NFC) | (ws_class(cp) ? PS_WS : 0) |
                     (is_dash(cp) ? PS_DASH : 0) |
                     (fold_find(n, cp) ? PS_CHARS : 0));
  return bad;
}

void normalize_free(normalizer *n) {
  if (!n)
    return;
  if (n->md)
    pcre2_match_data_free(n->md);
  vnp_buf_free(&n->buf[0]);
  vnp_buf_free(&n->buf[1]);
  vnp_buf_free(&n->tmp);
  free(n->u32);
  omap_free(&n->map[0]);
  omap_free(&n->map[1]);
  omap_free(&n->b.out);
  vnp_vec_free(n->folds);
  vnp_vec_free(n->side);
  tone_memo_free(n->tmemo);
  free(n);
}

/* ---- step plumbing ---- */

/* Starts a step writing into the scratch buffer not holding `cur`; the
 * builder reuses that buffer's map storage (no allocation once warm). */
static void step_begin(normalizer *n) {
  n->outix = n->curix == 0 ? 1 : 0;
  vnp_buf_clear(&n->buf[n->outix]);
  n->b.out = n->map[n->outix];
  n->b.out.n = 0;
  n->b.norm_pos = 0;
  n->b.in_pos = 0;
  omap_init(&n->map[n->outix]);
}

static void step_end(normalizer *n) {
  n->map[n->outix] = n->b.out;
  omap_init(&n->b.out);
  n->curix = n->outix;
  n->cur = n->buf[n->curix].ptr;
  n->curlen = (uint32_t)n->buf[n->curix].len;
  n->curmap = &n->map[n->curix];
}

/* Copies the rest of the input unchanged. */
static void step_keep_rest(normalizer *n) {
  uint32_t at = (uint32_t)n->b.in_pos;
  if (at < n->curlen) {
    vnp_buf_put(&n->buf[n->outix], n->cur + at, n->curlen - at);
    omap_keep(&n->b, n->curmap, n->curlen - at);
  }
}

/* Copies input up to `upto` unchanged. */
static void step_keep_to(normalizer *n, uint32_t upto) {
  uint32_t at = (uint32_t)n->b.in_pos;
  if (upto > at) {
    vnp_buf_put(&n->buf[n->outix], n->cur + at, upto - at);
    omap_keep(&n->b, n->curmap, upto - at);
  }
}

/* Replaces input [in_pos, upto) with `rep`. */
static void step_replace(normalizer *n, const char *step, uint32_t upto,
                         const char *rep, size_t rlen) {
  uint32_t at = (uint32_t)n->b.in_pos;
  if (n->doc->record_changes)
    norm_record(n, step, at, upto, rep, rlen);
  vnp_buf_put(&n->buf[n->outix], rep, rlen);
  omap_replace(&n->b, n->curmap, upto - at, (uint32_t)rlen);
}

/* Records a change of input bytes [s, e) of the current text. */
static void norm_record(normalizer *n, const char *step, uint32_t s, uint32_t e,
                        const char *after, size_t alen) {
  vnp_doc *d = n->doc;
  vnp_change c;
  c.step = step;
  c.start = omap_start(n->curmap, s);
  c.end = e > s ? omap_end(n->curmap, e) : c.start;
  if (c.end < c.start)
    c.end = c.start;
  c.line = n->lineno;
  c.before = arena_strndup(&d->arena, n->cur + s, e - s);
  c.after = arena_strndup(&d->arena, after, alen);
  vnp_vec_push(d->changes, c);
}

/* ---- prescan ---- */

/* One pass over the raw line: which steps may be needed. */
/* ASCII bytes the prescan looks at: 1 control, 2 space, 3 '*', 4 '_',
 * 5 '|'. */
static const uint8_t ACLS[128] = {
    1, 1, 1,         1,         1,         1,         1,         1, 1, 1,
    1, 1, 1,         1,         1,         1,         1,         1, 1, 1,
    1, 1, 1,         1,         1,         1,         1,         1, 1, 1,
    1, 1, [' '] = 2, ['*'] = 3, ['_'] = 4, ['|'] = 5, [0x7F] = 1};

/* One pass over the raw line: which steps may be needed. Non-ASCII code
 * points below U+3000 are looked up in the normalizer's `hot` table (the
 * PS_* steps that may change each one), so every such character costs a
 * decode and a table load. */
static unsigned norm_prescan(const normalizer *n, const char *text,
                             uint32_t len) {
  const uint8_t *s = (const uint8_t *)text;
  unsigned f = 0;
  uint8_t acc = 0;
  if (len && (s[0] == ' ' || s[len - 1] == ' '))
    f |= PS_WS;
  if (len && s[0] == '#')
    f |= PS_MD;
  for (uint32_t i = 0; i < len;) {
    uint8_t c = s[i];
    acc |= c;
    if (c < 0x80) {
      uint8_t k = ACLS[c];
      i++;
      if (__builtin_expect(!k, 1))
        continue;
      if (k == 1 || (k == 2 && i < len && s[i] == ' '))
        f |= PS_WS;
      else if (k == 3 || (k == 4 && i < len && s[i] == '_'))
        f |= PS_MD;
      else if (k == 5)
        f |= PS_PIPE;
      continue;
    }
    int32_t cp;
    if (c < 0xE0) {
      cp = ((int32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
      i += 2;
    } else if (c < 0xF0) {
      cp = ((int32_t)(c & 0x0F) << 12) | ((int32_t)(s[i + 1] & 0x3F) << 6) |
           (s[i + 2] & 0x3F);
      i += 3;
    } else {
      uint32_t l;
      cp = u8dec(s + i, &l);
      i += l;
    }
    if (cp < HOT_LIMIT) {
      f |= n->hot[cp];
      continue;
    }
    if (!nfc_safe(cp))
      f |= PS_NFC;
    if (ws_class(cp))
      f |= PS_WS;
    if (is_dash(cp))
      f |= PS_DASH;
    if (fold_find(n, cp))
      f |= PS_CHARS;
  }
  if (acc & 0x80)
    f |= PS_NONASCII;
  return f;
}

/* ---- whitespace ---- */

/* Spaces in a row that separate two columns of layout text. */
#define NORM_COLUMN_GAP 10

/* Letters in s[0, len), counting up to 2: a heading label ('I.', 'a)')
 * before a wide gap is no column. */
static int norm_letters(const uint8_t *s, uint32_t len) {
  int n = 0;
  for (uint32_t i = 0; i < len && n < 2;) {
    uint32_t l;
    int32_t cp = u8dec(s + i, &l);
    utf8proc_category_t c = utf8proc_category(cp);
    n += c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
    i += l;
  }
  return n;
}

static void norm_whitespace(normalizer *n) {
  const uint8_t *s = (const uint8_t *)n->cur;
  uint32_t len = n->curlen;
  uint64_t count = 0;
  step_begin(n);
  uint32_t i = 0;
  int wrote = 0; /* any non-space output yet */
  while (i < len) {
    /* a run of spaces, controls and removable characters */
    uint32_t j = i;
    int spaces = 0, plain = 1;
    while (j < len) {
      uint32_t l;
      int32_t cp = u8dec(s + j, &l);
      int k = ws_class(cp);
      if (!k)
        break;
      if (k == 1)
        spaces++;
      if (cp != ' ')
        plain = 0;
      j += l;
    }
    if (j == i) {
      /* ordinary text up to the next candidate */
      while (j < len) {
        uint8_t c = s[j];
        if (c <= ' ' || c == 0x7F || c == 0xC2 ||
            (c == 0xE1 && s[j + 1] == 0x9A) ||
            (c == 0xE2 && (s[j + 1] == 0x80 || s[j + 1] == 0x81)) ||
            (c == 0xE3 && s[j + 1] == 0x80) ||
            (c == 0xEF && s[j + 1] == 0xBB)) {
          uint32_t l;
          if (ws_class(u8dec(s + j, &l)))
            break;
          j += l;
          continue;
        }
        j++;
      }
      step_keep_to(n, j);
      wrote = 1;
      i = j;
      continue;
    }
    int at_end = j == len;
    uint32_t cl;
    if (spaces >= NORM_COLUMN_GAP && wrote && !at_end &&
        utf8proc_category(u8dec(s + j, &cl)) == UTF8PROC_CATEGORY_LU &&
        norm_letters(s, i) >= 2) {
      /* a wide gap before a capital: two columns of a layout-preserving
       * PDF text ('Nơi nhận:        TM. ỦY BAN NHÂN DÂN'); a gap before a
       * lower-case word or "/" is a blank field ('ngày     tháng 8') */
      step_replace(n, "columns", j, " | ", 3);
      count++;
    } else if (spaces && wrote && !at_end) {
      if (plain && spaces == 1 && j - i == 1)
        step_keep_to(n, j); /* a single ASCII space: nothing to do */
      else {
        step_replace(n, "whitespace", j, " ", 1);
        count++;
      }
    } else {
      step_replace(n, "whitespace", j, "", 0);
      count++;
    }
    i = j;
  }
  step_end(n);
  doc_count_step(n->doc, "whitespace", count);
}

/* ---- NFC ---- */

/* NFC of one segment into the normalizer's code-point buffer: what
 * utf8proc_map does, minus its allocation per call (decompose with an
 * explicit length, then reencode, which composes). Returns 0, or -1 when
 * utf8proc reports an error (the segment is then kept as it is). */
static int nfc_segment(normalizer *n, const uint8_t *s, uint32_t len,
                       const char **out, size_t *olen) {
  const utf8proc_option_t opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
  utf8proc_ssize_t m = utf8proc_decompose(s, (utf8proc_ssize_t)len, n->u32,
                                          (utf8proc_ssize_t)n->u32cap, opt);
  if (m < 0)
    return -1;
  if ((size_t)m > n->u32cap) {
    n->u32cap = (size_t)m * 2;
    n->u32 = xrealloc(n->u32, n->u32cap * sizeof(utf8proc_int32_t));
    m = utf8proc_decompose(s, (utf8proc_ssize_t)len, n->u32,
                           (utf8proc_ssize_t)n->u32cap, opt);
    if (m < 0)
      return -1;
  }
  m = utf8proc_reencode(n->u32, m, opt);
  if (m < 0)
    return -1;
  *out = (const char *)n->u32;
  *olen = (size_t)m;
  return 0;
}

/* nfc_segment through the memo: a short segment seen before costs a hash
 * and a compare instead of a decomposition and a recomposition. */
static int nfc_segment_memo(normalizer *n, const uint8_t *s, uint32_t len,
                            const char **out, size_t *olen) {
  if (len == 0 || len > sizeof n->memo[0].key)
    return nfc_segment(n, s, len, out, olen);
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < len; i++)
    h = (h ^ s[i]) * 16777619u;
  nfc_memo *e = &n->memo[(h ^ (h >> 16)) % NFC_MEMO];
  if (e->klen == len && memcmp(e->key, s, len) == 0) {
    *out = e->val;
    *olen = e->vlen;
    return 0;
  }
  if (nfc_segment(n, s, len, out, olen) != 0)
    return -1;
  if (*olen <= sizeof e->val) {
    e->klen = (uint8_t)len;
    memcpy(e->key, s, len);
    e->vlen = (uint8_t)*olen;
    memcpy(e->val, *out, *olen);
  }
  return 0;
}

static void norm_nfc(normalizer *n) {
  const uint8_t *s = (const uint8_t *)n->cur;
  uint32_t len = n->curlen;
  uint64_t count = 0;
  step_begin(n);
  uint32_t seg = 0;
  int dirty = 0;
  for (uint32_t i = 0; i <= len;) {
    uint32_t l = 1;
    int boundary;
    if (i == len || s[i] < 0x80) {
      boundary = 1;
    } else {
      int32_t cp = u8dec(s + i, &l);
      boundary = cp < HOT_LIMIT ? !(n->hot[cp] & PS_NFC) : nfc_safe(cp);
    }
    if (boundary && dirty) {
      const char *out;
      size_t m;
      step_keep_to(n, seg);
      if (nfc_segment_memo(n, s + seg, i - seg, &out, &m) == 0 &&
          (m != i - seg || memcmp(out, s + seg, m) != 0)) {
        step_replace(n, "nfc", i, out, m);
        count++;
      }
      dirty = 0;
    }
    if (i == len)
      break;
    if (boundary)
      seg = i;
    else
      dirty = 1;
    i += l;
  }
  step_keep_rest(n);
  step_end(n);
  doc_count_step(n->doc, "nfc", count);
}

/* ---- variant characters ---- */

static const char_fold *fold_find(const normalizer *n, int32_t cp) {
  if (!(n->fold_bloom & (1ull << (cp & 63))))
    return NULL;
  for (size_t k = 0; k < n->folds.n; k++)
    if (n->folds.v[k].from == cp)
      return &n->folds.v[k];
  return NULL;
}

/* Is the character ending at s[0..end) one of the UTF-8 characters in
 * `set`? Sets *start to its first byte. */
static int prev_in_set(const char *s, uint32_t end, const char *set,
                       uint32_t *start) {
  if (!end)
    return 0;
  uint32_t b = end - 1;
  while (b > 0 && ((uint8_t)s[b] & 0xC0) == 0x80)
    b--;
  uint32_t cl = end - b;
  for (const char *p = set; *p;) {
    uint32_t l = 1;
    u8dec((const uint8_t *)p, &l);
    if (l == cl && memcmp(p, s + b, cl) == 0) {
      *start = b;
      return 1;
    }
    p += l;
  }
  return 0;
}

static void norm_chars(normalizer *n) {
  const uint8_t *s = (const uint8_t *)n->cur;
  uint32_t len = n->curlen;
  uint64_t count = 0;
  int started = 0;
  for (uint32_t i = 0; i < len;) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    uint32_t l;
    int32_t cp = u8dec(s + i, &l);
    const char_fold *f = fold_find(n, cp);
    uint32_t from = i;
    if (f && f->after &&
        !(prev_in_set(n->cur, i, f->after, &from) &&
          (!started || from >= (uint32_t)n->b.in_pos)))
      f = NULL;
    if (f) {
      if (!started) {
        step_begin(n);
        started = 1;
      }
      step_keep_to(n, from);
      if (f->after) {
        /* base + combining mark, composed */
        vnp_buf_clear(&n->tmp);
        vnp_buf_put(&n->tmp, n->cur + from, i - from);
        vnp_buf_put(&n->tmp, f->to, f->tolen);
        const char *out;
        size_t m;
        if (nfc_segment(n, (const uint8_t *)n->tmp.ptr, (uint32_t)n->tmp.len,
                        &out, &m) == 0)
          step_replace(n, "variant-chars", i + l, out, m);
        else
          step_replace(n, "variant-chars", i + l, n->tmp.ptr, n->tmp.len);
      } else {
        step_replace(n, "variant-chars", i + l, f->to, f->tolen);
      }
      count++;
    }
    i += l;
  }
  if (started) {
    step_keep_rest(n);
    step_end(n);
  }
  doc_count_step(n->doc, "variant-chars", count);
}

/* ---- tone ---- */

static void norm_tone(normalizer *n) {
  /* most lines need nothing: find that out without copying them */
  if (!tone_restyle_needed(n->cur, n->curlen, VNP_TONE_FIRST_VOWEL, n->tmemo)) {
    doc_count_step(n->doc, "tone", 0);
    return;
  }
  step_begin(n);
  size_t changed =
      tone_restyle_step(n->cur, n->curlen, n->curmap, VNP_TONE_FIRST_VOWEL,
                        &n->buf[n->outix], &n->b, n->tmemo);
  if (changed && n->doc->record_changes) {
    vnp_buf *o = &n->buf[n->outix];
    norm_record(n, "tone", 0, n->curlen, o->ptr, o->len);
  }
  step_end(n);
  doc_count_step(n->doc, "tone", changed);
}

/* ---- dashes ---- */

static void norm_dashes(normalizer *n) {
  const uint8_t *s = (const uint8_t *)n->cur;
  uint32_t len = n->curlen;
  uint64_t count = 0;
  step_begin(n);
  for (uint32_t i = 0; i < len;) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    uint32_t l;
    int32_t cp = u8dec(s + i, &l);
    if (is_dash(cp)) {
      step_keep_to(n, i);
      step_replace(n, "dashes", i + l, "-", 1);
      count++;
    }
    i += l;
  }
  step_keep_rest(n);
  step_end(n);
  doc_count_step(n->doc, "dashes", count);
}

/* ---- markdown ---- */

static int is_space_or_end(const char *s, uint32_t len, uint32_t i) {
  return i >= len || s[i] == ' ';
}

static int is_word_byte(uint8_t c) {
  return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') ||
         c >= 0x80;
}

/* Strips markdown debris. Deleted ranges are collected first, then the
 * line is rebuilt in one pass; a deleted "****" between two fragments
 * becomes a space. */
static void norm_markdown(normalizer *n, vnp_line *l) {
  const char *s = n->cur;
  uint32_t len = n->curlen;
  /* deletions as (start, end, replacement is a space) triples */
  enum { MAXDEL = 64 };
  uint32_t ds[MAXDEL], de[MAXDEL];
  uint8_t dsp[MAXDEL];
  int nd = 0;
  uint32_t i = 0;
  /* leading "#" run */
  if (len && s[0] == '#') {
    uint32_t h = 0;
    while (h < len && s[h] == '#')
      h++;
    if (h <= 6 && (h == len || s[h] == ' ')) {
      l->md_level = (uint8_t)h;
      l->flags |= LINE_MDHEAD;
      uint32_t e = h;
      while (e < len && s[e] == ' ')
        e++;
      ds[nd] = 0;
      de[nd] = e;
      dsp[nd++] = 0;
      i = e;
    }
  }
  int bold = n->bold_open;
  int inside_any = 0, outside_any = 0; /* content inside / outside bold */
  uint32_t content_start = i;
  int italic_open = -1; /* index in ds of a pending "*" opener */
  for (; i < len && nd < MAXDEL - 1; i++) {
    char c = s[i];
    if (c == '*' || c == '_') {
      uint32_t r = i;
      while (r < len && s[r] == c)
        r++;
      uint32_t run = r - i;
      if (c == '_' && (run != 2 || (i > 0 && is_word_byte((uint8_t)s[i - 1]) &&
                                    r < len && is_word_byte((uint8_t)s[r])))) {
        /* "____" blanks of a form, "a__b" inside a word: text */
        i = r - 1;
        if (bold)
          inside_any = 1;
        else
          outside_any = 1;
        continue;
      }
      if (c == '*' && run == 1) {
        /* a leading "* " is a literal bullet */
        if (i == content_start && r < len && s[r] == ' ') {
          outside_any |= !bold;
          inside_any |= bold;
          continue;
        }
        int can_open = !is_space_or_end(s, len, r) &&
                       (i == 0 || !is_word_byte((uint8_t)s[i - 1]));
        int can_close = i > 0 && s[i - 1] != ' ' &&
                        (r >= len || !is_word_byte((uint8_t)s[r]));
        if (italic_open >= 0 && can_close) {
          ds[nd] = i;
          de[nd] = r;
          dsp[nd++] = 0;
          italic_open = -1;
        } else if (can_open) {
          italic_open = nd;
          ds[nd] = i;
          de[nd] = r;
          dsp[nd++] = 0;
        } else {
          outside_any |= !bold;
          inside_any |= bold;
        }
        continue;
      }
      /* "**", "__", "****", "***" ... */
      uint32_t pairs = run / 2;
      int space = run >= 4 && i > content_start && r < len && s[i - 1] != ' ' &&
                  s[r] != ' ';
      uint32_t del_end = i + pairs * 2;
      ds[nd] = i;
      de[nd] = del_end;
      dsp[nd++] = (uint8_t)space;
      if (pairs & 1)
        bold = !bold;
      if (run & 1) {
        /* the odd "*" of "***": an italic marker */
        if (italic_open >= 0) {
          italic_open = -1;
        } else {
          italic_open = nd;
        }
        ds[nd] = del_end;
        de[nd] = r;
        dsp[nd++] = 0;
      }
      i = r - 1;
      continue;
    }
    if (c != ' ') {
      if (bold)
        inside_any = 1;
      else
        outside_any = 1;
    }
  }
  if (italic_open >= 0) {
    /* an unmatched opener: keep the "*" */
    for (int k = italic_open; k < nd - 1; k++) {
      ds[k] = ds[k + 1];
      de[k] = de[k + 1];
      dsp[k] = dsp[k + 1];
    }
    nd--;
  }
  n->bold_open = bold;
  /* a line of nothing but a stray "*" is debris */
  if (len - content_start == 1 && s[content_start] == '*') {
    nd = 0;
    ds[nd] = 0;
    de[nd] = len;
    dsp[nd++] = 0;
    outside_any = inside_any = 0;
  }
  if (inside_any && !outside_any)
    l->flags |= LINE_BOLD;
  if (!nd)
    return;
  /* rebuild: also drop spaces left doubled or at the ends */
  step_begin(n);
  vnp_buf *o = &n->buf[n->outix];
  uint64_t count = 0;
  uint32_t pos = 0;
  for (int k = 0; k <= nd; k++) {
    uint32_t a = k < nd ? ds[k] : len;
    /* copy [pos, a) dropping a leading space when the output is empty or
     * already ends with a space */
    while (pos < a) {
      if (s[pos] == ' ' && (o->len == 0 || o->ptr[o->len - 1] == ' ')) {
        step_replace(n, "markdown", pos + 1, "", 0);
        pos++;
        continue;
      }
      uint32_t q = pos;
      while (q < a && !(s[q] == ' ' && q + 1 < a && s[q + 1] == ' '))
        q++;
      if (q < a)
        q++; /* include the first of two spaces */
      step_keep_to(n, q);
      pos = q;
    }
    if (k == nd)
      break;
    if (de[k] > pos) {
      int sp = dsp[k] && o->len && o->ptr[o->len - 1] != ' ';
      step_replace(n, "markdown", de[k], sp ? " " : "", sp ? 1 : 0);
      count++;
      pos = de[k];
    }
  }
  step_end(n);
  /* trailing spaces */
  if (n->curlen && n->cur[n->curlen - 1] == ' ') {
    uint32_t e = n->curlen;
    while (e && n->cur[e - 1] == ' ')
      e--;
    step_begin(n);
    step_keep_to(n, e);
    step_replace(n, "markdown", n->curlen, "", 0);
    step_end(n);
  }
  doc_count_step(n->doc, "markdown", count);
}

/* ---- rule-driven replacements ---- */

static void rule_failed(normalizer *n, const rule *r, int rc) {
  if (n->rule_error_reported)
    return;
  n->rule_error_reported = 1;
  vnp_span sp = {0, 0, 0};
  doc_diag(n->doc, "warning", "rule-limit", sp,
           "rule %s stopped with PCRE2 error %d on line %u; later matches "
           "of normalization rules may be skipped",
           r->id, rc, n->lineno);
}

/* ---- letter-spaced text ---- */

/* Most tokens the letter-spacing step joins into one syllable, and the
 * longest run of adjacent letter tokens it looks at. */
#define NORM_SPACING_RUN 5
#define NORM_SPACING_MAXRUN 64
/* Longer lines are not looked at (letter-spaced text is header, footer
 * and table lines; this bounds the token vector of a pathological line). */
#define NORM_SPACING_MAXLINE 16384

typedef struct norm_tok {
  uint32_t s, e; /* bytes of the token in n->cur */
  uint32_t le;   /* end of its letters (trailing punctuation after) */
  uint8_t letters_only, syl, one;
} norm_tok;

/* Is cur[s, e) one syllable (rules of kind syllable, whole match)? */
static int norm_is_syllable(normalizer *n, const rule *r, const char *s,
                            size_t len) {
  return len && rule_exec(n->rs, r, s, len, 0, n->md) > 0;
}

/* Joins the fragments of letter-spaced text ('B AN' -> 'BAN', 'tướ ng' ->
 * 'tướng'); see rules/normalize.rules, kind syllable. Only lines with two
 * or more one-letter tokens that are no syllable are looked at. */
static void norm_spacing(normalizer *n) {
  const rule *r = n->syllable;
  if (!r || n->curlen < 3 || n->curlen > NORM_SPACING_MAXLINE)
    return;
  const char *c = n->cur;
  uint32_t len = n->curlen;
  /* cheap test first: one-letter tokens */
  int singles = 0;
  for (uint32_t i = 0; i < len && singles < 2;) {
    /* token [i, e): only tokens of at most 4 bytes can be one letter */
    const char *sp = memchr(c + i, ' ', len - i);
    uint32_t e = sp ? (uint32_t)(sp - c) : len;
    uint8_t c0 = (uint8_t)c[i];
    uint32_t l0 = c0 < 0x80 ? 1 : c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
    if (e > i && e - i == l0) { /* one code point */
      uint32_t l;
      int32_t cp = u8dec((const uint8_t *)c + i, &l);
      utf8proc_category_t k = utf8proc_category(cp);
      if (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO &&
          !norm_is_syllable(n, r, c + i, l))
        singles++;
    }
    i = e + 1;
  }
  if (singles < 2)
    return;
  VNP_VEC(norm_tok) tv = {0};
  for (uint32_t i = 0; i < len;) {
    while (i < len && c[i] == ' ')
      i++;
    if (i >= len)
      break;
    norm_tok t;
    memset(&t, 0, sizeof t);
    t.s = i;
    uint32_t letters = 0;
    t.letters_only = 1;
    while (i < len && c[i] != ' ') {
      uint32_t l;
      int32_t cp = u8dec((const uint8_t *)c + i, &l);
      utf8proc_category_t k = utf8proc_category(cp);
      int letter = k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_MN;
      if (letter && t.le == 0 && t.letters_only) {
        letters++;
      } else if (!letter && strchr(",.;:)", c[i]) && c[i] && letters) {
        if (!t.le)
          t.le = i;
      } else {
        t.letters_only = 0;
      }
      i += l;
    }
    t.e = i;
    if (!t.le)
      t.le = t.e;
    t.one = letters == 1 && t.letters_only;
    t.syl = t.letters_only && norm_is_syllable(n, r, c + t.s, t.le - t.s);
    vnp_vec_push(tv, t);
  }
  /* join[k]: token k is glued to token k - 1. Each run of adjacent
   * letter tokens is split into groups by dynamic programming: a group of
   * one token costs 2 if it is no syllable, a group of several must be
   * one syllable holding a fragment and costs 0 when it starts with the
   * fragment ('B AN'), 1 when it ends with one ('tướ ng'); least cost,
   * then most groups ('C H Í M I NH' -> 'CHÍ MINH', not 'CHÍM INH'). */
  uint8_t *join = xcalloc(tv.n + 1, 1);
  vnp_buf w = VNP_BUF_INIT;
  int any = 0;
  int cost[NORM_SPACING_MAXRUN + 1], groups[NORM_SPACING_MAXRUN + 1];
  int from[NORM_SPACING_MAXRUN + 1];
  for (size_t k = 0; k < tv.n;) {
    size_t m = 1; /* the run: k .. k+m-1 */
    while (k + m < tv.n && m < NORM_SPACING_MAXRUN && tv.v[k + m - 1].letters_only &&
           tv.v[k + m - 1].le == tv.v[k + m - 1].e && tv.v[k + m].letters_only &&
           tv.v[k + m].s == tv.v[k + m - 1].e + 1)
      m++;
    int frag = 0;
    for (size_t j = k; j < k + m; j++)
      frag |= tv.v[j].letters_only && !tv.v[j].syl;
    if (m < 2 || !frag) {
      k += m;
      continue;
    }
    cost[0] = 0;
    groups[0] = 0;
    for (size_t i = 1; i <= m; i++) {
      cost[i] = INT_MAX;
      groups[i] = 0;
      from[i] = (int)i - 1;
      for (size_t g = 1; g <= i && g <= NORM_SPACING_RUN; g++) {
        size_t a0 = i - g;
        if (cost[a0] == INT_MAX)
          continue;
        int c1;
        if (g == 1) {
          c1 = tv.v[k + a0].syl ? 0 : 2;
        } else {
          int hasfrag = 0;
          vnp_buf_clear(&w);
          for (size_t j = a0; j < i; j++) {
            hasfrag |= !tv.v[k + j].syl;
            vnp_buf_put(&w, c + tv.v[k + j].s, tv.v[k + j].le - tv.v[k + j].s);
          }
          if (!hasfrag || !norm_is_syllable(n, r, w.ptr, w.len))
            continue;
          c1 = tv.v[k + a0].syl ? 1 : 0;
        }
        int cc = cost[a0] + c1, gg = groups[a0] + 1;
        if (cc < cost[i] || (cc == cost[i] && gg > groups[i])) {
          cost[i] = cc;
          groups[i] = gg;
          from[i] = (int)a0;
        }
      }
    }
    for (size_t i = m; i > 0; i = (size_t)from[i]) {
      for (size_t j = (size_t)from[i] + 1; j < i; j++) {
        join[k + j] = 1;
        any = 1;
      }
    }
    k += m;
  }
  if (any) {
    uint64_t count = 0;
    step_begin(n);
    for (size_t k = 1; k < tv.n; k++) {
      if (!join[k])
        continue;
      step_keep_to(n, tv.v[k].s - 1);
      step_replace(n, "letter-spacing", tv.v[k].s, "", 0);
      count++;
    }
    step_keep_rest(n);
    step_end(n);
    doc_count_step(n->doc, "letter-spacing", count);
  }
  vnp_buf_free(&w);
  free(join);
  vnp_vec_free(tv);
}

static void norm_rules(normalizer *n) {
  const rule *const *rv = n->g_norm.rv;
  size_t nr = n->g_norm.n;
  uint64_t may = rgate_scan(&n->g_norm, n->cur, n->curlen);
  for (size_t k = 0; k < nr; k++) {
    const rule *r = rv[k];
    if (!r->replace)
      continue;
    if (!rgate_may(may, k))
      continue; /* cannot match: counts 0, which records nothing */
    const char *step = rule_emit(r, "step");
    if (!step)
      step = "normalize";
    int started = 0;
    uint64_t count = 0;
    size_t start = 0;
    while (start <= n->curlen) {
      /* a rule that starts with \d: from the next digit on */
      start = rgate_next(&n->g_norm, k, n->cur, n->curlen, start);
      if (start > n->curlen)
        break;
      int rc = rule_exec(n->rs, r, n->cur, n->curlen, start, n->md);
      if (rc < 0) {
        rule_failed(n, r, rc);
        break;
      }
      if (rc == 0)
        break;
      size_t ms, me;
      rule_span(n->md, &ms, &me);
      PCRE2_UCHAR out[256];
      PCRE2_SIZE olen = sizeof out;
      vnp_buf_clear(&n->tmp);
      int src = pcre2_substitute(
          r->re, (PCRE2_SPTR)n->cur, n->curlen, start,
          PCRE2_SUBSTITUTE_MATCHED | PCRE2_SUBSTITUTE_REPLACEMENT_ONLY |
              PCRE2_SUBSTITUTE_EXTENDED | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
              PCRE2_NO_UTF_CHECK,
          n->md, NULL, (PCRE2_SPTR)r->replace, PCRE2_ZERO_TERMINATED, out,
          &olen);
      if (src == PCRE2_ERROR_NOMEMORY) {
        vnp_buf_grow(&n->tmp, olen + 1);
        PCRE2_SIZE cap = n->tmp.cap;
        src = pcre2_substitute(
            r->re, (PCRE2_SPTR)n->cur, n->curlen, start,
            PCRE2_SUBSTITUTE_MATCHED | PCRE2_SUBSTITUTE_REPLACEMENT_ONLY |
                PCRE2_SUBSTITUTE_EXTENDED | PCRE2_NO_UTF_CHECK,
            n->md, NULL, (PCRE2_SPTR)r->replace, PCRE2_ZERO_TERMINATED,
            (PCRE2_UCHAR *)n->tmp.ptr, &cap);
        olen = cap;
        if (src >= 0)
          n->tmp.len = olen;
      } else if (src >= 0) {
        vnp_buf_put(&n->tmp, out, olen);
      }
      if (src < 0) {
        rule_failed(n, r, src);
        break;
      }
      if (n->tmp.len != me - ms ||
          memcmp(n->tmp.ptr, n->cur + ms, me - ms) != 0) {
        if (!started) {
          step_begin(n);
          started = 1;
        }
        step_keep_to(n, (uint32_t)ms);
        step_replace(n, step, (uint32_t)me, n->tmp.ptr, n->tmp.len);
        count++;
      }
      if (me > ms) {
        start = me;
      } else {
        /* empty match: step over one character */
        start = me + 1;
        while (start < n->curlen && ((uint8_t)n->cur[start] & 0xC0) == 0x80)
          start++;
      }
    }
    if (started) {
      step_keep_rest(n);
      step_end(n);
      may = rgate_scan(&n->g_norm, n->cur, n->curlen); /* new text */
    }
    doc_count_step(n->doc, step, count);
  }
}

/* Rewrites `text` with every match of normalize rule `r` (for the rule
 * examples: "example ... => result=..."). Returns 1 and fills out. */
int normalize_example_value(const vnp_rules *rs, const struct rule *r,
                            const char *text, size_t len, const char *key,
                            vnp_buf *out) {
  if (strcmp(r->kind, "normalize") != 0 || strcmp(key, "result") != 0 ||
      !r->replace)
    return 0;
  pcre2_match_data *md = rules_match_data(rs);
  size_t start = 0, copied = 0;
  vnp_buf_clear(out);
  while (start <= len) {
    int rc = rule_exec(rs, r, text, len, start, md);
    if (rc <= 0)
      break;
    size_t ms, me;
    rule_span(md, &ms, &me);
    PCRE2_UCHAR buf[1024];
    PCRE2_SIZE olen = sizeof buf;
    int src = pcre2_substitute(
        r->re, (PCRE2_SPTR)text, len, start,
        PCRE2_SUBSTITUTE_MATCHED | PCRE2_SUBSTITUTE_REPLACEMENT_ONLY |
            PCRE2_SUBSTITUTE_EXTENDED | PCRE2_NO_UTF_CHECK,
        md, NULL, (PCRE2_SPTR)r->replace, PCRE2_ZERO_TERMINATED, buf, &olen);
    if (src < 0)
      break;
    vnp_buf_put(out, text + copied, ms - copied);
    vnp_buf_put(out, buf, olen);
    copied = me;
    start = me;
    if (me == ms) {
      start++;
      while (start < len && ((uint8_t)text[start] & 0xC0) == 0x80)
        start++;
    }
  }
  if (copied < len)
    vnp_buf_put(out, text + copied, len - copied);
  pcre2_match_data_free(md);
  return 1;
}

/* ---- per line ---- */

void normalize_line(normalizer *n, const char *text, uint32_t len,
                    const omap *map, uint64_t orig_start, uint64_t orig_end,
                    uint32_t lineno, unsigned flags) {
  vnp_doc *d = n->doc;
  vnp_line l;
  memset(&l, 0, sizeof l);
  l.flags = flags;
  l.lineno = lineno;
  l.orig_start = orig_start;
  l.orig_end = orig_end;
  n->cur = text;
  n->curlen = len;
  n->curmap = map;
  n->curix = -1;
  n->lineno = lineno;
  uint8_t side = 0;

  unsigned ps = norm_prescan(n, text, len);
  /* facts about the raw line */
  if (len >= 2 && text[len - 1] == ' ' && text[len - 2] == ' ')
    l.flags |= LINE_HARDBREAK;
  if ((ps & PS_MD) && len >= 4) {
    const char *p = text, *e = text + len;
    int glued = 0;
    while ((p = memmem(p, (size_t)(e - p), "****", 4)) != NULL) {
      if (p > text && p + 4 < e && p[-1] != '*' && p[4] != '*')
        glued++;
      p += 4;
    }
    if (glued >= 2)
      side |= SIDE_GLUED;
  }

  if (ps & PS_WS)
    norm_whitespace(n);
  if (ps & PS_NFC)
    norm_nfc(n);
  if (ps & PS_CHARS)
    norm_chars(n);
  if ((ps & PS_NONASCII) && d->opts.tone_style != VNP_TONE_KEEP)
    norm_tone(n);
  if (ps & PS_DASH)
    norm_dashes(n);
  if (ps & PS_MD)
    norm_markdown(n, &l);
  else if (n->bold_open && n->curlen)
    l.flags |= LINE_BOLD; /* inside a bold run opened on an earlier line */
  if (n->rs) {
    norm_rules(n);
    norm_spacing(n);
  }

  if (n->curlen == 0) {
    l.flags |= LINE_BLANK;
    n->bold_open = 0;
  }
  if (n->bold_open)
    side |= SIDE_BOLD_OPEN;
  if ((ps & PS_PIPE) && n->curlen >= 3 && memmem(n->cur, n->curlen, " | ", 3))
    l.flags |= LINE_TABLE;

  l.text = arena_strndup(&d->arena, n->cur, n->curlen);
  l.len = n->curlen;
  arena_omap_copy(&d->arena, &l.map, n->curmap); /* scratch maps stay */
  l.in_arena = 1;
  vnp_vec_push(d->lines, l);
  vnp_vec_push(n->side, side);
}

/* ---- whole document ---- */

static int line_dropped(const vnp_line *l) {
  return (l->flags & (LINE_BLANK | LINE_NOISE | LINE_PAGENUM | LINE_RUNHEAD)) !=
         0;
}

/* Number of characters (code points) of s[0..len). */
static uint32_t u8len(const char *s, uint32_t len) {
  /* bytes minus continuation bytes (10xxxxxx), 8 bytes at a time */
  uint32_t cont = 0, i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    uint64_t x = (w & ~(w << 1) & 0x8080808080808080ull) >> 7;
    cont += (uint32_t)((x * 0x0101010101010101ull) >> 56);
  }
  for (; i < len; i++)
    cont += ((uint8_t)s[i] & 0xC0) == 0x80;
  return len - cont;
}

/* Does any rule of gate g's kind match `s` at offset 0? */
static int match_at_start(normalizer *n, const rgate *g, const char *s,
                          uint32_t len) {
  const rule *const *rv = g->rv;
  size_t nr = g->n;
  uint64_t may = rgate_scan(g, s, len);
  for (size_t k = 0; k < nr; k++) {
    if (!rgate_may(may, k))
      continue;
    int rc = rule_exec(n->rs, rv[k], s, len, 0, n->md);
    if (rc < 0) {
      rule_failed(n, rv[k], rc);
      continue;
    }
    if (rc > 0) {
      size_t ms, me;
      rule_span(n->md, &ms, &me);
      if (ms == 0)
        return 1;
    }
  }
  return 0;
}

static void finish_noise(normalizer *n) {
  vnp_doc *d = n->doc;
  const rule *const *rv = n->g_noise.rv;
  size_t nr = n->g_noise.n;
  if (!nr)
    return;
  uint64_t count = 0;
  for (size_t i = 0; i < d->lines.n; i++) {
    vnp_line *l = &d->lines.v[i];
    if (l->flags & LINE_BLANK || l->len > 240)
      continue;
    int hits = 0;
    uint64_t may = rgate_scan(&n->g_noise, l->text, l->len);
    for (size_t k = 0; k < nr; k++) {
      if (!rgate_may(may, k))
        continue;
      int rc = rule_exec(n->rs, rv[k], l->text, l->len, 0, n->md);
      if (rc > 0)
        hits++;
    }
    int glued = (n->side.v[i] & SIDE_GLUED) != 0;
    if (!(hits >= 2 || (glued && hits >= 1)))
      continue;
    l->flags |= LINE_NOISE;
    count++;
    vnp_span sp = {l->orig_start, l->orig_end, l->lineno};
    int q = l->len > 200 ? 200 : (int)l->len;
    while (q > 0 && q < (int)l->len && ((uint8_t)l->text[q] & 0xC0) == 0x80)
      q--;
    doc_diag(d, "warning", "stamp-noise", sp,
             "line %u looks like a received stamp or scan noise and is left "
             "out of the text: \"%.*s\"",
             l->lineno, q, l->text);
    if (d->record_changes) {
      vnp_change c = {"stamp-noise",
                      sp.start,
                      sp.end,
                      l->lineno,
                      arena_strndup(&d->arena, l->text, l->len),
                      ""};
      vnp_vec_push(d->changes, c);
    }
  }
  doc_count_step(d, "stamp-noise", count);
}

typedef struct page_line {
  const char *key; /* text used for comparison */
  uint32_t keylen;
  size_t line;
} page_line;

static int cmp_page_line(const void *a, const void *b) {
  const page_line *x = a, *y = b;
  uint32_t m = x->keylen < y->keylen ? x->keylen : y->keylen;
  int c = memcmp(x->key, y->key, m);
  if (c)
    return c;
  if (x->keylen != y->keylen)
    return x->keylen < y->keylen ? -1 : 1;
  return x->line < y->line ? -1 : (x->line > y->line);
}

static void drop_line(normalizer *n, size_t i, unsigned flag,
                      const char *step) {
  vnp_doc *d = n->doc;
  vnp_line *l = &d->lines.v[i];
  l->flags |= flag;
  if (d->record_changes) {
    vnp_span sp = {l->orig_start, l->orig_end, l->lineno};
    vnp_change c = {step,
                    sp.start,
                    sp.end,
                    l->lineno,
                    arena_strndup(&d->arena, l->text, l->len),
                    ""};
    vnp_vec_push(d->changes, c);
  }
}

/* Page numbers and running headers; only for documents with page breaks
 * (form feeds from pdftotext or OCR). */
static void finish_pages(normalizer *n) {
  vnp_doc *d = n->doc;
  size_t nl = d->lines.n;
  int paged = 0;
  for (size_t i = 1; i < nl; i++)
    if (d->lines.v[i].flags & LINE_PAGEBREAK)
      paged = 1;
  if (!paged)
    return;
  /* page starts */
  VNP_VEC(size_t) pages = {0};
  vnp_vec_push(pages, (size_t)0);
  for (size_t i = 1; i < nl; i++)
    if (d->lines.v[i].flags & LINE_PAGEBREAK)
      vnp_vec_push(pages, i);
  vnp_vec_push(pages, nl);
  /* a page with no text between two page breaks: OCR engines return a
   * page they could not read as nothing at all (the text after the last
   * break is not a page: Tesseract ends every page with a form feed) */
  for (size_t p = 0; p + 2 < pages.n; p++) {
    size_t a = pages.v[p], z = pages.v[p + 1], k = a;
    while (k < z && (d->lines.v[k].flags & LINE_BLANK))
      k++;
    if (k < z)
      continue;
    const vnp_line *la = &d->lines.v[a], *lz = &d->lines.v[z];
    vnp_span sp = {la->orig_start, lz->orig_start, la->lineno};
    doc_diag(d, "warning", "empty-page", sp,
             "page %zu has no text (line %u to the next page break): a "
             "scanned page may have been lost",
             p + 1, la->lineno);
  }
  for (size_t i = 0; i < nl; i++) {
    const vnp_line *l = &d->lines.v[i];
    if (!(l->flags & LINE_EMPTYPAGE))
      continue;
    vnp_span sp = {l->orig_start, l->orig_start, l->lineno};
    doc_diag(d, "warning", "empty-page",
             sp, "an empty page (two page breaks with nothing between) "
             "before line %u: a scanned page may have been lost",
             l->lineno);
  }
  uint64_t npn = 0;
  /* page numbers: the first two and last two text lines of a page */
  for (size_t p = 0; p + 1 < pages.n; p++) {
    size_t a = pages.v[p], b = pages.v[p + 1];
    int seen = 0;
    for (size_t i = a; i < b && seen < 2; i++) {
      vnp_line *l = &d->lines.v[i];
      if (line_dropped(l))
        continue;
      seen++;
      if (match_at_start(n, &n->g_pagenum, l->text, l->len)) {
        drop_line(n, i, LINE_PAGENUM, "page-numbers");
        npn++;
      }
    }
    seen = 0;
    for (size_t i = b; i-- > a && seen < 2;) {
      vnp_line *l = &d->lines.v[i];
      if (line_dropped(l))
        continue;
      seen++;
      if (match_at_start(n, &n->g_pagenum, l->text, l->len)) {
        drop_line(n, i, LINE_PAGENUM, "page-numbers");
        npn++;
      }
    }
  }
  doc_count_step(d, "page-numbers", npn);
  /* running headers: the top (and bottom) text line of each page, digits
   * ignored, repeated on 3 or more pages */
  VNP_VEC(page_line) cand = {0};
  vnp_buf keys = VNP_BUF_INIT;
  VNP_VEC(size_t) keyoff = {0};
  for (int bottom = 0; bottom < 2; bottom++) {
    cand.n = 0;
    vnp_buf_clear(&keys);
    keyoff.n = 0;
    for (size_t p = 0; p + 1 < pages.n; p++) {
      size_t a = pages.v[p], b = pages.v[p + 1];
      size_t hit = (size_t)-1;
      if (!bottom) {
        for (size_t i = a; i < b; i++)
          if (!line_dropped(&d->lines.v[i])) {
            hit = i;
            break;
          }
      } else {
        for (size_t i = b; i-- > a;)
          if (!line_dropped(&d->lines.v[i])) {
            hit = i;
            break;
          }
      }
      if (hit == (size_t)-1 || d->lines.v[hit].len > 160)
        continue;
      const vnp_line *l = &d->lines.v[hit];
      size_t off = keys.len;
      for (uint32_t k = 0; k < l->len; k++)
        if (!(l->text[k] >= '0' && l->text[k] <= '9') && l->text[k] != ' ')
          vnp_buf_putc(&keys, l->text[k]);
      page_line pl = {NULL, (uint32_t)(keys.len - off), hit};
      vnp_vec_push(cand, pl);
      vnp_vec_push(keyoff, off);
    }
    for (size_t k = 0; k < cand.n; k++)
      cand.v[k].key = keys.ptr + keyoff.v[k];
    if (cand.n)
      qsort(cand.v, cand.n, sizeof(page_line), cmp_page_line);
    uint64_t nrh = 0;
    for (size_t s = 0; s < cand.n;) {
      size_t e = s + 1;
      while (e < cand.n && cand.v[e].keylen == cand.v[s].keylen &&
             memcmp(cand.v[e].key, cand.v[s].key, cand.v[s].keylen) == 0)
        e++;
      if (e - s >= 3 && cand.v[s].keylen >= 2) {
        for (size_t k = s; k < e; k++) {
          drop_line(n, cand.v[k].line, LINE_RUNHEAD, "running-headers");
          nrh++;
        }
      }
      s = e;
    }
    doc_count_step(d, "running-headers", nrh);
  }
  vnp_vec_free(cand);
  vnp_vec_free(keyoff);
  vnp_buf_free(&keys);
  vnp_vec_free(pages);
}

/* ---- OCR confidence ---- */

/* Lines where tokens matched by rules of kind lowconf (not Vietnamese
 * syllables, stray symbols) are 30% or more of at least 4 tokens get
 * LINE_LOWCONF; each run of such lines is one "low-confidence" warning
 * with its span. Only for documents with page breaks (form feeds: OCR and
 * pdftotext output; Tesseract ends every page with one), so that born-
 * digital text does not pay for it. Cost: one PCRE2 scan of each line per
 * rule (JIT; the pattern is anchored at token starts by a lookbehind),
 * about half the normalizer's own time on such documents. */
static void finish_lowconf(normalizer *n) {
  vnp_doc *d = n->doc;
  const rule *const *rv;
  size_t nr = rules_of_kind(n->rs, "lowconf", &rv);
  int paged = 0;
  for (size_t i = 1; i < d->lines.n && !paged; i++)
    paged = (d->lines.v[i].flags & LINE_PAGEBREAK) != 0;
  if (!nr || !paged)
    return;
  uint64_t count = 0;
  size_t run = (size_t)-1, runlast = 0;
  for (size_t i = 0; i <= d->lines.n; i++) {
    int low = 0;
    if (i < d->lines.n) {
      vnp_line *l = &d->lines.v[i];
      if (line_dropped(l))
        continue;
      uint32_t toks = 0;
      for (uint32_t k = 0; k < l->len; k++)
        toks += l->text[k] != ' ' && (k == 0 || l->text[k - 1] == ' ');
      uint32_t bad = 0;
      for (size_t r = 0; r < nr && toks >= 4; r++) {
        size_t start = 0;
        while (start < l->len) {
          int rc = rule_exec(n->rs, rv[r], l->text, l->len, start, n->md);
          if (rc <= 0) {
            if (rc < 0)
              rule_failed(n, rv[r], rc);
            break;
          }
          size_t ms, me;
          rule_span(n->md, &ms, &me);
          bad++;
          start = me > ms ? me : me + 1;
        }
      }
      low = toks >= 4 && bad * 10 >= toks * 3;
      if (low) {
        l->flags |= LINE_LOWCONF;
        count++;
        if (run == (size_t)-1)
          run = i;
        runlast = i;
        continue;
      }
    }
    if (run != (size_t)-1) {
      const vnp_line *a = &d->lines.v[run], *z = &d->lines.v[runlast];
      vnp_span sp = {a->orig_start, z->orig_end, a->lineno};
      doc_diag(d, "warning", "low-confidence", sp,
               "lines %u-%u look like poor OCR (many tokens are not "
               "Vietnamese syllables)",
               a->lineno, z->lineno);
      run = (size_t)-1;
    }
  }
  doc_count_step(d, "low-confidence", count);
}

/* ---- reflow ---- */

static int starts_block(normalizer *n, size_t i) {
  uint8_t *sd = &n->side.v[i];
  if (!(*sd & SIDE_BS_DONE)) {
    const vnp_line *l = &n->doc->lines.v[i];
    int bs = (l->flags & LINE_TABLE) ||
             match_at_start(n, &n->g_heading, l->text, l->len) ||
             match_at_start(n, &n->g_blockstart, l->text, l->len);
    *sd |= SIDE_BS_DONE | (bs ? SIDE_BS : 0);
  }
  return (*sd & SIDE_BS) != 0;
}

static int first_is_lower(const vnp_line *l) {
  uint32_t k;
  int32_t cp = u8dec((const uint8_t *)l->text, &k);
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* Letters present and none lowercase (an upper-case title line, seed 001 line
 * 3). */
static int all_caps(const vnp_line *l) {
  int letters = 0;
  for (uint32_t i = 0; i < l->len;) {
    uint32_t k;
    int32_t cp = u8dec((const uint8_t *)l->text + i, &k);
    utf8proc_category_t c = utf8proc_category(cp);
    if (c == UTF8PROC_CATEGORY_LL)
      return 0;
    if (c == UTF8PROC_CATEGORY_LU)
      letters++;
    i += k;
  }
  return letters >= 2;
}

/* Ends with . ; : ! ? (closing quotes and brackets skipped). */
static int ends_sentence(const vnp_line *l) {
  uint32_t e = l->len;
  while (e) {
    uint8_t c = (uint8_t)l->text[e - 1];
    if (c == ')' || c == ']' || c == '"' || c == '\'' || c == ' ') {
      e--;
      continue;
    }
    /* U+201D closing quote */
    if (e >= 3 && (uint8_t)l->text[e - 3] == 0xE2 &&
        (uint8_t)l->text[e - 2] == 0x80 && (uint8_t)l->text[e - 1] == 0x9D) {
      e -= 3;
      continue;
    }
    break;
  }
  if (!e)
    return 1;
  char c = l->text[e - 1];
  return c == '.' || c == ';' || c == ':' || c == '!' || c == '?';
}

/* Does the line end with a word of rules/join-words.lst? */
static int ends_with_join_word(const rule_list *jw, const vnp_line *l) {
  if (!jw)
    return 0;
  uint32_t e = l->len, s = e;
  while (s && l->text[s - 1] != ' ')
    s--;
  uint32_t wl = e - s;
  if (!wl)
    return 0;
  for (size_t k = 0; k < jw->n; k++)
    if (strlen(jw->items[k]) == wl &&
        memcmp(jw->items[k], l->text + s, wl) == 0)
      return 1;
  return 0;
}

/* Wrap width of hard-wrapped text, or 0 if the text is not hard-wrapped:
 * the 80th percentile of line lengths, when at least 30% of the lines are
 * within 80%-105% of it and it is at most 200 characters. *p80 gets the
 * 80th percentile in any case (0 with fewer than 8 lines). */
static uint32_t wrap_width(vnp_doc *d, uint32_t *p80) {
  VNP_VEC(uint32_t) lens = {0};
  for (size_t i = 0; i < d->lines.n; i++) {
    const vnp_line *l = &d->lines.v[i];
    if (line_dropped(l) || l->len < 20)
      continue;
    /* lines past 1000 characters all land in the last bucket */
    vnp_vec_push(lens, l->len > 4000 ? 1000 : u8len(l->text, l->len));
  }
  uint32_t w = 0;
  if (lens.n >= 8) {
    /* counting sort over lengths up to 1000 characters */
    uint32_t hist[1001];
    memset(hist, 0, sizeof hist);
    for (size_t i = 0; i < lens.n; i++)
      hist[lens.v[i] > 1000 ? 1000 : lens.v[i]]++;
    size_t target = lens.n * 8 / 10, acc = 0;
    for (uint32_t k = 0; k <= 1000; k++) {
      acc += hist[k];
      if (acc > target) {
        w = k;
        break;
      }
    }
    *p80 = w;
    size_t near = 0;
    for (size_t i = 0; i < lens.n; i++)
      if (lens.v[i] * 100 >= w * 80 && lens.v[i] * 100 <= w * 105)
        near++;
    if (w > 200 || near * 10 < lens.n * 3)
      w = 0;
  }
  vnp_vec_free(lens);
  return w;
}

/* First and last words around a join, for the change record. */
static void record_join(normalizer *n, const vnp_line *a, const vnp_line *b) {
  vnp_doc *d = n->doc;
  uint32_t s = a->len;
  while (s && a->text[s - 1] != ' ')
    s--;
  uint32_t e = 0;
  while (e < b->len && b->text[e] != ' ')
    e++;
  vnp_buf *t = &n->tmp;
  vnp_buf_clear(t);
  vnp_buf_put(t, a->text + s, a->len - s);
  vnp_buf_putc(t, '\n');
  vnp_buf_put(t, b->text, e);
  vnp_change c;
  c.step = "reflow";
  c.start = omap_end(&a->map, a->len);
  c.end = omap_start(&b->map, 0);
  c.line = a->lineno;
  c.before = arena_strndup(&d->arena, t->ptr, t->len);
  t->ptr[a->len - s] = ' ';
  c.after = arena_strndup(&d->arena, t->ptr, t->len);
  vnp_vec_push(d->changes, c);
}

/* Is the next text line after line i a legal basis (rules
 * of kind preamble with emit role=basis)? The upper-case line before it
 * is the authority, not the rest of a wrapped title. */
static int before_basis(normalizer *n, size_t i) {
  vnp_doc *d = n->doc;
  size_t k = i + 1;
  while (k < d->lines.n && line_dropped(&d->lines.v[k]))
    k++;
  if (k >= d->lines.n)
    return 0;
  const vnp_line *l = &d->lines.v[k];
  const rule *const *rv;
  size_t nr = rules_of_kind(n->rs, "preamble", &rv);
  for (size_t r = 0; r < nr; r++) {
    const char *role = rule_emit(rv[r], "role");
    if (role && strcmp(role, "basis") == 0 &&
        rule_exec(n->rs, rv[r], l->text, l->len, 0, n->md) > 0)
      return 1;
  }
  return 0;
}

/* Does the line start with a letter that is not lower case (a capital)? */
static int first_is_upper(const vnp_line *l) {
  uint32_t k;
  int32_t cp = u8dec((const uint8_t *)l->text, &k);
  utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

/* Tables rendered from HTML with every cell on lines of its own and a lone
 * "|" between cells (legal-document websites): the lines between two lone
 * "|" lines are one cell (SIDE_CELL), and so are the lines just before the
 * first "|" back to a blank line, a line ending with "." or a long line
 * (at most 6). Returns the number of lone "|" lines. */
static size_t mark_cells(normalizer *n) {
  vnp_doc *d = n->doc;
  size_t npipe = 0, prev = (size_t)-1;
  for (size_t i = 0; i < d->lines.n; i++) {
    const vnp_line *l = &d->lines.v[i];
    if (!(l->len == 1 && l->text[0] == '|'))
      continue;
    n->side.v[i] |= SIDE_PIPE;
    if (!npipe++) {
      for (size_t k = i, m = 0; k-- > 0 && m < 6; m++) {
        const vnp_line *c = &d->lines.v[k];
        if (c->flags & LINE_BLANK || line_dropped(c) || c->len > 240 ||
            c->text[c->len - 1] == '.')
          break;
        n->side.v[k] |= SIDE_CELL;
      }
    } else if (i - prev <= 16) {
      for (size_t k = prev + 1; k < i; k++)
        n->side.v[k] |= SIDE_CELL;
    }
    prev = i;
  }
  return npipe;
}

/* Is the text hard-wrapped with no blank lines between paragraphs (PDF or
 * web copies)? Counts adjacent line pairs where the second line goes on
 * with the first: it starts in lower case, or the first stops mid-phrase
 * (no final punctuation, not upper case) and the second starts no block.
 * Hard-wrapped when at least 4 such pairs make 30% of adjacent pairs. */
static int hard_wrapped(normalizer *n) {
  vnp_doc *d = n->doc;
  size_t pairs = 0, cont = 0, last = (size_t)-1;
  for (size_t i = 0; i < d->lines.n; i++) {
    const vnp_line *l = &d->lines.v[i];
    if (line_dropped(l) || (n->side.v[i] & (SIDE_PIPE | SIDE_CELL))) {
      last = (size_t)-1;
      continue;
    }
    if (last != (size_t)-1 && !((l->flags | d->lines.v[last].flags) &
                                (LINE_TABLE | LINE_PAGEBREAK))) {
      const vnp_line *a = &d->lines.v[last];
      pairs++;
      if (first_is_lower(l) ||
          (!ends_sentence(a) && !all_caps(a) && !starts_block(n, i)))
        cont++;
    }
    last = i;
  }
  return cont >= 4 && cont * 10 >= pairs * 3;
}

/* Emits block b with text and map `bm` copied into the arena; the scratch
 * buffer and map are emptied and keep their capacity. */
static void block_close(vnp_doc *d, vnp_block *b, vnp_buf *text, omap *bm) {
  const vnp_line *l = &d->lines.v[b->first_line];
  if (b->nlines == 1 && l->in_arena && l->len == text->len) {
    /* one line: the block shares the line's text and map (same bytes, same
     * segments) */
    b->text = l->text;
    b->map = l->map;
  } else {
    b->text = arena_strndup(&d->arena, text->ptr, text->len);
    arena_omap_copy(&d->arena, &b->map, bm);
  }
  b->len = (uint32_t)text->len;
  b->in_arena = 1;
  vnp_vec_push(d->blocks, *b);
  vnp_buf_clear(text);
  bm->n = 0;
}

static void finish_reflow(normalizer *n) {
  vnp_doc *d = n->doc;
  const rule_list *jw = n->rs ? rules_list(n->rs, "join-words") : NULL;
  int reflow = !(d->opts.flags & VNP_OPT_NO_REFLOW) && n->rs;
  uint32_t p80 = 0;
  uint32_t w = reflow ? wrap_width(d, &p80) : 0;
  size_t npipe = reflow ? mark_cells(n) : 0;
  int wrapped = reflow && hard_wrapped(n);
  if (wrapped)
    doc_count_step(d, "hard-wrapped", 1);
  int in_cell = 0; /* the open block is a cell and no "|" came since */
  vnp_buf text = VNP_BUF_INIT;
  vnp_block cur;
  omap bm; /* map of the open block, built here, copied at block_close */
  omap_init(&bm);
  int open = 0;
  size_t last = 0; /* last line of the open block */
  int gap = 0;     /* blank, dropped or page break since `last` */
  int any = 0;     /* a block was emitted before */
  uint64_t joins = 0;
  for (size_t i = 0; i < d->lines.n; i++) {
    vnp_line *l = &d->lines.v[i];
    if (npipe && (n->side.v[i] & SIDE_PIPE)) {
      gap = 1; /* a cell boundary: the "|" itself is layout */
      in_cell = 0;
      continue;
    }
    if (line_dropped(l)) {
      gap = 1;
      continue;
    }
    if (l->flags & LINE_PAGEBREAK)
      gap = 1;
    int join = 0;
    int cell = npipe && (n->side.v[i] & SIDE_CELL);
    if (open && reflow && cell && in_cell) {
      join = 1; /* the rest of a cell */
    } else if (open && reflow && (cell || in_cell)) {
      join = 0;
    } else if (open && reflow) {
      const vnp_line *a = &d->lines.v[last];
      int tables = (a->flags | l->flags) & LINE_TABLE;
      int lower = first_is_lower(l);
      int along = w && u8len(a->text, a->len) * 100 >= w * 80;
      if (tables) {
        join = 0;
      } else if (all_caps(a)) {
        /* a title line: joined only to the rest of a wrapped title
         * (capitals are wider in print: a full caps line holds about
         * 70% of the letters of a full line of running text) */
        int caps_along = w && u8len(a->text, a->len) * 100 >= w * 62;
        join = !gap && caps_along && all_caps(l) && !starts_block(n, i) &&
               !before_basis(n, i);
      } else {
        if (!gap && wrapped && !lower && !ends_sentence(a)) {
          /* hard-wrapped text: a line that stops mid-phrase goes on, unless
           * it is a short heading-like line before a capital */
          int cand = !first_is_upper(l) || ends_with_join_word(jw, a) ||
                     !starts_block(n, last) ||
                     (p80 && u8len(a->text, a->len) * 100 >= p80 * 90);
          join = cand && !starts_block(n, i);
        } else if (!gap) {
          int cand = lower || (along && !ends_sentence(a)) ||
                     ((a->flags & LINE_HARDBREAK) &&
                      (n->side.v[last] & SIDE_BOLD_OPEN));
          join = cand && !starts_block(n, i);
        } else if (!ends_sentence(a)) {
          /* across a blank line or page break */
          /* (a heading is all caps, ends with ":" or does not end
           * with a function word, so it is excluded here too) */
          int cand = lower || ends_with_join_word(jw, a);
          join = cand && !starts_block(n, i);
        }
      }
    }
    if (join) {
      const vnp_line *a = &d->lines.v[last];
      uint64_t ea = omap_end(&a->map, a->len);
      uint64_t sb = omap_start(&l->map, 0);
      vnp_buf_putc(&text, ' ');
      omap_push(&bm, 1, ea, sb > ea ? sb - ea : 0);
      vnp_buf_put(&text, l->text, l->len);
      omap_append(&bm, &l->map, (uint32_t)text.len - l->len);
      cur.flags |= l->flags;
      cur.nlines = (uint32_t)(i - cur.first_line + 1);
      joins++;
      if (d->record_changes)
        record_join(n, a, l);
    } else {
      if (open)
        block_close(d, &cur, &text, &bm);
      memset(&cur, 0, sizeof cur);
      cur.first_line = (uint32_t)i;
      cur.nlines = 1;
      cur.lineno = l->lineno;
      cur.flags = l->flags | (any && !gap ? BLOCK_ADJACENT : 0);
      vnp_buf_put(&text, l->text, l->len);
      omap_append(&bm, &l->map, 0);
      open = 1;
      any = 1;
    }
    last = i;
    gap = 0;
    in_cell = cell;
  }
  if (open)
    block_close(d, &cur, &text, &bm);
  vnp_buf_free(&text);
  omap_free(&bm);
  doc_count_step(d, "reflow", joins);
}

void normalize_finish(normalizer *n) {
  if (n->rs) {
    finish_noise(n);
    finish_pages(n);
    finish_lowconf(n);
  }
  finish_reflow(n);
}
