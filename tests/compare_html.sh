#!/bin/sh
# The HTML report in headless Chromium: the page is one file with no
# network and no external asset; the rendered DOM has the parent column on
# the left and the child on the right, aligned items linked both ways,
# a coverage bar per parent section, and conflicts flagged. Saves
# screenshots to build/artifacts/ (look at them).
set -u
VNPLAN=${1:?usage: compare_html.sh path/to/vnplan}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL compare_html: $*"; }
cd "$root" || exit 1
art=${ARTIFACTS:-build/artifacts}
mkdir -p "$art"
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  echo "compare_html: chromium not installed (make deps)"; exit 1
fi
chrome() { # chrome OUT-FLAG FILE: a fresh profile, no network services
  prof=$(mktemp -d "$tmp/prof.XXXX")
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$prof" --window-size=1400,1000 "$1" "file://$2" 2>/dev/null
}
P=corpus/01_nq57-ntw-2024_bo-chinh-tri_khcn-dmst-cds.txt
C5=corpus/05_kh3260-ddqh15-2025_dang-doan-quoc-hoi_thuc-hien-nq57.txt

"$VNPLAN" compare --rules rules --format html -o "$tmp/r.html" "$P" "$C5" || bad "html rc"
"$VNPLAN" compare --rules rules --format json -o "$tmp/r.json" "$P" "$C5"
# self-contained: no script, no external reference of any kind
grep -qiE '<script|<link|<img|<iframe|src=|@import|url\(|https?:' "$tmp/r.html" &&
  bad "external reference or script in the page" || ok

chrome --dump-dom "$tmp/r.html" > "$tmp/dom.html"
[ -s "$tmp/dom.html" ] && ok || bad "chromium rendered nothing"
python3 - "$tmp/dom.html" "$tmp/r.json" <<'PY' && ok || bad "DOM structure"
import sys, json
from html.parser import HTMLParser
rep = json.load(open(sys.argv[2]))
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.stack = []; s.items = {"pitem": [], "citem": []}
        s.ids = set(); s.hrefs = []; s.cols = []; s.secs = 0; s.bars = 0
    def handle_starttag(s, tag, a):
        a = dict(a); cls = (a.get("class") or "").split()
        if "id" in a: s.ids.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"): s.hrefs.append(a["href"][1:])
        if "col" in cls: s.cols.append(cls)
        for k in ("pitem", "citem"):
            if k in cls: s.items[k].append(a.get("data-id"))
        if "sec" in cls: s.secs += 1
        if "bar" in cls: s.bars += 1
p = P(); p.feed(open(sys.argv[1]).read())
errs = []
# parent on the left, child on the right
if len(p.cols) != 2 or "parent" not in p.cols[0] or "childcol" not in p.cols[1]:
    errs.append("columns %r" % p.cols)
# every parent item, in order, as in the JSON
want = [i["id"] for i in rep["parent"]["items"]]
if p.items["pitem"] != want: errs.append("parent items differ from JSON")
if len(p.items["citem"]) < 50: errs.append("child items: %d" % len(p.items["citem"]))
# links both ways, every target exists
al = rep["children"][0]["alignment"]
if len(p.hrefs) < 2 * len(al): errs.append("links %d < 2 x %d" % (len(p.hrefs), len(al)))
dead = [h for h in p.hrefs if h not in p.ids]
if dead: errs.append("dead links %r" % dead[:5])
# one coverage bar per parent top-level section (+ the overall bar)
tops = len(rep["children"][0]["coverage"]["sections"])
if p.secs != tops or p.bars != tops + 1: errs.append("bars %d/%d for %d sections" % (p.secs, p.bars, tops))
if errs: print("\n".join(errs)); sys.exit(1)
PY
chrome --screenshot="$tmp/shot.png" "$tmp/r.html" > /dev/null
[ -s "$tmp/shot.png" ] && cp "$tmp/shot.png" "$art/compare-05-01.png" && ok || bad "no screenshot"

# conflicts are flagged: a hand-made pair with a later deadline
cat > "$tmp/p.json" <<'J'
{"document":{"number":"10/KH-UBND","date":"2025-01-02"},"sections":[{"type":"section","number":"I","title":"Nhiệm vụ","kind":"tasks","span":{"start":0,"end":10,"line":1},"paragraphs":[],"children":[{"type":"item","number":"1","text":"Xây dựng nền tảng số dùng chung phục vụ giải quyết thủ tục hành chính trực tuyến","span":{"start":100,"end":200,"line":5},"paragraphs":[],"children":[]}]}],
 "tasks":[{"id":"I.1","text":"x","lead":[],"deadline":[{"kind":"deadline","text":"trước 30/6/2025","end":"2025-06-30"}],"span":{"start":100,"end":200,"line":5}}]}
J
sed 's/10\/KH-UBND/20\/KH-UBND/; s/2025-06-30/2025-12-31/; s/trước 30\/6/trước 31\/12/' "$tmp/p.json" > "$tmp/c.json"
"$VNPLAN" compare --rules rules --format html -o "$tmp/k.html" "$tmp/p.json" "$tmp/c.json"
chrome --dump-dom "$tmp/k.html" > "$tmp/kdom.html"
grep -q 'class="conflict-item" data-type="deadline"' "$tmp/kdom.html" && ok || bad "conflict not listed"
grep -q 'class="item d2 citem conflict"' "$tmp/kdom.html" && ok || bad "child item not flagged"
grep -q 'class="item d2 pitem cov-2 conflict"' "$tmp/kdom.html" && ok || bad "parent item not flagged"
chrome --screenshot="$tmp/k.png" "$tmp/k.html" > /dev/null
[ -s "$tmp/k.png" ] && cp "$tmp/k.png" "$art/compare-conflict.png" && ok || bad "no screenshot"

echo "compare_html: $pass passed, $fail failed"
[ $fail -eq 0 ]
