/*
 * tone.c - Vietnamese tone-mark placement.
 *
 * Input:  NFC UTF-8 text (valid UTF-8: the reader guarantees it).
 * Output: the same text with the tone mark of every Vietnamese syllable on
 *         the vowel the chosen style puts it on, NFC again.
 *
 * A word is a maximal run of letters, combining marks and decimal digits.
 * A word is rewritten only when it parses as one Vietnamese syllable
 *
 *   onset? vowel{1,3} coda?
 *   onset = b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x
 *   coda  = c ch m n ng nh p t   (the semivowels i y o u end the vowel run)
 *
 * with exactly one tone mark, every letter a plain ASCII letter or one with
 * Vietnamese marks only (circumflex or breve on a, circumflex on e and o,
 * horn on o and u, and one of the five tones), and the tone on a vowel of
 * the nucleus or on the i of gi / the u of qu. Anything else (English
 * words, acronyms, numbers, café, two tone marks) is copied byte for byte.
 *
 * The position rule is Unikey's getTonePosition (ukengine.cpp), applied to
 * the vowel run V after the onset, with `coda` meaning a consonant follows:
 *   1. |V| = 1: on it.
 *   2. a circumflex vowel (â ê ô): on it (iê, uô, uyê, uây, iêu, uê ...).
 *   3. a horn or breve vowel (ư ơ ă): on it; ươ, ươi, ươu: on the ơ.
 *   4. |V| = 3: the middle one (oai, oay, uya, uyu, oeo).
 *   5. main-vowel style and V is oa, oe or uy: the second.
 *   6. otherwise the first when the syllable is open, the second when a
 *      coda follows (hòa/hoàn, mía, múa, tài, thủy/huýt).
 * Both styles apply the rule to every syllable, so a misplaced mark is
 * repaired too (tòan -> toàn, nghịêm -> nghiệm).
 *
 * Invariants: no allocation except growth of `out` (and of the omap);
 * the precomposed Vietnamese letters are looked up in static tables
 * (checked against utf8proc by tests/test_tone.c), other letters are
 * decomposed with utf8proc; no global mutable state. Case is kept letter by
 * letter (HÒA -> HOÀ).
 *
 * Speed: pure-ASCII words cannot carry a tone mark in NFC text, and a word
 * with one vowel letter has nowhere to move it, so both are skipped without
 * decomposing anything. Only the remaining words are parsed, and with a
 * tone_memo each distinct word only once per style: the memo is a
 * direct-mapped table (TONE_MEMO slots, FNV-1a of the word's bytes) of
 * whether the word's tone moves; a word's verdict depends on its bytes and
 * the style only, so a hit gives what parsing would.
 *
 * Limits: a syllable has at most TONE_MAX_LETTERS letters (nghiêng has
 * 7); longer words are not syllables and are copied.
 *
 * Tricky cases: gi is an onset only before a vowel (già, giường; but gìn,
 * gì have nucleus i); qu is always an onset (quý, quà, quyết). uơ and uê
 * take the mark on the shaped vowel (thuở, huế) in both styles. Letter
 * repairs (giuờng -> giường, buớc -> bước) are out of scope: only the tone
 * moves.
 */
#include "tone.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* The longest syllables (nghiêng, khuyếch) have 7 letters. The scanner
 * skips longer words; the parser's letter array has this many slots. */
#define TONE_MAX_LETTERS 8

/* Shape marks (the vowel's identity) and tone marks, as combining code
 * points in the NFD of a precomposed letter. */
enum {
  TONE_CP_GRAVE = 0x0300,
  TONE_CP_ACUTE = 0x0301,
  TONE_CP_CIRC = 0x0302,
  TONE_CP_TILDE = 0x0303,
  TONE_CP_BREVE = 0x0306,
  TONE_CP_HOOK = 0x0309,
  TONE_CP_HORN = 0x031B,
  TONE_CP_DOT = 0x0323,
  TONE_CP_DSTROKE_UPPER = 0x0110, /* has no decomposition */
  TONE_CP_DSTROKE_LOWER = 0x0111
};

/* Internal base code for đ: every other base is a lowercase ASCII letter. */
#define TONE_BASE_DSTROKE 'D'

typedef struct tone_letter {
  int32_t base;  /* code point of the base letter, case kept (or đ/Đ) */
  int32_t shape; /* TONE_CP_CIRC/BREVE/HORN or 0 */
  int32_t tone;  /* one of the five tone marks or 0 */
  char lc;       /* lowercase ASCII base, TONE_BASE_DSTROKE for đ */
  char vowel;    /* 1 for a e i o u y (any shape) */
} tone_letter;

/* A parsed syllable: letters [0, nv0) are the onset, [nv0, nv0 + nv) the
 * vowel run, the rest the coda. */
typedef struct tone_syl {
  tone_letter l[TONE_MAX_LETTERS];
  int n;      /* letters */
  int nv0;    /* index of the first vowel of the nucleus */
  int nv;     /* vowels in the nucleus (1..3) */
  int coda;   /* a consonant follows the vowel run */
  int toneat; /* index of the letter carrying the tone */
  int ncirc;  /* letters with a circumflex */
  int nhook;  /* letters with a horn or a breve */
} tone_syl;

/* Memo slots (a power of two) and the longest word remembered, in bytes. */
#define TONE_MEMO 2048
#define TONE_MEMO_KEY 29

typedef struct tone_memo_slot {
  uint8_t len; /* 0: empty */
  uint8_t style;
  uint8_t moves; /* the tone of this word moves in this style */
  char key[TONE_MEMO_KEY];
} tone_memo_slot;

struct tone_memo {
  tone_memo_slot slot[TONE_MEMO];
};

/* ---- prototypes ------------------------------------------------------ */

/* scanning */
static size_t tone_run(const char *s, size_t len, vnp_tone_style style,
                       vnp_buf *out, const omap *inmap, omap_builder *b,
                       int probe, tone_memo *memo);
static size_t tone_word_char(const char *s, size_t len, size_t i, int *vowel);

/* parsing */
static int tone_letter_of(int32_t cp, tone_letter *l);
static int tone_letter_at(const unsigned char *u, size_t left, tone_letter *l,
                          size_t *k);
static int tone_parse(const char *s, size_t len, tone_syl *y);
static int tone_settled(const tone_syl *y);
static int tone_in_list(const tone_letter *l, int n, const uint32_t *list,
                        size_t nlist);
static int tone_onset_ok(const tone_letter *l, int n);
static int tone_coda_ok(const tone_letter *l, int n);

/* the rule and the rewrite */
static int tone_target(const tone_syl *y, vnp_tone_style style);
static size_t tone_compose(const tone_syl *y, int at, utf8proc_int32_t *cps);

/* ---- tables ---------------------------------------------------------- */

/* ASCII classes: 0 separator, 1 consonant or digit, 2 vowel. */
static const unsigned char tone_ascii[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['A'] = 2, ['B'] = 1, ['C'] = 1, ['D'] = 1,
    ['E'] = 2, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 2, ['J'] = 1, ['K'] = 1,
    ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 2, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 2, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 2,
    ['Z'] = 1, ['a'] = 2, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 2, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 2, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1,
    ['n'] = 1, ['o'] = 2, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 2, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 2, ['z'] = 1,
};

/* Onsets without gi and qu (handled by the parser) and codas, as up to
 * three lowercase letters packed little-end first (TONE_PACK); D is đ. */
#define TONE_PACK1(a) ((uint32_t)(unsigned char)(a))
#define TONE_PACK2(a, b) (TONE_PACK1(a) | TONE_PACK1(b) << 8)
#define TONE_PACK3(a, b, c) (TONE_PACK2(a, b) | TONE_PACK1(c) << 16)
static const uint32_t tone_onsets[] = {
    TONE_PACK1('b'),          TONE_PACK1('c'),      TONE_PACK1('d'),
    TONE_PACK1('D'),          TONE_PACK1('g'),      TONE_PACK1('h'),
    TONE_PACK1('k'),          TONE_PACK1('l'),      TONE_PACK1('m'),
    TONE_PACK1('n'),          TONE_PACK1('p'),      TONE_PACK1('r'),
    TONE_PACK1('s'),          TONE_PACK1('t'),      TONE_PACK1('v'),
    TONE_PACK1('x'),          TONE_PACK2('c', 'h'), TONE_PACK2('g', 'h'),
    TONE_PACK2('k', 'h'),     TONE_PACK2('n', 'g'), TONE_PACK2('n', 'h'),
    TONE_PACK2('p', 'h'),     TONE_PACK2('t', 'h'), TONE_PACK2('t', 'r'),
    TONE_PACK3('n', 'g', 'h')};

static const uint32_t tone_codas[] = {
    TONE_PACK1('c'),      TONE_PACK1('m'),     TONE_PACK1('n'),
    TONE_PACK1('p'),      TONE_PACK1('t'),     TONE_PACK2('c', 'h'),
    TONE_PACK2('n', 'g'), TONE_PACK2('n', 'h')};

/* The precomposed letters of Latin-1 .. U+01B0 and of U+1EA0-U+1EF9 (every
 * Vietnamese vowel with marks is in one of them): what tone_letter_of
 * computes from utf8proc's decomposition, precomputed. An entry is 0 when
 * the code point is not a letter of Vietnamese spelling (đ and Đ are
 * handled before the lookup), else the base letter (ASCII, case kept) in
 * bits 0-6, the shape (TONE_SHAPES index) in bits 7-8 and the tone
 * (TONE_TONES index) in bits 9-11. Generated with Python's unicodedata
 * (NFD of each code point); tone_table_mismatches() checks every entry
 * against utf8proc (tests/test_tone.c). */
static const int32_t TONE_SHAPES[4] = {0, TONE_CP_CIRC, TONE_CP_BREVE,
                                       TONE_CP_HORN};
static const int32_t TONE_TONES[8] = {0,           TONE_CP_GRAVE, TONE_CP_ACUTE,
                                      TONE_CP_HOOK, TONE_CP_TILDE, TONE_CP_DOT,
                                      0,           0};
#define TONE_TAB_LATIN_LO 0xC0
#define TONE_TAB_LATIN_HI 0x1B0
#define TONE_TAB_EXT_LO 0x1EA0
#define TONE_TAB_EXT_HI 0x1EF9
static const uint16_t tone_tab_latin[TONE_TAB_LATIN_HI - TONE_TAB_LATIN_LO + 1] = {
    0x0241, 0x0441, 0x00C1, 0x0841, 0x0000, 0x0000, 0x0000, 0x0000, 0x0245,
    0x0445, 0x00C5, 0x0000, 0x0249, 0x0449, 0x0000, 0x0000, 0x0000, 0x0000,
    0x024F, 0x044F, 0x00CF, 0x084F, 0x0000, 0x0000, 0x0000, 0x0255, 0x0455,
    0x0000, 0x0000, 0x0459, 0x0000, 0x0000, 0x0261, 0x0461, 0x00E1, 0x0861,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0265, 0x0465, 0x00E5, 0x0000, 0x0269,
    0x0469, 0x0000, 0x0000, 0x0000, 0x0000, 0x026F, 0x046F, 0x00EF, 0x086F,
    0x0000, 0x0000, 0x0000, 0x0275, 0x0475, 0x0000, 0x0000, 0x0479, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0141, 0x0161, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0849, 0x0869, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0855, 0x0875, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x01CF,
    0x01EF, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x01D5, 0x01F5,
};
static const uint16_t tone_tab_ext[TONE_TAB_EXT_HI - TONE_TAB_EXT_LO + 1] = {
    0x0A41, 0x0A61, 0x0641, 0x0661, 0x04C1, 0x04E1, 0x02C1, 0x02E1, 0x06C1,
    0x06E1, 0x08C1, 0x08E1, 0x0AC1, 0x0AE1, 0x0541, 0x0561, 0x0341, 0x0361,
    0x0741, 0x0761, 0x0941, 0x0961, 0x0B41, 0x0B61, 0x0A45, 0x0A65, 0x0645,
    0x0665, 0x0845, 0x0865, 0x04C5, 0x04E5, 0x02C5, 0x02E5, 0x06C5, 0x06E5,
    0x08C5, 0x08E5, 0x0AC5, 0x0AE5, 0x0649, 0x0669, 0x0A49, 0x0A69, 0x0A4F,
    0x0A6F, 0x064F, 0x066F, 0x04CF, 0x04EF, 0x02CF, 0x02EF, 0x06CF, 0x06EF,
    0x08CF, 0x08EF, 0x0ACF, 0x0AEF, 0x05CF, 0x05EF, 0x03CF, 0x03EF, 0x07CF,
    0x07EF, 0x09CF, 0x09EF, 0x0BCF, 0x0BEF, 0x0A55, 0x0A75, 0x0655, 0x0675,
    0x05D5, 0x05F5, 0x03D5, 0x03F5, 0x07D5, 0x07F5, 0x09D5, 0x09F5, 0x0BD5,
    0x0BF5, 0x0259, 0x0279, 0x0A59, 0x0A79, 0x0659, 0x0679, 0x0859, 0x0879,
};

/* ---- scanning -------------------------------------------------------- */

size_t tone_restyle(const char *s, size_t len, vnp_tone_style style,
                    vnp_buf *out) {
  return tone_run(s, len, style, out, NULL, NULL, 0, NULL);
}

int tone_restyle_needed(const char *s, size_t len, vnp_tone_style style,
                        tone_memo *memo) {
  return tone_run(s, len, style, NULL, NULL, NULL, 1, memo) != 0;
}

size_t tone_restyle_step(const char *s, uint32_t len, const omap *inmap,
                         vnp_tone_style style, vnp_buf *out, omap_builder *b,
                         tone_memo *memo) {
  return tone_run(s, len, style, out, inmap, b, 0, memo);
}

tone_memo *tone_memo_new(void) { return xcalloc(1, sizeof(tone_memo)); }

void tone_memo_free(tone_memo *m) { free(m); }

/* The memo slot of word w[0, len) in `style`: *hit when it holds the
 * word. NULL when the word is too long to be remembered. */
static tone_memo_slot *tone_memo_find(tone_memo *m, const char *w, size_t len,
                                      vnp_tone_style style, int *hit) {
  *hit = 0;
  if (len > TONE_MEMO_KEY)
    return NULL;
  uint32_t h = 2166136261u ^ (uint32_t)style;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (uint8_t)w[i]) * 16777619u;
  tone_memo_slot *e = &m->slot[(h ^ (h >> 15)) & (TONE_MEMO - 1)];
  *hit = e->len == len && e->style == (uint8_t)style &&
         memcmp(e->key, w, len) == 0;
  return e;
}

/* Byte length of the word character at s[i] (0 if it is not one: a word is
 * letters, combining marks and decimal digits). Sets *vowel when it may be
 * a vowel: an ASCII vowel or any non-ASCII letter but đ. */
static size_t tone_word_char(const char *s, size_t len, size_t i, int *vowel) {
  const unsigned char *u = (const unsigned char *)s + i;
  size_t left = len - i;
  if (u[0] < 0x80) {
    *vowel = tone_ascii[u[0]] == 2;
    return tone_ascii[u[0]] ? 1 : 0;
  }
  /* Every Vietnamese letter is in Latin-1 Supplement .. Latin Extended-B
   * (U+00C0-U+024F, lead bytes C3-C9) or Latin Extended Additional
   * (U+1E00-U+1EFF, E1 B8-BB), blocks of letters only but for U+00D7 and
   * U+00F7. They are recognized from their bytes (the input is valid
   * UTF-8), so that the common case decodes nothing; other code points ask
   * utf8proc. */
  if (u[0] >= 0xC3 && u[0] <= 0xC9 && left >= 2) {
    if (u[0] == 0xC3 && (u[1] == 0x97 || u[1] == 0xB7))
      return 0;
    if (u[0] == 0xC9 && u[1] >= 0x90)
      goto other;
    /* đ Đ are U+0111 U+0110: C4 91, C4 90 */
    *vowel = !(u[0] == 0xC4 && (u[1] == 0x90 || u[1] == 0x91));
    return 2;
  }
  if (u[0] == 0xE1 && left >= 3 && u[1] >= 0xB8 && u[1] <= 0xBB) {
    *vowel = 1;
    return 3;
  }
other:;
  utf8proc_int32_t cp;
  utf8proc_ssize_t n = utf8proc_iterate(u, (utf8proc_ssize_t)left, &cp);
  if (n <= 0)
    return 0;
  utf8proc_category_t cat = utf8proc_category(cp);
  if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_ND)
    return 0;
  *vowel = cat <= UTF8PROC_CATEGORY_LO;
  return (size_t)n;
}

static size_t tone_run(const char *s, size_t len, vnp_tone_style style,
                       vnp_buf *out, const omap *inmap, omap_builder *b,
                       int probe, tone_memo *memo) {
  size_t changed = 0, copied = 0, i = 0;
  if (style != VNP_TONE_KEEP) {
    while (i < len) {
      /* Fast skip of ASCII separators. */
      if ((unsigned char)s[i] < 0x80 && !tone_ascii[(unsigned char)s[i]]) {
        i++;
        continue;
      }
      size_t ws = i;
      int nonascii = 0, vowels = 0, letters = 0;
      while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
          unsigned k = tone_ascii[c];
          if (!k)
            break;
          vowels += k >> 1;
          letters++;
          i++;
          continue;
        }
        int v = 0;
        size_t n = tone_word_char(s, len, i, &v);
        if (!n)
          break;
        nonascii = 1;
        vowels += v;
        letters++;
        i += n;
      }
      if (i == ws) { /* a non-ASCII separator: skip its lead byte, the
                      * continuation bytes are skipped as separators */
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
          i++;
        continue;
      }
      /* No tone mark without a non-ASCII letter; nowhere to move it with
       * one vowel. */
      if (!nonascii || vowels < 2 || letters > TONE_MAX_LETTERS)
        continue;
      int hit = 0;
      tone_memo_slot *e =
          memo ? tone_memo_find(memo, s + ws, i - ws, style, &hit) : NULL;
      if (hit && !e->moves)
        continue;
      if (hit && probe)
        return 1;
      tone_syl y;
      /* 3 code points per letter, re-encoded in place as UTF-8. */
      utf8proc_int32_t buf[TONE_MAX_LETTERS * 3 + 1];
      size_t n = 0;
      int at = -1;
      if (tone_parse(s + ws, i - ws, &y) &&
          (at = tone_target(&y, style)) != y.toneat)
        n = tone_compose(&y, at, buf);
      if (e && !hit) {
        e->len = (uint8_t)(i - ws);
        e->style = (uint8_t)style;
        e->moves = n != 0;
        memcpy(e->key, s + ws, i - ws);
      }
      if (!n)
        continue;
      if (probe)
        return 1;
      vnp_buf_put(out, s + copied, ws - copied);
      vnp_buf_put(out, buf, n);
      if (b) {
        omap_keep(b, inmap, (uint32_t)(ws - copied));
        omap_replace(b, inmap, (uint32_t)(i - ws), (uint32_t)n);
      }
      copied = i;
      changed++;
    }
  }
  if (probe)
    return 0;
  vnp_buf_put(out, s + copied, len - copied);
  if (b)
    omap_keep(b, inmap, (uint32_t)(len - copied));
  return changed;
}

/* ---- parsing --------------------------------------------------------- */

/* Fills *l from one code point; 0 if it is not a letter of Vietnamese
 * spelling (a plain ASCII letter, đ, or a vowel with Vietnamese marks). */
static int tone_letter_of(int32_t cp, tone_letter *l) {
  utf8proc_int32_t d[4];
  utf8proc_ssize_t n;
  memset(l, 0, sizeof *l);
  if (cp == TONE_CP_DSTROKE_LOWER || cp == TONE_CP_DSTROKE_UPPER) {
    l->base = cp;
    l->lc = TONE_BASE_DSTROKE;
    return 1;
  }
  if (cp < 0x80) {
    d[0] = cp;
    n = 1;
  } else {
    n = utf8proc_decompose_char(cp, d, 4, UTF8PROC_DECOMPOSE, NULL);
    if (n < 1 || n > 3)
      return 0;
  }
  if (d[0] >= 'A' && d[0] <= 'Z')
    l->lc = (char)(d[0] - 'A' + 'a');
  else if (d[0] >= 'a' && d[0] <= 'z')
    l->lc = (char)d[0];
  else
    return 0;
  l->base = d[0];
  l->vowel = tone_ascii[(unsigned char)l->lc] == 2;
  for (utf8proc_ssize_t k = 1; k < n; k++) {
    switch (d[k]) {
    case TONE_CP_CIRC:
    case TONE_CP_BREVE:
    case TONE_CP_HORN:
      if (l->shape)
        return 0;
      l->shape = d[k];
      break;
    case TONE_CP_GRAVE:
    case TONE_CP_ACUTE:
    case TONE_CP_HOOK:
    case TONE_CP_TILDE:
    case TONE_CP_DOT:
      if (l->tone)
        return 0;
      l->tone = d[k];
      break;
    default:
      return 0;
    }
  }
  if (!l->vowel && (l->shape || l->tone))
    return 0;
  switch (l->shape) {
  case TONE_CP_CIRC:
    return l->lc == 'a' || l->lc == 'e' || l->lc == 'o';
  case TONE_CP_BREVE:
    return l->lc == 'a';
  case TONE_CP_HORN:
    return l->lc == 'o' || l->lc == 'u';
  default:
    return 1;
  }
}

/* Unpacks a letter table entry (see tone_tab_latin); 0 if not a letter. */
static int tone_unpack(uint16_t e, tone_letter *l) {
  if (!e)
    return 0;
  l->base = e & 0x7F;
  l->lc = (char)(l->base | 0x20);
  l->shape = TONE_SHAPES[(e >> 7) & 3];
  l->tone = TONE_TONES[(e >> 9) & 7];
  l->vowel = tone_ascii[(unsigned char)l->lc] == 2;
  return 1;
}

/* The non-ASCII letter at u[0..left): fills *l and its byte length *k, as
 * tone_letter_of does; 0 if it is not a letter of Vietnamese spelling or
 * not valid UTF-8. The precomposed vowels and đ come from the tables
 * without decoding through utf8proc; anything else asks utf8proc. */
static int tone_letter_at(const unsigned char *u, size_t left, tone_letter *l,
                          size_t *k) {
  if (u[0] >= 0xC3 && u[0] <= 0xC6 && left >= 2 && (u[1] & 0xC0) == 0x80) {
    int32_t cp = ((int32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    *k = 2;
    if (cp == TONE_CP_DSTROKE_LOWER || cp == TONE_CP_DSTROKE_UPPER) {
      l->base = cp;
      l->shape = l->tone = 0;
      l->lc = TONE_BASE_DSTROKE;
      l->vowel = 0;
      return 1;
    }
    if (cp <= TONE_TAB_LATIN_HI)
      return tone_unpack(tone_tab_latin[cp - TONE_TAB_LATIN_LO], l);
  } else if (u[0] == 0xE1 && left >= 3 && (u[1] == 0xBA || u[1] == 0xBB) &&
             (u[2] & 0xC0) == 0x80) {
    int32_t cp = 0x1000 | ((int32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    *k = 3;
    if (cp >= TONE_TAB_EXT_LO && cp <= TONE_TAB_EXT_HI)
      return tone_unpack(tone_tab_ext[cp - TONE_TAB_EXT_LO], l);
  }
  utf8proc_int32_t cp;
  utf8proc_ssize_t n = utf8proc_iterate(u, (utf8proc_ssize_t)left, &cp);
  if (n <= 0)
    return 0;
  *k = (size_t)n;
  return tone_letter_of(cp, l);
}

size_t tone_table_mismatches(void) {
  static const int32_t lo[2] = {TONE_TAB_LATIN_LO, TONE_TAB_EXT_LO};
  static const int32_t hi[2] = {TONE_TAB_LATIN_HI, TONE_TAB_EXT_HI};
  size_t bad = 0;
  for (int t = 0; t < 2; t++) {
    for (int32_t cp = lo[t]; cp <= hi[t]; cp++) {
      unsigned char u[4];
      tone_letter a, b;
      memset(&a, 0, sizeof a);
      memset(&b, 0, sizeof b);
      size_t k = 0;
      size_t n = (size_t)utf8proc_encode_char(cp, u);
      int oka = tone_letter_at(u, n, &a, &k);
      int okb = tone_letter_of(cp, &b);
      if (k != n || oka != okb ||
          (oka && (a.base != b.base || a.shape != b.shape ||
                   a.tone != b.tone || a.lc != b.lc || a.vowel != b.vowel)))
        bad++;
    }
  }
  return bad;
}

/* Do letters l[0..n) (n <= 3) spell one of `list`? */
static int tone_in_list(const tone_letter *l, int n, const uint32_t *list,
                        size_t nlist) {
  uint32_t key = 0;
  for (int j = 0; j < n; j++)
    key |= TONE_PACK1(l[j].lc) << (8 * j);
  for (size_t k = 0; k < nlist; k++)
    if (list[k] == key)
      return 1;
  return 0;
}

static int tone_onset_ok(const tone_letter *l, int n) {
  return n == 0 ||
         (n <= 3 && tone_in_list(l, n, tone_onsets,
                                 sizeof tone_onsets / sizeof tone_onsets[0]));
}

static int tone_coda_ok(const tone_letter *l, int n) {
  return n == 0 ||
         (n <= 2 && tone_in_list(l, n, tone_codas,
                                 sizeof tone_codas / sizeof tone_codas[0]));
}

/* Can the tone stay where it is, whatever the rest of the word? True when
 * rules 1-3 pick the toned letter in any parse: it is the only circumflex
 * vowel; or there is none and it is the only horn or breve vowel; or it is
 * the ơ of an ươ that starts the vowel run. Saves the full parse for most
 * syllables of canonical text (việc, cửa, người). */
static int tone_settled(const tone_syl *y) {
  const tone_letter *t = &y->l[y->toneat];
  if (t->shape == TONE_CP_CIRC)
    return y->ncirc == 1;
  if (!t->shape || y->ncirc)
    return 0;
  if (y->nhook == 1)
    return 1;
  /* ươ: the ư is the first vowel of the word (not after gi/qu). */
  int k = y->toneat;
  return y->nhook == 2 && t->lc == 'o' && k >= 1 && y->l[k - 1].lc == 'u' &&
         y->l[k - 1].shape == TONE_CP_HORN && (k == 1 || !y->l[k - 2].vowel);
}

/* Parses the word s[0..len) into *y. Returns 1 for a syllable with exactly
 * one tone mark placed on a nucleus vowel or on the i/u of gi/qu. */
static int tone_parse(const char *s, size_t len, tone_syl *y) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  int ntone = 0;
  y->n = y->ncirc = y->nhook = 0;
  y->toneat = -1;
  while (i < len) {
    if (y->n == TONE_MAX_LETTERS)
      return 0;
    tone_letter *l = &y->l[y->n];
    if (u[i] < 0x80) { /* a plain letter (or a digit: rejected) */
      unsigned char c = u[i] | 0x20;
      if (c < 'a' || c > 'z')
        return 0;
      l->base = u[i];
      l->shape = l->tone = 0;
      l->lc = (char)c;
      l->vowel = tone_ascii[c] == 2;
      i++;
      y->n++;
      continue;
    }
    size_t k;
    if (!tone_letter_at(u + i, len - i, l, &k))
      return 0;
    if (l->tone) {
      ntone++;
      y->toneat = y->n;
    }
    y->ncirc += l->shape == TONE_CP_CIRC;
    y->nhook += l->shape && l->shape != TONE_CP_CIRC;
    y->n++;
    i += k;
  }
  if (ntone != 1 || tone_settled(y))
    return 0;

  const tone_letter *l = y->l;
  int n = y->n, p;
  if (l[0].lc == 'q') {
    /* qu + vowel: the u belongs to the onset. */
    if (n < 3 || l[1].lc != 'u' || l[1].shape || !l[2].vowel)
      return 0;
    p = 2;
  } else if (n >= 3 && l[0].lc == 'g' && l[1].lc == 'i' && !l[1].shape &&
             l[2].vowel) {
    p = 2; /* gi + vowel; gìn, gì have nucleus i */
  } else {
    p = 0;
    while (p < n && !l[p].vowel)
      p++;
    if (p > 3 || !tone_onset_ok(l, p))
      return 0;
  }
  y->nv0 = p;
  while (p < n && l[p].vowel)
    p++;
  y->nv = p - y->nv0;
  if (y->nv < 1 || y->nv > 3)
    return 0;
  /* The vowel run is maximal, so the rest are consonants. */
  if (!tone_coda_ok(l + p, n - p))
    return 0;
  y->coda = p < n;
  /* The tone sits in the nucleus, or on the i/u of gi/qu (a misplacement
   * the rule repairs: qúy -> quý). */
  return y->toneat >= (y->nv0 == 2 && !l[0].vowel && l[1].vowel ? 1 : y->nv0);
}

/* ---- the rule and the rewrite ---------------------------------------- */

/* Index (into y->l) of the letter that should carry the tone. */
static int tone_target(const tone_syl *y, vnp_tone_style style) {
  const tone_letter *v = y->l + y->nv0;
  int nv = y->nv;
  if (nv == 1)
    return y->nv0;
  for (int k = 0; k < nv; k++)
    if (v[k].shape == TONE_CP_CIRC)
      return y->nv0 + k;
  if (nv >= 2 && v[0].lc == 'u' && v[0].shape == TONE_CP_HORN &&
      v[1].lc == 'o' && v[1].shape == TONE_CP_HORN)
    return y->nv0 + 1; /* ươ, ươi, ươu */
  for (int k = 0; k < nv; k++)
    if (v[k].shape)
      return y->nv0 + k;
  if (nv == 3)
    return y->nv0 + 1;
  if (style == VNP_TONE_MAIN_VOWEL &&
      ((v[0].lc == 'o' && (v[1].lc == 'a' || v[1].lc == 'e')) ||
       (v[0].lc == 'u' && v[1].lc == 'y')))
    return y->nv0 + 1;
  return y->nv0 + (y->coda ? 1 : 0);
}

/* Writes the syllable with the tone on letter `at` into cps as code points
 * (room for TONE_MAX_LETTERS * 3 + 1), then re-encodes them in place as
 * NFC UTF-8 (utf8proc_reencode). Returns the byte length, 0 on failure. */
static size_t tone_compose(const tone_syl *y, int at, utf8proc_int32_t *cps) {
  utf8proc_ssize_t n = 0;
  int32_t tone = y->l[y->toneat].tone;
  for (int k = 0; k < y->n; k++) {
    const tone_letter *l = &y->l[k];
    int32_t m1 = l->shape, m2 = k == at ? tone : 0;
    /* Marks in canonical order (horn 216 < dot 220 < the others 230). */
    if (m1 && m2 &&
        utf8proc_get_property(m2)->combining_class <
            utf8proc_get_property(m1)->combining_class) {
      int32_t t = m1;
      m1 = m2;
      m2 = t;
    }
    cps[n++] = l->base;
    if (m1)
      cps[n++] = m1;
    if (m2)
      cps[n++] = m2;
  }
  utf8proc_ssize_t r =
      utf8proc_reencode(cps, n, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
  return r > 0 ? (size_t)r : 0;
}
