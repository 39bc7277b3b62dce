#!/usr/bin/python3
"""Measure the OCR output in corpus/ocr/{clean,degraded,bad}/ against the text
that was printed on the pages (corpus/NAME.txt laid out by render.py: same
words, NFC, markdown marks not printed, no page numbers).

usage: measure.py [NAME...]       writes corpus/ocr/SCORES.md, prints the totals

Metrics, on text with every run of white space (newlines, form feeds) made
one space:
  CER        character edit distance (Levenshtein) / printed characters
  WER        word edit distance / printed words
  WER-fold   WER after removing diacritics (đ -> d) and case on both sides:
             how many word errors are only lost or wrong tone/vowel marks
  lost pages pages whose OCR text has under 10 % of the characters printed
             on that page (near-empty or empty pages)
  conf       mean Tesseract word confidence (degraded TSV only)
The OCR'd page numbers count as insertions: they are in the output.
"""
import collections
import difflib
import glob
import os
import sys
import unicodedata

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import render  # noqa: E402

QS = ("clean", "degraded", "bad")


def lev(a, b):
    """Levenshtein distance of two int sequences, one numpy row at a time."""
    a = np.asarray(a, dtype=np.int32)
    b = np.asarray(b, dtype=np.int32)
    if len(a) > len(b):
        a, b = b, a
    m = len(b)
    if len(a) == 0:
        return m
    ar = np.arange(m + 1, dtype=np.int32)
    prev = ar.copy()
    tmp = np.empty(m + 1, dtype=np.int32)
    for i, ca in enumerate(a, 1):
        np.minimum(prev[1:] + 1, prev[:-1] + (b != ca), out=tmp[1:])
        tmp[0] = i
        prev = np.minimum.accumulate(tmp - ar) + ar
    return int(prev[m])


def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def ids(words, vocab):
    return [vocab.setdefault(w, len(vocab)) for w in words]


def measure(name):
    text = unicodedata.normalize("NFC", open(os.path.join(REPO, "corpus", name + ".txt"),
                                              encoding="utf-8").read())
    pages = render.layout(text)
    page_ref = [" ".join(" ".join(w for w, _ in ln) for _, _, ln, _, _ in p) for p in pages]
    ref = " ".join(page_ref)
    rwords = ref.split()
    res = {}
    for q in QS:
        path = os.path.join(HERE, q, name + ".txt")
        if not os.path.exists(path):
            continue
        raw = unicodedata.normalize("NFC", open(path, encoding="utf-8").read())
        hyp = " ".join(raw.split())
        hwords = hyp.split()
        vocab = {}
        r = {
            "chars": len(ref), "words": len(rwords), "pages": len(pages),
            "cedits": lev([ord(c) for c in ref], [ord(c) for c in hyp]),
            "wedits": lev(ids(rwords, vocab), ids(hwords, vocab)),
        }
        vocab = {}
        r["fedits"] = lev(ids([fold(w) for w in rwords], vocab), ids([fold(w) for w in hwords], vocab))
        hpages = raw.split("\f")
        lost = 0
        for i, pr in enumerate(page_ref):
            got = len("".join(hpages[i].split())) if i < len(hpages) else 0
            if got < 0.1 * len("".join(pr.split())):
                lost += 1
        r["lost"] = lost
        r["hpages"] = len(hpages)
        if q == "degraded":
            tsv = path[:-4] + ".tsv"
            confs = []
            with open(tsv, encoding="utf-8") as f:
                next(f)
                for line in f:
                    c = line.rstrip("\n").split("\t")
                    if len(c) == 12 and c[0] == "5" and c[11].strip():
                        confs.append(float(c[10]))
            r["conf"] = sum(confs) / len(confs) if confs else 0.0
            r["lowconf"] = sum(1 for c in confs if c < 60) / len(confs) if confs else 0.0
        r["pairs"] = word_pairs(rwords, hwords) if q != "bad" else {}
        res[q] = r
    return res


def word_pairs(rwords, hwords):
    """Replaced words, aligned one to one where difflib pairs equal-length runs."""
    out = collections.Counter()
    sm = difflib.SequenceMatcher(None, rwords, hwords, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "replace" and i2 - i1 == j2 - j1:
            for a, b in zip(rwords[i1:i2], hwords[j1:j2]):
                out[(a, b)] += 1
    return out


def char_confusions(pairs):
    out = collections.Counter()
    for (a, b), n in pairs.items():
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op != "equal":
                out[(a[i1:i2], b[j1:j2])] += n
    return out


def pct(x):
    return f"{100 * x:.1f}"


def main():
    names = sys.argv[1:] or sorted(os.path.basename(p)[:-4]
                                   for p in glob.glob(os.path.join(REPO, "corpus", "*.txt")))
    import multiprocessing
    with multiprocessing.Pool(min(len(names), os.cpu_count() or 1)) as pool:
        allres = dict(zip(names, pool.map(measure, names, chunksize=1)))
    lines = ["# Measured OCR error rates", "",
             "Made by `measure.py` (see README.md for the definitions). Percentages.", "",
             "## Per quality (all documents pooled)", "",
             "| quality | pages | lost pages | CER | WER | WER-fold | word accuracy |",
             "|---|---|---|---|---|---|---|"]
    totals = {}
    for q in QS:
        t = collections.Counter()
        for n in names:
            r = allres[n].get(q)
            if r:
                for k in ("chars", "words", "pages", "cedits", "wedits", "fedits", "lost"):
                    t[k] += r[k]
        if not t["chars"]:
            continue
        totals[q] = t
        lines.append(f"| {q} | {t['pages']} | {t['lost']} | {pct(t['cedits'] / t['chars'])} | "
                     f"{pct(t['wedits'] / t['words'])} | {pct(t['fedits'] / t['words'])} | "
                     f"{pct(max(0.0, 1 - t['wedits'] / t['words']))} |")
    lines += ["", "## Per document", "",
              "| document | pages | clean CER / WER | degraded CER / WER / WER-fold | degraded conf (words < 60) "
              "| bad CER / WER / WER-fold | bad lost pages |",
              "|---|---|---|---|---|---|---|"]
    for n in names:
        R = allres[n]
        c, d, b = R.get("clean"), R.get("degraded"), R.get("bad")
        if not (c or d or b):
            continue  # no OCR copies (e.g. a document that is OCR text already)
        cell = lambda r, fold=True: "-" if not r else (
            f"{pct(r['cedits'] / r['chars'])} / {pct(r['wedits'] / r['words'])}"
            + (f" / {pct(r['fedits'] / r['words'])}" if fold else ""))
        conf = f"{d['conf']:.1f} ({pct(d['lowconf'])} %)" if d else "-"
        lines.append(f"| {n} | {(c or d or b)['pages']} | {cell(c, False)} | {cell(d)} | {conf} | "
                     f"{cell(b)} | {b['lost'] if b else '-'} |")
    for q in ("clean", "degraded"):
        pairs = collections.Counter()
        for n in names:
            if q in allres[n]:
                pairs.update(allres[n][q]["pairs"])
        lines += ["", f"## Most frequent word substitutions, {q} (printed → OCR, count)", ""]
        lines.append(", ".join(f"`{a}`→`{b}` {k}" for (a, b), k in pairs.most_common(60)))
        cc = char_confusions(pairs)
        lines += ["", f"## Most frequent character confusions inside substituted words, {q} (∅: nothing)", ""]
        lines.append(", ".join(f"`{a or '∅'}`→`{b or '∅'}` {k}" for (a, b), k in cc.most_common(60)))
    out = "\n".join(lines) + "\n"
    if len(names) == len(glob.glob(os.path.join(REPO, "corpus", "*.txt"))):
        with open(os.path.join(HERE, "SCORES.md"), "w", encoding="utf-8") as f:
            f.write(out)
    print("\n".join(lines[:4 + 4 + len(totals)]))


if __name__ == "__main__":
    main()
