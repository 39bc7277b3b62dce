/*
 * segment.c - paragraphs -> header, preamble, section tree, footer.
 *
 * Input: d->blocks (normalized, reflowed paragraphs; LINE_TABLE for
 * "a | b | c" rows, BLOCK_ADJACENT when no blank line came before).
 * Output: d->type/type_key/number/date/place/issuer/authority/title,
 * d->preamble, the tree under d->root, d->recipients(_head), d->signature,
 * d->attachments.
 *
 * Passes, in document order, one block at a time:
 *   header    cells before the type line ('KẾ HOẠCH'): number, place/date,
 *             motto (dropped), issuer (what remains, upper case). A line
 *             "agency | motto" is split into cells; one cell may hold
 *             several fields (searched, not anchored).
 *   title     the blocks after the type line that continue it (adjacent,
 *             or starting in lower case).
 *   preamble  everything before the first heading; an upper-case line just
 *             before 'Căn cứ ...' is the authority.
 *   body      headings (rules/headings.rules) open nodes; the level comes
 *             from a stack of numbering schemes: a scheme already on the
 *             stack pops back to its level, a new one nests one deeper, a
 *             more major scheme (lower rank) than something on the stack
 *             pops above it (recovery from skipped levels). Table rows
 *             become one NODE_TABLE; other blocks are paragraphs of the
 *             current node.
 *   footer    'Nơi nhận:' and its recipients, the signature block. A type
 *             line after the footer starts an attached document (part n),
 *             with a fresh scheme stack.
 * A last pass decides heading vs numbered paragraph for every node (needs
 * the children), splits "Title: text", assigns kinds, computes full spans.
 *
 * Invariants: every block lands in exactly one place (header field,
 * preamble, node, paragraph, recipients, signature); nodes nest at most
 * VNP_MAX_DEPTH deep (deeper ones fold with a diagnostic), so recursion over
 * the tree is bounded. No Vietnamese here: every word is in rules/.
 * A node's or paragraph's text that runs to the end of its block points
 * into the block's text (NUL-terminated, owned by the doc) instead of a
 * copy. Kinds run on every block are gated (rgate.h, SEG_GATED): rules
 * whose anchored first byte or minimum length cannot match are skipped,
 * which never changes a decision.
 *
 * Tricky cases: "I." is a Roman numeral or a capital letter, decided by the
 * previous sibling; '5.000 người', '2021 - 2025', 'II/2021' are not
 * headings (rules' counter-examples); the footer of a thuvienphapluat page
 * is one table row 'Nơi nhận: - A; - B | TM. ... name', or one row per line
 * ('- Như Điều 3; | PHÓ CHỦ TỊCH |': the signature column does not close
 * the recipients column).
 *   - Scraped pages start with site text: the header starts at the first
 *     motto/number/place-date/type block (and the upper-case agency lines
 *     just before it) when a type line follows; what comes before goes to
 *     the preamble with an info diagnostic "site-boilerplate".
 *   - OCR: heading numbers misread ("H-", "Il.", "1V.", "I." for "1.") are
 *     repaired only from context (rules with emit repair=roman|arabic: the
 *     number must continue the previous heading of that family, and no
 *     other rule may continue a sibling), with an info "ocr-repair"; a
 *     final "L" ("IL", "VIIL.") may be the dot; the first Roman heading
 *     read "1." is "I." only when its upper-case title is followed by a
 *     sentence-case "1." child (seg_repair_first_roman); kinds
 *     fall back to a mark-stripped, case-folded title ("MUC DICH").
 *   - An unnumbered upper-case line between sentences inside a section is a
 *     sub-heading (scheme "caps") only when nothing else fits it (see
 *     seg_caps_heading); runs of upper-case lines stay text.
 */
#include "segment.h"

#include "limits.h"
#include "rgate.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- thresholds (word counts) ---- */

/* A lead-in before ":" names the subject when at most this long. */
#define SEG_LEADIN_WORDS 18
/* A heading ending with ':' ('Bước 1:', 'Ủy ban nhân dân Thành phố:'). */
#define SEG_COLON_WORDS 22
/* A heading ending with "." must be this short and without commas. */
#define SEG_SHORT_WORDS 8
/* Text without final punctuation longer than this is a paragraph. */
#define SEG_NOPUNCT_WORDS 60
/* An unnumbered upper-case sub-heading has at most this many words. */
#define SEG_CAPS_WORDS 12
/* A title block longer than this is a paragraph, not a title. */
#define SEG_TITLE_WORDS 120
/* Site boilerplate before the header: at most this many blocks; blocks
 * longer than SEG_HEADER_BYTES are not searched for header fields. */
#define SEG_HEADER_BYTES 2000
#define SEG_BOILER_BLOCKS 40
/* The type line is looked for among this many first blocks. */
#define SEG_HEADER_BLOCKS 16

/* ---- state ---- */

typedef VNP_VEC(vnp_para) seg_paras;

typedef struct seg_view {
  const char *s; /* the block text */
  uint32_t len;
} seg_view;

typedef struct seg_hd {
  const rule *r;
  const char *style, *family;
  int rank;
  char *label, *number;
  size_t title_s;  /* offset of the text after the label */
  const char *ocr; /* repaired: the label as read, else NULL */
} seg_hd;

typedef struct seg_frame {
  vnp_node *node;
  const char *style, *family;
  int rank;
  const char *number;
} seg_frame;

enum { ZONE_BODY = 0, ZONE_FOOTER };

/* Kinds run on every block (or heading title), gated by their rules'
 * start information (rgate.h) so that rules which cannot match are not
 * entered. */
static const char *const SEG_GATED[] = {"heading",   "recipients", "signature",
                                        "doctype",   "section",    "tablehead",
                                        "preamble",  "title"};
#define SEG_NGATED (sizeof SEG_GATED / sizeof *SEG_GATED)

typedef struct seg {
  vnp_doc *d;
  const vnp_rules *rs;
  pcre2_match_data *md;
  seg_view *v; /* one per block */
  seg_frame stack[VNP_MAX_DEPTH];
  int depth;
  int part;
  int zone;
  int any_node;   /* a node was opened in this part */
  int recip_open; /* recipients list still accepting lines */
  int recip_mine; /* the open list is d->recipients */
  int sig_open;   /* signature block still accepting lines */
  int sig_done;   /* d->signature complete */
  int depth_warned;
  int saw_article; /* this part has articles ('Điều 1.') */
  size_t base;     /* offset of the subject of the last match in its block */
  vnp_node *table; /* open table, or NULL */
  uint32_t last_block;
  rgate *gates; /* one per SEG_GATED kind */
  utf8proc_int32_t *fold; /* seg_kind's scratch: a title's folded key */
  size_t foldcap;
} seg;

/* ---- prototypes ---- */
static const rule *seg_match(seg *S, const char *kind, const char *s,
                             size_t len, size_t start);
static const rgate *seg_gate(seg *S, const char *kind);
static int seg_group(seg *S, const rule *r, const char *name, size_t *gs,
                     size_t *ge);
static int seg_exec_cell(seg *S, const rule *r, uint32_t b, size_t s, size_t e);
static char *seg_dup(seg *S, const char *s, size_t len);
static int is_space(char c);
static char *seg_trim_dup(seg *S, const char *s, size_t len);
static const char *seg_block_text(seg *S, uint32_t b, size_t off, size_t len);
static char *seg_title_dup(seg *S, const char *s, size_t len);
static int seg_is_upper(const char *s, size_t len);
static int seg_starts_lower(const char *s, size_t len);
static size_t seg_words(const char *s, size_t len);
static int seg_adjacent(seg *S, uint32_t b);
static int seg_is_table(seg *S, uint32_t b);
static int seg_md_rule(const seg_view *v);
static vnp_span seg_span(seg *S, uint32_t b, size_t s, size_t e);
static void seg_para(seg *S, seg_paras *out, uint32_t b, const char *text);
static void seg_preamble(seg *S, uint32_t b);
static void field_set(seg *S, vnp_field *f, uint32_t b, const char *s,
                      size_t gs, size_t ge);
static int roman_value(const char *s);
static int seg_follows(const char *fam, const char *prev, const char *num);
static int seg_ordinal(const char *fam, const char *num);
static int seg_first_number(const char *num);
static int seg_emit_int(const rule *r, const char *key, int dflt);
static void seg_hd_fill(seg *S, const rule *r, const char *s, size_t len,
                        seg_hd *hd);
static int seg_repair_roman(seg *S, seg_hd *c);
static int seg_repair_stroke(seg *S, seg_hd *c);
static int seg_repair_letter(seg *S, seg_hd *c, uint32_t b);
static int seg_nearest(seg *S, const char *fam);
static void seg_take_repair(seg *S, seg_hd *c, const char *out, size_t o,
                            int k);
static int seg_repair_arabic(seg *S, seg_hd *c);
static int seg_numbered_line(const seg_view *w, size_t *sep);
static int seg_repair_first_roman(seg *S, seg_hd *c, uint32_t b);
static int seg_heading(seg *S, uint32_t b, seg_hd *hd);
static int seg_header_field(seg *S, uint32_t b);
static void seg_header_cell(seg *S, uint32_t b, size_t s, size_t e,
                            vnp_buf *issuer, vnp_span *issuer_span);
static int seg_is_role(seg *S, uint32_t b, const char *role);
static int seg_is_basis(seg *S, uint32_t b);
static int seg_is_formula(seg *S, uint32_t b);
static int seg_ends_sentence(const seg_view *v);
static uint32_t seg_title(seg *S, uint32_t i, vnp_buf *title, vnp_span *span);
static uint32_t seg_header_start(seg *S, uint32_t i);
static uint32_t seg_header(seg *S, uint32_t i, int main_doc, const char **ty,
                           const char **ti, vnp_span *sp);
static vnp_node *seg_current(seg *S);
static vnp_node *seg_current_section(seg *S);
static void seg_open(seg *S, uint32_t b, seg_hd *hd);
static void seg_paragraph(seg *S, uint32_t b);
static int seg_row_is_header(seg *S, uint32_t b);
static void seg_table_row(seg *S, uint32_t b);
static void seg_recipients(seg *S, uint32_t b, size_t s, size_t e);
static void sig_field(seg *S, const rule *r, const char *name, vnp_field *f,
                      uint32_t b);
static int seg_signature(seg *S, uint32_t b, size_t s, size_t e, int force);
static int seg_footer(seg *S, uint32_t b, size_t s, size_t e);
static uint32_t seg_attachment(seg *S, uint32_t b);
static int seg_caps_heading(seg *S, uint32_t b, seg_hd *hd);
static void seg_body(seg *S, uint32_t i);
static int has_numbered_child(const vnp_node *n);
static const char *seg_kind(seg *S, const char *title, int top);
static int seg_decide(seg *S, vnp_node *n);
static void seg_finish(seg *S, vnp_node *n, int top);

/* ---- small helpers ---- */

/* The gate of `kind` (one of SEG_GATED). */
static const rgate *seg_gate(seg *S, const char *kind) {
  for (size_t k = 0; k < SEG_NGATED; k++)
    if (strcmp(SEG_GATED[k], kind) == 0)
      return &S->gates[k];
  return NULL;
}

static const rule *seg_match(seg *S, const char *kind, const char *s,
                             size_t len, size_t start) {
  const rule *const *rv;
  size_t n;
  uint64_t may = ~0ull;
  const rgate *g = seg_gate(S, kind);
  if (g) {
    rv = g->rv;
    n = g->n;
    if (start == 0)
      may = rgate_scan(g, s, len);
  } else {
    n = rules_of_kind(S->rs, kind, &rv);
  }
  S->base = 0;
  for (size_t i = 0; i < n; i++) {
    if (!rgate_may(may, i))
      continue;
    int rc = rule_exec(S->rs, rv[i], s, len, start, S->md);
    if (rc > 0)
      return rv[i];
    if (rc < 0)
      doc_diag(S->d, "warning", "pcre-limit", (vnp_span){0, 0, 0},
               "rule %s: PCRE2 error %d", rv[i]->id, rc);
  }
  return NULL;
}

static int seg_group(seg *S, const rule *r, const char *name, size_t *gs,
                     size_t *ge) {
  if (!rule_group(r, S->md, name, gs, ge) || *ge < *gs)
    return 0;
  *gs += S->base;
  *ge += S->base;
  return 1;
}

/* Runs r on cell [s, e) of block b as a subject of its own, so that "^"
 * and "$" anchor at the cell; group offsets stay block offsets. */
static int seg_exec_cell(seg *S, const rule *r, uint32_t b, size_t s,
                         size_t e) {
  S->base = s;
  return rule_exec(S->rs, r, S->v[b].s + s, e - s, 0, S->md);
}

static char *seg_dup(seg *S, const char *s, size_t len) {
  return arena_strndup(&S->d->arena, s, len);
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *seg_trim_dup(seg *S, const char *s, size_t len) {
  while (len && is_space(*s))
    s++, len--;
  while (len && is_space(s[len - 1]))
    len--;
  return seg_dup(S, s, len);
}

/* seg_trim_dup of bytes [off, off + len) of block b's text, without a
 * copy when the trimmed text runs to the end of the block: block texts are
 * NUL-terminated and live as long as the document (doc.h), so the result
 * can point into the block. */
static const char *seg_block_text(seg *S, uint32_t b, size_t off,
                                  size_t len) {
  const char *s = S->v[b].s + off;
  while (len && is_space(*s))
    s++, len--;
  size_t end = (size_t)(s - S->v[b].s) + len;
  if (end == S->v[b].len && S->v[b].s == S->d->blocks.v[b].text) {
    while (len && is_space(s[len - 1]))
      len--;
    if ((size_t)(s - S->v[b].s) + len == S->v[b].len)
      return s;
  }
  return seg_trim_dup(S, s, len);
}

/* Trailing ':', '.', ';' and spaces removed ('MỤC ĐÍCH, YÊU CẦU:'). */
static char *seg_title_dup(seg *S, const char *s, size_t len) {
  while (len && is_space(*s))
    s++, len--;
  while (len && (is_space(s[len - 1]) || s[len - 1] == ':' ||
                 s[len - 1] == '.' || s[len - 1] == ';' || s[len - 1] == ','))
    len--;
  return seg_dup(S, s, len);
}

/* All letters upper case, and at least two of them. */
static int seg_is_upper(const char *s, size_t len) {
  size_t i = 0, up = 0;
  while (i < len) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &c);
    if (k <= 0)
      break;
    i += (size_t)k;
    utf8proc_category_t cat = utf8proc_category(c);
    if (cat == UTF8PROC_CATEGORY_LL)
      return 0;
    if (cat == UTF8PROC_CATEGORY_LU)
      up++;
  }
  return up >= 2;
}

/* The first letter is lower case: the block continues the previous one. */
static int seg_starts_lower(const char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(len - i), &c);
    if (k <= 0)
      return 0;
    i += (size_t)k;
    utf8proc_category_t cat = utf8proc_category(c);
    if (cat == UTF8PROC_CATEGORY_LL)
      return 1;
    if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_ND)
      return 0;
  }
  return 0;
}

static size_t seg_words(const char *s, size_t len) {
  size_t n = 0;
  int in = 0;
  for (size_t i = 0; i < len; i++) {
    if (is_space(s[i])) {
      in = 0;
    } else if (!in) {
      in = 1;
      n++;
    }
  }
  return n;
}

/* No blank line between block b-1 and block b. */
static int seg_adjacent(seg *S, uint32_t b) {
  const vnp_doc *d = S->d;
  if (b == 0)
    return 0;
  if (d->blocks.v[b].flags & BLOCK_ADJACENT)
    return 1;
  const vnp_block *p = &d->blocks.v[b - 1];
  return p->first_line + p->nlines == d->blocks.v[b].first_line &&
         d->blocks.v[b].first_line > 0;
}

/* The delimiter row of a markdown table ('|---|:---:|'): only '|', '-',
 * ':' and spaces, with a '|' and at least three '-'. */
static int seg_md_rule(const seg_view *v) {
  size_t bars = 0, dashes = 0;
  for (size_t i = 0; i < v->len; i++) {
    char ch = v->s[i];
    if (ch == '|')
      bars++;
    else if (ch == '-')
      dashes++;
    else if (ch != ':' && ch != ' ')
      return 0;
  }
  return bars && dashes >= 3;
}

/* A table row. LINE_TABLE comes from the normalizer; until it sets it, a
 * " | " between cells is taken as the mark. */
static int seg_is_table(seg *S, uint32_t b) {
  if (S->d->blocks.v[b].flags & LINE_TABLE)
    return 1;
  const seg_view *v = &S->v[b];
  if (seg_md_rule(v))
    return 1;
  /* " | " anywhere: find each '|' with memchr, then look around it */
  const char *p = v->s + 1, *e = v->s + v->len;
  while (p + 1 < e && (p = memchr(p, '|', (size_t)(e - 1 - p))) != NULL) {
    if (p[-1] == ' ' && p[1] == ' ')
      return 1;
    p++;
  }
  return v->len >= 2 && v->s[0] == '|' && v->s[1] == ' ';
}

static vnp_span seg_span(seg *S, uint32_t b, size_t s, size_t e) {
  const vnp_block *bl = &S->d->blocks.v[b];
  if (S->v[b].s != bl->text) { /* cleaned copy: whole block */
    s = 0;
    e = bl->len;
  }
  return doc_block_span(S->d, bl, (uint32_t)s, (uint32_t)e);
}

static void seg_para(seg *S, seg_paras *out, uint32_t b, const char *text) {
  vnp_para p;
  p.text = text ? text : S->v[b].s; /* NUL-terminated, lives as the doc */
  p.block = b;
  p.span = seg_span(S, b, 0, S->v[b].len);
  vnp_vec_push(*out, p);
}

static void seg_preamble(seg *S, uint32_t b) {
  seg_para(S, (void *)&S->d->preamble, b, NULL);
}

static void field_set(seg *S, vnp_field *f, uint32_t b, const char *s,
                      size_t gs, size_t ge) {
  f->text = seg_trim_dup(S, s + gs, ge - gs);
  f->span = seg_span(S, b, gs, ge);
}

/* ---- headings ---- */

static int roman_value(const char *s) {
  int v = 0, prev = 0;
  for (size_t i = strlen(s); i-- > 0;) {
    int x = s[i] == 'I'   ? 1
            : s[i] == 'V' ? 5
            : s[i] == 'X' ? 10
            : s[i] == 'L' ? 50
            : s[i] == 'C' ? 100
                          : 0;
    v += x < prev ? -x : x;
    if (x > prev)
      prev = x;
  }
  return v;
}

/* Does `num` come right after `prev` in numbering family `fam`? */
static int seg_follows(const char *fam, const char *prev, const char *num) {
  if (!prev || !num)
    return 0;
  if (strcmp(fam, "roman") == 0)
    return roman_value(num) == roman_value(prev) + 1;
  if (strcmp(fam, "letter") == 0) { /* a b c d đ e (f) g h i k l m ... */
    unsigned char a = (unsigned char)prev[0], b = (unsigned char)num[0];
    if (a < 0x80 && b < 0x80)
      return b == a + 1 || (a == 'e' && b == 'g') || (a == 'i' && b == 'k');
    return (a == 'd' && b >= 0x80) || (a >= 0x80 && b == 'e');
  }
  if (strcmp(fam, "upper") == 0) {
    unsigned char a = (unsigned char)prev[0], b = (unsigned char)num[0];
    if (a < 0x80 && b < 0x80)
      return b == a + 1;
    return (a < 0x80 && b >= 0x80 && a + 1 == 'E') || (a >= 0x80 && b == 'E') ||
           (a == 'D' && b >= 0x80);
  }
  return 0;
}

/* The value of a number for gap checks: arabic "12", Roman "IV", the last
 * part of a dotted "2.10"; 0 when not comparable. */
static int seg_ordinal(const char *fam, const char *num) {
  if (!fam || !num || !*num)
    return 0;
  if (strcmp(fam, "roman") == 0)
    return roman_value(num);
  if (strcmp(fam, "arabic") == 0 || strcmp(fam, "paren") == 0 ||
      strcmp(fam, "article") == 0 ||
      (strcmp(fam, "dotted") == 0 &&
       !strpbrk(num, "abcdefghiklmnopqrstuvxy"))) {
    const char *p = strrchr(num, '.');
    p = p ? p + 1 : num;
    return *p >= '0' && *p <= '9' ? atoi(p) : 0;
  }
  return 0;
}

/* "A", "a", "I", "1": the first number of a list. */
static int seg_first_number(const char *num) {
  return num && (strcmp(num, "A") == 0 || strcmp(num, "a") == 0 ||
                 strcmp(num, "I") == 0 || strcmp(num, "1") == 0);
}

static int seg_emit_int(const rule *r, const char *key, int dflt) {
  const char *v = rule_emit(r, key);
  return v ? atoi(v) : dflt;
}

/* Fills hd from the current match of r on text. */
static void seg_hd_fill(seg *S, const rule *r, const char *s, size_t len,
                        seg_hd *hd) {
  size_t gs, ge, ts = len, te;
  memset(hd, 0, sizeof *hd);
  hd->r = r;
  hd->style = rule_emit(r, "style");
  hd->family = rule_emit(r, "family");
  if (!hd->style)
    hd->style = r->id;
  if (!hd->family)
    hd->family = hd->style;
  hd->rank = seg_emit_int(r, "rank", 5);
  if (seg_group(S, r, "title", &gs, &te))
    ts = gs;
  hd->title_s = ts;
  hd->label = seg_trim_dup(S, s, ts);
  static const char *const nums[] = {"upper",  "roman", "arabic",
                                     "dotted", "paren", "num"};
  vnp_buf n = VNP_BUF_INIT;
  for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
    if (seg_group(S, r, nums[i], &gs, &ge)) {
      vnp_buf_put(&n, s + gs, ge - gs);
      break;
    }
  }
  if (seg_group(S, r, "letter", &gs, &ge)) {
    if (n.len)
      vnp_buf_putc(&n, '.');
    vnp_buf_put(&n, s + gs, ge - gs);
  }
  hd->number = n.len ? seg_dup(S, n.ptr, n.len) : NULL;
  vnp_buf_free(&n);
}

/* c, read as OCR garbled, takes the number out[0, o) and the style of
 * the heading stack[k] it continues; its label keeps what followed the
 * number ("II." -> "III."); c->ocr keeps the label as read. */
static void seg_take_repair(seg *S, seg_hd *c, const char *out, size_t o,
                            int k) {
  const char *lab = c->label, *num = c->number;
  size_t ll = strlen(lab), nl = strlen(num);
  vnp_buf b = VNP_BUF_INIT;
  vnp_buf_put(&b, out, o);
  if (ll > nl && memcmp(lab, num, nl) == 0) {
    vnp_buf_put(&b, lab + nl, ll - nl);
  } else { /* the separator was lost ("IL"): the sibling's */
    const char *sl = S->stack[k].node->label, *sn = S->stack[k].number;
    size_t sln = sl ? strlen(sl) : 0, snn = sn ? strlen(sn) : 0;
    if (sl && sn && sln > snn && memcmp(sl, sn, snn) == 0)
      vnp_buf_put(&b, sl + snn, sln - snn);
  }
  c->ocr = lab;
  c->label = seg_dup(S, b.ptr, b.len);
  c->number = seg_dup(S, out, o);
  vnp_buf_free(&b);
  c->style = S->stack[k].style;
  c->family = S->stack[k].family;
  c->rank = S->stack[k].rank;
}

/* The nearest heading of family fam on the stack, or -1. */
static int seg_nearest(seg *S, const char *fam) {
  int k = S->depth - 1;
  while (k >= 0 && strcmp(S->stack[k].family, fam) != 0)
    k--;
  return k;
}

/* A Roman number that repeats its previous sibling ("II." after "II.")
 * where the next number is the same plus one stroke ("III."): OCR lost an
 * "I" (Tesseract reads "III" as "II", "II" as "I"). A repeat is never a
 * sibling in a well-formed list, so the next number is taken. Returns 1
 * if repaired. */
static int seg_repair_stroke(seg *S, seg_hd *c) {
  int k = seg_nearest(S, "roman");
  if (k < 0 || !c->number || !S->stack[k].number ||
      strcmp(c->number, S->stack[k].number) != 0)
    return 0;
  char out[16];
  size_t o = strlen(c->number);
  if (o + 2 > sizeof out)
    return 0;
  memcpy(out, c->number, o);
  out[o++] = 'I';
  out[o] = 0;
  /* the canonical spelling of the next number: "IIII" is no numeral */
  static const char *const units[] = {"",  "I",  "II",  "III",  "IV",
                                      "V", "VI", "VII", "VIII", "IX"};
  int next = roman_value(S->stack[k].number) + 1;
  char canon[16];
  if (next >= 40)
    return 0;
  snprintf(canon, sizeof canon, "%.*s%s", next / 10, "XXX", units[next % 10]);
  if (strcmp(canon, out) != 0)
    return 0;
  seg_take_repair(S, c, out, o, k);
  return 1;
}

/* A list letter misread by OCR ('ø)' for 'g)', 'I)' for 'l)'; rules with
 * emit repair=letter): the letter is folded through rules/letter-ocr.tsv
 * and counts only when it comes right after the nearest letter heading
 * on the stack. Returns 1 if repaired. */
static int seg_repair_letter(seg *S, seg_hd *c, uint32_t b) {
  const rule_table *t = rules_table(S->rs, "letter-ocr");
  int k = seg_nearest(S, "letter");
  if (!t || k < 0 || !c->number)
    return 0;
  for (size_t i = 0; i < t->nrows; i++) {
    if (t->rowlen[i] < 2 || strcmp(t->rows[i][0], c->number) != 0)
      continue;
    const char *to = t->rows[i][1];
    if (!seg_follows("letter", S->stack[k].number, to))
      continue;
    /* "1)" is also the first of a numbered list under the letter: not a
     * misread when a "2)" follows before the next letter */
    const char *from = t->rows[i][0];
    if (from[0] >= '0' && from[0] < '9' && !from[1]) {
      char next[3] = {(char)(from[0] + 1), ')', 0};
      int list = 0;
      for (uint32_t j = b + 1; j < S->d->blocks.n && j <= b + 40; j++) {
        if (S->v[j].len >= 2 && memcmp(S->v[j].s, next, 2) == 0) {
          list = 1;
          break;
        }
      }
      if (list)
        continue;
    }
    {
      seg_take_repair(S, c, to, strlen(to), k);
      return 1;
    }
  }
  return 0;
}

/* An OCR misreading of a Roman number ('Il.', 'H-', '1V.', 'VỊ.'; rules
 * with emit repair=roman): each character is folded through
 * rules/roman-ocr.tsv; the result counts only when it is the number right
 * after the nearest Roman heading on the stack. Then c takes that
 * heading's style, the repaired number and label. Returns 1 if repaired. */
static int seg_repair_roman(seg *S, seg_hd *c) {
  const rule_table *t = rules_table(S->rs, "roman-ocr");
  const char *num = c->number;
  if (!num || !*num)
    return 0;
  int k = seg_nearest(S, "roman");
  if (k < 0)
    return 0;
  /* alt 0: the first row for each character; alt 1: the last one ("H" is
   * "II" or, in "IH-", "I"); alt 2: a final "L" is the dot or a stray
   * mark ('VIIIL BẢO ĐẢM', 'VIIL. MỞ RỘNG'), dropped */
  char out[16];
  size_t o = 0, nl = strlen(num), p = 0;
  int alt = 0;
  int lastl = nl > 1 && num[nl - 1] == 'L';
retry:
  o = 0;
  p = 0;
  if (alt == 2)
    nl--;
  while (p < nl) {
    char ch = num[p];
    if (ch == 'I' || ch == 'V' || ch == 'X') {
      if (o + 1 >= sizeof out)
        return 0;
      out[o++] = ch;
      p++;
      continue;
    }
    size_t r = 0, best = 0;
    for (size_t i = 0; t && i < t->nrows; i++) {
      size_t fl = t->rowlen[i] >= 2 ? strlen(t->rows[i][0]) : 0;
      if (fl && (fl > best || (alt && fl == best)) &&
          strncmp(num + p, t->rows[i][0], fl) == 0) {
        best = fl;
        r = i;
      }
    }
    if (!best)
      return 0;
    size_t tl = strlen(t->rows[r][1]);
    if (o + tl >= sizeof out)
      return 0;
    memcpy(out + o, t->rows[r][1], tl);
    o += tl;
    p += best;
  }
  out[o] = 0;
  if (!seg_follows("roman", S->stack[k].number, out)) {
    /* the previous number again: a lost stroke as well ("VI" for "VII") */
    if (S->stack[k].number && strcmp(out, S->stack[k].number) == 0) {
      char *read = c->number;
      c->number = seg_dup(S, out, o);
      if (seg_repair_stroke(S, c))
        return 1;
      c->number = read;
    }
    if (++alt > (lastl ? 2 : 1))
      return 0;
    goto retry;
  }
  seg_take_repair(S, c, out, o, k);
  return 1;
}

/* An OCR misreading of an arabic number ("I." or "l." for "1.", "1," for
 * "1."; rules with emit repair=arabic): I, l and | fold to 1, O to 0. It
 * counts as the first of a new list right under a non-arabic heading, or
 * as the number after the nearest arabic heading on the stack; the label
 * becomes NUMBER plus ".". Returns 1 if repaired. */
static int seg_repair_arabic(seg *S, seg_hd *c) {
  const char *num = c->number;
  char out[8];
  size_t o = 0;
  if (!num || !*num || strlen(num) >= sizeof out)
    return 0;
  for (const char *p = num; *p; p++) {
    char ch = *p;
    if (ch == 'I' || ch == 'l' || ch == '|')
      ch = '1';
    else if (ch == 'O')
      ch = '0';
    if (ch < '0' || ch > '9')
      return 0;
    out[o++] = ch;
  }
  out[o] = 0;
  int v = atoi(out), ok = 0, k = S->depth - 1;
  while (k >= 0 && S->stack[k].node->type == NODE_ITEM)
    k--;
  if (k >= 0 && strcmp(S->stack[k].family, "arabic") == 0) {
    ok = seg_ordinal("arabic", S->stack[k].number) + 1 == v;
    if (ok)
      c->style = S->stack[k].style;
  } else {
    ok = v == 1 && k >= 0;
  }
  if (!ok)
    return 0;
  char lab[12];
  snprintf(lab, sizeof lab, "%s.", out);
  c->ocr = c->label;
  c->label = seg_dup(S, lab, strlen(lab));
  c->number = seg_dup(S, out, o);
  c->family = "arabic";
  return 1;
}

/* Does w start with an arabic list number ("1.", "12,", "3)")? Sets *sep
 * to the offset of the separator. */
static int seg_numbered_line(const seg_view *w, size_t *sep) {
  size_t i = 0;
  while (i < w->len && i < 3 && w->s[i] >= '0' && w->s[i] <= '9')
    i++;
  if (i == 0 || i >= w->len || !strchr(".,)-", w->s[i]))
    return 0;
  *sep = i;
  return 1;
}

/* The first Roman heading of a list read as an arabic "1." (Tesseract
 * reads "I." as "1.", "l." or "|."; corpus/ocr/degraded seed-004, 19_kh134:
 * 'MỤC ĐÍCH, YÊU CẦU' then '1. Mục đích'). Taken as "I" only when the
 * number folds to "I" through rules/roman-ocr.tsv (a final "L" is the
 * dot: 'IL MỤC ĐÍCH', '1L. MỤC ĐÍCH'), no Roman or arabic
 * heading is on the stack (or as the next Roman number when an arabic
 * list under the nearest Roman heading would restart at "1": a later
 * "II." read "1."), the title is upper case and the next numbered
 * line is again a plain "1" with a title not in upper case (its first
 * child: a sibling would be "2.", a child of an arabic "1." would be
 * "1.1."), or a later line starts with the Roman number after it
 * ("II."). The heading then takes the style of the Roman rule that
 * matches the line with the Roman number in place of the read one.
 * Returns 1 if repaired. */
static int seg_repair_first_roman(seg *S, seg_hd *c, uint32_t b) {
  const rule_table *t = rules_table(S->rs, "roman-ocr");
  const seg_view *v = &S->v[b];
  size_t nl = c->number ? strlen(c->number) : 0;
  /* one character that folds to I, maybe with a final "L" ("1L.", "IL") */
  if (!t || nl < 1 || nl > 2 || (nl == 2 && c->number[1] != 'L') ||
      v->len <= nl || memcmp(v->s, c->number, nl) != 0 || c->title_s >= v->len)
    return 0;
  /* the first Roman number, or the next one when an arabic list under
   * the nearest Roman heading restarts at "1" */
  int kr = seg_nearest(S, "roman"), ka = seg_nearest(S, "arabic");
  int next = kr < 0 ? (ka < 0 ? 1 : 0)
                    : (ka > kr ? roman_value(S->stack[kr].number) + 1 : 0);
  if (next < 1 || next > 7)
    return 0;
  int folds = c->number[0] == 'I';
  for (size_t i = 0; i < t->nrows && !folds; i++)
    folds = t->rowlen[i] >= 2 && strlen(t->rows[i][0]) == 1 &&
            t->rows[i][0][0] == c->number[0] && strcmp(t->rows[i][1], "I") == 0;
  if (!folds || !seg_is_upper(v->s + c->title_s, v->len - c->title_s))
    return 0;
  static const char *const romans[] = {"",  "I",  "II",  "III", "IV",
                                       "V", "VI", "VII", "VIII"};
  /* confirmed by the next numbered line, a plain sentence-case "1." (an
   * upper-case "1." is one more misread Roman heading), or by the next
   * Roman number at a line start ("II." after '1L. MỤC ĐÍCH') */
  int ok = 0, child = 0;
  size_t sl = strlen(romans[next + 1]);
  for (uint32_t j = b + 1; j < S->d->blocks.n && j <= b + 200 && !ok; j++) {
    const seg_view *w = &S->v[j];
    size_t sep;
    if (w->len > sl && memcmp(w->s, romans[next + 1], sl) == 0 &&
        strchr(".-/)", w->s[sl]))
      ok = 1;
    else if (!child && j <= b + 40 && seg_numbered_line(w, &sep)) {
      child = 1; /* only the first numbered line counts */
      ok =
          sep == 1 && w->s[0] == '1' &&
          !(sep + 1 < w->len && w->s[sep + 1] >= '0' && w->s[sep + 1] <= '9') &&
          !seg_is_upper(w->s + sep + 1, w->len - sep - 1);
    }
  }
  if (!ok)
    return 0;
  /* the line with the Roman number in place (and "." if none followed) */
  int dot = strlen(c->label) == nl;
  size_t rl = strlen(romans[next]), fl = rl + dot + v->len - nl;
  char *fixed = xmalloc(fl + 1);
  memcpy(fixed, romans[next], rl);
  if (dot)
    fixed[rl] = '.';
  memcpy(fixed + rl + dot, v->s + nl, v->len - nl);
  fixed[fl] = 0;
  const rgate *g = seg_gate(S, "heading");
  size_t title_s = c->title_s;
  for (size_t i = 0; i < g->n; i++) {
    const rule *r = g->rv[i];
    const char *fam = rule_emit(r, "family");
    if (rule_emit(r, "repair") || !fam || strcmp(fam, "roman") != 0 ||
        rule_exec(S->rs, r, fixed, fl, 0, S->md) <= 0)
      continue;
    const char *ocr = c->label;
    seg_hd_fill(S, r, fixed, fl, c);
    c->title_s = title_s; /* the title as in the block */
    c->ocr = ocr;
    free(fixed);
    return 1;
  }
  free(fixed);
  return 0;
}

/* Recognizes a heading at the start of block b. When several schemes
 * match, the one that continues a sibling on the stack wins; an OCR repair
 * (emit repair=roman) only counts when it continues one and no other rule
 * does. */
static int seg_heading(seg *S, uint32_t b, seg_hd *hd) {
  const seg_view *v = &S->v[b];
  const rgate *g = seg_gate(S, "heading");
  const rule *const *rv = g->rv;
  size_t n = g->n;
  uint64_t may = rgate_scan(g, v->s, v->len);
  int found = 0;
  const rule *repair = NULL;
  int counted = 0; /* a match continues a sibling by its ordinal */
  for (size_t i = 0; i < n; i++) {
    if (!rgate_may(may, i) ||
        rule_exec(S->rs, rv[i], v->s, v->len, 0, S->md) <= 0)
      continue;
    if (rule_emit(rv[i], "repair")) {
      if (!repair)
        repair = rv[i];
      continue;
    }
    seg_hd c;
    seg_hd_fill(S, rv[i], v->s, v->len, &c);
    int follows = 0;
    for (int k = S->depth - 1; k >= 0 && !follows; k--)
      follows = strcmp(S->stack[k].family, c.family) == 0 &&
                seg_follows(c.family, S->stack[k].number, c.number);
    if (follows) {
      *hd = c;
      return 1;
    }
    /* "11." after "10." (arabic numbers are not checked above) */
    int ov = seg_ordinal(c.family, c.number);
    for (int k = S->depth - 1; k >= 0 && ov > 0 && !counted; k--)
      counted = strcmp(S->stack[k].family, c.family) == 0 &&
                seg_ordinal(c.family, S->stack[k].number) + 1 == ov;
    /* a loose pattern (emit context=1) only counts as the first of its
     * list ("A.", "a.") or after its previous sibling */
    const char *ctx = rule_emit(rv[i], "context");
    if (ctx && strcmp(ctx, "1") == 0 && !seg_first_number(c.number))
      continue;
    if (!found) {
      *hd = c;
      found = 1;
    }
  }
  for (size_t i = 0; repair && !counted && i < n; i++) {
    const char *kind = rule_emit(rv[i], "repair");
    if (!kind || !rgate_may(may, i) ||
        rule_exec(S->rs, rv[i], v->s, v->len, 0, S->md) <= 0)
      continue;
    seg_hd c;
    seg_hd_fill(S, rv[i], v->s, v->len, &c);
    if (strcmp(kind, "roman") == 0
            ? seg_repair_roman(S, &c) || seg_repair_first_roman(S, &c, b)
        : strcmp(kind, "letter") == 0 ? seg_repair_letter(S, &c, b)
                                      : seg_repair_arabic(S, &c)) {
      *hd = c;
      return 1;
    }
  }
  if (found && !counted && strcmp(hd->family, "roman") == 0)
    seg_repair_stroke(S, hd);
  else if (found && !counted && strcmp(hd->family, "arabic") == 0)
    seg_repair_first_roman(S, hd, b);
  return found;
}

/* ---- header ---- */

/* Searches cell text [s, e) of block b for number, place/date and motto;
 * what is left, if upper case, is (part of) the issuer. */
static void seg_header_cell(seg *S, uint32_t b, size_t s, size_t e,
                            vnp_buf *issuer, vnp_span *issuer_span) {
  const char *t = S->v[b].s;
  vnp_doc *d = S->d;
  /* pieces left to examine, as [start, end) pairs */
  size_t segs[32][2];
  int ns = 1;
  segs[0][0] = s;
  segs[0][1] = e;
  static const char *const kinds[] = {"motto", "number", "placedate"};
  for (size_t k = 0; k < 3; k++) {
    for (int i = 0; i < ns; i++) {
      size_t a = segs[i][0], z = segs[i][1];
      if (z <= a)
        continue;
      const rule *r = seg_match(S, kinds[k], t, z, a);
      if (!r)
        continue;
      size_t ms, me, gs, ge;
      rule_span(S->md, &ms, &me);
      if (k == 1 && !d->number.text && seg_group(S, r, "number", &gs, &ge))
        field_set(S, &d->number, b, t, gs, ge);
      if (k == 2 && !d->date.text) {
        size_t ys, ye, mos, moe, ds, de;
        if (seg_group(S, r, "place", &gs, &ge))
          field_set(S, &d->place, b, t, gs, ge);
        if (seg_group(S, r, "year", &ys, &ye) &&
            seg_group(S, r, "month", &mos, &moe)) {
          char buf[32];
          int y = atoi(seg_dup(S, t + ys, ye - ys));
          int mo = atoi(seg_dup(S, t + mos, moe - mos));
          if (seg_group(S, r, "day", &ds, &de) && de > ds)
            snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo,
                     atoi(seg_dup(S, t + ds, de - ds)));
          else
            snprintf(buf, sizeof buf, "%04d-%02d", y, mo);
          d->date.text = seg_dup(S, buf, strlen(buf));
          d->date.span = seg_span(S, b, ms, me);
        }
      }
      if (ns < 31) { /* split the piece around the match */
        segs[ns][0] = me;
        segs[ns][1] = z;
        ns++;
        segs[i][1] = ms;
        i--; /* the left part may hold another match */
      }
    }
  }
  for (int i = 0; i < ns; i++) {
    size_t a = segs[i][0], z = segs[i][1];
    while (a < z && (is_space(t[a]) || t[a] == '|'))
      a++;
    while (z > a && (is_space(t[z - 1]) || t[z - 1] == '|'))
      z--;
    if (z <= a)
      continue;
    if (seg_is_upper(t + a, z - a)) {
      if (issuer->len)
        vnp_buf_putc(issuer, ' ');
      vnp_buf_put(issuer, t + a, z - a);
      *issuer_span = span_join(*issuer_span, seg_span(S, b, a, z));
    } else {
      seg_para(S, (void *)&d->preamble, b, seg_dup(S, t + a, z - a));
    }
  }
}

/* Does a preamble rule with emit role=ROLE match block b? */
static int seg_is_role(seg *S, uint32_t b, const char *role) {
  const rule *const *rv;
  size_t n = rules_of_kind(S->rs, "preamble", &rv);
  for (size_t i = 0; i < n; i++) {
    const char *r = rule_emit(rv[i], "role");
    if (r && strcmp(r, role) == 0 &&
        rule_exec(S->rs, rv[i], S->v[b].s, S->v[b].len, 0, S->md) > 0)
      return 1;
  }
  return 0;
}

static int seg_is_basis(seg *S, uint32_t b) {
  const rule *r = seg_match(S, "preamble", S->v[b].s, S->v[b].len, 0);
  const char *role = r ? rule_emit(r, "role") : NULL;
  return role && strcmp(role, "basis") == 0;
}

static int seg_is_formula(seg *S, uint32_t b) {
  const rule *r = seg_match(S, "preamble", S->v[b].s, S->v[b].len, 0);
  const char *role = r ? rule_emit(r, "role") : NULL;
  return role && strcmp(role, "formula") == 0;
}

static int seg_ends_sentence(const seg_view *v) {
  uint32_t n = v->len;
  while (n && is_space(v->s[n - 1]))
    n--;
  return n && (v->s[n - 1] == '.' || v->s[n - 1] == ';' || v->s[n - 1] == ':');
}

/* Title blocks from i: returns the first block after them. */
static uint32_t seg_title(seg *S, uint32_t i, vnp_buf *title, vnp_span *span) {
  vnp_doc *d = S->d;
  seg_hd hd;
  for (uint32_t j = i; j < d->blocks.n; j++) {
    const seg_view *v = &S->v[j];
    int first = title->len == 0;
    if (seg_is_table(S, j) || seg_is_basis(S, j) || seg_is_formula(S, j) ||
        seg_is_role(S, j, "issuedwith") || seg_heading(S, j, &hd) ||
        seg_match(S, "recipients", v->s, v->len, 0))
      return j;
    if (first) {
      /* 'of <authority>' under the type line: the authority, not the
       * title, when a lower-case title follows on the next line (rules:
       * kind title, role=authority) */
      const rule *tr = seg_match(S, "title", v->s, v->len, 0);
      const char *role = tr ? rule_emit(tr, "role") : NULL;
      size_t as, ae;
      if (role && strcmp(role, "authority") == 0 && j + 1 < d->blocks.n &&
          seg_adjacent(S, j + 1) &&
          seg_starts_lower(S->v[j + 1].s, S->v[j + 1].len) &&
          seg_group(S, tr, "authority", &as, &ae)) {
        if (!d->authority.text) {
          d->authority.text = seg_trim_dup(S, v->s + as, ae - as);
          d->authority.span = seg_span(S, j, as, ae);
        }
        continue;
      }
      if (seg_words(v->s, v->len) > SEG_TITLE_WORDS || seg_ends_sentence(v))
        return j;
    } else {
      int cont = seg_starts_lower(v->s, v->len);
      int adj = seg_adjacent(S, j);
      if (!cont && !adj)
        return j;
      /* an upper-case title does not go on in a capitalized sentence
       * ('... TỰ QUYẾT ĐỊNH' / 'Thực hiện Chỉ thị số ...': the preamble) */
      if (!cont && seg_is_upper(title->ptr, title->len) &&
          !seg_is_upper(v->s, v->len))
        return j;
      /* an upper-case line before 'Căn cứ' is the authority */
      if (!cont && j + 1 < d->blocks.n && seg_is_basis(S, j + 1))
        return j;
      if (seg_words(v->s, v->len) > SEG_TITLE_WORDS)
        return j;
    }
    size_t a = 0, z = v->len;
    while (a < z && is_space(v->s[a]))
      a++;
    while (z > a && is_space(v->s[z - 1]))
      z--;
    if (title->len)
      vnp_buf_putc(title, ' ');
    for (size_t p = a; p < z; p++) /* runs of spaces: one */
      if (!(is_space(v->s[p]) && p > a && is_space(v->s[p - 1])))
        vnp_buf_putc(title, is_space(v->s[p]) ? ' ' : v->s[p]);
    *span = span_join(*span, seg_span(S, j, 0, v->len));
  }
  return (uint32_t)d->blocks.n;
}

/* Block b holds a motto, place and date or document number: a header
 * line even when it looks like a bullet (OCR of a two-column header:
 * '- Tự do - Hạnh phúc Bắc Cam Ranh, ngày ... năm 2025'). */
static int seg_header_field(seg *S, uint32_t b) {
  static const char *const kinds[] = {"motto", "number", "placedate"};
  for (size_t k = 0; k < 3; k++)
    if (seg_match(S, kinds[k], S->v[b].s, S->v[b].len, 0))
      return 1;
  return 0;
}

/* Where the header starts, from block i: scraped web pages put site
 * boilerplate and metadata tables first. The first block (among
 * SEG_BOILER_BLOCKS) with a motto, a document number, a place and date or a
 * type line, plus the upper-case or symbol-only blocks just before it (the
 * agency name and its rule, at most 4) starts the header; i when there is
 * none, when a heading comes first, or when no type line follows within
 * SEG_HEADER_BLOCKS. */
static uint32_t seg_header_start(seg *S, uint32_t i) {
  uint32_t n = (uint32_t)S->d->blocks.n, h = n;
  static const char *const kinds[] = {"doctype", "motto", "number",
                                      "placedate"};
  seg_hd hd;
  for (uint32_t j = i; j < n && j < i + SEG_BOILER_BLOCKS && h == n; j++) {
    const seg_view *v = &S->v[j];
    if (v->len > SEG_HEADER_BYTES)
      continue; /* header lines are short; long ones are not searched */
    if (seg_heading(S, j, &hd) && !seg_header_field(S, j))
      return i; /* the body already */
    for (size_t k = 0; k < 4 && h == n; k++) {
      const rule *r = seg_match(S, kinds[k], v->s, v->len, 0);
      if (!r)
        continue;
      if (k == 1) { /* a motto must be most of its cell, not a mention */
        size_t ms, me, cs = 0, ce = v->len;
        rule_span(S->md, &ms, &me);
        for (size_t p = 0; p < ms; p++) /* the cell: between " | " marks */
          if (v->s[p] == '|')
            cs = p + 1;
        for (size_t p = me; p < v->len; p++)
          if (v->s[p] == '|') {
            ce = p;
            break;
          }
        if (seg_words(v->s + cs, ce - cs) >
            2 * seg_words(v->s + ms, me - ms) + 8)
          continue;
      }
      h = j;
    }
  }
  if (h == n || h == i)
    return i;
  /* a header has its type line soon after it */
  uint32_t t = h;
  while (t < n && t < h + SEG_HEADER_BLOCKS &&
         !seg_match(S, "doctype", S->v[t].s, S->v[t].len, 0))
    t++;
  if (t >= n || t >= h + SEG_HEADER_BLOCKS)
    return i;
  for (int m = 0; m < 4 && h > i; m++) {
    const seg_view *p = &S->v[h - 1];
    if (seg_is_table(S, h - 1) || !(seg_is_upper(p->s, p->len) || p->len <= 3))
      break;
    h--;
  }
  return h;
}

/* The header from block i. main_doc: fill d's fields; otherwise return the
 * attachment's type and title. Returns the first block after the title. */
static uint32_t seg_header(seg *S, uint32_t i, int main_doc, const char **ty,
                           const char **ti, vnp_span *sp) {
  vnp_doc *d = S->d;
  uint32_t n = (uint32_t)d->blocks.n, k = n;
  const rule *dt = NULL;
  seg_hd hd;
  if (main_doc) {
    uint32_t h = seg_header_start(S, i);
    if (h > i) {
      doc_diag(d, "info", "site-boilerplate", seg_span(S, i, 0, 0),
               "%u paragraph(s) before the document header are kept in the "
               "preamble",
               h - i);
      for (; i < h; i++)
        seg_preamble(S, i);
    }
  }
  for (uint32_t j = i; j < n && j < i + SEG_HEADER_BLOCKS; j++) {
    const seg_view *v = &S->v[j];
    if ((dt = seg_match(S, "doctype", v->s, v->len, 0)) != NULL) {
      k = j;
      break;
    }
    if ((seg_heading(S, j, &hd) && !seg_header_field(S, j)) ||
        seg_is_basis(S, j) || seg_words(v->s, v->len) > SEG_TITLE_WORDS)
      break;
  }
  vnp_buf issuer = VNP_BUF_INIT, title = VNP_BUF_INIT;
  vnp_span issuer_span = {0, 0, 0}, title_span = {0, 0, 0};
  uint32_t j = i;
  if (dt) {
    for (; j < k; j++) {
      /* a header line can be "cell | cell": each cell on its own */
      const seg_view *v = &S->v[j];
      size_t a = 0;
      for (size_t p = 0; p <= v->len; p++) {
        if (p == v->len || (v->s[p] == '|' && (p == 0 || v->s[p - 1] == ' '))) {
          if (main_doc)
            seg_header_cell(S, j, a, p, &issuer, &issuer_span);
          a = p + 1;
        }
      }
      if (!main_doc)
        seg_preamble(S, j);
    }
    const seg_view *v = &S->v[k];
    size_t gs, ge;
    rule_exec(S->rs, dt, v->s, v->len, 0, S->md);
    char *type = NULL;
    vnp_span tspan = {0, 0, 0};
    if (seg_group(S, dt, "type", &gs, &ge)) {
      type = seg_trim_dup(S, v->s + gs, ge - gs);
      tspan = seg_span(S, k, gs, ge);
    }
    if (seg_group(S, dt, "title", &gs, &ge)) {
      vnp_buf_put(&title, v->s + gs, ge - gs);
      title_span = seg_span(S, k, gs, ge);
    }
    if (main_doc) {
      d->type.text = type;
      d->type.span = tspan;
      const char *key = rule_emit(dt, "key");
      d->type_key.text = key;
      d->type_key.span = tspan;
    } else {
      *ty = type;
      *sp = seg_span(S, k, 0, v->len);
    }
    j = seg_title(S, k + 1, &title, &title_span);
    if (title.len) {
      if (main_doc) {
        d->title.text = seg_dup(S, title.ptr, title.len);
        d->title.span = title_span;
      } else {
        *ti = seg_dup(S, title.ptr, title.len);
      }
    }
    if (!main_doc)
      *sp = span_join(*sp, title_span);
  }
  if (main_doc && !dt)
    doc_diag(d, "info", "no-type-line", (vnp_span){0, 0, 0},
             "no document type line (such as a plan or resolution title) "
             "among the first %d paragraphs",
             SEG_HEADER_BLOCKS);
  if (main_doc && issuer.len) {
    d->issuer.text = seg_dup(S, issuer.ptr, issuer.len);
    d->issuer.span = issuer_span;
  }
  vnp_buf_free(&issuer);
  vnp_buf_free(&title);
  return j;
}

/* ---- body ---- */

static vnp_node *seg_current(seg *S) {
  return S->depth ? S->stack[S->depth - 1].node : NULL;
}

/* The nearest open node that is not a bullet item. */
static vnp_node *seg_current_section(seg *S) {
  for (int k = S->depth - 1; k >= 0; k--)
    if (S->stack[k].node->type != NODE_ITEM)
      return S->stack[k].node;
  return NULL;
}

static void seg_open(seg *S, uint32_t b, seg_hd *hd) {
  vnp_doc *d = S->d;
  const seg_view *v = &S->v[b];
  int bullet = strcmp(hd->family, "bullet") == 0;
  S->table = NULL;
  /* level: a scheme on the stack pops back to its level */
  int at = -1;
  for (int k = S->depth - 1; k >= 0; k--) {
    if (strcmp(S->stack[k].style, hd->style) == 0) {
      at = k;
      break;
    }
  }
  if (at < 0) {
    /* recovery: a major scheme pops every open scheme of its rank or
     * deeper; a bullet pops the open bullets of a deeper rank */
    for (int k = 0; k < S->depth; k++) {
      const seg_frame *f = &S->stack[k];
      if ((!bullet && hd->rank <= 2 && f->rank >= hd->rank) ||
          (bullet && f->node->type == NODE_ITEM && f->rank > hd->rank)) {
        at = k;
        break;
      }
    }
  }
  if (at >= 0) {
    const seg_frame *prev = &S->stack[at];
    int pv = seg_ordinal(prev->family, prev->number);
    int nv = seg_ordinal(hd->family, hd->number);
    if (pv > 0 && nv > 0 && nv != pv + 1 && !bullet)
      doc_diag(d, "info", "numbering-gap", seg_span(S, b, 0, v->len),
               "\"%s\" follows \"%s\"", hd->label, prev->node->label);
    S->depth = at;
  }
  if (!bullet) /* a numbered line never nests under a bullet item */
    while (S->depth && S->stack[S->depth - 1].node->type == NODE_ITEM)
      S->depth--;
  if (S->depth >= VNP_MAX_DEPTH) {
    if (!S->depth_warned++)
      doc_diag(d, "warning", "depth-limit", seg_span(S, b, 0, v->len),
               "headings nested deeper than %d levels are folded into "
               "level %d",
               VNP_MAX_DEPTH, VNP_MAX_DEPTH);
    S->depth = VNP_MAX_DEPTH - 1;
  }
  if (hd->ocr)
    doc_diag(d, "info", "ocr-repair", seg_span(S, b, 0, v->len),
             "heading number \"%s\" read as \"%s\"", hd->label, hd->ocr);
  vnp_node *n = node_new(d, bullet ? NODE_ITEM : NODE_SECTION);
  n->label = hd->label;
  n->number = bullet ? NULL : hd->number;
  n->style = hd->style;
  n->kind = hd->r ? rule_emit(hd->r, "kind") : NULL;
  n->text = seg_block_text(S, b, hd->title_s, v->len - hd->title_s);
  n->level = S->depth + 1;
  n->part = S->part;
  n->block = b;
  n->span = seg_span(S, b, 0, v->len);
  n->full = n->span;
  node_append(S->depth ? S->stack[S->depth - 1].node : d->root, n);
  seg_frame *f = &S->stack[S->depth++];
  f->node = n;
  f->style = hd->style;
  f->family = hd->family;
  f->rank = hd->rank;
  f->number = hd->number;
  S->any_node = 1;
  if (strcmp(hd->family, "article") == 0)
    S->saw_article = 1;
}

static void seg_paragraph(seg *S, uint32_t b) {
  const seg_view *v = &S->v[b];
  S->table = NULL;
  vnp_node *n = seg_current(S);
  if (n && n->type == NODE_ITEM && !seg_starts_lower(v->s, v->len)) {
    /* a new paragraph after bullets belongs to their section */
    while (S->depth && S->stack[S->depth - 1].node->type == NODE_ITEM)
      S->depth--;
    n = seg_current_section(S);
  }
  if (!n) {
    seg_preamble(S, b);
    return;
  }
  /* an annex or part heading without a title takes the next line when it
   * is upper case, or short and without final punctuation ('Phần I' /
   * 'Tình hình chung') */
  if (n->block + 1 == b && n->text && !n->text[0] && !n->first && !n->paras.n &&
      (seg_is_upper(v->s, v->len) ||
       (seg_words(v->s, v->len) <= SEG_SHORT_WORDS + 4 &&
        !seg_ends_sentence(v)))) {
    n->text = seg_block_text(S, b, 0, v->len);
    n->full = span_join(n->full, seg_span(S, b, 0, v->len));
    return;
  }
  seg_para(S, (void *)&n->paras, b, NULL);
}

static int seg_row_is_header(seg *S, uint32_t b) {
  seg_hd hd;
  const seg_view *v = &S->v[b];
  if (seg_heading(S, b, &hd))
    return 0;
  return seg_match(S, "tablehead", v->s, v->len, 0) != NULL;
}

static void seg_table_row(seg *S, uint32_t b) {
  vnp_doc *d = S->d;
  const seg_view *v = &S->v[b];
  if (seg_md_rule(v))
    return; /* '|---|---|' under a markdown header: layout, the table goes on */
  if (!S->table || S->last_block + 1 != b) {
    vnp_node *parent = seg_current_section(S);
    if (!parent)
      parent = d->root;
    while (S->depth && S->stack[S->depth - 1].node->type == NODE_ITEM)
      S->depth--;
    S->table = node_new(d, NODE_TABLE);
    S->table->level = parent->level + 1;
    S->table->part = S->part;
    S->table->block = b;
    S->table->span = seg_span(S, b, 0, v->len);
    S->table->full = S->table->span;
    S->table->has_header = seg_row_is_header(S, b);
    node_append(parent, S->table);
  }
  VNP_VEC(const char *) cells = {0};
  size_t a = 0;
  for (size_t p = 0; p <= v->len; p++) {
    if (p == v->len || v->s[p] == '|') {
      vnp_vec_push(cells, (const char *)seg_trim_dup(S, v->s + a, p - a));
      a = p + 1;
    }
  }
  /* "| a | b |": drop the empty outer cells */
  size_t c0 = 0, c1 = cells.n;
  if (c1 > 1 && !cells.v[c1 - 1][0] && v->s[v->len - 1] == '|')
    c1--;
  if (c1 > 1 && !cells.v[0][0] && v->s[0] == '|')
    c0++;
  const char **row = arena_alloc(&d->arena, (c1 - c0 + 1) * sizeof(char *));
  for (size_t k = c0; k < c1; k++)
    row[k - c0] = cells.v[k];
  vnp_vec_free(cells);
  vnp_span sp = seg_span(S, b, 0, v->len);
  vnp_vec_push(S->table->rows, row);
  vnp_vec_push(S->table->row_ncells, (uint32_t)(c1 - c0));
  vnp_vec_push(S->table->row_spans, sp);
  vnp_vec_push(S->table->row_blocks, b);
  S->table->full = span_join(S->table->full, sp);
}

/* Splits an inline recipients list at the split rule's matches. A part of
 * the signature column on the same line (OCR of a two-column footer) ends
 * the line's items: the rest of the line goes to seg_signature, and the
 * list stays open for the rows below. */
static void seg_recipients(seg *S, uint32_t b, size_t s, size_t e) {
  vnp_doc *d = S->d;
  const char *t = S->v[b].s;
  const rule *const *rv;
  size_t n = rules_of_kind(S->rs, "recipients", &rv);
  const rule *split = NULL, *sig = NULL, *signame = NULL;
  for (size_t i = 0; i < n; i++) {
    const char *role = rule_emit(rv[i], "role");
    if (role && strcmp(role, "split") == 0)
      split = rv[i];
    else if (role && strcmp(role, "signature") == 0)
      sig = rv[i];
    else if (role && strcmp(role, "signame") == 0)
      signame = rv[i];
  }
  S->base = 0;
  /* the signer's name only while a signature block waits for it */
  if (!(S->sig_open && !S->sig_done && S->part == 0 &&
        !d->signature.signer.text))
    signame = NULL;
  for (int k = 0; k < 2; k++) {
    const rule *r = k ? signame : sig;
    if (r && s < e && rule_exec(S->rs, r, t, e, s, S->md) > 0) {
      size_t ms, me;
      rule_span(S->md, &ms, &me);
      if (seg_signature(S, b, me, e, 1)) {
        e = ms;
        break;
      }
    }
  }
  size_t pos = s, item = s;
  for (;;) {
    size_t ms = e, me = e;
    S->base = 0;
    if (split && pos < e && rule_exec(S->rs, split, t, e, pos, S->md) > 0)
      rule_span(S->md, &ms, &me);
    if (me == ms && ms < e) { /* empty match: step over one byte */
      pos = ms + 1;
      continue;
    }
    size_t z = ms;
    /* a final ':' is an OCR reading of ';' (no recipient ends with one) */
    while (z > item && (is_space(t[z - 1]) || t[z - 1] == ';' ||
                        t[z - 1] == ',' || t[z - 1] == ':'))
      z--;
    size_t a = item;
    while (a < z && (is_space(t[a]) || t[a] == '-'))
      a++;
    if (z > a) {
      if (S->recip_mine) {
        vnp_para p;
        p.text = seg_dup(S, t + a, z - a);
        p.block = b;
        p.span = seg_span(S, b, a, z);
        vnp_vec_push(d->recipients, p);
      }
    }
    if (ms >= e)
      break;
    item = pos = me;
  }
}

static void sig_field(seg *S, const rule *r, const char *name, vnp_field *f,
                      uint32_t b) {
  size_t gs, ge;
  if (seg_group(S, r, name, &gs, &ge) && ge > gs && !f->text)
    field_set(S, f, b, S->v[b].s, gs, ge);
}

/* A signature line in [s, e) of block b. force: accept a name or a lone
 * position (inside an open signature block). Returns 1 if taken. */
static int seg_signature(seg *S, uint32_t b, size_t s, size_t e, int force) {
  vnp_doc *d = S->d;
  const char *t = S->v[b].s;
  while (s < e && is_space(t[s]))
    s++;
  const rule *r = NULL;
  const rgate *g = seg_gate(S, "signature");
  const rule *const *rv = g->rv;
  size_t n = g->n;
  uint64_t may = rgate_scan(g, t + s, e - s);
  for (size_t i = 0; i < n && !r; i++)
    if (rgate_may(may, i) && seg_exec_cell(S, rv[i], b, s, e) > 0)
      r = rv[i];
  if (!r)
    return 0;
  const char *role = rule_emit(r, "role");
  size_t gs, ge;
  int lone = (role && strcmp(role, "name") == 0) ||
             (!seg_group(S, r, "onbehalf", &gs, &ge) &&
              !seg_group(S, r, "deputy", &gs, &ge) &&
              !seg_group(S, r, "name", &gs, &ge));
  if (lone && !force && !S->sig_open)
    return 0;
  /* re-run to restore the groups of r (the loop may have run others) */
  seg_exec_cell(S, r, b, s, e);
  S->sig_open = 1;
  if (!S->sig_done && S->part == 0) {
    vnp_signature *g = &d->signature;
    g->present = 1;
    sig_field(S, r, "onbehalf", &g->on_behalf, b);
    sig_field(S, r, "deputy", &g->deputy, b);
    sig_field(S, r, "position", &g->position, b);
    sig_field(S, r, "signed", &g->signed_mark, b);
    sig_field(S, r, "name", &g->signer, b);
    g->span = span_join(g->span, seg_span(S, b, s, e));
  } else {
    vnp_node *cur = seg_current_section(S);
    if (cur)
      seg_para(S, (void *)&cur->paras, b, seg_trim_dup(S, t + s, e - s));
    else
      seg_para(S, (void *)&d->preamble, b, seg_trim_dup(S, t + s, e - s));
  }
  if (seg_group(S, r, "name", &gs, &ge) && ge > gs) {
    S->sig_open = 0;
    if (S->part == 0)
      S->sig_done = 1;
  }
  return 1;
}

/* Footer material in [s, e) of block b. Returns 1 if taken. */
static int seg_footer(seg *S, uint32_t b, size_t s, size_t e) {
  vnp_doc *d = S->d;
  const char *t = S->v[b].s;
  const rule *r = NULL;
  size_t gs, ge;
  {
    const rgate *g = seg_gate(S, "recipients");
    const rule *const *rv = g->rv;
    size_t n = g->n;
    uint64_t may = rgate_scan(g, t + s, e - s);
    for (size_t i = 0; i < n && !r; i++) {
      if (!rgate_may(may, i))
        continue;
      const char *role = rule_emit(rv[i], "role");
      if (role && strcmp(role, "head") == 0 &&
          seg_exec_cell(S, rv[i], b, s, e) > 0)
        r = rv[i];
    }
  }
  if (r) {
    {
      S->zone = ZONE_FOOTER;
      S->table = NULL;
      S->recip_open = 1;
      S->recip_mine = d->recipients_head.text == NULL && S->part == 0;
      size_t rs = e;
      if (seg_group(S, r, "rest", &gs, &ge))
        rs = gs;
      if (S->recip_mine) {
        d->recipients_head.text = seg_trim_dup(S, t + s, rs - s);
        d->recipients_head.span = seg_span(S, b, s, rs);
      } else {
        vnp_node *cur = seg_current_section(S);
        seg_para(S, cur ? (void *)&cur->paras : (void *)&d->preamble, b,
                 seg_trim_dup(S, t + s, e - s));
      }
      if (rs < e)
        seg_recipients(S, b, rs, e);
      return 1;
    }
  }
  if (seg_signature(S, b, s, e, S->zone == ZONE_FOOTER)) {
    S->zone = ZONE_FOOTER;
    S->recip_open = 0;
    return 1;
  }
  if (S->zone == ZONE_FOOTER && S->recip_open) {
    /* "-", or U+2013/U+2014 (E2 80 93/94) */
    int dash =
        t[s] == '-' ||
        (s + 2 < e && (unsigned char)t[s] == 0xE2 &&
         (unsigned char)t[s + 1] == 0x80 &&
         ((unsigned char)t[s + 2] == 0x93 || (unsigned char)t[s + 2] == 0x94));
    /* a numbered or annex heading right under the list ('PHỤ LỤC' on
     * the next line) ends it */
    seg_hd hd;
    int heading = !dash && seg_heading(S, b, &hd) &&
                  strcmp(hd.family, "bullet") != 0;
    if (!heading && (dash || seg_adjacent(S, b))) {
      if (!S->recip_mine) {
        vnp_node *cur = seg_current_section(S);
        seg_para(S, cur ? (void *)&cur->paras : (void *)&d->preamble, b, NULL);
        return 1;
      }
      if (dash) {
        seg_recipients(S, b, s, e);
      } else if (d->recipients.n) { /* continuation of the last one */
        vnp_para *p = &d->recipients.v[d->recipients.n - 1];
        vnp_buf j = VNP_BUF_INIT;
        vnp_buf_puts(&j, p->text);
        vnp_buf_putc(&j, ' ');
        vnp_buf_put(&j, t + s, e - s);
        while (j.len && (j.ptr[j.len - 1] == ';' || j.ptr[j.len - 1] == ','))
          j.len--;
        p->text = seg_trim_dup(S, j.ptr, j.len);
        p->span = span_join(p->span, seg_span(S, b, s, e));
        vnp_buf_free(&j);
      } else {
        seg_recipients(S, b, s, e);
      }
      return 1;
    }
    S->recip_open = 0;
  }
  return 0;
}

/* A new attached document from block b (a type line after the footer). */
static uint32_t seg_attachment(seg *S, uint32_t b) {
  vnp_doc *d = S->d;
  vnp_attachment a;
  memset(&a, 0, sizeof a);
  S->part++;
  S->depth = 0;
  S->zone = ZONE_BODY;
  S->table = NULL;
  S->recip_open = S->sig_open = 0;
  S->any_node = 0;
  S->saw_article = 0;
  uint32_t j = seg_header(S, b, 0, &a.type, &a.title, &a.span);
  vnp_vec_push(d->attachments, a);
  return j;
}

/* An unnumbered upper-case sub-heading in the body ('NHIỆM VỤ CỤ THỂ'
 * between paragraphs). Taken only where it can be nothing else: inside a
 * section, in the body zone, 2 to SEG_CAPS_WORDS words, no final . ; , ! ?,
 * not a signature line, the block before it ends a sentence and is not
 * upper case, the block after it is not upper case (a run of upper-case
 * lines is a slogan list or a title, not headings). Scheme "caps", nested
 * under the current section; the next caps heading is its sibling. */
static int seg_caps_heading(seg *S, uint32_t b, seg_hd *hd) {
  const seg_view *v = &S->v[b];
  if (S->zone != ZONE_BODY || !S->depth || b == 0 || b + 1 >= S->d->blocks.n ||
      !seg_is_upper(v->s, v->len) || seg_is_table(S, b))
    return 0;
  size_t w = seg_words(v->s, v->len);
  char last = v->s[v->len - 1];
  if (w < 2 || w > SEG_CAPS_WORDS || last == '.' || last == ';' ||
      last == ',' || last == '!' || last == '?')
    return 0;
  /* 'IH- MỤC TIÊU': a number OCR garbled past repair is no caps heading */
  const char *sp = memchr(v->s, ' ', v->len);
  char f = sp && sp > v->s ? sp[-1] : 0;
  if (f == '.' || f == '-' || f == '/' || f == ')')
    return 0;
  const seg_view *p = &S->v[b - 1], *q = &S->v[b + 1];
  if (!seg_ends_sentence(p) || seg_is_upper(p->s, p->len) ||
      seg_is_upper(q->s, q->len) || seg_is_table(S, b - 1))
    return 0;
  if (seg_match(S, "signature", v->s, v->len, 0) ||
      seg_match(S, "recipients", v->s, v->len, 0) ||
      seg_match(S, "doctype", v->s, v->len, 0))
    return 0;
  memset(hd, 0, sizeof *hd);
  hd->style = "caps";
  hd->family = "caps";
  hd->rank = 5;
  hd->label = seg_dup(S, "", 0);
  hd->title_s = 0;
  return 1;
}

/* Is the block a typographic rule only ("-----", "_____", "* * *")? At
 * least three marks, nothing else but spaces: no text to keep. */
static int seg_is_decoration(const seg_view *v) {
  size_t marks = 0;
  for (size_t i = 0; i < v->len; i++) {
    unsigned char c = (unsigned char)v->s[i];
    if (c == '-' || c == '_' || c == '=' || c == '*' || c == '~' || c == '.')
      marks++;
    else if (c == 0xE2 && i + 2 < v->len && (unsigned char)v->s[i + 1] == 0x80 &&
             ((unsigned char)v->s[i + 2] == 0x93 ||
              (unsigned char)v->s[i + 2] == 0x94)) { /* U+2013, U+2014 */
      marks++;
      i += 2;
    } else if (!is_space(v->s[i]))
      return 0;
  }
  return marks >= 3;
}

static void seg_body(seg *S, uint32_t i) {
  vnp_doc *d = S->d;
  uint32_t n = (uint32_t)d->blocks.n;
  seg_hd hd;
  while (i < n) {
    const seg_view *v = &S->v[i];
    uint32_t b = i++;
    if (!v->len)
      continue;
    /* a type line after the footer, or after the articles of a decision
     * whose footer was lost, starts an attached document */
    if ((S->zone == ZONE_FOOTER || S->saw_article) &&
        seg_match(S, "doctype", v->s, v->len, 0) != NULL) {
      i = seg_attachment(S, b);
      S->last_block = i ? i - 1 : 0;
      continue;
    }
    if (seg_is_table(S, b)) {
      /* a footer row 'Nơi nhận: ... | TM. ... name': cell by cell; the
       * signature column does not close the recipients column (rows
       * '- Như Điều 3; | PHÓ CHỦ TỊCH |'); empty cells are skipped */
      size_t a = 0;
      int taken = 0, cellno = 0, ro = 0;
      for (size_t p = 0; p <= v->len; p++) {
        if (p == v->len || v->s[p] == '|') {
          size_t x = a;
          while (x < p && is_space(v->s[x]))
            x++;
          if (x == p) {
            a = p + 1;
            continue;
          }
          if (cellno == 0 && !seg_footer(S, b, a, p))
            break;
          if (cellno == 0) {
            ro = S->recip_open;
          } else {
            if (!seg_footer(S, b, a, p)) {
              vnp_node *cur = seg_current_section(S);
              seg_para(S, cur ? (void *)&cur->paras : (void *)&d->preamble, b,
                       seg_trim_dup(S, v->s + a, p - a));
            }
            S->recip_open = ro;
          }
          taken = 1;
          cellno++;
          a = p + 1;
        }
      }
      if (!taken)
        seg_table_row(S, b);
      S->last_block = b;
      continue;
    }
    if (seg_is_decoration(v))
      continue;
    if (seg_footer(S, b, 0, v->len)) {
      S->table = NULL;
      S->last_block = b;
      continue;
    }
    if (seg_heading(S, b, &hd) &&
        (S->zone == ZONE_BODY || strcmp(hd.family, "bullet") != 0)) {
      S->zone = ZONE_BODY;
      seg_open(S, b, &hd);
    } else if (seg_caps_heading(S, b, &hd)) {
      seg_open(S, b, &hd);
    } else if (!S->any_node && S->part == 0 && !d->root->first) {
      seg_preamble(S, b);
    } else {
      seg_paragraph(S, b);
    }
    S->last_block = b;
  }
}

/* ---- finishing: heading or paragraph, title/text, kind, full span ---- */

static int has_numbered_child(const vnp_node *n) {
  for (const vnp_node *c = n->first; c; c = c->next)
    if (c->type == NODE_SECTION)
      return 1;
  return 0;
}

/* The kind of a heading title: the section rules on the title, else (OCR
 * lost or changed the marks: 'MUC DICH', 'TÔ CHỨC') on its key without
 * marks, case folded, U+0111 as "d"; sections.rules has folded rules for
 * that key. */
static const char *seg_kind(seg *S, const char *title, int top) {
  if (!title)
    return top ? "other" : NULL;
  const rule *r = seg_match(S, "section", title, strlen(title), 0);
  if (!r) {
    /* utf8proc_map without its allocation and second decomposition: one
     * decompose into the reused S->fold, then reencode in place */
    const utf8proc_option_t opt = UTF8PROC_NULLTERM | UTF8PROC_STABLE |
                                  UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK |
                                  UTF8PROC_CASEFOLD;
    utf8proc_ssize_t kl = utf8proc_decompose(
        (const utf8proc_uint8_t *)title, 0, S->fold,
        (utf8proc_ssize_t)S->foldcap, opt);
    if (kl > (utf8proc_ssize_t)S->foldcap) {
      S->foldcap = (size_t)kl * 2;
      S->fold = xrealloc(S->fold, S->foldcap * sizeof(utf8proc_int32_t) + 1);
      kl = utf8proc_decompose((const utf8proc_uint8_t *)title, 0, S->fold,
                              (utf8proc_ssize_t)S->foldcap, opt);
    }
    if (kl >= 0)
      kl = utf8proc_reencode(S->fold, kl, opt);
    utf8proc_uint8_t *key = (utf8proc_uint8_t *)S->fold;
    if (kl > 0) {
      size_t o = 0;
      for (size_t i = 0; i < (size_t)kl; i++) {
        if (i + 1 < (size_t)kl && key[i] == 0xC4 && key[i + 1] == 0x91) {
          key[o++] = 'd'; /* U+0111 */
          i++;
        } else {
          key[o++] = key[i];
        }
      }
      r = seg_match(S, "section", (const char *)key, o, 0);
    }
  }
  const char *k = r ? rule_emit(r, "kind") : NULL;
  return k ? k : top ? "other" : NULL;
}

/* How seg_decide decided (for the sibling pass). */
enum { DEC_OTHER = 0, DEC_SENTENCE, DEC_NOPUNCT, DEC_WEAK_LEADIN };

/* Decides heading/paragraph for n from its text (and children). */
static int seg_decide(seg *S, vnp_node *n) {
  const char *raw = n->text ? n->text : "";
  size_t len = strlen(raw);
  size_t words = seg_words(raw, len);
  int heading = 0, how = DEC_OTHER;
  if (!len) {
    n->heading = 1;
    n->title = NULL;
    n->text = NULL;
    return DEC_OTHER;
  }
  /* lead-in "Title: text" */
  const char *colon = memchr(raw, ':', len);
  if (colon && colon > raw && (size_t)(colon - raw) + 1 < len) {
    size_t ll = (size_t)(colon - raw);
    const char *rest = colon + 1;
    while (*rest && is_space(*rest))
      rest++;
    if (*rest && seg_words(raw, ll) <= SEG_LEADIN_WORDS &&
        !memchr(raw, '.', ll)) {
      n->heading = 1;
      n->title = seg_title_dup(S, raw, ll);
      n->text = seg_trim_dup(S, rest, strlen(rest));
      /* 'Lập bản đồ ở 3 cấp: cấp xã, ...' continues a sentence */
      return seg_starts_lower(rest, strlen(rest)) && !has_numbered_child(n)
                 ? DEC_WEAK_LEADIN
                 : DEC_OTHER;
    }
  }
  char last = raw[len - 1];
  int has_comma = memchr(raw, ',', len) || memchr(raw, ';', len);
  int next_cont = 0;
  if (n->block + 1 < S->d->blocks.n && !n->first && n->paras.n &&
      n->paras.v[0].block == n->block + 1) {
    const seg_view *v = &S->v[n->block + 1];
    next_cont = seg_starts_lower(v->s, v->len);
  }
  if (last == ':') {
    heading = words <= SEG_COLON_WORDS;
  } else if (seg_is_upper(raw, len)) {
    heading = last != '.' || (words <= SEG_SHORT_WORDS && !has_comma);
  } else if (last == '.' || last == ';' || last == '!' || last == '?') {
    heading = words <= SEG_SHORT_WORDS && !has_comma;
    if (!heading && words > SEG_SHORT_WORDS)
      how = DEC_SENTENCE;
  } else {
    heading = words <= SEG_NOPUNCT_WORDS && !next_cont;
    if (heading && words > 2 * SEG_SHORT_WORDS)
      how = DEC_NOPUNCT;
  }
  /* a whole line in bold or marked as a markdown heading is a title */
  if (!heading && words <= SEG_COLON_WORDS &&
      (S->d->blocks.v[n->block].flags & (LINE_BOLD | LINE_MDHEAD))) {
    heading = 1;
    how = DEC_OTHER;
  }
  if (has_numbered_child(n)) {
    heading = 1;
    how = DEC_OTHER;
  }
  n->heading = heading;
  n->title = heading ? seg_title_dup(S, raw, len) : NULL;
  n->text = heading ? NULL : raw;
  return how;
}

static void seg_finish(seg *S, vnp_node *n, int top) {
  /* decide every numbered child; a long unpunctuated line, or a lead-in
   * whose text goes on in lower case, among siblings that are sentences is
   * a sentence too */
  typedef struct {
    vnp_node *n;
    const char *raw;
    int how;
  } dec;
  VNP_VEC(dec) ds = {0};
  int sentences = 0;
  for (vnp_node *c = n->first; c; c = c->next) {
    if (c->type != NODE_SECTION)
      continue;
    dec x;
    x.n = c;
    x.raw = c->text;
    x.how = seg_decide(S, c);
    if (x.how == DEC_SENTENCE)
      sentences++;
    vnp_vec_push(ds, x);
  }
  /* styles that have a sentence among these siblings (few per parent) */
  const char *sstyles[32];
  int nss = 0;
  for (size_t i = 0; i < ds.n && sentences; i++) {
    const char *st = ds.v[i].n->style;
    if (ds.v[i].how != DEC_SENTENCE || !st)
      continue;
    int k = 0;
    while (k < nss && strcmp(sstyles[k], st) != 0)
      k++;
    if (k == nss && nss < 32)
      sstyles[nss++] = st;
  }
  for (size_t i = 0; i < ds.n && nss; i++) {
    vnp_node *c = ds.v[i].n;
    if ((ds.v[i].how != DEC_NOPUNCT && ds.v[i].how != DEC_WEAK_LEADIN) ||
        !c->style)
      continue;
    int sib = 0;
    for (int k = 0; k < nss && !sib; k++)
      sib = strcmp(sstyles[k], c->style) == 0;
    if (sib) {
      c->heading = 0;
      c->title = NULL;
      c->text = ds.v[i].raw;
    }
  }
  /* a sentence of one clause (no comma) with content under it, among
   * siblings of its style that are titles ('2. Thành lập mới ...:' /
   * '3. Hoàn thiện ... thứ cấp.' followed by its own bullets), is a title
   * too */
  for (size_t i = 0; i < ds.n && sentences; i++) {
    vnp_node *c = ds.v[i].n;
    const char *raw = ds.v[i].raw;
    if (ds.v[i].how != DEC_SENTENCE || !c->style || !raw ||
        !(c->first || c->paras.n) || strpbrk(raw, ",;") ||
        seg_words(raw, strlen(raw)) > SEG_COLON_WORDS)
      continue;
    int titled = 0;
    for (size_t k = 0; k < ds.n && !titled; k++)
      titled = k != i && ds.v[k].how == DEC_OTHER && ds.v[k].n->heading &&
               ds.v[k].n->style && strcmp(ds.v[k].n->style, c->style) == 0;
    if (titled) {
      c->heading = 1;
      c->title = seg_title_dup(S, ds.v[i].raw, strlen(ds.v[i].raw));
      c->text = NULL;
    }
  }
  vnp_vec_free(ds);
  for (vnp_node *c = n->first; c; c = c->next) {
    if (c->type == NODE_TABLE)
      continue;
    if (c->type == NODE_SECTION) {
      if (c->heading && !c->kind) /* annexes keep theirs */
        c->kind = seg_kind(S, c->title, top);
      else if (c->heading && c->kind && strcmp(c->kind, "article") == 0) {
        /* an article with a title says what it holds (the article on
         * implementation of a resolution): its items are of that kind */
        const char *k = seg_kind(S, c->title, 0);
        if (k)
          c->kind = k;
      }
    } else { /* bullet item: its text, never a heading */
      c->heading = 0;
      c->title = NULL;
    }
    seg_finish(S, c, 0);
  }
  for (vnp_node *c = n->first; c; c = c->next)
    n->full = span_join(n->full, c->full);
  for (size_t i = 0; i < n->paras.n; i++)
    n->full = span_join(n->full, n->paras.v[i].span);
}

void segment_run(vnp_doc *d) {
  if (!d->rules || !d->blocks.n) {
    for (size_t i = 0; i < d->blocks.n; i++) {
      vnp_para p;
      p.text = d->blocks.v[i].text;
      p.block = (uint32_t)i;
      p.span = doc_block_span(d, &d->blocks.v[i], 0, d->blocks.v[i].len);
      vnp_vec_push(d->preamble, p);
    }
    return;
  }
  seg S;
  memset(&S, 0, sizeof S);
  S.d = d;
  S.rs = d->rules;
  S.md = rules_match_data(d->rules);
  S.gates = xmalloc(SEG_NGATED * sizeof(rgate));
  S.foldcap = 64; /* utf8proc_reencode writes a NUL even for no text */
  S.fold = xmalloc(S.foldcap * sizeof(utf8proc_int32_t) + 1);
  for (size_t k = 0; k < SEG_NGATED; k++)
    rgate_init(&S.gates[k], d->rules, SEG_GATED[k]);
  S.v = xcalloc(d->blocks.n, sizeof(seg_view));
  for (size_t i = 0; i < d->blocks.n; i++) {
    S.v[i].s = d->blocks.v[i].text;
    S.v[i].len = d->blocks.v[i].len;
  }

  uint32_t i = seg_header(&S, 0, 1, NULL, NULL, NULL);
  /* preamble: up to the first heading; authority before 'Căn cứ' */
  seg_hd hd;
  for (; i < d->blocks.n; i++) {
    const seg_view *v = &S.v[i];
    if (seg_heading(&S, i, &hd) || seg_is_table(&S, i) ||
        seg_match(&S, "recipients", v->s, v->len, 0))
      break;
    if (!d->authority.text && seg_is_upper(v->s, v->len) &&
        !seg_is_formula(&S, i) && i + 1 < d->blocks.n &&
        seg_is_basis(&S, i + 1)) {
      d->authority.text = seg_trim_dup(&S, v->s, v->len);
      d->authority.span = seg_span(&S, i, 0, v->len);
      continue;
    }
    seg_preamble(&S, i);
  }
  seg_body(&S, i);
  seg_finish(&S, d->root, 1);
  /* 'Nơi nhận:' with nothing after it: the end of the text is missing
   * (an OCR engine that lost the last page returns nothing for it) */
  if (d->recipients_head.text && !d->recipients.n &&
      !d->signature.signer.text && !d->signature.position.text)
    doc_diag(d, "warning", "recipients-empty", d->recipients_head.span,
             "the recipients heading at line %u has no recipients and no "
             "signature after it: the end of the document may be missing",
             d->recipients_head.span.line);

  free(S.v);
  free(S.gates);
  free(S.fold);
  pcre2_match_data_free(S.md);
}
