/*
 * omap.h - offset maps from normalized text back to original input bytes.
 *
 * Every string the pipeline builds from the input (a normalized line, a
 * reflowed paragraph) carries an omap. It is a list of segments covering
 * the string from offset 0 to its end, in order. In a segment whose norm
 * and orig lengths are equal the mapping is byte for byte; otherwise (a
 * replacement: U+FFFD for a bad byte, NFC composition, a removed "**",
 * the space that joins two reflowed lines) the segment maps as a whole.
 * Original bytes dropped by a step simply have no segment.
 *
 * Stages never compute positions from normalized text directly: they call
 * omap_start/omap_end (see STYLE.md "Nodes keep the reader's line/column").
 */
#ifndef VNP_OMAP_H
#define VNP_OMAP_H

#include <stddef.h>
#include <stdint.h>

/* A segment is 16 bytes (NFD input makes one or two per composed letter).
 * Its normalized length is not stored: it runs to the next segment's `norm`,
 * the last one to the map's `total`. Its original length is 32-bit: only
 * the space joining two reflowed lines of a > 4 GiB input could map more,
 * and is then clamped to 4 GiB - 1. */
typedef struct omap_seg {
  uint64_t orig; /* start offset in the original input */
  uint32_t norm; /* start offset in the normalized string */
  uint32_t olen; /* length in the original input */
} omap_seg;

typedef struct omap {
  omap_seg *seg;
  uint32_t n, cap;
  uint32_t total; /* normalized length; meaningful only when n > 0, so
                     setting n = 0 empties the map */
} omap;

/* Builder state: appends output while consuming input of a step. `in` is
 * the map of the step's input (NULL when the input is the original file,
 * in which case `base` is the input's original offset). */
typedef struct omap_builder {
  omap out;
  uint32_t norm_pos; /* bytes of output written so far */
  uint64_t in_pos;   /* bytes of input consumed so far */
} omap_builder;

void omap_init(omap *m);
void omap_free(omap *m);
void omap_copy(omap *dst, const omap *src);
/* Identity map for a string of `len` bytes starting at original `orig`. */
void omap_identity(omap *m, uint32_t len, uint64_t orig);
/* Appends a segment (merging with the previous one when contiguous and
 * both are linear). */
void omap_push(omap *m, uint32_t nlen, uint64_t orig, uint64_t olen);

/* Original offset of the byte at normalized offset `off` (for span starts).
 * `off` may equal the string length (returns the end of the last segment). */
uint64_t omap_start(const omap *m, uint32_t off);
/* Original offset just after normalized byte `end - 1` (for span ends). */
uint64_t omap_end(const omap *m, uint32_t end);

/* Step builders: a step reads string `in` (with map `inmap`) and writes a new
 * string; it reports what it did through these calls, in input order. */
void omap_builder_init(omap_builder *b);
/* `n` input bytes copied unchanged to the output. */
void omap_keep(omap_builder *b, const omap *inmap, uint32_t n);
/* `in_len` input bytes replaced by `out_len` output bytes (either may be
 * 0). */
void omap_replace(omap_builder *b, const omap *inmap, uint32_t in_len,
                  uint32_t out_len);
/* Finishes: moves the built map into *out (freeing what *out held). */
void omap_builder_done(omap_builder *b, omap *out);

/* Appends map `src` (of a string appended at normalized offset `at`) to
 * `dst`. Used to concatenate lines into a paragraph. */
void omap_append(omap *dst, const omap *src, uint32_t at);

#endif
