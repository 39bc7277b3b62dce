#!/bin/sh
# Builds the benchmark inputs in build/bench/ from the corpus:
#   nfc.txt   >= 200 MB, the corpus documents repeated (NFC, as stored)
#   nfd.txt   the same text decomposed (NFD), as from macOS or some OCR
#   small/    10,000 small files (copies of the corpus documents)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/bench"
mkdir -p "$out"
if [ ! -s "$out/nfc.txt" ]; then
  : > "$out/nfc.txt"
  while [ "$(stat -c %s "$out/nfc.txt")" -lt 200000000 ]; do
    cat "$root"/corpus/*.txt >> "$out/nfc.txt"
  done
fi
if [ ! -s "$out/nfd.txt" ]; then
  /usr/bin/python3 -c '
import sys, unicodedata
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as g:
    for line in f:
        g.write(unicodedata.normalize("NFD", line))
' "$out/nfc.txt" "$out/nfd.txt"
fi
if [ ! -d "$out/small" ]; then
  mkdir -p "$out/small"
  i=0
  set -- "$root"/corpus/*.txt
  while [ $i -lt 10000 ]; do
    for f in "$@"; do
      [ $i -ge 10000 ] && break
      cp "$f" "$out/small/doc$i.txt"
      i=$((i+1))
    done
  done
fi
ls -la "$out"
