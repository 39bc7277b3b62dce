/*
 * tone.h - Vietnamese tone-mark placement (internal).
 *
 * Only open syllables with oa, oe, uy differ between the two conventions
 * (hòa/hoà, khỏe/khoẻ, thủy/thuỷ). Every other syllable has one correct
 * place for its tone mark (Unikey's getTonePosition), which tone_restyle
 * also restores when OCR or typing put it elsewhere ('tòan' -> 'toàn').
 * Input and output are NFC UTF-8.
 */
#ifndef VNP_TONE_H
#define VNP_TONE_H

#include "buf.h"
#include "omap.h"
#include "vnplan.h"

#include <stddef.h>

/* Appends `s` to `out` with every Vietnamese syllable's tone mark placed
 * according to `style` (VNP_TONE_KEEP copies). Returns the number of
 * syllables changed. */
size_t tone_restyle(const char *s, size_t len, vnp_tone_style style,
                    vnp_buf *out);

/* A memo of words already looked at (whether the tone of each must move),
 * owned by one caller (the normalizer of one document): the same few
 * thousand syllables make up Vietnamese text, and looking one up costs a
 * fraction of parsing it. Optional (NULL) wherever it is taken. */
typedef struct tone_memo tone_memo;
tone_memo *tone_memo_new(void);
void tone_memo_free(tone_memo *m);

/* The same as a normalization step: reads `s` (mapped by `inmap`), appends
 * to `out` and records the offset map in `b`. Returns syllables changed. */
size_t tone_restyle_step(const char *s, uint32_t len, const omap *inmap,
                         vnp_tone_style style, vnp_buf *out, omap_builder *b,
                         tone_memo *memo);

/* 1 if tone_restyle would change some syllable of `s` (nothing written):
 * lets a caller skip copying text that needs nothing. */
int tone_restyle_needed(const char *s, size_t len, vnp_tone_style style,
                        tone_memo *memo);

/* For tests: the number of code points on which the built-in letter table
 * disagrees with utf8proc's decomposition (0). */
size_t tone_table_mismatches(void);

#endif
