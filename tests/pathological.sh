#!/bin/sh
# Pathological inputs must finish (no hang, no quadratic blow-up, no crash)
# and give valid JSON. The timeout is a hang guard, not a speed test: each
# case takes well under a second when the code is linear.
set -u
VNPLAN=${1:?usage: pathological.sh path/to/vnplan}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL pathological: $*"; }
gen() { /usr/bin/python3 -c "$1" > "$tmp/$2"; }
gen 'print("KẾ HOẠCH\n\n" + "\n\n".join(".".join(["1"]*d) + ". Mục %d" % d for d in range(1, 200)))' deep.txt
gen 's = "Ủy ban nhân dân tỉnh chủ trì, phối hợp với Sở Tài chính thực hiện trong quý I/2023; "; print(s * (10000000 // len(s.encode())))' longline.txt
gen 'print("KẾ HOẠCH\n\nI. NHIỆM VỤ\n\n" + "".join("- Nhiệm vụ %d: Sở X chủ trì, phối hợp Sở Y; thời gian thực hiện: tháng %d/2024\n" % (i, i % 12 + 1) for i in range(50000)))' bullets.txt
gen 'print("1." * 50000 + "\n" + "- " * 100000 + "\n" + "Số: " * 50000 + "\n" + "(" * 100000 + "\n" + "|" * 100000)' repeats.txt
gen 'print("\n".join("a | " * 200 for _ in range(2000)))' table.txt
gen 'print("\f\n".join("Trang %d\n\nNội dung trang %d chưa hết câu và" % (i, i) for i in range(20000)))' pages.txt
for f in deep longline bullets repeats table pages; do
  if timeout 120 "$VNPLAN" parse --rules "$root/rules" "$tmp/$f.txt" > "$tmp/$f.json" 2> "$tmp/$f.err"; then
    jq -e '.schema' "$tmp/$f.json" > /dev/null && ok || bad "$f: invalid JSON"
  else
    bad "$f: exit $? $(head -c 300 "$tmp/$f.err")"
  fi
done
echo "pathological: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
