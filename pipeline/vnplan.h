/*
 * vnplan.h - the public interface of libvnplan.
 *
 * libvnplan turns Vietnamese directive documents (plans, action programmes,
 * resolutions, ...) into structured JSON:
 *
 *   bytes -> reader -> normalize -> segment -> extract -> JSON
 *
 * Usage (push model, as in cmark):
 *
 *   vnp_rules *rules;
 *   vnp_error err;
 *   if (vnp_rules_load(NULL, &rules, &err) != 0) { ... err.message ... }
 *   vnp_pipeline *p = vnp_pipeline_new(rules, NULL);
 *   while ((n = read(fd, buf, sizeof buf)) > 0) vnp_pipeline_feed(p, buf, n);
 *   vnp_pipeline_finish(p);
 *   char *json = vnp_pipeline_json(p, VNP_JSON_PRETTY, &len);
 *   ...
 *   vnp_free(json);
 *   vnp_pipeline_free(p);
 *   vnp_rules_free(rules);
 *
 * Ownership: getters return borrowed pointers, valid until their owner is
 * freed; a returned `char *` belongs to the caller (free it with vnp_free);
 * callees never free their arguments. Every *_free(NULL) is a no-op.
 *
 * Threads: a vnp_rules is immutable after vnp_rules_load and may be shared by
 * any number of pipelines on any number of threads. A vnp_pipeline belongs to
 * one thread at a time. The library keeps no global mutable state.
 */
#ifndef VNPLAN_H
#define VNPLAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VNP_VERSION "0.1.0"
#define VNP_SCHEMA "vnplan/0.1"

/* Return codes: 0 is success, failures are negative. */
enum {
  VNP_OK = 0,
  VNP_ENOMEM = -1,   /* never returned: allocation failure aborts */
  VNP_EIO = -2,      /* a file could not be read or written */
  VNP_ERULES = -3,   /* a rule file is malformed */
  VNP_EUSAGE = -4,   /* an argument or option is invalid */
  VNP_ESTATE = -5,   /* call out of order (feed after finish, ...) */
  VNP_EINPUT = -6    /* the input cannot be parsed as a document at all */
};

/* Tone-mark placement for the open syllables oa, oe, uy (see README). */
typedef enum {
  VNP_TONE_FIRST_VOWEL = 0, /* hòa, thủy, khỏe: the traditional style */
  VNP_TONE_MAIN_VOWEL = 1,  /* hoà, thuỷ, khoẻ: the 2018 school style */
  VNP_TONE_KEEP = 2         /* leave tone marks where they are */
} vnp_tone_style;

/* Option bits for vnp_options.flags. */
#define VNP_OPT_NO_REFLOW (1u << 0)  /* keep every input line a paragraph */
#define VNP_OPT_NO_EXTRACT (1u << 1) /* skip the extraction stage */
#define VNP_OPT_STRICT (1u << 2)     /* repairs (bad UTF-8, ...) are errors */

/* Where a pipeline stops (for benchmarks and debugging): the stages after
 * it are skipped and their JSON keys come out empty. */
typedef enum {
  VNP_STOP_NONE = 0,      /* run everything */
  VNP_STOP_READ = 1,      /* reader only: decode and split lines */
  VNP_STOP_NORMALIZE = 2, /* + normalization and reflow */
  VNP_STOP_SEGMENT = 3    /* + segmentation (no extraction) */
} vnp_stop;

typedef struct vnp_options {
  unsigned flags;            /* VNP_OPT_* bits */
  vnp_stop stop_after;       /* VNP_STOP_NONE: the whole pipeline */
  vnp_tone_style tone_style; /* output tone placement */
  const char *path;          /* shown in "source.path" and diagnostics */
  const char *doc_date;      /* YYYY-MM-DD used when the document has none */
} vnp_options;

/* JSON rendering flags. */
#define VNP_JSON_PRETTY (1u << 0) /* indented, one key per line */

/* An error with a position, for rule files and fatal conditions. */
typedef struct vnp_error {
  int code;          /* VNP_E* */
  char path[512];    /* file the error is in, or "" */
  unsigned line;     /* 1-based, 0 if unknown */
  unsigned column;   /* 1-based, 0 if unknown */
  char message[512]; /* what is wrong */
  char context[512]; /* the offending line, or "" */
} vnp_error;

typedef struct vnp_rules vnp_rules;
typedef struct vnp_pipeline vnp_pipeline;

/** The library version, e.g. "0.1.0". */
const char *vnp_version(void);

/** A short English text for a VNP_E* code. Never NULL. */
const char *vnp_strerror(int code);

/** Formats `err` as "path:line:col: error: message" plus the context line
 * and a caret under the column, into a caller-owned string. */
char *vnp_error_format(const vnp_error *err);

/** Frees memory returned by this library. */
void vnp_free(void *p);

/**
 * Loads and compiles every rule file in `dir` (NULL: $VNPLAN_RULES, then
 * the installed rules, then ./rules). Returns 0 and sets *out, or a
 * negative VNP_E* code with `err` filled (file:line:column and message).
 * The result is immutable and thread-safe; free it with vnp_rules_free.
 */
int vnp_rules_load(const char *dir, vnp_rules **out, vnp_error *err);

/** Frees rules loaded by vnp_rules_load. The rules must outlive every
 * pipeline created from them. */
void vnp_rules_free(vnp_rules *rules);

/** Directory the rules were loaded from (borrowed). */
const char *vnp_rules_dir(const vnp_rules *rules);

/** Number of compiled rules. */
size_t vnp_rules_count(const vnp_rules *rules);

/**
 * Runs the inline examples of every rule. Writes one line per failure to
 * `report` (a caller-owned string, may be NULL) and returns the number of
 * failures; *passed receives the number of passing examples.
 */
int vnp_rules_test(const vnp_rules *rules, char **report, int *passed);

/**
 * Creates a pipeline for one document. `opts` may be NULL (defaults: first
 * vowel tone style, reflow on, extraction on). The options are copied.
 */
vnp_pipeline *vnp_pipeline_new(const vnp_rules *rules,
                               const vnp_options *opts);

/**
 * Feeds `len` bytes of the document. Any chunking gives the same result.
 * The buffer may be reused as soon as the call returns. Returns 0, or
 * VNP_ESTATE after finish.
 */
int vnp_pipeline_feed(vnp_pipeline *p, const char *buf, size_t len);

/**
 * Ends the input and runs segmentation and extraction. Returns 0; an odd
 * document never fails, it is repaired and the repairs are reported as
 * diagnostics (VNP_EINPUT only with VNP_OPT_STRICT).
 */
int vnp_pipeline_finish(vnp_pipeline *p);

/**
 * Renders the parsed document as JSON (always valid UTF-8, final newline).
 * Returns a caller-owned string; *len receives its length if not NULL.
 */
char *vnp_pipeline_json(vnp_pipeline *p, unsigned json_flags, size_t *len);

/**
 * The same JSON, handed to `write` in pieces (about 64 KiB each) as it is
 * rendered, instead of one buffer as large as the output.
 */
typedef void (*vnp_write_fn)(const char *s, size_t n, void *ctx);
void vnp_pipeline_json_write(vnp_pipeline *p, unsigned json_flags,
                             vnp_write_fn write, void *ctx);

/**
 * Renders the normalized text alone. With `changes` set, appends nothing to
 * the text but fills *changes_json (caller-owned) with a JSON array listing
 * each change: step, original span and replacement.
 */
char *vnp_pipeline_text(vnp_pipeline *p, size_t *len, char **changes_json);

/** Number of diagnostics of level "error" (bad input repaired in strict
 * mode, limits hit). */
size_t vnp_pipeline_errors(const vnp_pipeline *p);

/** Frees the pipeline and everything it owns. */
void vnp_pipeline_free(vnp_pipeline *p);

/**
 * Runs the extraction rules of one kind ("deadline", "target", "body",
 * "citation", or NULL for all) on a single phrase, resolving relative dates
 * against `doc_date` (YYYY-MM-DD or NULL), and returns the findings as a
 * caller-owned JSON array.
 */
char *vnp_match_phrase(const vnp_rules *rules, const char *kind,
                       const char *text, size_t len, const char *doc_date);

/* ---- compare: a lower-level plan against its parent (docs/compare.md) -- */

typedef struct vnp_compare vnp_compare;

/* Output formats of vnp_compare_render. */
typedef enum {
  VNP_COMPARE_TEXT = 0, /* aligned columns for a terminal */
  VNP_COMPARE_JSON = 1, /* docs/compare-schema.json */
  VNP_COMPARE_HTML = 2  /* one self-contained page */
} vnp_compare_format;

/** A comparison using `rules` (stopwords, and the pipeline for source
 * texts; may be NULL when every input is JSON). Free with
 * vnp_compare_free. */
vnp_compare *vnp_compare_new(const vnp_rules *rules);

/**
 * Adds a document: the first is the parent, every later one a child.
 * `buf` is `vnplan parse` JSON (first non-blank byte '{') or a source text
 * that is parsed here. Returns 0, or VNP_EINPUT with `err` filled when
 * the JSON is not a parse result, or VNP_EUSAGE after vnp_compare_run.
 */
int vnp_compare_add(vnp_compare *c, const char *buf, size_t len,
                    const char *path, vnp_error *err);

/** Aligns every child with the parent and runs the checks. Returns 0, or
 * VNP_EUSAGE with fewer than two documents or when run twice. */
int vnp_compare_run(vnp_compare *c);

/** Renders the result (caller-owned string; *len may be NULL). */
char *vnp_compare_render(vnp_compare *c, vnp_compare_format fmt,
                         size_t *len);

/**
 * Scores child `child` (1-based) against a gold alignment: TSV lines
 * "child-id TAB parent-id [TAB full|partly]", '#' comments, parent-id "-"
 * for a child item with no basis in the parent. Only child items named in
 * the gold are scored. Fills prf[0..2] with precision, recall, F1 and
 * returns a caller-owned report (one line per disagreement, then totals),
 * or NULL if `child` is out of range.
 */
char *vnp_compare_gold(vnp_compare *c, size_t child, const char *tsv,
                       size_t len, double prf[3]);

/** Similarity of two phrases on their own (no collection weights), for
 * tests and tuning: cosine of syllable unigram + bigram bags. */
double vnp_compare_similarity(vnp_compare *c, const char *a, const char *b);

/** Frees the comparison and everything it owns. NULL is a no-op. */
void vnp_compare_free(vnp_compare *c);

#ifdef __cplusplus
}
#endif
#endif
