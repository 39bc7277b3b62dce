/*
 * floor.c - the speed floor for `make bench`: read a file in 64 KiB chunks
 * and validate it as UTF-8, nothing else. vnplan's stages are reported as a
 * ratio to this.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Bjoern Hoehrmann's UTF-8 DFA states, table-free form: validate with the
 * RFC 3629 ranges. Returns the number of invalid sequences. */
static size_t validate(const uint8_t *s, size_t n, int *need, uint8_t *lo,
                       uint8_t *hi) {
  size_t bad = 0;
  for (size_t i = 0; i < n; i++) {
    if (!*need) { /* 8 ASCII bytes at a time */
      while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull)
          break;
        i += 8;
      }
      if (i >= n)
        break;
    }
    uint8_t c = s[i];
    if (*need) {
      if (c < *lo || c > *hi) {
        bad++;
        *need = 0;
      } else {
        (*need)--;
        *lo = 0x80;
        *hi = 0xBF;
        continue;
      }
    }
    if (c < 0x80)
      continue;
    *lo = 0x80;
    *hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
      *need = 1;
    else if (c >= 0xE0 && c <= 0xEF) {
      *need = 2;
      if (c == 0xE0)
        *lo = 0xA0;
      if (c == 0xED)
        *hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      *need = 3;
      if (c == 0xF0)
        *lo = 0x90;
      if (c == 0xF4)
        *hi = 0x8F;
    } else
      bad++;
  }
  return bad;
}

int main(int argc, char **argv) {
  static uint8_t buf[65536];
  size_t total = 0, bad = 0;
  for (int a = 1; a < argc; a++) {
    FILE *f = fopen(argv[a], "rb");
    if (!f) {
      perror(argv[a]);
      return 1;
    }
    int need = 0;
    uint8_t lo = 0x80, hi = 0xBF;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
      bad += validate(buf, n, &need, &lo, &hi);
      total += n;
    }
    fclose(f);
  }
  printf("%zu bytes, %zu invalid\n", total, bad);
  return 0;
}
