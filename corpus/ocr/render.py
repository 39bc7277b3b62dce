#!/usr/bin/python3
"""Render one corpus document as A4 page images, at one scan quality.

usage: render.py SOURCE.txt OUTDIR QUALITY      (QUALITY: clean | degraded | bad)

Writes OUTDIR/p001.png, p002.png, ... and OUTDIR/pages.lst (one image path
a line, the list tesseract takes for a multi-page input) and OUTDIR/source.txt
(the text exactly as printed on the pages, without page numbers: the
reference the error rates are measured against).

Layout (like a Vietnamese administrative paper, Decree 30/2020 style):
A4, margins top/bottom 20 mm, left 30 mm, right 20 mm; FreeSerif 13 pt;
justified paragraphs with a 10 mm first-line indent; all-capital short lines
(document type, issuing body) centred in bold, and the line after a centred
document type (its subject) centred in bold too; heading lines (I., II-, A.,
Điều 1., markdown '#'/'**' in the seeds) in bold without indent; table rows
("a | b | c") printed as plain text lines with a hanging indent; page numbers
at the top centre of every page after the first.

Markdown remnants of the seeds ('#' heading marks, '**' bold marks, trailing
two-space line breaks) are not printed: they become bold type, as on paper.

All randomness (skew angle, noise, speckles) comes from numpy's legacy
RandomState seeded with crc32(document name, quality, page), so re-running
gives identical images.
"""
import os
import re
import sys
import unicodedata
import zlib

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/freefont"
DPI = 300                      # master rendering resolution
MM = DPI / 25.4
PAGE_W, PAGE_H = round(210 * MM), round(297 * MM)
M_TOP, M_BOTTOM, M_LEFT, M_RIGHT = round(20 * MM), round(20 * MM), round(30 * MM), round(20 * MM)
PT = DPI / 72
SIZE = round(13 * PT)          # 13 pt
LINE_H = round(SIZE * 1.22)    # single spacing of a Word document in Times 13 pt
PARA_SP = round(4 * PT)        # 4 pt after each paragraph
INDENT = round(10 * MM)        # first-line indent
HANG = round(8 * MM)           # hanging indent for wrapped table rows
TEXT_W = PAGE_W - M_LEFT - M_RIGHT

# quality -> dpi; skew range in degrees (sign drawn per page); gaussian blur
# radius in px at the target dpi; gaussian noise sigma range in grey levels
# (drawn per page); speckle fraction (salt-and-pepper pixels); ink and paper
# grey levels (contrast); JPEG quality of a JPEG round trip, or None.
QUALITIES = {
    "clean":    dict(dpi=300, skew=(0.0, 0.0), blur=0.0, sigma=(0.0, 0.0), speckle=0.0,
                     ink=0, paper=255, jpeg=None),
    "degraded": dict(dpi=200, skew=(0.5, 1.5), blur=0.7, sigma=(18.0, 18.0), speckle=0.002,
                     ink=35, paper=235, jpeg=None),
    "bad":      dict(dpi=150, skew=(1.5, 3.0), blur=0.8, sigma=(10.0, 22.0), speckle=0.004,
                     ink=70, paper=215, jpeg=30),
}


def font(bold):
    name = "FreeSerifBold.ttf" if bold else "FreeSerif.ttf"
    return ImageFont.truetype(os.path.join(FONT_DIR, name), SIZE,
                              layout_engine=ImageFont.Layout.BASIC)


FONTS = {False: font(False), True: font(True)}
SPACE = {b: FONTS[b].getlength(" ") for b in FONTS}

HEADING_RE = re.compile(
    r"^(?:[IVXLC]+\s*[.\-/–)]|[A-Z]\.|Điều\s+\d+|Chương\s+[IVXLC\d]+|Phần\s+|PHẦN\s+|PHỤ LỤC)")
DOCTYPES = ("KẾ HOẠCH", "NGHỊ QUYẾT", "QUYẾT ĐỊNH", "CHƯƠNG TRÌNH", "CHỈ THỊ",
            "KẾT LUẬN", "THÔNG BÁO", "HƯỚNG DẪN", "BÁO CÁO", "CÔNG VĂN", "ĐỀ ÁN")


def is_caps(s):
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def parse_runs(line, bold=False):
    """Split a line on markdown '**' marks into (text, bold) runs; a bold
    span may continue from the line before (bold=True).  Returns runs and
    whether a bold span is still open at the end of the line."""
    parts = line.split("**")
    runs = [(p, (i % 2 == 1) != bold) for i, p in enumerate(parts) if p]
    return runs, (len(parts) % 2 == 0) != bold


def paragraphs(text):
    """Yield (kind, runs) for each printed paragraph.  kind: centre, head, table, body."""
    prev_doctype = False
    open_bold = False
    prev_kind = None
    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            continue
        md_head = False
        m = re.match(r"^\s*#+\s*", line)
        if m:
            md_head = True
            line = line[m.end():]
        line = line.strip()
        was_open = open_bold
        runs, open_bold = parse_runs(line, open_bold)
        plain = "".join(t for t, _ in runs).strip()
        if not plain:
            continue
        all_bold = md_head or all(b for t, b in runs if t.strip())
        if "|" in plain and plain.count("|") >= 1 and " | " in plain:
            kind = "table"
        elif is_caps(plain) and len(plain) <= 70 and not HEADING_RE.match(plain) \
                and not re.match(r"^\d", plain):
            kind = "centre"
        elif prev_doctype and len(plain) <= 300 and not re.match(r"^\d", plain):
            kind = "centre"
        elif was_open and prev_kind == "centre":
            kind = "centre"        # a bold subject block continued from the line before
        elif HEADING_RE.match(plain) and (is_caps(plain[:40]) or all_bold or len(plain) < 120):
            kind = "head"
        else:
            kind = "body"
        prev_kind = kind
        prev_doctype = kind == "centre" and plain.upper().startswith(DOCTYPES) and len(plain) <= 30
        if kind in ("centre", "head"):
            runs = [(t, True) for t, _ in runs]
        if md_head:
            runs = [(t, True) for t, _ in runs]
        yield kind, runs


def words_of(runs):
    out = []
    for text, bold in runs:
        for w in text.split():
            out.append((w, bold))
    return out


def split_long(word, bold, width):
    """Break a token wider than the line into pieces."""
    pieces, cur = [], ""
    for ch in word:
        if cur and FONTS[bold].getlength(cur + ch) > width:
            pieces.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        pieces.append(cur)
    return pieces


def wrap(words, first_w, other_w):
    lines, cur, cur_w = [], [], 0.0
    width = first_w
    queue = list(words)
    while queue:
        w, b = queue.pop(0)
        ww = FONTS[b].getlength(w)
        if ww > other_w:
            pieces = split_long(w, b, other_w)
            queue[0:0] = [(p, b) for p in pieces]
            continue
        add = ww if not cur else SPACE[cur[-1][1]] + ww
        if cur and cur_w + add > width:
            lines.append(cur)
            cur, cur_w, width = [], 0.0, other_w
            add = ww
        cur.append((w, b))
        cur_w += add
    if cur:
        lines.append(cur)
    return lines


def layout(text):
    """Return a list of pages; each page a list of (x, y, line_words, mode, width)."""
    pages, page, y = [], [], M_TOP
    bottom = PAGE_H - M_BOTTOM

    def newpage():
        nonlocal page, y
        pages.append(page)
        page, y = [], M_TOP

    for kind, runs in paragraphs(text):
        ws = words_of(runs)
        if kind == "body":
            lines = wrap(ws, TEXT_W - INDENT, TEXT_W)
            for i, ln in enumerate(lines):
                x = M_LEFT + (INDENT if i == 0 else 0)
                w = TEXT_W - (INDENT if i == 0 else 0)
                mode = "justify" if i < len(lines) - 1 else "left"
                if y + LINE_H > bottom:
                    newpage()
                page.append((x, y, ln, mode, w))
                y += LINE_H
        elif kind == "table":
            lines = wrap(ws, TEXT_W, TEXT_W - HANG)
            for i, ln in enumerate(lines):
                x = M_LEFT + (HANG if i else 0)
                if y + LINE_H > bottom:
                    newpage()
                page.append((x, y, ln, "left", TEXT_W))
                y += LINE_H
        elif kind == "centre":
            lines = wrap(ws, TEXT_W - 2 * INDENT, TEXT_W - 2 * INDENT)
            for ln in lines:
                if y + LINE_H > bottom:
                    newpage()
                page.append((M_LEFT, y, ln, "centre", TEXT_W))
                y += LINE_H
        else:  # head
            lines = wrap(ws, TEXT_W, TEXT_W)
            for i, ln in enumerate(lines):
                mode = "justify" if i < len(lines) - 1 else "left"
                if y + 2 * LINE_H > bottom and i == 0:
                    newpage()          # keep a heading with the line after it
                if y + LINE_H > bottom:
                    newpage()
                page.append((M_LEFT, y, ln, mode, TEXT_W))
                y += LINE_H
        y += PARA_SP
    if page:
        pages.append(page)
    return pages


def draw_page(items, number):
    img = Image.new("L", (PAGE_W, PAGE_H), 255)
    d = ImageDraw.Draw(img)
    asc = FONTS[False].getmetrics()[0]
    if number > 1:
        s = str(number)
        w = FONTS[False].getlength(s)
        d.text((PAGE_W / 2 - w / 2, round(10 * MM)), s, font=FONTS[False], fill=0)
    for x, y, ln, mode, width in items:
        wl = [FONTS[b].getlength(w) for w, b in ln]
        gaps = [SPACE[b] for _, b in ln[:-1]]
        natural = sum(wl) + sum(gaps)
        if mode == "centre":
            x = x + (width - natural) / 2
        if mode == "justify" and len(ln) > 1:
            extra = (width - natural) / (len(ln) - 1)
            gaps = [g + extra for g in gaps]
        cx = x
        for i, (w, b) in enumerate(ln):
            d.text((cx, y + (LINE_H - asc) // 2 - 2), w, font=FONTS[b], fill=0)
            cx += wl[i] + (gaps[i] if i < len(gaps) else 0)
    return img


def degrade(img, q, seed):
    p = QUALITIES[q]
    if q == "clean":
        return img
    rs = np.random.RandomState(seed)
    scale = p["dpi"] / DPI
    img = img.resize((round(PAGE_W * scale), round(PAGE_H * scale)), Image.LANCZOS)
    lo, hi = p["skew"]
    angle = rs.uniform(lo, hi) * (1 if rs.rand() < 0.5 else -1)
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if p["blur"]:
        img = img.filter(ImageFilter.GaussianBlur(p["blur"]))
    a = np.asarray(img).astype(np.float32)
    # compress the dynamic range: grey paper, grey ink
    a = p["ink"] + a * (p["paper"] - p["ink"]) / 255.0
    # uneven illumination: a gentle left-to-right and top-to-bottom gradient
    h, w = a.shape
    gx = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    gy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    a += (rs.uniform(-12, 12) * gx + rs.uniform(-12, 12) * gy)
    sigma = rs.uniform(*p["sigma"])
    a += rs.normal(0.0, sigma, a.shape).astype(np.float32)
    if p["speckle"]:
        m = rs.rand(h, w)
        a[m < p["speckle"] / 2] = 0
        a[m > 1 - p["speckle"] / 2] = 255
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    if p["jpeg"]:
        import io
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=p["jpeg"])
        buf.seek(0)
        img = Image.open(buf).convert("L")
    return img


def printed_text(pages):
    out = []
    for page in pages:
        for _, _, ln, _, _ in page:
            out.append(" ".join(w for w, _ in ln))
    return "\n".join(out) + "\n"


def main():
    src, outdir, q = sys.argv[1:4]
    if q not in QUALITIES:
        sys.exit("quality must be one of " + ", ".join(QUALITIES))
    name = os.path.splitext(os.path.basename(src))[0]
    text = unicodedata.normalize("NFC", open(src, encoding="utf-8").read())
    pages = layout(text)
    os.makedirs(outdir, exist_ok=True)
    paths = []
    dpi = QUALITIES[q]["dpi"]
    for i, items in enumerate(pages, 1):
        img = draw_page(items, i)
        seed = zlib.crc32(f"{name}/{q}/{i}".encode())
        img = degrade(img, q, seed)
        path = os.path.join(outdir, f"p{i:03d}.png")
        img.save(path, dpi=(dpi, dpi), optimize=False)
        paths.append(os.path.abspath(path))
    with open(os.path.join(outdir, "pages.lst"), "w") as f:
        f.write("\n".join(paths) + "\n")
    with open(os.path.join(outdir, "source.txt"), "w", encoding="utf-8") as f:
        f.write(printed_text(pages))
    print(f"{name} {q}: {len(pages)} pages at {dpi} dpi")


if __name__ == "__main__":
    main()
