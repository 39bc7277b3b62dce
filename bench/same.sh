#!/bin/sh
# bench/same.sh OUTDIR [VNPLAN]: writes the outputs that must never change
# with an optimization (parse JSON, pretty and compact, and normalize text
# of every corpus document, plus 20 MB NFC and NFD samples of the bench
# inputs) into OUTDIR. Run it before and after a change and diff -r the two.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$1
VNPLAN=${2:-$root/build/vnplan}
mkdir -p "$out"
sh "$root/bench/make-input.sh" > /dev/null
for s in nfc nfd; do
  [ -s "$root/build/bench/${s}20.txt" ] ||
    head -c 20000000 "$root/build/bench/$s.txt" > "$root/build/bench/${s}20.txt"
done
for f in "$root"/corpus/*.txt "$root"/corpus/ocr/*/*.txt "$root"/build/bench/nfc20.txt "$root"/build/bench/nfd20.txt; do
  [ -f "$f" ] || continue
  n=$(basename "$(dirname "$f")")_$(basename "$f" .txt)
  "$VNPLAN" parse --rules "$root/rules" "$f" > "$out/$n.json" || true
  "$VNPLAN" parse --pretty --rules "$root/rules" "$f" > "$out/$n.pretty.json" || true
  "$VNPLAN" normalize --rules "$root/rules" "$f" > "$out/$n.norm.txt" || true
  "$VNPLAN" normalize --changes --rules "$root/rules" "$f" > "$out/$n.changes.txt" || true
done
ls "$root"/build/bench/small/*.txt | head -200 > "$out/small.list"
"$VNPLAN" parse --jsonl -j 2 --rules "$root/rules" --files-from "$out/small.list" > "$out/small.jsonl"
