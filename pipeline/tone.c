/*
 * tone.c - Vietnamese tone-mark placement. (Placeholder: copies input.)
 */
#include "tone.h"

size_t tone_restyle(const char *s, size_t len, vnp_tone_style style,
                    vnp_buf *out) {
  (void)style;
  vnp_buf_put(out, s, len);
  return 0;
}

size_t tone_restyle_step(const char *s, uint32_t len, const omap *inmap,
                         vnp_tone_style style, vnp_buf *out,
                         omap_builder *b) {
  (void)style;
  vnp_buf_put(out, s, len);
  omap_keep(b, inmap, len);
  return 0;
}
