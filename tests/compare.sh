#!/bin/sh
# vnplan compare from the command line: the real chain 01 -> 04, 05 (source
# texts and parse JSON give the same report), siblings (seeds 001, 002), a
# matrix of several children, gold scoring, JSON schema, usage errors.
set -u
VNPLAN=${1:?usage: compare.sh path/to/vnplan}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL compare: $*"; }
cd "$root" || exit 1
P=corpus/01_nq57-ntw-2024_bo-chinh-tri_khcn-dmst-cds.txt
C4=corpus/04_nq03-nqcp-2025_chinh-phu_ctrhd-thuc-hien-nq57.txt
C5=corpus/05_kh3260-ddqh15-2025_dang-doan-quoc-hoi_thuc-hien-nq57.txt

# text report: header, link, parent items in order with their coverage
"$VNPLAN" compare --rules rules "$P" "$C5" > "$tmp/t" 2>"$tmp/e"; rc=$?
[ $rc -eq 0 ] && ok || bad "text rc=$rc: $(cat "$tmp/e")"
grep -q '^PARENT .*57-NQ/TW of 2024-12-22' "$tmp/t" && ok || bad "text: parent line"
grep -q '^  link: direct' "$tmp/t" && ok || bad "text: 05 cites 57-NQ/TW"
# parent items come in document order: III.1 before III.7 before IV.6
order=$(awk '/^PARENT ITEMS/{on=1} /^CHILD 1:/{on=0} on' "$tmp/t" |
  grep -nE '^ +(III\.1|III\.7|IV\.6) ' | cut -d: -f1 | tr '\n' ' ')
set -- $order
[ $# -eq 3 ] && [ "$1" -lt "$2" ] && [ "$2" -lt "$3" ] && ok || bad "text: item order ($order)"
# 05's II.2 restates 01's IV.2 word for word (read by eye)
grep -qE '^  II\.2 +IV\.2 ' "$tmp/t" && ok || bad "text: II.2 -> IV.2"

# evidence is a phrase both items share ("hoàn thiện pháp luật" is in
# 05's II.2 and in 01's IV.2)
"$VNPLAN" compare --rules rules --format json "$P" "$C5" |
  jq -e '.children[0].alignment[] | select(.child=="II.2" and .parent=="IV.2") | .evidence | index("hoàn thiện pháp luật")' > /dev/null &&
  ok || bad "evidence of II.2 -> IV.2"

# JSON: source text and parse JSON give the same alignment
"$VNPLAN" parse --rules rules "$P" > "$tmp/p.json"
"$VNPLAN" parse --rules rules "$C5" > "$tmp/c.json"
"$VNPLAN" compare --rules rules --format json "$P" "$C5" | jq -S '.children[0].alignment' > "$tmp/a1"
"$VNPLAN" compare --rules rules --format json "$tmp/p.json" "$tmp/c.json" | jq -S '.children[0].alignment' > "$tmp/a2"
[ -s "$tmp/a1" ] && cmp -s "$tmp/a1" "$tmp/a2" && ok || bad "json: text and parse JSON inputs differ"
"$VNPLAN" compare --rules rules --format json -o "$tmp/r.json" "$P" "$C4" "$C5"; rc=$?
[ $rc -eq 0 ] && ok || bad "json -o rc=$rc"
python3 - "$root/docs/compare-schema.json" "$tmp/r.json" <<'PY' && ok || bad "json: schema"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
PY
# matrix: two children, each parent item has one coverage entry per child
n=$(jq '[.parent.items[] | (.coverage | length)] | unique | .[]' "$tmp/r.json")
[ "$n" = 2 ] && ok || bad "matrix: coverage entries per item ($n)"
# spans point into the right documents: 05's II.2 span holds its words
s=$(jq -r '.children[1].alignment[] | select(.child=="II.2") | .child_span.start' "$tmp/r.json" | head -1)
e=$(jq -r '.children[1].alignment[] | select(.child=="II.2") | .child_span.end' "$tmp/r.json" | head -1)
txt=$(dd if="$C5" bs=1 skip="$s" count=$((e - s)) 2>/dev/null)
case "$txt" in *"rà soát, hoàn thiện pháp luật"*) ok ;; *) bad "child span: $txt" ;; esac

# siblings: seeds 001 (province) and 002 (district) both implement
# 20-NQ/TW; 002 restates the resolution's viewpoints, as 001 does
"$VNPLAN" compare --rules rules --format json corpus/seed-001.txt corpus/seed-002.txt > "$tmp/s.json"
cov=$(jq '.children[0].coverage.covered + .children[0].coverage.partly' "$tmp/s.json")
[ "$cov" -ge 5 ] && ok || bad "siblings: only $cov parent items aligned"
st=$(jq -r '.children[0].link.status' "$tmp/s.json")
[ "$st" = sibling ] && ok || bad "siblings: 002 does not cite 001, both cite 20-NQ/TW (got $st)"
# seed 000 implements 88/KH-MTTQ-BTT (a town plan not in the corpus): the
# report says the cited parent is missing and invents no link
"$VNPLAN" compare --rules rules --format json "$P" corpus/seed-000.txt > "$tmp/m.json"
st=$(jq -r '.children[0].link.status' "$tmp/m.json")
msg=$(jq -r '.children[0].link.message' "$tmp/m.json")
[ "$st" = missing ] && ok || bad "seed 000: status $st"
case "$msg" in *88/KH-MTTQ-BTT*) ok ;; *) bad "seed 000: message $msg" ;; esac
# 04 and 05 cite 57-NQ/TW with its date (line 8 and line 12 of the texts)
st=$(jq -r '[.children[].link | .status + " " + .citation.number + " " + .citation.date] | join(",")' "$tmp/r.json")
[ "$st" = "direct 57-NQ/TW 2024-12-22,direct 57-NQ/TW 2024-12-22" ] && ok || bad "04/05 link: $st"

# gold scoring prints precision/recall/F1
"$VNPLAN" compare --rules rules --gold corpus/pairs/05-01.tsv "$P" "$C5" > "$tmp/g"; rc=$?
[ $rc -eq 0 ] && grep -q '^strict:  precision 0\.[0-9]*  recall 0\.[0-9]*  F1' "$tmp/g" && ok || bad "gold: $(tail -3 "$tmp/g")"
# every id in the gold files names an item (no 'no child item' lines)
for g in corpus/pairs/04-01.tsv corpus/pairs/05-01.tsv; do
  c=$C5; [ "$g" = corpus/pairs/04-01.tsv ] && c=$C4
  "$VNPLAN" compare --rules rules --gold "$g" "$P" "$c" | grep -q '^gold:' && bad "gold ids in $g" || ok
done

# usage and input errors
"$VNPLAN" compare "$P" > /dev/null 2>&1; [ $? -eq 2 ] && ok || bad "one file: not exit 2"
"$VNPLAN" compare --format pdf "$P" "$C5" > /dev/null 2>&1; [ $? -eq 2 ] && ok || bad "bad format: not exit 2"
"$VNPLAN" compare --rules rules "$P" /nonexistent > /dev/null 2>&1; [ $? -eq 1 ] && ok || bad "missing file: not exit 1"
echo '{"no":"sections"}' > "$tmp/bad.json"
"$VNPLAN" compare --rules rules "$P" "$tmp/bad.json" > /dev/null 2>&1; [ $? -eq 1 ] && ok || bad "bad JSON: not exit 1"
: > "$tmp/empty.txt"
"$VNPLAN" compare --rules rules "$P" "$tmp/empty.txt" > /dev/null 2>&1; rc=$?
[ $rc -le 1 ] && ok || bad "empty child crashed (rc=$rc)"

# a long plan (20000 bullets, 2.6 MB) finishes: nothing quadratic in items
{ printf 'KẾ HOẠCH\nThực hiện Nghị quyết số 57-NQ/TW\nI. NHIỆM VỤ\n'
  i=0; while [ $i -lt 20000 ]; do
    echo "- Xây dựng nhiệm vụ số $i về chuyển đổi số, hoàn thành trước ngày 30/6/2025; Sở Nội vụ chủ trì."
    i=$((i+1)); done; } > "$tmp/big.txt"
timeout 60 "$VNPLAN" compare --rules rules --format json "$P" "$tmp/big.txt" > "$tmp/big.json"; rc=$?
[ $rc -eq 0 ] && [ "$(jq '.children[0].local_additions | length' "$tmp/big.json")" -ge 20000 ] && ok ||
  bad "long plan (rc=$rc)"

echo "compare: $pass passed, $fail failed"
[ $fail -eq 0 ]
