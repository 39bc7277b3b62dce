/*
 * doc.h - the document model shared by every stage (internal).
 *
 * The pipeline builds, per document:
 *   lines   - normalized input lines (reader + normalize), each with an
 *             omap back to the original bytes and the line number;
 *   blocks  - paragraphs: one or more lines joined by reflow (segment);
 *   a tree  - header fields, preamble, sections/items/tables, recipients,
 *             signature (segment);
 *   facts   - tasks, targets, citations, ... (extract, through doc->ext).
 * Everything is allocated from the document's arena or owned by the doc and
 * freed by doc_free. The normalizer puts line and block texts and their
 * final omap segments in the arena (in_arena = 1); a line or block built
 * elsewhere with malloc (in_arena = 0) is freed by doc_free. No node outlives its document.
 */
#ifndef VNP_DOC_H
#define VNP_DOC_H

#include "buf.h"
#include "omap.h"
#include "vnplan.h"

#include <stdint.h>

/* ---- arena ----
 * Bump allocation in chunks, freed all at once. The first chunks are small
 * malloc'd blocks (a short document or a rule set stays small); once an
 * arena holds ARENA_BIG_AFTER bytes it takes 2 MiB chunks straight from
 * mmap, aligned and advised for transparent huge pages (one page fault per
 * chunk instead of 512) and known to be zero, so arena_alloc does not clear
 * them. Strings are packed (1-byte aligned); other allocations are 16-byte
 * aligned. */
typedef struct arena_chunk arena_chunk;
typedef struct vnp_arena {
  arena_chunk *head;
  size_t total; /* bytes of all chunks, for the chunk-size policy */
} vnp_arena;
void arena_init(vnp_arena *a);
void *arena_alloc(vnp_arena *a, size_t n); /* zeroed, 16-byte aligned */
/* Uninitialized, 16-byte aligned (the caller writes every byte). */
void *arena_alloc_raw(vnp_arena *a, size_t n);
char *arena_strndup(vnp_arena *a, const char *s, size_t n); /* packed */
char *arena_strdup(vnp_arena *a, const char *s);
void arena_free(vnp_arena *a);
/* Copies the segments of `src` into the arena; *dst then borrows them (never
 * omap_free it; cap is 0). */
void arena_omap_copy(vnp_arena *a, omap *dst, const omap *src);

/* ---- spans ---- */
typedef struct vnp_span {
  uint64_t start, end; /* byte offsets in the ORIGINAL input, end exclusive */
  uint32_t line;       /* 1-based line of `start`; 0 = no span */
} vnp_span;

/* ---- lines ---- */
enum {
  LINE_BLANK = 1u << 0,      /* empty after normalization */
  LINE_BOLD = 1u << 1,       /* the whole line was wrapped in ** ** */
  LINE_MDHEAD = 1u << 2,     /* the line started with # markers */
  LINE_PAGEBREAK = 1u << 3,  /* a form feed came before this line */
  LINE_NOISE = 1u << 4,      /* stamp/scan noise: kept out of the text */
  LINE_PAGENUM = 1u << 5,    /* a page number between pages: dropped */
  LINE_RUNHEAD = 1u << 6,    /* a repeated running header: dropped */
  LINE_TABLE = 1u << 7,      /* a table row ("a | b | c") */
  LINE_HARDBREAK = 1u << 8,  /* ended with a markdown hard break */
  LINE_INVALID = 1u << 9,    /* had bytes replaced by U+FFFD */
  LINE_LOWCONF = 1u << 10,   /* OCR confidence is low (from a hint) */
  LINE_EMPTYPAGE = 1u << 11, /* two form feeds with nothing between them
                                came before this line: an empty page */
  BLOCK_ADJACENT = 1u << 16  /* block: no blank line before it */
};

typedef struct vnp_line {
  char *text;          /* normalized, NUL-terminated (owned by the doc) */
  uint32_t len;
  uint32_t flags;      /* LINE_* */
  uint32_t lineno;     /* 1-based */
  uint8_t md_level;    /* number of leading '#' (a hint only) */
  uint8_t in_arena;    /* 1: text and map.seg live in the doc's arena */
  uint64_t orig_start; /* original bytes of the line, without the EOL */
  uint64_t orig_end;
  omap map;            /* text offset -> original offset */
} vnp_line;

/* ---- blocks (paragraphs after reflow) ---- */
typedef struct vnp_block {
  char *text; /* joined text, NUL-terminated (owned by the doc) */
  uint32_t len;
  uint32_t flags;      /* OR of the LINE_* flags of its lines */
  uint32_t first_line; /* index into doc->lines */
  uint32_t nlines;
  uint32_t lineno; /* 1-based line number of the first line */
  uint8_t in_arena; /* 1: text and map.seg live in the doc's arena */
  omap map;
} vnp_block;

/* ---- tree ---- */
typedef enum {
  NODE_SECTION = 1, /* a numbered heading or numbered paragraph */
  NODE_ITEM,        /* a bullet item ("-", "+", "•") */
  NODE_TABLE,       /* rows written with | between cells */
  NODE_ROW
} vnp_node_type;

typedef struct vnp_para {
  const char *text;
  uint32_t block; /* index into doc->blocks */
  vnp_span span;
} vnp_para;

typedef struct vnp_node vnp_node;
struct vnp_node {
  vnp_node_type type;
  const char *label;  /* as written, normalized: "I.", "1.1.", "a)", "-" */
  const char *number; /* "I", "1.1", "a"; NULL for bullets */
  const char *style;  /* numbering scheme key, e.g. "roman.", "dotted2" */
  const char *title;  /* heading text; NULL for a numbered paragraph */
  const char *text;   /* body text on the heading's own line, or NULL */
  const char *kind;   /* canonical section kind ("tasks", ...) or NULL */
  int level;          /* 1-based depth in the tree */
  int part;           /* 0: main document; n: n-th attached document */
  int heading;        /* 1 if a heading, 0 if a numbered paragraph/item */
  uint32_t block;     /* index of the block that opened the node */
  vnp_span span;      /* the opening block */
  vnp_span full;      /* the node with everything under it */
  VNP_VEC(vnp_para) paras;
  /* tables: cells[r][c]; row 0 is the header when has_header */
  VNP_VEC(const char **) rows;
  VNP_VEC(uint32_t) row_ncells;
  VNP_VEC(vnp_span) row_spans;
  VNP_VEC(uint32_t) row_blocks;
  int has_header;
  vnp_node *parent, *first, *last, *next;
};

/* ---- diagnostics ---- */
typedef struct vnp_diag {
  const char *level; /* "error", "warning", "info" */
  const char *code;  /* stable kebab-case id, e.g. "invalid-utf8" */
  const char *message;
  vnp_span span;
} vnp_diag;

/* ---- normalization report ---- */
#define NORM_MAX_STEPS 32
typedef struct vnp_change {
  const char *step;
  uint64_t start, end; /* original bytes */
  uint32_t line;
  const char *before; /* text before the step (may be NULL) */
  const char *after;  /* replacement */
} vnp_change;

/* ---- header ---- */
typedef struct vnp_field {
  const char *text; /* NULL when absent */
  vnp_span span;
} vnp_field;

typedef struct vnp_signature {
  vnp_field on_behalf; /* 'TM. BAN THƯỜNG TRỰC' */
  vnp_field deputy;    /* 'KT. THỦ TƯỚNG' */
  vnp_field position;  /* 'CHỦ TỊCH' */
  vnp_field signed_mark; /* '(Đã ký)' */
  vnp_field signer;    /* name */
  vnp_span span;
  int present;
} vnp_signature;

typedef struct vnp_attachment {
  const char *type;
  const char *title;
  vnp_span span;
} vnp_attachment;

struct vnp_ext; /* extraction results, defined in extract.c */

typedef struct vnp_doc {
  vnp_arena arena;
  const vnp_rules *rules;
  vnp_options opts;
  /* source */
  const char *path;
  uint64_t bytes;
  char sha256[65];
  const char *encoding; /* "utf-8", "utf-8-bom", "utf-16le", "utf-16be" */
  /* stage outputs */
  VNP_VEC(vnp_line) lines;
  VNP_VEC(vnp_block) blocks;
  VNP_VEC(uint64_t) line_starts; /* original offset of each line start */
  /* header */
  vnp_field type, type_key, number, place, date, issuer, title, authority;
  VNP_VEC(vnp_para) preamble;
  vnp_node *root; /* children are the top-level sections */
  VNP_VEC(vnp_para) recipients;
  vnp_field recipients_head;
  vnp_signature signature;
  VNP_VEC(vnp_attachment) attachments;
  /* normalization report */
  const char *step_names[NORM_MAX_STEPS];
  uint64_t step_counts[NORM_MAX_STEPS];
  int nsteps;
  int record_changes;
  VNP_VEC(vnp_change) changes;
  /* diagnostics */
  VNP_VEC(vnp_diag) diags;
  uint64_t diags_dropped;
  size_t nerrors;
  /* extraction */
  struct vnp_ext *ext;
} vnp_doc;

vnp_doc *doc_new(const vnp_rules *rules, const vnp_options *opts);
void doc_free(vnp_doc *d);

/* Adds a diagnostic; message is printf-formatted and copied. */
void doc_diag(vnp_doc *d, const char *level, const char *code, vnp_span span,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Counts one application of a normalization step. */
void doc_count_step(vnp_doc *d, const char *step, uint64_t n);

/* Line number (1-based) of an original offset. */
uint32_t doc_lineno_at(const vnp_doc *d, uint64_t orig);
/* Span of bytes [s, e) of a block's text. */
vnp_span doc_block_span(const vnp_doc *d, const vnp_block *b, uint32_t s,
                        uint32_t e);
/* Span of bytes [s, e) of a line's text. */
vnp_span doc_line_span(const vnp_doc *d, const vnp_line *l, uint32_t s,
                       uint32_t e);
/* Span from the start of a to the end of b. */
vnp_span span_join(vnp_span a, vnp_span b);

/* Tree helpers. */
vnp_node *node_new(vnp_doc *d, vnp_node_type type);
void node_append(vnp_node *parent, vnp_node *child);

#endif
