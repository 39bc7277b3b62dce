/*
 * json.h - a small JSON writer (internal), after jq's jv_print.c.
 *
 * Output is always valid JSON and valid UTF-8: strings are escaped ('"',
 * '\\', \n \t \r \b \f, other controls and DEL as \u00XX), invalid UTF-8 is
 * written as U+FFFD. Keys come out in the order the caller writes them.
 */
#ifndef VNP_JSON_H
#define VNP_JSON_H

#include "buf.h"
#include "vnplan.h"

#include <stdint.h>

#define JSON_MAX_NEST 64

/* Receives the output in pieces (json_set_flush). */
typedef void (*json_flush_fn)(const char *s, size_t n, void *ctx);

/* Output is handed to the flush function whenever this much is buffered. */
#define JSON_FLUSH_AT 65536

typedef struct json_w {
  vnp_buf *out;
  json_flush_fn flush; /* NULL: everything stays in `out` */
  void *flush_ctx;
  int pretty;
  int depth;
  int count[JSON_MAX_NEST]; /* values written at each depth */
  int after_key;
  vnp_tone_style tone; /* applied to every string written */
} json_w;

void json_init(json_w *w, vnp_buf *out, int pretty, vnp_tone_style tone);
/* Streams the output: `out` is emptied through fn every JSON_FLUSH_AT
 * bytes or so, and at json_end. */
void json_set_flush(json_w *w, json_flush_fn fn, void *ctx);
void json_obj_begin(json_w *w);
void json_obj_end(json_w *w);
void json_arr_begin(json_w *w);
void json_arr_end(json_w *w);
void json_key(json_w *w, const char *key);
void json_str(json_w *w, const char *s, size_t len);
void json_strz(json_w *w, const char *s); /* NULL writes null */
void json_int(json_w *w, long long v);
void json_uint(json_w *w, unsigned long long v);
void json_double(json_w *w, double v);
void json_bool(json_w *w, int v);
void json_null(json_w *w);
/* A member "key": value in one call (the object's key, then the value). */
void json_kstr(json_w *w, const char *key, const char *s); /* NULL: null */
void json_kint(json_w *w, const char *key, long long v);
void json_kdouble(json_w *w, const char *key, double v);
void json_kbool(json_w *w, const char *key, int v);
void json_knull(json_w *w, const char *key);
/* Writes a span {"start","end","line"} of original bytes, or null when
 * line is 0 (no span). */
void json_span(json_w *w, uint64_t start, uint64_t end, uint32_t line);
/* Writes already-serialized JSON as one value. */
void json_raw(json_w *w, const char *s, size_t len);
/* Escapes `s` into `out` as a JSON string (with quotes). */
void json_escape(vnp_buf *out, const char *s, size_t len);
/* Finishes the document with a newline (and flushes, when streaming). */
void json_end(json_w *w);

#endif
