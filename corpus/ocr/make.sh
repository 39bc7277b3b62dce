#!/bin/sh
# Make the real-OCR corpus: render every corpus/*.txt as A4 page images at
# three scan qualities (clean, degraded, bad), run Tesseract on them and
# store its text (and, for the degraded set, its per-word TSV) here.
#
#   sh corpus/ocr/make.sh              # all documents, all qualities
#   sh corpus/ocr/make.sh seed-000     # only the named documents
#   QUALITIES=bad sh corpus/ocr/make.sh  # only some qualities
#
# Runs as root on a fresh Debian 12: installs its Debian packages with apt-get
# when they are missing.  Page images go to $OCR_WORKDIR (default
# /tmp/vnplan-ocr) and are not committed.  $JOBS parallel jobs (default: the
# number of cores), each Tesseract single-threaded (OMP_THREAD_LIMIT=1).
# Output is deterministic: fixed seeds, same packages -> same files.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${OCR_WORKDIR:-/tmp/vnplan-ocr}
JOBS=${JOBS:-$(nproc)}
QUALITIES=${QUALITIES:-clean degraded bad}
PY=/usr/bin/python3
PKGS="tesseract-ocr tesseract-ocr-vie fonts-freefont-ttf python3-pil python3-numpy"

# one job: render NAME at quality Q and OCR it
if [ "${1:-}" = "--one" ]; then
    name=$2 q=$3
    dir=$WORK/$name/$q
    rm -rf "$dir"
    "$PY" "$HERE/render.py" "$REPO/corpus/$name.txt" "$dir" "$q" >/dev/null
    formats=txt
    [ "$q" = degraded ] && formats="txt tsv"
    # Tesseract reads the list of page images as one multi-page input and
    # writes the pages separated by form feeds.
    OMP_THREAD_LIMIT=1 tesseract "$dir/pages.lst" "$dir/out" -l vie $formats \
        >"$dir/tesseract.log" 2>&1 || { cat "$dir/tesseract.log" >&2; exit 1; }
    mkdir -p "$HERE/$q"
    cp "$dir/out.txt" "$HERE/$q/$name.txt"
    [ "$q" = degraded ] && cp "$dir/out.tsv" "$HERE/$q/$name.tsv"
    echo "$name $q: $(grep -c . "$dir/pages.lst") pages"
    exit 0
fi

missing=
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi

tesseract --version 2>&1 | head -1
dpkg-query -W -f='${Package} ${Version}\n' $PKGS

if [ $# -gt 0 ]; then
    names="$*"
else
    names=$(cd "$REPO/corpus" && ls *.txt | sed 's/\.txt$//')
fi

for n in $names; do
    for q in $QUALITIES; do
        echo "$n $q"
    done
done | xargs -P "$JOBS" -n 2 sh "$HERE/make.sh" --one

"$PY" "$HERE/measure.py" $names
