#!/bin/sh
# make bench: throughput of each stage and of the whole parse, as MB/s and
# documents/s (median of RUNS runs), with the floor (read + validate UTF-8)
# measured in the same run and the ratio to it; peak RSS for one 200 MB
# input and for 10,000 small files.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
VNPLAN=${1:-$root/build/vnplan}
RUNS=${RUNS:-5}
out="$root/build/bench"
sh "$root/bench/make-input.sh" > /dev/null
cc -O2 -o "$out/floor" "$root/bench/floor.c"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timeit() { # command... -> median seconds
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f %e "$@" > /dev/null 2> "$out/time.err" || { cat "$out/time.err"; exit 1; }
    tail -1 "$out/time.err"
  done | median
}
mb() { echo "$1" | awk -v b="$2" '{ printf "%.1f", b / 1e6 / $1 }'; }
printf 'machine: %s, %s cores\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)"
printf 'commit: %s\n\n' "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
printf '%-22s %-5s %10s %10s %8s\n' stage input "MB/s" "x floor" "sec"
for input in nfc nfd; do
  f="$out/$input.txt"
  bytes=$(stat -c %s "$f")
  floor=$(timeit "$out/floor" "$f")
  printf '%-22s %-5s %10s %10s %8s\n' "floor (read+utf8)" $input "$(mb "$floor" "$bytes")" "1.00" "$floor"
  for stage in read normalize segment all; do
    if [ $stage = all ]; then args=""; else args="--stop-after=$stage"; fi
    # shellcheck disable=SC2086
    t=$(timeit "$VNPLAN" parse $args --rules "$root/rules" "$f")
    ratio=$(echo "$t $floor" | awk '{printf "%.2f", $1 / $2}')
    printf '%-22s %-5s %10s %10s %8s\n' "$stage" $input "$(mb "$t" "$bytes")" "$ratio" "$t"
  done
done
echo
small_bytes=$(cat "$out"/small/*.txt | wc -c)
for j in 1 2; do
  ls "$out"/small/*.txt > "$out/small.list"
  t=$(timeit "$VNPLAN" parse --jsonl -j $j --rules "$root/rules" --files-from "$out/small.list")
  printf 'parse 10,000 files -j %d: %s MB/s, %s docs/s (%s s)\n' $j "$(mb "$t" "$small_bytes")" "$(echo "$t" | awk '{printf "%.0f", 10000/$1}')" "$t"
done
echo
rss_big=$(/usr/bin/time -f %M "$VNPLAN" parse --rules "$root/rules" "$out/nfc.txt" 2>&1 >/dev/null | tail -1)
rss_small=$(/usr/bin/time -f %M "$VNPLAN" parse --jsonl -j 2 --rules "$root/rules" --files-from "$out/small.list" 2>&1 >/dev/null | tail -1)
printf 'peak RSS: one %s MB input %s MB; 10,000 small files (-j 2) %s MB\n' "$(($(stat -c %s "$out/nfc.txt") / 1000000))" "$((rss_big / 1024))" "$((rss_small / 1024))"
