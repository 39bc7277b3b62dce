/*
 * rules.c - rule-file loader: parses every *.rules, *.lst and *.tsv file
 * of a directory and compiles each pattern once with PCRE2 + JIT.
 *
 * Format (docs/rules.md has the full description):
 *
 *   # a comment (a line whose first non-blank character is '#')
 *   define YEAR = (?:19|20)\d{2}
 *   rule deadline.quarter
 *     kind      deadline
 *     pattern   quý\s+(?<quarter>%{ROMAN4}|[1-4])[/-](?<year>%{YEAR})
 *     flags     i
 *     priority  50
 *     emit      grain=quarter
 *     example   Trong quý I/2023 => quarter=I; year=2023
 *     counter   Kính gửi quý cơ quan
 *   end
 *
 * `starts PHRASES` (optional) gives a rule a word index: see "word index"
 * below.
 *
 * A pattern is raw to the end of its line (no double escaping); several
 * `pattern` lines are joined with a newline (useful with flag x). %{NAME}
 * expands to a `define` or to the list NAME.lst as (?:a|b|...), longest
 * phrase first, each phrase quoted. Meaning travels through named groups;
 * each kind accepts a fixed set of group names (KINDS below), so a typo in
 * a group name is an error at load time, not a silent miss.
 *
 * Errors: "path:LINE:COL: message" in a vnp_error, with the offending line;
 * PCRE2 errors carry PCRE2's own message and the column of the error.
 * Limits: VNP_MAX_RULES rules, VNP_MAX_RULE_LINE bytes a line; PCRE2 match
 * limits are set once in a shared match context.
 */
#include "rules.h"

#include "doc.h"
#include "limits.h"
#include "tone.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

/* ---- prototypes ---- */
static int rules_fail(vnp_error *err, const char *path, unsigned line,
                      unsigned col, const char *ctx, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int load_file(vnp_rules *rs, vnp_arena *a, const char *path,
                     vnp_error *err);
static int load_list(vnp_rules *rs, vnp_arena *a, const char *path,
                     const char *name, vnp_error *err);
static void list_hash_build(vnp_arena *a, rule_list *l);
static int load_table(vnp_rules *rs, vnp_arena *a, const char *path,
                      const char *name, vnp_error *err);
static int compile_rule(vnp_rules *rs, vnp_arena *a, rule *r,
                        const char *rawpat, unsigned patline,
                        unsigned patcol, const char *ctxline, vnp_error *err);
static char *canon_text(vnp_arena *a, const char *s, size_t n);
static int starts_index(vnp_rules *rs, vnp_arena *a, rule *r, vnp_error *err);
static uint32_t *fold_table(void);
static size_t word_at(const vnp_rules *rs, const uint8_t *s, size_t len,
                      size_t i, uint64_t *h);
static int word_cp(const vnp_rules *rs, const uint8_t *s, size_t len, size_t i,
                   size_t *n);
static int word_before(const vnp_rules *rs, const uint8_t *s, size_t i);
static uint64_t word_mask(const vnp_rules *rs, uint64_t h);
static inline uint64_t word_bits(const vnp_rules *rs, uint64_t h, uint64_t h2,
                                 uint32_t f0);
static inline uint64_t pair_key(uint64_t h1, uint64_t h2);
struct loader;
static void words_build(vnp_rules *rs, struct loader *L);

/* ---- kinds and the named groups each may use ---- */

static const struct {
  const char *kind;
  const char *groups; /* space-separated; "*" allows any */
} KINDS[] = {
    /* normalization (normalize.c) */
    {"normalize", "*"},
    {"noise", "*"},
    {"pagenum", "*"},
    {"blockstart", "*"},
    {"lowconf", "*"},
    {"syllable", "*"},
    /* segmentation (segment.c) */
    {"heading",
     "upper roman arabic dotted letter paren article annex part bullet sep "
     "title num"},
    {"doctype", "type title"},
    {"number", "number code"},
    {"placedate", "place day month year"},
    {"motto", "*"},
    {"section", "*"},
    {"preamble", "*"},
    {"recipients", "rest"},
    {"signature", "onbehalf deputy position signed name rest"},
    {"attachment", "type title"},
    {"title", "*"},
    {"tablehead", "*"},
    /* extraction (extract.c) */
    {"deadline",
     "year month day quarter half year2 month2 day2 quarter2 cond n unit "
     "every due month3 day3 text"},
    {"target", "value value2 unit comparator horizon horizon2 indicator share"},
    {"body", "body head"},
    {"role", "body rest"},
    {"citation", "type number code day month year issuer session title"},
    {"funding", "source level"},
    {"field", "value"},
    {"column", "*"},
    {"task", "*"},
};

int rules_kind_known(const char *kind) {
  for (size_t i = 0; i < sizeof KINDS / sizeof *KINDS; i++)
    if (strcmp(KINDS[i].kind, kind) == 0)
      return (int)i + 1;
  return 0;
}

static int group_allowed(int kindix, const char *name) {
  const char *g = KINDS[kindix - 1].groups;
  if (strcmp(g, "*") == 0)
    return 1;
  size_t n = strlen(name);
  while (*g) {
    while (*g == ' ')
      g++;
    const char *e = g;
    while (*e && *e != ' ')
      e++;
    if ((size_t)(e - g) == n && strncmp(g, name, n) == 0)
      return 1;
    /* names may carry a numeric suffix: year2, value3 ... */
    if ((size_t)(e - g) < n && strncmp(g, name, (size_t)(e - g)) == 0) {
      const char *p = name + (e - g);
      while (*p >= '0' && *p <= '9')
        p++;
      if (!*p)
        return 1;
    }
    g = e;
  }
  return 0;
}

/* ---- errors ---- */

static int rules_fail(vnp_error *err, const char *path, unsigned line,
                      unsigned col, const char *ctx, const char *fmt, ...) {
  if (!err)
    return VNP_ERULES;
  memset(err, 0, sizeof *err);
  err->code = VNP_ERULES;
  snprintf(err->path, sizeof err->path, "%s", path ? path : "");
  err->line = line;
  err->column = col;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  if (ctx)
    snprintf(err->context, sizeof err->context, "%s", ctx);
  return VNP_ERULES;
}

char *vnp_error_format(const vnp_error *err) {
  vnp_buf b = VNP_BUF_INIT;
  if (err->path[0]) {
    vnp_buf_puts(&b, err->path);
    if (err->line) {
      vnp_buf_printf(&b, ":%u", err->line);
      if (err->column)
        vnp_buf_printf(&b, ":%u", err->column);
    }
    vnp_buf_puts(&b, ": ");
  }
  vnp_buf_printf(&b, "error: %s\n", err->message);
  if (err->context[0]) {
    vnp_buf_printf(&b, "  %s\n", err->context);
    if (err->column) {
      /* caret under the column: count characters, not bytes */
      vnp_buf_puts(&b, "  ");
      const char *p = err->context;
      unsigned col = 1;
      while (*p && col < err->column) {
        unsigned char c = (unsigned char)*p;
        vnp_buf_putc(&b, c == '\t' ? '\t' : ' ');
        p++;
        while ((*p & 0xC0) == 0x80)
          p++;
        col++;
      }
      vnp_buf_puts(&b, "^\n");
    }
  }
  return vnp_buf_detach(&b, NULL);
}

/* ---- small helpers ---- */

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t')
    s++;
  char *e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
                   e[-1] == '\n'))
    *--e = 0;
  return s;
}

/* Column (1-based, in characters) of pointer p within line. */
static unsigned col_of(const char *line, const char *p) {
  unsigned col = 1;
  for (const char *q = line; q < p; q++)
    if ((*q & 0xC0) != 0x80)
      col++;
  return col;
}

/* NFC + canonical (first-vowel) tone placement, so that rule text written
 * in either style matches the normalized document text. */
static char *canon_text(vnp_arena *a, const char *s, size_t n) {
  utf8proc_uint8_t *nfc = NULL;
  utf8proc_ssize_t m =
      utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &nfc,
                   UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  vnp_buf b = VNP_BUF_INIT;
  if (m >= 0)
    tone_restyle((const char *)nfc, (size_t)m, VNP_TONE_FIRST_VOWEL, &b);
  else
    vnp_buf_put(&b, s, n);
  free(nfc);
  char *r = arena_strndup(a, b.ptr, b.len);
  vnp_buf_free(&b);
  return r;
}

static int read_file(const char *path, vnp_buf *out) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  char tmp[65536];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
    vnp_buf_put(out, tmp, n);
  int bad = ferror(f);
  fclose(f);
  return bad ? -1 : 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_len_desc(const void *a, const void *b) {
  size_t la = strlen(*(const char *const *)a);
  size_t lb = strlen(*(const char *const *)b);
  if (la != lb)
    return la < lb ? 1 : -1;
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- loading ---- */

typedef struct define {
  const char *name;
  const char *value;
} define;

/* A %{list} or %{table.col} site of the pattern being expanded: its
 * phrases, longest first (see "lists as tries" below). */
struct list_site {
  const char **items;
  size_t n;
  const char *key; /* the list's or table spec's name */
  int owned;       /* items are malloc'd (table cells) */
  int fail;        /* no items: a table expands to (*FAIL) */
};

struct trie_cache {
  char *key;
  int ci;
  char *text; /* NULL: the list cannot be a trie in this mode */
};

typedef struct start_word {
  uint64_t h;   /* folded first word */
  uint64_t bit; /* the rule's bit */
} start_word;

typedef struct loader {
  VNP_VEC(rule) rules;
  VNP_VEC(rule_list) lists;
  VNP_VEC(rule_table) tables;
  VNP_VEC(define) defines;
  VNP_VEC(start_word) words; /* of the `starts` rules */
  unsigned nstarts;          /* bits given out */
  uint64_t digit_bits;       /* rules with `starts \d` */
  VNP_VEC(struct list_site) sites; /* %{list} sites of the rule compiled */
  VNP_VEC(struct trie_cache) tries; /* alternations built, by list/mode */
} loader;

static const char *find_define(loader *L, const char *name, size_t n) {
  for (size_t i = L->defines.n; i-- > 0;)
    if (strlen(L->defines.v[i].name) == n &&
        strncmp(L->defines.v[i].name, name, n) == 0)
      return L->defines.v[i].value;
  return NULL;
}

static const rule_list *find_list(loader *L, const char *name, size_t n) {
  for (size_t i = 0; i < L->lists.n; i++)
    if (strlen(L->lists.v[i].name) == n &&
        strncmp(L->lists.v[i].name, name, n) == 0)
      return &L->lists.v[i];
  return NULL;
}

static const rule_table *find_table(loader *L, const char *name, size_t n) {
  for (size_t i = 0; i < L->tables.n; i++)
    if (strlen(L->tables.v[i].name) == n &&
        strncmp(L->tables.v[i].name, name, n) == 0)
      return &L->tables.v[i];
  return NULL;
}

static void quote_literal(vnp_buf *b, const char *s);
static int list_site_mark(loader *L, struct list_site *site, vnp_buf *out);
static void list_sites_free(loader *L);
static int list_sites_out(vnp_rules *rs, vnp_arena *a, rule *r,
                          const char *pat);

/* %{TABLE.COL} or %{TABLE.COL1+COL2}: every cell of the named columns
 * (cells split on '|'), longest first, as a list site (expanded to
 * (?:a|b|...) by list_sites_out). Returns 0, or -1 if the table or a
 * column is unknown. */
static int expand_table(loader *L, const char *name, size_t n, vnp_buf *out) {
  const char *dot = memchr(name, '.', n);
  if (!dot)
    return -1;
  const rule_table *t = find_table(L, name, (size_t)(dot - name));
  if (!t || !t->header)
    return -1;
  VNP_VEC(const char *) items = {0};
  const char *c = dot + 1, *end = name + n;
  int rc = 0;
  while (c < end && !rc) {
    const char *ce = memchr(c, '+', (size_t)(end - c));
    if (!ce)
      ce = end;
    size_t col = t->ncols;
    for (size_t k = 0; k < t->ncols; k++)
      if (strlen(t->header[k]) == (size_t)(ce - c) &&
          strncmp(t->header[k], c, (size_t)(ce - c)) == 0)
        col = k;
    if (col == t->ncols) {
      rc = -1;
      break;
    }
    for (size_t r = 0; r < t->nrows; r++) {
      if (col >= t->rowlen[r])
        continue;
      const char *cell = t->rows[r][col];
      while (*cell) {
        const char *bar = strchr(cell, '|');
        size_t len = bar ? (size_t)(bar - cell) : strlen(cell);
        while (len && cell[0] == ' ')
          cell++, len--;
        while (len && cell[len - 1] == ' ')
          len--;
        if (len)
          vnp_vec_push(items, xstrndup(cell, len));
        if (!bar)
          break;
        cell = bar + 1;
      }
    }
    c = ce + 1;
  }
  if (rc) {
    for (size_t i = 0; i < items.n; i++)
      free((char *)items.v[i]);
    vnp_vec_free(items);
    return rc;
  }
  if (items.n)
    qsort(items.v, items.n, sizeof(char *), cmp_len_desc);
  struct list_site site = {items.v, items.n, xstrndup(name, n), 1, !items.n};
  return list_site_mark(L, &site, out);
}

static void quote_literal(vnp_buf *b, const char *s) {
  for (; *s; s++) {
    if (strchr("\\^$.|?*+()[]{}# ", *s))
      vnp_buf_putc(b, '\\');
    vnp_buf_putc(b, *s);
  }
}

/* Expands %{NAME} macros. Returns 0, or -1 with *bad at the unknown name. */
static int expand(loader *L, const char *src, vnp_buf *out, int depth,
                  const char **bad) {
  const char *p = src;
  while (*p) {
    if (p[0] == '%' && p[1] == '{') {
      const char *e = strchr(p + 2, '}');
      if (!e) {
        *bad = p;
        return -1;
      }
      const char *name = p + 2;
      size_t n = (size_t)(e - name);
      const char *def = find_define(L, name, n);
      const rule_list *lst = def ? NULL : find_list(L, name, n);
      if (def && depth < 16) {
        const char *b2;
        if (expand(L, def, out, depth + 1, &b2) < 0) {
          *bad = p;
          return -1;
        }
      } else if (lst) {
        struct list_site site = {lst->items, lst->n, lst->name, 0, 0};
        if (list_site_mark(L, &site, out) < 0) {
          *bad = p;
          return -1;
        }
      } else if (memchr(name, '.', n) && expand_table(L, name, n, out) == 0) {
        /* table columns */
      } else {
        *bad = p;
        return -1;
      }
      p = e + 1;
      continue;
    }
    vnp_buf_putc(out, *p++);
  }
  return 0;
}

static int parse_kvs(vnp_arena *a, char *s, rule_kv **out, size_t *nout,
                     char sep) {
  VNP_VEC(rule_kv) kv = {0};
  char *p = s;
  while (p && *p) {
    char *next = strchr(p, sep);
    if (next)
      *next++ = 0;
    char *item = trim(p);
    if (*item) {
      char *eq = strchr(item, '=');
      if (!eq) {
        vnp_vec_free(kv);
        return -1;
      }
      *eq = 0;
      rule_kv x;
      x.key = arena_strdup(a, trim(item));
      x.value = canon_text(a, trim(eq + 1), strlen(trim(eq + 1)));
      vnp_vec_push(kv, x);
    }
    p = next;
  }
  rule_kv *arr = arena_alloc(a, (kv.n ? kv.n : 1) * sizeof(rule_kv));
  if (kv.n)
    memcpy(arr, kv.v, kv.n * sizeof(rule_kv));
  *out = arr;
  *nout = kv.n;
  vnp_vec_free(kv);
  return 0;
}

static int load_rules_file(loader *L, vnp_rules *rs, vnp_arena *a,
                           const char *path, vnp_error *err) {
  vnp_buf text = VNP_BUF_INIT;
  if (read_file(path, &text) < 0) {
    vnp_buf_free(&text);
    return rules_fail(err, path, 0, 0, NULL, "cannot read: %s",
                      strerror(errno));
  }
  int rc = 0;
  char *save = NULL;
  unsigned lineno = 0;
  rule *cur = NULL;
  vnp_buf pat = VNP_BUF_INIT;
  unsigned patline = 0, patcol = 0;
  char patctx[512] = "";
  VNP_VEC(rule_example) ex = {0};
  const char *ppath = arena_strdup(a, path);
  char *p = text.ptr;
  while (p && *p) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = 0;
    char *raw = p;
    p = nl ? nl + 1 : NULL;
    lineno++;
    size_t rl = strlen(raw);
    if (rl && raw[rl - 1] == '\r')
      raw[--rl] = 0;
    if (rl > VNP_MAX_RULE_LINE) {
      rc = rules_fail(err, path, lineno, 1, NULL, "line longer than %d bytes",
                      VNP_MAX_RULE_LINE);
      break;
    }
    char ctx[512];
    snprintf(ctx, sizeof ctx, "%s", raw);
    char *s = raw;
    while (*s == ' ' || *s == '\t')
      s++;
    if (!*s || *s == '#')
      continue;
    /* keyword */
    char *kw = s;
    while (*s && *s != ' ' && *s != '\t')
      s++;
    size_t kwlen = (size_t)(s - kw);
    char *arg = s;
    while (*arg == ' ' || *arg == '\t')
      arg++;
    char *argtrim = arg; /* raw argument (pattern keeps trailing spaces) */
#define KW(x) (kwlen == strlen(x) && strncmp(kw, x, kwlen) == 0)
    if (!cur) {
      if (KW("define")) {
        char *eq = strchr(arg, '=');
        if (!eq) {
          rc = rules_fail(err, path, lineno, col_of(ctx, ctx + (arg - raw)),
                          ctx, "define needs NAME = pattern");
          break;
        }
        *eq = 0;
        define d;
        d.name = arena_strdup(a, trim(arg));
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t')
          v++;
        d.value = canon_text(a, v, strlen(v));
        vnp_vec_push(L->defines, d);
      } else if (KW("rule")) {
        char *id = trim(arg);
        if (!*id) {
          rc = rules_fail(err, path, lineno, 1, ctx, "rule needs an id");
          break;
        }
        for (size_t i = 0; i < L->rules.n; i++) {
          if (strcmp(L->rules.v[i].id, id) == 0) {
            rc = rules_fail(err, path, lineno, col_of(ctx, ctx + (id - raw)),
                            ctx, "duplicate rule id '%s' (first at %s:%u)",
                            id, L->rules.v[i].file, L->rules.v[i].line);
            goto done;
          }
        }
        if (L->rules.n >= VNP_MAX_RULES) {
          rc = rules_fail(err, path, lineno, 1, ctx, "more than %d rules",
                          VNP_MAX_RULES);
          break;
        }
        rule r;
        memset(&r, 0, sizeof r);
        r.id = arena_strdup(a, id);
        r.file = ppath;
        r.line = lineno;
        r.order = L->rules.n;
        vnp_vec_push(L->rules, r);
        cur = &L->rules.v[L->rules.n - 1];
        vnp_buf_clear(&pat);
        patline = 0;
        ex.n = 0;
      } else {
        rc = rules_fail(err, path, lineno, col_of(ctx, ctx + (kw - raw)), ctx,
                        "unknown directive '%.*s' (expected define or rule)",
                        (int)kwlen, kw);
        break;
      }
      continue;
    }
    /* inside a rule */
    unsigned argcol = col_of(ctx, ctx + (arg - raw));
    if (KW("end")) {
      if (!cur->kind) {
        rc = rules_fail(err, path, cur->line, 1, NULL,
                        "rule '%s' has no kind", cur->id);
        break;
      }
      if (!pat.len) {
        rc = rules_fail(err, path, cur->line, 1, NULL,
                        "rule '%s' has no pattern", cur->id);
        break;
      }
      cur->examples = arena_alloc(a, (ex.n ? ex.n : 1) * sizeof(rule_example));
      if (ex.n)
        memcpy(cur->examples, ex.v, ex.n * sizeof(rule_example));
      cur->nexamples = ex.n;
      rc = compile_rule(rs, a, cur, pat.ptr, patline, patcol, patctx, err);
      if (rc)
        break;
      /* find_define etc. keep working: cur is stable until the next push */
      cur = NULL;
    } else if (KW("kind")) {
      char *k = trim(arg);
      if (!rules_kind_known(k)) {
        rc = rules_fail(err, path, lineno, argcol, ctx, "unknown kind '%s'",
                        k);
        break;
      }
      cur->kind = arena_strdup(a, k);
    } else if (KW("pattern")) {
      if (!patline) {
        patline = lineno;
        patcol = argcol;
        snprintf(patctx, sizeof patctx, "%s", ctx);
      } else {
        vnp_buf_putc(&pat, '\n');
      }
      vnp_buf_puts(&pat, argtrim);
    } else if (KW("flags")) {
      for (char *f = trim(arg); *f; f++) {
        switch (*f) {
        case 'i': cur->compile_opts |= PCRE2_CASELESS; break;
        case 'x': cur->compile_opts |= PCRE2_EXTENDED; break;
        case 'm': cur->compile_opts |= PCRE2_MULTILINE; break;
        case 's': cur->compile_opts |= PCRE2_DOTALL; break;
        case ' ': case ',': break;
        default:
          rc = rules_fail(err, path, lineno, col_of(ctx, ctx + (f - raw)),
                          ctx, "unknown flag '%c' (use i, x, m, s)", *f);
          goto done;
        }
      }
    } else if (KW("priority")) {
      char *e;
      long v = strtol(trim(arg), &e, 10);
      if (*e || !*trim(arg)) {
        rc = rules_fail(err, path, lineno, argcol, ctx,
                        "priority must be an integer");
        break;
      }
      cur->priority = (int)v;
    } else if (KW("emit")) {
      rule_kv *kv;
      size_t n;
      if (parse_kvs(a, arg, &kv, &n, ';') < 0) {
        rc = rules_fail(err, path, lineno, argcol, ctx,
                        "emit needs key=value pairs separated by ';'");
        break;
      }
      rule_kv *all = arena_alloc(a, (cur->nemit + n + 1) * sizeof(rule_kv));
      if (cur->nemit)
        memcpy(all, cur->emit, cur->nemit * sizeof(rule_kv));
      memcpy(all + cur->nemit, kv, n * sizeof(rule_kv));
      cur->emit = all;
      cur->nemit += n;
    } else if (KW("replace")) {
      cur->replace = canon_text(a, argtrim, strlen(argtrim));
    } else if (KW("starts")) {
      if (!*trim(arg)) {
        rc = rules_fail(err, path, lineno, argcol, ctx,
                        "starts needs phrases separated by '|'");
        break;
      }
      cur->starts = arena_strdup(a, trim(arg));
      cur->starts_line = lineno;
    } else if (KW("prefilter")) {
      cur->prefilter = canon_text(a, trim(arg), strlen(trim(arg)));
    } else if (KW("gate")) {
      if (!*argtrim) {
        rc = rules_fail(err, path, lineno, argcol, ctx, "gate needs a pattern");
        break;
      }
      cur->gate = canon_text(a, argtrim, strlen(argtrim));
    } else if (KW("example") || KW("counter")) {
      rule_example e;
      memset(&e, 0, sizeof e);
      e.line = lineno;
      e.counter = KW("counter");
      char *arrow = e.counter ? NULL : strstr(arg, "=>");
      if (arrow) {
        *arrow = 0;
        if (parse_kvs(a, arrow + 2, &e.expect, &e.nexpect, ';') < 0) {
          rc = rules_fail(err, path, lineno,
                          col_of(ctx, ctx + (arrow + 2 - raw)), ctx,
                          "expected values must be key=value; key=value");
          break;
        }
      }
      char *t = trim(arg);
      e.text = canon_text(a, t, strlen(t));
      vnp_vec_push(ex, e);
    } else {
      rc = rules_fail(err, path, lineno, col_of(ctx, ctx + (kw - raw)), ctx,
                      "unknown field '%.*s' in rule '%s'", (int)kwlen, kw,
                      cur->id);
      break;
    }
#undef KW
  }
  if (!rc && cur)
    rc = rules_fail(err, path, cur->line, 1, NULL,
                    "rule '%s' is not closed with 'end'", cur->id);
done:
  (void)save;
  vnp_vec_free(ex);
  vnp_buf_free(&pat);
  vnp_buf_free(&text);
  return rc;
}

static int compile_rule(vnp_rules *rs, vnp_arena *a, rule *r,
                        const char *rawpat, unsigned patline, unsigned patcol,
                        const char *ctxline, vnp_error *err) {
  loader *L = rs->strings; /* during loading, `strings` holds the loader */
  vnp_buf exp = VNP_BUF_INIT;
  const char *bad = NULL;
  if (expand(L, rawpat, &exp, 0, &bad) < 0) {
    vnp_buf_free(&exp);
    return rules_fail(err, r->file, patline,
                      patcol + col_of(rawpat, bad) - 1, ctxline,
                      "unknown macro or list in '%.20s'", bad);
  }
  list_sites_out(rs, a, r, canon_text(a, exp.ptr, exp.len));
  vnp_buf_free(&exp);
  if (r->starts) {
    int src = starts_index(rs, a, r, err);
    if (src)
      return src;
  }
  /* extraction re-runs a hit from its start (extract.c, refill): a \K
   * would move that start and the hit would silently be lost */
  static const char *const REFILLED[] = {"deadline", "target", "body",
                                         "role",     "citation", "funding",
                                         "field",    "column",   "task"};
  for (size_t k = 0; k < sizeof REFILLED / sizeof *REFILLED; k++) {
    if (strcmp(r->kind, REFILLED[k]) != 0)
      continue;
    for (const char *q = r->pattern; *q; q++) {
      if (*q != '\\')
        continue;
      const char *rk = strstr(rawpat, "\\K");
      if (q[1] == 'K')
        return rules_fail(err, r->file, patline,
                          rk ? patcol + col_of(rawpat, rk) - 1 : patcol,
                          ctxline,
                          "in rule '%s': \\K is not supported in rules of "
                          "kind %s (a hit is re-run from its start)",
                          r->id, r->kind);
      if (q[1])
        q++;
    }
  }
  int ecode;
  PCRE2_SIZE eoff;
  /* a rule with a word index is only ever tried at its candidate word
   * starts (rule_exec): compiled anchored, so that JIT runs it there */
  r->re = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
                        PCRE2_UTF | PCRE2_UCP | r->compile_opts |
                            (r->start_bit ? PCRE2_ANCHORED : 0),
                        &ecode, &eoff, NULL);
  if (!r->re && r->pattern_flat) { /* e.g. a trie in a lookbehind */
    r->pattern = r->pattern_flat;
    r->pattern_flat = NULL;
    r->re = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF | PCRE2_UCP | r->compile_opts |
                              (r->start_bit ? PCRE2_ANCHORED : 0),
                          &ecode, &eoff, NULL);
  }
  if (!r->re) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(ecode, msg, sizeof msg);
    unsigned col = patcol;
    if (strstr(rawpat, "%{") == NULL)
      col = patcol + col_of(r->pattern, r->pattern + eoff) - 1;
    return rules_fail(err, r->file, patline, col, ctxline,
                      "in rule '%s': %s (PCRE2 error %d at offset %zu)", r->id,
                      (const char *)msg, ecode, (size_t)eoff);
  }
  if (r->gate) {
    const rule *same = NULL; /* a rule before with the same gate */
    for (size_t i = 0; i < L->rules.n && !same; i++)
      if (&L->rules.v[i] != r && L->rules.v[i].gate_re &&
          strcmp(L->rules.v[i].gate, r->gate) == 0)
        same = &L->rules.v[i];
    if (same) {
      r->gate_re = same->gate_re;
      r->gate_id = same->gate_id;
    } else if (rs->ngates >= 32) {
      return rules_fail(err, r->file, patline, 1, ctxline,
                        "in rule '%s': more than 32 distinct gates", r->id);
    } else {
      r->gate_re = pcre2_compile((PCRE2_SPTR)r->gate, PCRE2_ZERO_TERMINATED,
                                 PCRE2_UTF | PCRE2_UCP, &ecode, &eoff, NULL);
      if (!r->gate_re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ecode, msg, sizeof msg);
        return rules_fail(err, r->file, patline, 1, ctxline,
                          "in rule '%s': gate: %s (PCRE2 error %d at offset "
                          "%zu)",
                          r->id, (const char *)msg, ecode, (size_t)eoff);
      }
      pcre2_jit_compile(r->gate_re, PCRE2_JIT_COMPLETE);
      r->gate_id = ++rs->ngates;
    }
  }
  pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE); /* falls back if no JIT */
  size_t jitsize = 0;
  r->jit = pcre2_pattern_info(r->re, PCRE2_INFO_JITSIZE, &jitsize) == 0 &&
           jitsize > 0;
  uint32_t ncap = 0, nnames = 0, esize = 0;
  PCRE2_SPTR table = NULL;
  pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &ncap);
  if (ncap + 1 > rs->max_groups)
    rs->max_groups = ncap + 1;
  pcre2_pattern_info(r->re, PCRE2_INFO_NAMECOUNT, &nnames);
  pcre2_pattern_info(r->re, PCRE2_INFO_NAMEENTRYSIZE, &esize);
  pcre2_pattern_info(r->re, PCRE2_INFO_NAMETABLE, &table);
  int kix = rules_kind_known(r->kind);
  for (uint32_t i = 0; i < nnames; i++) {
    const char *name = (const char *)(table + i * esize + 2);
    if (!group_allowed(kix, name)) {
      char needle[80];
      snprintf(needle, sizeof needle, "(?<%s>", name);
      const char *at = strstr(rawpat, needle);
      unsigned col = at ? patcol + col_of(rawpat, at) - 1 : patcol;
      return rules_fail(err, r->file, patline, col, ctxline,
                        "in rule '%s': group name '%s' is not one of kind "
                        "'%s' (%s)",
                        r->id, name, r->kind, KINDS[kix - 1].groups);
    }
  }
  return 0;
}

/* ---- word index (`starts`) ----
 *
 * `starts PHRASE|%{list}|%{table.col}|\d|...` declares that every match
 * of the rule begins where a word begins (the character before is no
 * letter or digit), that this word is, caseless, the first word of one of
 * the phrases and, for a phrase of two words or more, that the next word
 * is its second word; `\d` stands for any word beginning with a digit. A
 * word is a maximal run of letters and digits (\p{L}, \p{N}). The loader
 * keeps, for every phrase's key (its first word, or its first two words),
 * the bits of the rules it may start; rules_words lists a text's word
 * starts with the bits their key (and the next word) carry, and
 * rule_exec tries a rule's anchored pattern only at the word starts that
 * carry its bit, instead of at every position. The result is that of an
 * unanchored search: the leftmost match, found at the first candidate
 * where the pattern matches.
 *
 * Words are compared by a hash of their Unicode case folding (utf8proc,
 * CASEFOLD): two characters PCRE2 matches caselessly have the same
 * folding, so a word PCRE2 would match is never missed; a hash collision
 * only adds a candidate, which PCRE2 then rejects. Phrases whose key holds
 * a character outside Latin (up to U+036F and U+1E00-U+1EFF), or one
 * whose lower, upper or title case folds differently, get no index (the
 * rule is then searched as usual). `vnplan rules test` checks every
 * indexed rule against a plain search on every example text.
 * A PCRE2 match limit now applies to each anchored attempt rather than to
 * one search over the whole text. */

#define RULES_FOLD_N 0x2000u /* code points with a precomputed folding */
#define FOLD_WORD 0x80000000u
#define FOLD_MULTI 0x40000000u /* folds to several code points */
#define FOLD_DIGIT 0x20000000u /* a number (\p{N}) */
#define PAIR_FLAG (1ull << 63) /* a phrase of two words begins here */
#define FILTER_BIT(h) (((h) >> 24) & 0xFFFF)
#define FOLD_CP 0x001FFFFFu

static uint32_t fold_entry(utf8proc_int32_t c) {
  utf8proc_category_t cat = utf8proc_category(c);
  int digit = cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO;
  int word =
      digit || (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO);
  if (!word)
    return 0;
  if (digit) /* no case */
    return FOLD_WORD | FOLD_DIGIT | (uint32_t)c;
  utf8proc_int32_t buf[8];
  int last = 0;
  utf8proc_ssize_t n =
      utf8proc_decompose_char(c, buf, 8, UTF8PROC_CASEFOLD, &last);
  if (n == 1)
    return FOLD_WORD | (uint32_t)buf[0];
  return FOLD_WORD | FOLD_MULTI | (uint32_t)c;
}

static uint32_t *fold_table(void) {
  uint32_t *t = xmalloc(RULES_FOLD_N * sizeof *t);
  for (uint32_t c = 0; c < RULES_FOLD_N; c++) {
    if (c < 0x80)
      t[c] = (c >= '0' && c <= '9')   ? FOLD_WORD | FOLD_DIGIT | c
             : (c >= 'a' && c <= 'z') ? FOLD_WORD | c
             : (c >= 'A' && c <= 'Z') ? FOLD_WORD | (c + 32)
                                      : 0;
    else
      t[c] = fold_entry((utf8proc_int32_t)c);
  }
  return t;
}

/* Decodes the code point at s[i] (*n: its length; 1 for a stray byte). */
static uint32_t decode_at(const uint8_t *s, size_t len, size_t i, size_t *n) {
  uint8_t c = s[i];
  if (c < 0x80) {
    *n = 1;
    return c;
  }
  size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (k == 1 || i + k > len) {
    *n = 1;
    return 0xFFFD;
  }
  uint32_t cp = c & (0x7F >> k);
  for (size_t j = 1; j < k; j++) {
    if ((s[i + j] & 0xC0) != 0x80) {
      *n = 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (s[i + j] & 0x3F);
  }
  *n = k;
  return cp;
}

static inline uint32_t fold_of(const vnp_rules *rs, uint32_t c) {
  return c < RULES_FOLD_N ? rs->fold[c] : fold_entry((utf8proc_int32_t)c);
}

/* Is the code point at s[i] a word character? (*n: its length) */
static int word_cp(const vnp_rules *rs, const uint8_t *s, size_t len, size_t i,
                   size_t *n) {
  return (fold_of(rs, decode_at(s, len, i, n)) & FOLD_WORD) != 0;
}

/* Is the character that ends right before s[i] a word character? */
static int word_before(const vnp_rules *rs, const uint8_t *s, size_t i) {
  if (!i)
    return 0;
  size_t j = i - 1, n;
  while (j > 0 && i - j < 4 && (s[j] & 0xC0) == 0x80)
    j--;
  return word_cp(rs, s, i, j, &n) && j + n == i;
}

static inline uint64_t mix(uint64_t h, uint32_t c) {
  return (h ^ c) * 1099511628211ull;
}

/* The fold entry of the character at u[*i]; advances *i past it. The
 * common cases (ASCII, two and three byte sequences) are decoded here. */
static inline __attribute__((always_inline)) uint32_t
step(const vnp_rules *rs, const uint8_t *u, size_t len, size_t *i) {
  size_t k = *i;
  uint8_t b = u[k];
  if (b < 0x80) {
    *i = k + 1;
    return rs->fold[b];
  }
  if ((b & 0xE0) == 0xC0 && k + 1 < len && (u[k + 1] & 0xC0) == 0x80) {
    *i = k + 2;
    return rs->fold[((uint32_t)(b & 0x1F) << 6) | (u[k + 1] & 0x3F)];
  }
  if ((b & 0xF0) == 0xE0 && k + 2 < len && (u[k + 1] & 0xC0) == 0x80 &&
      (u[k + 2] & 0xC0) == 0x80) {
    uint32_t c = ((uint32_t)(b & 0x0F) << 12) |
                 ((uint32_t)(u[k + 1] & 0x3F) << 6) | (u[k + 2] & 0x3F);
    *i = k + 3;
    return fold_of(rs, c);
  }
  size_t n;
  uint32_t c = decode_at(u, len, k, &n);
  *i = k + n;
  return fold_of(rs, c);
}

static inline uint64_t mix_fold(uint64_t x, uint32_t f) {
  if (f & FOLD_MULTI) {
    utf8proc_int32_t buf[8];
    int last = 0;
    utf8proc_ssize_t m = utf8proc_decompose_char(
        (utf8proc_int32_t)(f & FOLD_CP), buf, 8, UTF8PROC_CASEFOLD, &last);
    for (utf8proc_ssize_t k = 0; k < m && k < 8; k++)
      x = mix(x, (uint32_t)buf[k]);
    return x;
  }
  return mix(x, f & FOLD_CP);
}

/* The next word at or after s[i]: *ws its start (len if none), *h the
 * hash of its folding, *f0 the fold entry of its first character.
 * Returns its end (the character there, if any, is no word character). */
static size_t next_word(const vnp_rules *rs, const uint8_t *u, size_t len,
                        size_t i, size_t *ws, uint64_t *h, uint32_t *f0) {
  const uint32_t *fold = rs->fold;
  uint32_t f;
  for (;;) { /* to the word's first character */
    if (i >= len) {
      *ws = len;
      return len;
    }
    uint8_t b = u[i];
    if (b < 0x80) {
      f = fold[b];
      if (f)
        break;
      i++;
      continue;
    }
    size_t j = i;
    f = step(rs, u, len, &j);
    if (f & FOLD_WORD)
      break;
    i = j;
  }
  *ws = i;
  *f0 = f;
  uint64_t x = 1469598103934665603ull;
  while (i < len) {
    uint8_t b = u[i];
    if (b < 0x80) { /* ASCII: never several code points */
      uint32_t g = fold[b];
      if (!g)
        break;
      x = mix(x, g & FOLD_CP);
      i++;
      continue;
    }
    size_t j = i;
    uint32_t g = step(rs, u, len, &j);
    if (!(g & FOLD_WORD))
      break;
    x = mix_fold(x, g);
    i = j;
  }
  *h = x ? x : 1;
  return i;
}

/* Hashes the folded word starting at s[i] (a word character); returns
 * its end. */
static size_t word_at(const vnp_rules *rs, const uint8_t *s, size_t len,
                      size_t i, uint64_t *h) {
  size_t ws;
  uint32_t f0;
  return next_word(rs, s, len, i, &ws, h, &f0);
}

/* The key of two consecutive words (whatever separates them). */
static inline uint64_t pair_key(uint64_t h1, uint64_t h2) {
  uint64_t x = (h1 ^ 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
  x ^= h2 + (x >> 29);
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return x ? x : 1;
}

/* The rules a word may begin, given the word after it (h2 = 0: none):
 * by the key of its folding, of its folding and the next word's, and by
 * its first character when that is a digit (`starts \d`). */
static inline uint64_t word_bits(const vnp_rules *rs, uint64_t h, uint64_t h2,
                                 uint32_t f0) {
  uint64_t m = word_mask(rs, h);
  if (m & PAIR_FLAG) {
    m &= ~PAIR_FLAG;
    if (h2)
      m |= word_mask(rs, pair_key(h, h2));
  }
  if (f0 & FOLD_DIGIT)
    m |= rs->digit_mask;
  return m;
}

static uint64_t word_mask(const vnp_rules *rs, uint64_t h) {
  if (!rs->wcap)
    return 0;
  /* most words of a text begin no phrase: one bit of the filter says so */
  uint64_t fb = FILTER_BIT(h);
  if (!(rs->wfilter[fb >> 6] & (1ull << (fb & 63))))
    return 0;
  for (size_t k = h & (rs->wcap - 1); rs->wkeys[k];
       k = (k + 1) & (rs->wcap - 1))
    if (rs->wkeys[k] == h)
      return rs->wmasks[k];
  return 0;
}

/* Can the index be trusted with this first word? Latin letters and
 * digits only, and every case of each letter folds alike. */
static int word_indexable(const vnp_rules *rs, const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t k;
    uint32_t c = decode_at(s, n, i, &k);
    if (c >= 0x370 && !(c >= 0x1E00 && c <= 0x1EFF))
      return 0;
    uint32_t f = fold_of(rs, c);
    if (f & FOLD_MULTI)
      return 0;
    utf8proc_int32_t lo = utf8proc_tolower((utf8proc_int32_t)c);
    utf8proc_int32_t up = utf8proc_toupper((utf8proc_int32_t)c);
    utf8proc_int32_t ti = utf8proc_totitle((utf8proc_int32_t)c);
    if (fold_of(rs, (uint32_t)lo) != f || fold_of(rs, (uint32_t)up) != f ||
        fold_of(rs, (uint32_t)ti) != f)
      return 0;
    i += k;
  }
  return 1;
}

/* The phrases of a `starts` line: literal phrases and %{list} or
 * %{table.col} references, separated by '|'. */
typedef VNP_VEC(const char *) phrasevec;

static int starts_items(loader *L, vnp_arena *a, const char *spec,
                        phrasevec *out, const char **bad) {
  const char *p = spec;
  while (*p) {
    const char *e = p;
    if (p[0] == '%' && p[1] == '{') {
      e = strchr(p, '}');
      if (!e) {
        *bad = p;
        return -1;
      }
      const char *name = p + 2;
      size_t n = (size_t)(e - name);
      const rule_list *lst = find_list(L, name, n);
      const char *dot = memchr(name, '.', n);
      const rule_table *t =
          !lst && dot ? find_table(L, name, (size_t)(dot - name)) : NULL;
      if (lst) {
        for (size_t i = 0; i < lst->n; i++)
          vnp_vec_push(*out, lst->items[i]);
      } else if (t && t->header) {
        size_t col = t->ncols;
        for (size_t k = 0; k < t->ncols; k++)
          if (strlen(t->header[k]) == (size_t)(e - dot - 1) &&
              strncmp(t->header[k], dot + 1, (size_t)(e - dot - 1)) == 0)
            col = k;
        if (col == t->ncols) {
          *bad = p;
          return -1;
        }
        for (size_t r = 0; r < t->nrows; r++)
          if (col < t->rowlen[r]) {
            /* cells hold several phrases separated by '|' */
            const char *c = t->rows[r][col];
            while (*c) {
              const char *bar = strchr(c, '|');
              size_t len = bar ? (size_t)(bar - c) : strlen(c);
              while (len && *c == ' ')
                c++, len--;
              if (len)
                vnp_vec_push(*out, arena_strndup(a, c, len));
              if (!bar)
                break;
              c = bar + 1;
            }
          }
      } else {
        *bad = p;
        return -1;
      }
      e++;
    } else {
      while (*e && *e != '|')
        e++;
      const char *q = p, *qe = e;
      while (q < qe && (*q == ' ' || *q == '\t'))
        q++;
      while (qe > q && (qe[-1] == ' ' || qe[-1] == '\t'))
        qe--;
      if (qe - q == 2 && q[0] == '\\' && q[1] == 'd')
        vnp_vec_push(*out, "\\d"); /* any word that begins with a digit */
      else if (qe > q)
        vnp_vec_push(*out, canon_text(a, q, (size_t)(qe - q)));
    }
    while (*e == ' ' || *e == '\t')
      e++;
    if (*e == '|')
      e++;
    while (*e == ' ' || *e == '\t')
      e++;
    p = e;
  }
  return 0;
}

/* Gives rule r a bit in the word index, with the first word of each of
 * its `starts` phrases; leaves it without one when a word cannot be
 * trusted to the index. */
static int starts_index(vnp_rules *rs, vnp_arena *a, rule *r, vnp_error *err) {
  loader *L = rs->strings;
  if (strcmp(r->kind, "normalize") == 0)
    return rules_fail(err, r->file, r->starts_line, 1, NULL,
                      "in rule '%s': starts cannot be used with kind "
                      "normalize",
                      r->id);
  phrasevec items = {0};
  const char *bad = NULL;
  if (starts_items(L, a, r->starts, &items, &bad) < 0) {
    vnp_vec_free(items);
    return rules_fail(err, r->file, r->starts_line, 1, NULL,
                      "in rule '%s': unknown list or table in starts: "
                      "'%.20s'",
                      r->id, bad);
  }
  if (L->nstarts >= 63) {
    vnp_vec_free(items);
    return rules_fail(err, r->file, r->starts_line, 1, NULL,
                      "in rule '%s': more than 63 rules use starts", r->id);
  }
  uint64_t bit = 1ull << L->nstarts;
  size_t first = L->words.n;
  int ok = items.n > 0, digit = 0;
  for (size_t i = 0; i < items.n && ok; i++) {
    if (strcmp(items.v[i], "\\d") == 0) {
      digit = 1;
      continue;
    }
    const uint8_t *w = (const uint8_t *)items.v[i];
    size_t n = strlen(items.v[i]), k;
    if (!n || !word_cp(rs, w, n, 0, &k)) {
      const char *it = items.v[i];
      vnp_vec_free(items);
      return rules_fail(err, r->file, r->starts_line, 1, NULL,
                        "in rule '%s': starts phrase '%s' does not begin "
                        "with a letter or digit",
                        r->id, it);
    }
    /* the key: the first word, or the first two of a longer phrase */
    start_word sw;
    size_t end = word_at(rs, w, n, 0, &sw.h);
    sw.bit = bit;
    ok = word_indexable(rs, w, end);
    size_t ws2, end2;
    uint64_t h2;
    uint32_t f2;
    end2 = next_word(rs, w, n, end, &ws2, &h2, &f2);
    if (ok && ws2 < n) {
      ok = word_indexable(rs, w + ws2, end2 - ws2);
      start_word first_word = {sw.h, PAIR_FLAG};
      vnp_vec_push(L->words, first_word);
      sw.h = pair_key(sw.h, h2);
    }
    vnp_vec_push(L->words, sw);
  }
  vnp_vec_free(items);
  if (!ok) {
    L->words.n = first; /* searched as usual */
    return 0;
  }
  L->nstarts++;
  if (digit)
    L->digit_bits |= bit;
  r->start_bit = bit;
  return 0;
}

static void words_build(vnp_rules *rs, struct loader *L) {
  rs->digit_mask = L->digit_bits;
  if (!L->words.n)
    return;
  size_t cap = 64;
  while (cap < L->words.n * 2)
    cap *= 2;
  rs->wkeys = xcalloc(cap, sizeof *rs->wkeys);
  rs->wmasks = xcalloc(cap, sizeof *rs->wmasks);
  rs->wcap = cap;
  for (size_t i = 0; i < L->words.n; i++) {
    size_t k = L->words.v[i].h & (cap - 1);
    while (rs->wkeys[k] && rs->wkeys[k] != L->words.v[i].h)
      k = (k + 1) & (cap - 1);
    rs->wkeys[k] = L->words.v[i].h;
    rs->wmasks[k] |= L->words.v[i].bit;
    uint64_t fb = FILTER_BIT(L->words.v[i].h);
    rs->wfilter[fb >> 6] |= 1ull << (fb & 63);
  }
}

/* ---- lists as tries ----
 *
 * %{list} (and %{table.col}) stands for the alternation (?:a|b|...) of its
 * phrases, longest first. PCRE2 tries such an alternation one phrase after
 * the other, so every attempt at a position cost one comparison per
 * phrase: the gazetteer's few hundred names made each attempt cost
 * thousands of instructions. The loader writes the same alternation as a
 * trie instead: phrases sharing a beginning share it, (?:Ban\ (?:Tuyên|
 * Dân)|Bộ...), and at each node the longer phrases come before the end of
 * a shorter one ((?:...|) with an empty last branch).
 *
 * Same matches, same order: the phrases that can match at a position are
 * those the subject spells from there, so each is a prefix of the longer
 * ones, and the flat alternation, longest first, tries them from the
 * longest down. In the trie at most one branch of a node can match the
 * next character (branches are distinct characters, or distinct case
 * foldings where the site is caseless), so the trie tries the same
 * phrases, longest first, too: a pattern around the list backtracks
 * through the same sequence of phrase ends. Where the site is caseless the
 * trie is built on the Unicode case folding (utf8proc CASEFOLD), and only
 * when every character of the list folds to one code point, its lower,
 * upper and title case fold alike and have the same UTF-8 length (PCRE2's
 * caseless sets are then exactly the characters of a folding); otherwise
 * the site keeps the flat alternation. Whether a site is caseless is read
 * from the expanded pattern ((?i) settings and groups, flag i); a pattern
 * with a construct that reading does not know (\Q, comments) keeps every
 * flat alternation, and a trie pattern PCRE2 rejects (a list inside a
 * lookbehind) is compiled flat. r->pattern_flat keeps the flat pattern for
 * tests/test_rules.c, which compares the two on every corpus line.
 * Only the PCRE2 match limit counts differently (fewer steps). */

#define SITE_MARK '\x01'

/* Records a list site and writes its marker (\x01 and two bytes 0x10-0x1F
 * holding its number: no character NFC or the tone style changes). */
static int list_site_mark(loader *L, struct list_site *site, vnp_buf *out) {
  size_t k = L->sites.n;
  if (k >= 256) {
    if (site->owned) {
      for (size_t i = 0; i < site->n; i++)
        free((char *)site->items[i]);
      free(site->items);
      free((char *)site->key);
    }
    return -1;
  }
  vnp_vec_push(L->sites, *site);
  vnp_buf_putc(out, SITE_MARK);
  vnp_buf_putc(out, (char)(0x10 | (k >> 4)));
  vnp_buf_putc(out, (char)(0x10 | (k & 15)));
  return 0;
}

static void list_sites_free(loader *L) {
  for (size_t k = 0; k < L->sites.n; k++) {
    struct list_site *st = &L->sites.v[k];
    if (!st->owned)
      continue;
    for (size_t i = 0; i < st->n; i++)
      free((char *)st->items[i]);
    free(st->items);
    free((char *)st->key);
  }
  L->sites.n = 0;
}

static void flat_out(vnp_buf *b, const struct list_site *st) {
  vnp_buf_puts(b, "(?:");
  for (size_t i = 0; i < st->n; i++) {
    if (i)
      vnp_buf_putc(b, '|');
    quote_literal(b, st->items[i]);
  }
  if (st->fail)
    vnp_buf_puts(b, "(*FAIL)");
  vnp_buf_putc(b, ')');
}

typedef struct tnode {
  uint32_t key, cp;
  int child, last, sib; /* first and last child, next sibling (-1: none) */
  int term;             /* a phrase ends here */
} tnode;
typedef VNP_VEC(tnode) tnodevec;

/* The trie key of c at a caseless site: its folding, or 0 if c's case
 * variants are not exactly the characters of one folding. */
static uint32_t ci_key(const vnp_rules *rs, uint32_t c) {
  utf8proc_int32_t v[3] = {utf8proc_tolower((utf8proc_int32_t)c),
                           utf8proc_toupper((utf8proc_int32_t)c),
                           utf8proc_totitle((utf8proc_int32_t)c)};
  uint32_t f = fold_of(rs, c);
  uint8_t tmp[4];
  utf8proc_ssize_t len = utf8proc_encode_char((utf8proc_int32_t)c, tmp);
  for (int k = 0; k < 3; k++) {
    if (fold_of(rs, (uint32_t)v[k]) != f ||
        utf8proc_encode_char(v[k], tmp) != len)
      return 0;
  }
  if (!f) /* no letter, no digit: caseless only if it has no case */
    return v[0] == (utf8proc_int32_t)c && v[1] == (utf8proc_int32_t)c ? c : 0;
  if (f & FOLD_MULTI)
    return 0;
  return f & FOLD_CP;
}

static void put_cp(vnp_buf *b, uint32_t c) {
  if (c < 0x80) {
    if (strchr("\\^$.|?*+()[]{}# ", (int)c))
      vnp_buf_putc(b, '\\');
    vnp_buf_putc(b, (char)c);
    return;
  }
  uint8_t tmp[4];
  utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)c, tmp);
  vnp_buf_put(b, (const char *)tmp, (size_t)n);
}

static void trie_emit(const tnodevec *t, int node, vnp_buf *b, int root) {
  const tnode *nd = &t->v[node];
  if (nd->child < 0)
    return;
  if (!root && nd->child == nd->last && !nd->term) {
    put_cp(b, t->v[nd->child].cp);
    trie_emit(t, nd->child, b, 0);
    return;
  }
  vnp_buf_puts(b, "(?:");
  for (int c = nd->child; c >= 0; c = t->v[c].sib) {
    if (c != nd->child)
      vnp_buf_putc(b, '|');
    put_cp(b, t->v[c].cp);
    trie_emit(t, c, b, 0);
  }
  if (nd->term)
    vnp_buf_putc(b, '|');
  vnp_buf_putc(b, ')');
}

/* The trie of a site's phrases (ci: for a caseless site), or NULL if it
 * cannot be one. Malloc'd. */
static char *trie_build(const vnp_rules *rs, const struct list_site *st,
                        int ci) {
  if (!st->n || st->fail)
    return NULL;
  tnodevec t = {0};
  tnode root = {0, 0, -1, -1, -1, 0};
  vnp_vec_push(t, root);
  int ok = 1;
  for (size_t i = 0; i < st->n && ok; i++) {
    const uint8_t *s = (const uint8_t *)st->items[i];
    size_t len = strlen(st->items[i]), j = 0;
    int node = 0;
    if (!len)
      ok = 0;
    while (j < len && ok) {
      utf8proc_int32_t c;
      utf8proc_ssize_t n = utf8proc_iterate(s + j, (utf8proc_ssize_t)(len - j),
                                            &c);
      if (n <= 0) {
        ok = 0;
        break;
      }
      j += (size_t)n;
      uint32_t key = ci ? ci_key(rs, (uint32_t)c) : (uint32_t)c;
      if (!key) {
        ok = 0;
        break;
      }
      int ch = t.v[node].child;
      while (ch >= 0 && t.v[ch].key != key)
        ch = t.v[ch].sib;
      if (ch < 0) {
        tnode nn = {key, (uint32_t)c, -1, -1, -1, 0};
        vnp_vec_push(t, nn);
        ch = (int)t.n - 1;
        if (t.v[node].last >= 0)
          t.v[t.v[node].last].sib = ch;
        else
          t.v[node].child = ch;
        t.v[node].last = ch;
      }
      node = ch;
    }
    if (ok)
      t.v[node].term = 1;
  }
  char *res = NULL;
  if (ok) {
    vnp_buf b = VNP_BUF_INIT;
    trie_emit(&t, 0, &b, 1);
    res = xstrndup(b.ptr, b.len);
    vnp_buf_free(&b);
  }
  vnp_vec_free(t);
  return res;
}

/* The trie text of a site in mode ci (NULL: keep it flat), built once per
 * list and mode. */
static const char *trie_of(vnp_rules *rs, loader *L,
                           const struct list_site *st, int ci) {
  for (size_t i = 0; i < L->tries.n; i++)
    if (L->tries.v[i].ci == ci && strcmp(L->tries.v[i].key, st->key) == 0)
      return L->tries.v[i].text;
  struct trie_cache tc = {xstrdup(st->key), ci, trie_build(rs, st, ci)};
  vnp_vec_push(L->tries, tc);
  return tc.text;
}

/* Reads the expanded pattern p (with site markers) for the caseless state
 * at each marker: mode[k] for site k. Returns 0, or -1 on a construct it
 * does not follow. */
static int site_modes(const char *p, int ci, int *mode, size_t nsites) {
  int stack[256];
  size_t depth = 0;
  size_t i = 0;
  while (p[i]) {
    char c = p[i];
    if (c == SITE_MARK) {
      size_t k = ((size_t)(p[i + 1] & 15) << 4) | (size_t)(p[i + 2] & 15);
      if (k >= nsites)
        return -1;
      mode[k] = ci;
      i += 3;
    } else if (c == '\\') {
      if (p[i + 1] == 'Q' || !p[i + 1])
        return -1;
      i += 2;
    } else if (c == '[') {
      size_t j = i + 1;
      if (p[j] == '^')
        j++;
      if (p[j] == ']')
        j++;
      while (p[j] && p[j] != ']') {
        if (p[j] == '\\') {
          if (!p[j + 1])
            return -1;
          j += 2;
        } else if (p[j] == '[' && p[j + 1] == ':') {
          const char *e = strstr(p + j + 2, ":]");
          if (!e)
            return -1;
          j = (size_t)(e - p) + 2;
        } else if (p[j] == SITE_MARK) {
          return -1;
        } else {
          j++;
        }
      }
      if (!p[j])
        return -1;
      i = j + 1;
    } else if (c == '(') {
      if (depth >= sizeof stack / sizeof *stack)
        return -1;
      if (p[i + 1] == '?' && p[i + 2] == '#')
        return -1;
      if (p[i + 1] == '?') {
        size_t j = i + 2;
        int set = ci, neg = 0;
        while ((p[j] >= 'a' && p[j] <= 'z') || (p[j] >= 'A' && p[j] <= 'Z') ||
               p[j] == '-' || p[j] == '^') {
          if (p[j] == '-')
            neg = 1;
          else if (p[j] == '^')
            set = 0;
          else if (p[j] == 'i')
            set = !neg;
          j++;
        }
        if (p[j] == ')') { /* (?i): the rest of the group */
          ci = set;
          i = j + 1;
          continue;
        }
        stack[depth++] = ci;
        if (p[j] == ':') { /* (?i:...) */
          ci = set;
          i = j + 1;
          continue;
        }
        i += 2; /* (?=, (?<name>, (?(, ...: the group inherits */
        continue;
      }
      stack[depth++] = ci;
      i++;
    } else if (c == ')') {
      if (!depth)
        return -1;
      ci = stack[--depth];
      i++;
    } else {
      i++;
    }
  }
  return 0;
}

/* Replaces the site markers of pat: r->pattern with tries where the sites
 * allow, r->pattern_flat (NULL if the same) with the flat alternations. */
static int list_sites_out(vnp_rules *rs, vnp_arena *a, rule *r,
                          const char *pat) {
  loader *L = rs->strings;
  if (!L->sites.n) {
    r->pattern = pat;
    r->pattern_flat = NULL;
    return 0;
  }
  int *mode = xcalloc(L->sites.n, sizeof *mode);
  int tries = site_modes(pat, (r->compile_opts & PCRE2_CASELESS) != 0, mode,
                         L->sites.n) == 0;
  vnp_buf flat = VNP_BUF_INIT, trie = VNP_BUF_INIT;
  int differ = 0;
  for (const char *q = pat; *q;) {
    if (*q != SITE_MARK) {
      const char *e = strchr(q, SITE_MARK);
      size_t n = e ? (size_t)(e - q) : strlen(q);
      vnp_buf_put(&flat, q, n);
      vnp_buf_put(&trie, q, n);
      q += n;
      continue;
    }
    size_t k = ((size_t)(q[1] & 15) << 4) | (size_t)(q[2] & 15);
    q += 3;
    const struct list_site *st = &L->sites.v[k];
    flat_out(&flat, st);
    const char *tt = tries ? trie_of(rs, L, st, mode[k]) : NULL;
    if (tt) {
      vnp_buf_puts(&trie, tt);
      differ = 1;
    } else {
      flat_out(&trie, st);
    }
  }
  free(mode);
  r->pattern = arena_strndup(a, trie.ptr, trie.len);
  r->pattern_flat = differ ? arena_strndup(a, flat.ptr, flat.len) : NULL;
  vnp_buf_free(&flat);
  vnp_buf_free(&trie);
  list_sites_free(L);
  return 0;
}

uint64_t rules_words(const vnp_rules *rs, const char *s, size_t len,
                     rule_wordvec *out) {
  out->n = 0;
  uint64_t all = 0;
  if (!rs->wcap && !rs->digit_mask)
    return 0;
  const uint8_t *u = (const uint8_t *)s;
  size_t ws, ws2;
  uint64_t h = 0, h2 = 0;
  uint32_t f0 = 0, f2 = 0;
  size_t i = next_word(rs, u, len, 0, &ws, &h, &f0);
  while (ws < len) {
    i = next_word(rs, u, len, i, &ws2, &h2, &f2);
    uint64_t m = word_bits(rs, h, ws2 < len ? h2 : 0, f0);
    if (m) {
      rule_word w = {(uint32_t)ws, m};
      vnp_vec_push(*out, w);
      all |= m;
    }
    ws = ws2;
    h = h2;
    f0 = f2;
  }
  return all;
}

/* The start of the word before position i (i: a word start or a
 * non-word character's position; skips the non-word characters before
 * it, then the word), or (size_t)-1 if there is none or the text is not
 * well-formed there. */
static size_t word_start_before(const vnp_rules *rs, const uint8_t *u,
                                size_t i) {
  int in_word = 0;
  while (i > 0) {
    size_t j = i - 1, n;
    while (j > 0 && i - j < 4 && (u[j] & 0xC0) == 0x80)
      j--;
    int w = word_cp(rs, u, i, j, &n);
    if (j + n != i)
      return (size_t)-1;
    if (in_word && !w)
      return i;
    in_word |= w;
    i = j;
  }
  return in_word ? 0 : (size_t)-1;
}

uint64_t rules_words_sub(const vnp_rules *rs, const char *s, size_t len,
                         const rule_word *w, size_t nw, size_t a, size_t b,
                         rule_wordvec *out) {
  const uint8_t *u = (const uint8_t *)s;
  out->n = 0;
  if (b > len || a > b)
    return rules_words(rs, s + a, b > len || a > b ? 0 : b - a, out);
  /* a short text, or one cut inside a character: read it */
  if (b - a < 64 || (a < len && (u[a] & 0xC0) == 0x80) ||
      (b < len && (u[b] & 0xC0) == 0x80))
    return rules_words(rs, s + a, b - a, out);
  /* tail: from the start of the second to last word, read (the last word
   * may be cut at b, and it has no next word there) */
  size_t t = word_start_before(rs, u, b); /* the last word (cut or not) */
  if (t != (size_t)-1 && t > a)
    t = word_start_before(rs, u, t);
  if (t == (size_t)-1 || t <= a + 16)
    return rules_words(rs, s + a, b - a, out);
  /* head: a word cut at a starts a word of the text only there */
  size_t from = a;
  uint64_t all = 0;
  if (word_before(rs, u, a)) {
    size_t ws, ws2, e1;
    uint64_t h = 0, h2 = 0;
    uint32_t f0 = 0, f2 = 0;
    e1 = next_word(rs, u, b, a, &ws, &h, &f0);
    if (ws == a) { /* s[a] a word character: a word of its own here */
      if (e1 >= t)
        return rules_words(rs, s + a, b - a, out);
      next_word(rs, u, b, e1, &ws2, &h2, &f2);
      uint64_t m = word_bits(rs, h, ws2 < b ? h2 : 0, f0);
      if (m) {
        rule_word rw = {0, m};
        vnp_vec_push(*out, rw);
        all |= m;
      }
      from = e1;
    }
  }
  /* middle: the text's own word starts in [from, t), unchanged (each word
   * and the word after it lie whole inside s[a..b)) */
  size_t lo = 0, hi = nw;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (w[mid].pos < from)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t k = lo; k < nw && w[k].pos < t; k++) {
    rule_word rw = {w[k].pos - (uint32_t)a, w[k].mask};
    vnp_vec_push(*out, rw);
    all |= w[k].mask;
  }
  /* tail */
  size_t ws, ws2;
  uint64_t h = 0, h2 = 0;
  uint32_t f0 = 0, f2 = 0;
  size_t i = next_word(rs, u, b, t, &ws, &h, &f0);
  while (ws < b) {
    i = next_word(rs, u, b, i, &ws2, &h2, &f2);
    uint64_t m = word_bits(rs, h, ws2 < b ? h2 : 0, f0);
    if (m) {
      rule_word rw = {(uint32_t)(ws - a), m};
      vnp_vec_push(*out, rw);
      all |= m;
    }
    ws = ws2;
    h = h2;
    f0 = f2;
  }
  return all;
}

uint64_t rules_lower_hash(const char *s, size_t n, int *ok) {
  uint64_t h = 1469598103934665603ull;
  size_t i = 0;
  *ok = 1;
  while (i < n) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &c);
    if (k <= 0) {
      *ok = 0;
      return 0;
    }
    h = (h ^ (uint64_t)utf8proc_tolower(c)) * 1099511628211ull;
    i += (size_t)k;
  }
  return h;
}

/* The hash table of a list's items (rules_list_find). */
static void list_hash_build(vnp_arena *a, rule_list *l) {
  size_t cap = 16;
  while (cap < l->n * 2)
    cap *= 2;
  uint64_t *hs = arena_alloc(a, cap * sizeof *hs);
  uint32_t *sl = arena_alloc(a, cap * sizeof *sl);
  memset(sl, 0, cap * sizeof *sl);
  for (size_t i = 0; i < l->n; i++) {
    int ok;
    uint64_t h = rules_lower_hash(l->items[i], strlen(l->items[i]), &ok);
    if (!ok)
      return; /* no table: rules_list_find tries every item */
    size_t k = h & (cap - 1);
    while (sl[k])
      k = (k + 1) & (cap - 1);
    hs[k] = h;
    sl[k] = (uint32_t)i + 1;
  }
  l->lhash = hs;
  l->lslot = sl;
  l->lcap = cap;
}

const char *rules_list_find(const rule_list *l, const char *s, size_t n,
                            int (*eq)(const char *, size_t, const char *,
                                      size_t)) {
  if (!l)
    return NULL;
  int ok = 0;
  uint64_t h = l->lcap ? rules_lower_hash(s, n, &ok) : 0;
  if (!ok) {
    for (size_t i = 0; i < l->n; i++)
      if (eq(l->items[i], strlen(l->items[i]), s, n))
        return l->items[i];
    return NULL;
  }
  /* items in list order among those with this hash: the first that is
   * equal, as a walk over the whole list would find */
  const char *best = NULL;
  uint32_t besti = 0;
  for (size_t k = h & (l->lcap - 1); l->lslot[k]; k = (k + 1) & (l->lcap - 1))
    if (l->lhash[k] == h && (!best || l->lslot[k] < besti)) {
      const char *it = l->items[l->lslot[k] - 1];
      if (eq(it, strlen(it), s, n)) {
        best = it;
        besti = l->lslot[k];
      }
    }
  return best;
}

static int load_list(vnp_rules *rs, vnp_arena *a, const char *path,
                     const char *name, vnp_error *err) {
  loader *L = rs->strings;
  vnp_buf text = VNP_BUF_INIT;
  if (read_file(path, &text) < 0) {
    vnp_buf_free(&text);
    return rules_fail(err, path, 0, 0, NULL, "cannot read: %s",
                      strerror(errno));
  }
  VNP_VEC(const char *) items = {0};
  char *p = text.ptr;
  while (p && *p) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = 0;
    char *s = trim(p);
    p = nl ? nl + 1 : NULL;
    if (!*s || *s == '#')
      continue;
    vnp_vec_push(items, (const char *)canon_text(a, s, strlen(s)));
  }
  if (items.n)
    qsort(items.v, items.n, sizeof(char *), cmp_len_desc);
  rule_list l;
  memset(&l, 0, sizeof l);
  l.name = arena_strdup(a, name);
  l.n = items.n;
  l.items = arena_alloc(a, (items.n ? items.n : 1) * sizeof(char *));
  if (items.n)
    memcpy(l.items, items.v, items.n * sizeof(char *));
  list_hash_build(a, &l);
  vnp_vec_push(L->lists, l);
  vnp_vec_free(items);
  vnp_buf_free(&text);
  return 0;
}

static int load_table(vnp_rules *rs, vnp_arena *a, const char *path,
                      const char *name, vnp_error *err) {
  loader *L = rs->strings;
  vnp_buf text = VNP_BUF_INIT;
  if (read_file(path, &text) < 0) {
    vnp_buf_free(&text);
    return rules_fail(err, path, 0, 0, NULL, "cannot read: %s",
                      strerror(errno));
  }
  rule_table t;
  memset(&t, 0, sizeof t);
  t.name = arena_strdup(a, name);
  VNP_VEC(const char **) rows = {0};
  VNP_VEC(size_t) lens = {0};
  char *p = text.ptr;
  int first = 1;
  while (p && *p) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = 0;
    char *line = p;
    p = nl ? nl + 1 : NULL;
    size_t ll = strlen(line);
    if (ll && line[ll - 1] == '\r')
      line[--ll] = 0;
    int is_header = first && line[0] == '#';
    first = 0;
    if (!is_header && (!*trim(line) || line[0] == '#'))
      continue;
    if (is_header)
      line++;
    VNP_VEC(const char *) cells = {0};
    char *c = line;
    for (;;) {
      char *tab = strchr(c, '\t');
      if (tab)
        *tab = 0;
      char *cell = trim(c);
      vnp_vec_push(cells, (const char *)canon_text(a, cell, strlen(cell)));
      if (!tab)
        break;
      c = tab + 1;
    }
    const char **arr = arena_alloc(a, (cells.n + 1) * sizeof(char *));
    memcpy(arr, cells.v, cells.n * sizeof(char *));
    if (is_header) {
      t.header = arr;
      t.ncols = cells.n;
    } else {
      vnp_vec_push(rows, arr);
      vnp_vec_push(lens, cells.n);
    }
    vnp_vec_free(cells);
  }
  t.nrows = rows.n;
  t.rows = arena_alloc(a, (rows.n + 1) * sizeof(char **));
  t.rowlen = arena_alloc(a, (rows.n + 1) * sizeof(size_t));
  if (rows.n) {
    memcpy(t.rows, rows.v, rows.n * sizeof(char **));
    memcpy(t.rowlen, lens.v, lens.n * sizeof(size_t));
  }
  vnp_vec_push(L->tables, t);
  vnp_vec_free(rows);
  vnp_vec_free(lens);
  vnp_buf_free(&text);
  return 0;
}

static int load_file(vnp_rules *rs, vnp_arena *a, const char *path,
                     vnp_error *err) {
  return load_rules_file(rs->strings, rs, a, path, err);
}

/* ---- lookup ---- */

typedef struct rules_kind_index {
  const char *kind;
  const rule **v;
  size_t n;
} rules_kind_index;

static int cmp_prio(const void *a, const void *b) {
  const rule *ra = *(const rule *const *)a, *rb = *(const rule *const *)b;
  if (ra->priority != rb->priority)
    return ra->priority > rb->priority ? -1 : 1;
  return ra->order < rb->order ? -1 : (ra->order > rb->order);
}

/* Groups rules by kind, highest priority first, then file order. */
static void rules_build_index(vnp_rules *rs) {
  size_t nk = sizeof KINDS / sizeof *KINDS;
  for (size_t i = 0; i < rs->nrules; i++) {
    rule *r = &rs->rules[i];
    r->emit_role = rule_emit(r, "role");
    r->emit_scope = rule_emit(r, "scope");
    r->emit_needs = rule_emit(r, "needs");
  }
  rs->index = xcalloc(nk, sizeof(rules_kind_index));
  rs->nindex = nk;
  for (size_t k = 0; k < nk; k++) {
    rules_kind_index *ix = &rs->index[k];
    ix->kind = KINDS[k].kind;
    for (size_t i = 0; i < rs->nrules; i++)
      if (strcmp(rs->rules[i].kind, ix->kind) == 0)
        ix->n++;
    ix->v = xcalloc(ix->n ? ix->n : 1, sizeof(rule *));
    size_t j = 0;
    for (size_t i = 0; i < rs->nrules; i++)
      if (strcmp(rs->rules[i].kind, ix->kind) == 0)
        ix->v[j++] = &rs->rules[i];
    qsort(ix->v, ix->n, sizeof(rule *), cmp_prio);
  }
}

static const char *default_dir(void) {
  static const char *const cands[] = {
#ifdef VNP_RULES_DIR
      VNP_RULES_DIR,
#endif
      "rules", NULL};
  struct stat st;
  const char *env = getenv("VNPLAN_RULES");
  if (env && *env)
    return env;
  /* next to the executable: ../rules (source tree) or ../share/vnplan/rules */
  static __thread char exe_rules[4096];
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = 0;
      const char *rel[] = {"/../rules", "/../../rules", "/../share/vnplan/rules"};
      for (size_t i = 0; i < 3; i++) {
        snprintf(exe_rules, sizeof exe_rules, "%s%s", exe, rel[i]);
        if (stat(exe_rules, &st) == 0 && S_ISDIR(st.st_mode))
          return exe_rules;
      }
    }
  }
  for (size_t i = 0; cands[i]; i++)
    if (stat(cands[i], &st) == 0 && S_ISDIR(st.st_mode))
      return cands[i];
  return "rules";
}

static int ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

int vnp_rules_load(const char *dir, vnp_rules **out, vnp_error *err) {
  *out = NULL;
  if (!dir)
    dir = default_dir();
  DIR *dh = opendir(dir);
  if (!dh)
    return rules_fail(err, dir, 0, 0, NULL, "cannot open rules directory: %s",
                      strerror(errno));
  VNP_VEC(char *) names = {0};
  struct dirent *de;
  while ((de = readdir(dh)) != NULL) {
    if (de->d_name[0] == '.')
      continue;
    if (ends_with(de->d_name, ".rules") || ends_with(de->d_name, ".lst") ||
        ends_with(de->d_name, ".tsv"))
      vnp_vec_push(names, xstrdup(de->d_name));
  }
  closedir(dh);
  if (names.n)
    qsort(names.v, names.n, sizeof(char *), cmp_str);

  vnp_rules *rs = xcalloc(1, sizeof(vnp_rules));
  rs->dir = xstrdup(dir);
  rs->fold = fold_table();
  vnp_arena *a = xcalloc(1, sizeof(vnp_arena));
  arena_init(a);
  loader L;
  memset(&L, 0, sizeof L);
  rs->strings = &L;
  int rc = 0;
  char path[4096];
  /* lists and tables first, so every rule file can use every list */
  for (int pass = 0; pass < 2 && !rc; pass++) {
    for (size_t i = 0; i < names.n && !rc; i++) {
      const char *nm = names.v[i];
      if (strlen(dir) + strlen(nm) + 2 > sizeof path) {
        rc = rules_fail(err, dir, 0, 0, NULL, "path too long: %s", nm);
        break;
      }
      memcpy(path, dir, strlen(dir));
      path[strlen(dir)] = '/';
      strcpy(path + strlen(dir) + 1, nm);
      char base[256];
      size_t bl = strlen(nm) < sizeof base - 1 ? strlen(nm) : sizeof base - 1;
      memcpy(base, nm, bl);
      base[bl] = 0;
      char *dot = strrchr(base, '.');
      if (dot)
        *dot = 0;
      if (pass == 0 && ends_with(nm, ".lst"))
        rc = load_list(rs, a, path, base, err);
      else if (pass == 0 && ends_with(nm, ".tsv"))
        rc = load_table(rs, a, path, base, err);
      else if (pass == 1 && ends_with(nm, ".rules"))
        rc = load_file(rs, a, path, err);
    }
  }
  for (size_t i = 0; i < names.n; i++)
    free(names.v[i]);
  vnp_vec_free(names);
  /* move loader vectors into the rules (arena keeps the strings) */
  rs->rules = L.rules.v;
  rs->nrules = L.rules.n;
  rs->lists = L.lists.v;
  rs->nlists = L.lists.n;
  rs->tables = L.tables.v;
  rs->ntables = L.tables.n;
  vnp_vec_free(L.defines);
  list_sites_free(&L);
  vnp_vec_free(L.sites);
  for (size_t i = 0; i < L.tries.n; i++) {
    free(L.tries.v[i].key);
    free(L.tries.v[i].text);
  }
  vnp_vec_free(L.tries);
  words_build(rs, &L);
  vnp_vec_free(L.words);
  rs->strings = a;
  rs->mctx = pcre2_match_context_create(NULL);
  pcre2_set_match_limit(rs->mctx, VNP_PCRE_MATCH_LIMIT);
  pcre2_set_depth_limit(rs->mctx, VNP_PCRE_DEPTH_LIMIT);
  if (!rs->max_groups)
    rs->max_groups = 1;
  if (rc) {
    vnp_rules_free(rs);
    return rc;
  }
  rules_build_index(rs);
  *out = rs;
  return 0;
}

void vnp_rules_free(vnp_rules *rs) {
  if (!rs)
    return;
  for (size_t i = 0; i < rs->nrules; i++) {
    pcre2_code_free(rs->rules[i].re);
    int first = 1; /* gates are shared: free each once */
    for (size_t j = 0; j < i && first; j++)
      first = rs->rules[j].gate_re != rs->rules[i].gate_re;
    if (first)
      pcre2_code_free(rs->rules[i].gate_re);
  }
  for (size_t k = 0; k < rs->nindex; k++)
    free(rs->index[k].v);
  free(rs->index);
  free(rs->rules);
  free(rs->lists);
  free(rs->tables);
  pcre2_match_context_free(rs->mctx);
  free(rs->wkeys);
  free(rs->wmasks);
  free(rs->fold);
  if (rs->strings) {
    arena_free(rs->strings);
    free(rs->strings);
  }
  free(rs->dir);
  free(rs);
}

const char *vnp_rules_dir(const vnp_rules *rs) { return rs->dir; }
size_t vnp_rules_count(const vnp_rules *rs) { return rs->nrules; }

size_t rules_of_kind(const vnp_rules *rs, const char *kind,
                     const rule *const **out) {
  for (size_t k = 0; k < rs->nindex; k++) {
    if (strcmp(rs->index[k].kind, kind) == 0) {
      *out = (const rule *const *)rs->index[k].v;
      return rs->index[k].n;
    }
  }
  *out = NULL;
  return 0;
}

const rule_list *rules_list(const vnp_rules *rs, const char *name) {
  for (size_t i = 0; i < rs->nlists; i++)
    if (strcmp(rs->lists[i].name, name) == 0)
      return &rs->lists[i];
  return NULL;
}

const rule_table *rules_table(const vnp_rules *rs, const char *name) {
  for (size_t i = 0; i < rs->ntables; i++)
    if (strcmp(rs->tables[i].name, name) == 0)
      return &rs->tables[i];
  return NULL;
}

pcre2_match_data *rules_match_data(const vnp_rules *rs) {
  pcre2_match_data *md = pcre2_match_data_create(rs->max_groups + 1, NULL);
  if (!md) {
    fputs("vnplan: out of memory, aborting\n", stderr);
    abort();
  }
  return md;
}

/* Does lit[1..n) match at s (ASCII letters caseless, other bytes exact)? */
static int literal_rest(const char *s, const char *lit, size_t n) {
  for (size_t k = 1; k < n; k++) {
    unsigned char x = (unsigned char)s[k], y = (unsigned char)lit[k];
    if (x == y)
      continue;
    if (x < 0x80 && y < 0x80 && (x | 32) == (y | 32) &&
        ((x | 32) >= 'a' && (x | 32) <= 'z'))
      continue;
    return 0;
  }
  return 1;
}

/* ASCII-caseless, UTF-8-exact substring test for prefilters. The first
 * byte is found with memchr (both cases of a letter, each search resumed
 * only when passed). */
static int has_literal(const char *s, size_t len, const char *lit) {
  size_t n = strlen(lit);
  if (!n)
    return 1;
  if (n > len)
    return 0;
  unsigned char c0 = (unsigned char)lit[0];
  unsigned char lo = (c0 >= 'A' && c0 <= 'Z') ? c0 + 32 : c0;
  unsigned char up = (c0 >= 'a' && c0 <= 'z') ? c0 - 32 : c0;
  const char *p = s, *end = s + (len - n + 1); /* candidate starts */
  const char *ql = NULL, *qu = NULL;
  while (p < end) {
    if (!ql || ql < p)
      ql = memchr(p, lo, (size_t)(end - p));
    if (lo == up)
      qu = ql;
    else if (!qu || qu < p)
      qu = memchr(p, up, (size_t)(end - p));
    if (!ql) /* keep the other case's search */
      ql = end;
    if (!qu)
      qu = end;
    const char *q = ql < qu ? ql : qu;
    if (q >= end)
      return 0;
    if (literal_rest(q, lit, n))
      return 1;
    p = q + 1;
  }
  return 0;
}

/* pcre2_match, through the JIT fast path when the rule has JIT code (the
 * same result without pcre2_match's per-call checks; the reader
 * guarantees valid UTF-8 and start <= len). */
static inline int match(const vnp_rules *rs, const rule *r, const char *s,
                        size_t len, size_t start, pcre2_match_data *md) {
  if (r->jit)
    return pcre2_jit_match(r->re, (PCRE2_SPTR)s, len, start, 0, md, rs->mctx);
  return pcre2_match(r->re, (PCRE2_SPTR)s, len, start, PCRE2_NO_UTF_CHECK, md,
                     rs->mctx);
}

/* One anchored attempt of an indexed rule at `at`. */
static int exec_at(const vnp_rules *rs, const rule *r, const char *s,
                   size_t len, size_t at, pcre2_match_data *md) {
  int rc = match(rs, r, s, len, at, md);
  if (rc == PCRE2_ERROR_NOMATCH)
    return 0;
  return rc == 0 ? 1 : rc;
}

int rule_exec(const vnp_rules *rs, const rule *r, const char *s, size_t len,
              size_t start, pcre2_match_data *md) {
  if (start > len)
    return PCRE2_ERROR_BADOFFSET;
  if (r->prefilter && !has_literal(s + start, len - start, r->prefilter))
    return 0;
  if (r->start_bit) {
    const uint8_t *u = (const uint8_t *)s;
    size_t i = start, n;
    if (word_before(rs, u, i)) /* inside a word: no start before its end */
      while (i < len && word_cp(rs, u, len, i, &n))
        i += n;
    size_t ws, ws2;
    uint64_t h = 0, h2 = 0;
    uint32_t f0 = 0, f2 = 0;
    i = next_word(rs, u, len, i, &ws, &h, &f0);
    while (ws < len) {
      i = next_word(rs, u, len, i, &ws2, &h2, &f2);
      if (word_bits(rs, h, ws2 < len ? h2 : 0, f0) & r->start_bit) {
        int rc = exec_at(rs, r, s, len, ws, md);
        if (rc)
          return rc;
      }
      ws = ws2;
      h = h2;
      f0 = f2;
    }
    return 0;
  }
  int rc = match(rs, r, s, len, start, md);
  if (rc == PCRE2_ERROR_NOMATCH)
    return 0;
  if (rc == 0)
    rc = 1; /* ovector too small: cannot happen with rules_match_data */
  return rc;
}

int rule_exec_words(const vnp_rules *rs, const rule *r, const char *s,
                    size_t len, size_t start, pcre2_match_data *md,
                    const rule_word *w, size_t nw) {
  if (!r->start_bit)
    return rule_exec(rs, r, s, len, start, md);
  if (start > len)
    return PCRE2_ERROR_BADOFFSET;
  if (r->prefilter && !has_literal(s + start, len - start, r->prefilter))
    return 0;
  size_t lo = 0, hi = nw; /* first word at or after start */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (w[mid].pos < start)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t k = lo; k < nw; k++) {
    if (!(w[k].mask & r->start_bit))
      continue;
    int rc = exec_at(rs, r, s, len, w[k].pos, md);
    if (rc)
      return rc;
  }
  return 0;
}

int rule_gate(const vnp_rules *rs, const rule *r, const char *s, size_t len,
              pcre2_match_data *md) {
  if (!r->gate_re)
    return 1;
  int rc = pcre2_match(r->gate_re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK,
                       md, rs->mctx);
  return rc != PCRE2_ERROR_NOMATCH; /* an error: cannot tell, run the rule */
}

int rule_group(const rule *r, pcre2_match_data *md, const char *name,
               size_t *gs, size_t *ge) {
  int n = pcre2_substring_number_from_name(r->re, (PCRE2_SPTR)name);
  if (n < 0 && n != PCRE2_ERROR_NOUNIQUESUBSTRING) {
    return 0;
  }
  /* a name may be used by several groups with (?J) or (?|...): take the
   * first set one */
  PCRE2_SPTR first, last;
  int esize = pcre2_substring_nametable_scan(r->re, (PCRE2_SPTR)name, &first,
                                             &last);
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
  uint32_t ovn = pcre2_get_ovector_count(md);
  if (esize > 0) {
    for (PCRE2_SPTR e = first; e <= last; e += esize) {
      int g = (e[0] << 8) | e[1];
      if ((uint32_t)g < ovn && ov[2 * g] != PCRE2_UNSET) {
        *gs = ov[2 * g];
        *ge = ov[2 * g + 1];
        return 1;
      }
    }
    return 0;
  }
  if ((uint32_t)n >= ovn || ov[2 * n] == PCRE2_UNSET)
    return 0;
  *gs = ov[2 * n];
  *ge = ov[2 * n + 1];
  return 1;
}

const char *rule_emit(const rule *r, const char *key) {
  for (size_t i = 0; i < r->nemit; i++)
    if (strcmp(r->emit[i].key, key) == 0)
      return r->emit[i].value;
  return NULL;
}

void rule_span(pcre2_match_data *md, size_t *s, size_t *e) {
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
  *s = ov[0];
  *e = ov[1];
}

pcre2_code *rules_plain_code(const rule *r) {
  if (!r->start_bit && !r->pattern_flat)
    return NULL;
  int ecode;
  PCRE2_SIZE eoff;
  const char *p = r->pattern_flat ? r->pattern_flat : r->pattern;
  return pcre2_compile((PCRE2_SPTR)p, PCRE2_ZERO_TERMINATED,
                       PCRE2_UTF | PCRE2_UCP | r->compile_opts, &ecode, &eoff,
                       NULL);
}

int rules_check_index(const vnp_rules *rs, const rule *r,
                      const pcre2_code *plain, const char *s, size_t len,
                      char *why, size_t n) {
  if (!r->start_bit && !r->pattern_flat)
    return 1;
  if (!plain) {
    snprintf(why, n, "rule %s: pattern does not compile unanchored", r->id);
    return 0;
  }
  pcre2_match_data *m1 = rules_match_data(rs), *m2 = rules_match_data(rs);
  int ok = 1;
  size_t start = 0;
  while (ok && start <= len) {
    int a = rule_exec(rs, r, s, len, start, m1);
    int b = 0;
    if (!r->prefilter || has_literal(s + start, len - start, r->prefilter)) {
      b = pcre2_match(plain, (PCRE2_SPTR)s, len, start, PCRE2_NO_UTF_CHECK, m2,
                      rs->mctx);
      if (b == PCRE2_ERROR_NOMATCH)
        b = 0;
      else if (b == 0)
        b = 1;
    }
    if ((a > 0) != (b > 0)) {
      snprintf(why, n, "rule %s: from offset %zu the index %s, a search %s",
               r->id, start, a > 0 ? "matches" : "does not match",
               b > 0 ? "matches" : "does not");
      ok = 0;
      break;
    }
    if (a <= 0)
      break;
    size_t s1, e1, s2, e2;
    rule_span(m1, &s1, &e1);
    rule_span(m2, &s2, &e2);
    if (s1 != s2 || e1 != e2) {
      snprintf(why, n,
               "rule %s: from offset %zu the index matches [%zu,%zu), a "
               "search [%zu,%zu)",
               r->id, start, s1, e1, s2, e2);
      ok = 0;
      break;
    }
    /* every group alike too (the lists as tries, see above) */
    PCRE2_SIZE *o1 = pcre2_get_ovector_pointer(m1);
    PCRE2_SIZE *o2 = pcre2_get_ovector_pointer(m2);
    uint32_t ng = (uint32_t)(a < b ? a : b);
    for (uint32_t g = 1; g < ng && ok; g++)
      if (o1[2 * g] != o2[2 * g] || o1[2 * g + 1] != o2[2 * g + 1]) {
        snprintf(why, n, "rule %s: from offset %zu group %u differs", r->id,
                 start, g);
        ok = 0;
      }
    if (!ok || a != b) {
      if (ok)
        snprintf(why, n, "rule %s: from offset %zu %d vs %d groups set",
                 r->id, start, a, b);
      ok = 0;
      break;
    }
    if (e1 > s1) {
      start = e1;
    } else {
      start = s1 + 1;
      while (start < len && (s[start] & 0xC0) == 0x80)
        start++;
    }
  }
  pcre2_match_data_free(m1);
  pcre2_match_data_free(m2);
  return ok;
}
