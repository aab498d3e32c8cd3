#!/usr/bin/env python3
"""Read every PDF given with five independent PDF readers and check what the PDF contains.

    python3 tests/readers/check.py [-j N] [-v] PATH...

PATH is a PDF or a folder searched recursively for `*.pdf`. Files with the same bytes are
checked once. For each PDF:

- poppler: `pdftotext -raw` (text in content-stream order, one page per form feed) and
  `pdffonts`; anything on stderr is a complaint (poppler prints its syntax errors and
  warnings there and still exits 0).
- qpdf: `qpdf --check` must exit 0 with no WARNING.
- MuPDF: `mutool draw` renders every page (36 dpi, to /dev/null) and extracts its text;
  `mutool info` reads the document's structure; `warning:`/`error:` lines on stderr are
  complaints, except "ICC support is not available" (Debian's mutool is built without
  lcms; that is the tool, not the file).
- pdf.js: tests/tagged/pdfjs_check.mjs (one node process per worker, fed paths on stdin) loads
  the document, reads every page's text (getTextContent) and operator list (getOperatorList)
  and the outline (getOutline); its warnings are complaints.
- PDFium (pypdfium2): loads the document, renders every page (scale 0.25) and extracts its
  text; an exception is a complaint.

The four text extractions (poppler, MuPDF, pdf.js, PDFium) must then agree word for word on
every page after this normalisation (see `words`), which removes only what readers are known
to do differently with the same correct file:

- white space next to a CJK character (Han, kana, Hangul, CJK punctuation, full-width forms)
  is dropped: the readers guess spaces from glyph gaps, and CJK punctuation set half-width
  (CLREQ/JLREQ compression) reads as a gap to some;
- Unicode NFKC (ligatures such as "fi" come apart, full-width forms become plain);
- soft hyphens, U+FFFE (PDFium's mark for a hyphen it joined at a line end), zero-width and
  bidi control characters are dropped;
- a hyphen at the end of a word followed by white space joins the next word (a line broken at
  a hyphen reads the same whether a reader keeps the line break or not);
- a page holding right-to-left letters (Hebrew, Arabic) is compared as its sorted
  characters, brackets left out: MuPDF 1.21 gives right-to-left text in visual order, the
  others in logical order, and each orders the runs of a mixed line (a Latin section numeral
  in an Arabic paragraph, "I." or ".I") and places mirrored brackets its own way. Such a page
  must still hold the same characters in every reader.

What may differ between readers is then only where they put line breaks and spaces (and on
right-to-left pages, the order); the words, and their order, may not.

Finally the PDF's objects (`qpdf --json`) are checked against what a quire PDF may contain
(README, "What a PDF may contain"; see `content_rules`).

Prints one line per complaint, `FILE: READER: message`, and a summary; exits 1 if there was
any complaint, 2 on bad usage.
"""
import argparse
import hashlib
import json
import multiprocessing
import os
import re
import select
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PDFJS = HERE.parent / "tagged" / "pdfjs_check.mjs"
TIMEOUT = 300
# Messages of the tools about themselves, not about the file read.
IGNORED = [re.compile(r"ICC support is not available")]

# ---------------------------------------------------------------------------------------
# Text normalisation and comparison


DROP = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\ufffe\u200e\u200f\u061c"
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    None,
)
HYPHEN_BREAK = re.compile(r"(\w)[-\u2010]\s+(?=\w)")
# Han, kana, Hangul, CJK symbols and punctuation, full-width forms: scripts written without
# spaces between words (Korean has them, but readers also break its words at line ends).
CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0002ffff"
)
CJK_SPACE = re.compile(f"(?<=[{CJK}])\\s+|\\s+(?=[{CJK}])")
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
BRACKETS = str.maketrans("", "", "()[]{}")


def words(text):
    """The words of a page's text, normalised as the module docstring says (on a page with
    right-to-left letters, one "word" of its sorted characters)."""
    text = CJK_SPACE.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(DROP)
    text = HYPHEN_BREAK.sub(r"\1", text)
    ws = text.split()
    if not any(RTL.search(w) for w in ws):
        return ws
    return ["RTL page, letters: " + "".join(sorted("".join(ws).translate(BRACKETS)))]


def first_difference(a, b):
    """A short description of where two word lists part."""
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return i, " ".join(a[max(0, i - 3): i + 4]), " ".join(b[max(0, i - 3): i + 4])


# ---------------------------------------------------------------------------------------
# The readers


def run(args, **kw):
    return subprocess.run(args, capture_output=True, timeout=TIMEOUT, **kw)


def complaints_in(stderr):
    lines = stderr.decode("utf-8", "replace").splitlines()
    return [l for l in lines if l.strip() and not any(p.search(l) for p in IGNORED)]


def pages_of(stdout):
    """Text split at form feeds, the empty piece after the last one dropped."""
    pages = stdout.decode("utf-8", "replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def poppler(path, out):
    r = run(["pdftotext", "-raw", "-enc", "UTF-8", path, "-"])
    for l in complaints_in(r.stderr) or ([f"pdftotext exit {r.returncode}"] if r.returncode else []):
        out["problems"].append(("poppler", "pdftotext: " + l))
    out["texts"]["poppler"] = pages_of(r.stdout)
    r = run(["pdffonts", path])
    for l in complaints_in(r.stderr) or ([f"pdffonts exit {r.returncode}"] if r.returncode else []):
        out["problems"].append(("poppler", "pdffonts: " + l))


def qpdf(path, out):
    r = run(["qpdf", "--check", path])
    text = (r.stdout + r.stderr).decode("utf-8", "replace")
    if r.returncode != 0 or "WARNING" in text:
        bad = [l for l in text.splitlines() if "WARNING" in l or "error" in l.lower()]
        out["problems"].append(("qpdf", f"--check exit {r.returncode}: " + "; ".join(bad[:5])))


def mupdf(path, out):
    r = run(["mutool", "draw", "-q", "-r", "36", "-F", "pnm", "-o", "/dev/null", path])
    for l in complaints_in(r.stderr) or ([f"exit {r.returncode}"] if r.returncode else []):
        out["problems"].append(("mupdf", "draw: " + l))
    r = run(["mutool", "draw", "-q", "-F", "txt", "-o", "-", path])
    for l in complaints_in(r.stderr) or ([f"exit {r.returncode}"] if r.returncode else []):
        out["problems"].append(("mupdf", "draw -F txt: " + l))
    out["texts"]["mupdf"] = pages_of(r.stdout)
    r = run(["mutool", "info", path])
    for l in complaints_in(r.stderr) or ([f"exit {r.returncode}"] if r.returncode else []):
        out["problems"].append(("mupdf", "info: " + l))


def pdfium(path, out):
    import pypdfium2 as pdfium

    pages = []
    try:
        pdf = pdfium.PdfDocument(path)
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                page.render(scale=0.25).close()
                textpage = page.get_textpage()
                pages.append(textpage.get_text_range())
                textpage.close()
                page.close()
        finally:
            pdf.close()
    except Exception as e:  # pypdfium2 raises PdfiumError (and others) on what it cannot read
        out["problems"].append(("pdfium", f"{type(e).__name__}: {e}"))
    out["texts"]["pdfium"] = pages


_node = None


def pdfjs(path, out):
    global _node
    if _node is None or _node.poll() is not None:
        _node = subprocess.Popen(
            ["node", str(PDFJS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8",
        )
    _node.stdin.write(path + "\n")
    _node.stdin.flush()
    # One line comes back per path, so nothing is left buffered between files and select()
    # on the pipe tells whether pdf.js answered in time.
    if not select.select([_node.stdout], [], [], TIMEOUT)[0]:
        _node.kill()
        _node = None
        out["problems"].append(("pdf.js", f"no answer in {TIMEOUT} s"))
        return
    line = _node.stdout.readline()
    if not line:
        out["problems"].append(("pdf.js", "node exited"))
        _node = None
        return
    res = json.loads(line)
    if res["error"]:
        out["problems"].append(("pdf.js", res["error"]))
    for w in res["warnings"]:
        out["problems"].append(("pdf.js", w))
    out["texts"]["pdf.js"] = res["pages"]


# ---------------------------------------------------------------------------------------
# What a PDF may contain


ALLOWED_ACTIONS = {"/URI", "/GoTo"}
ALLOWED_ANNOTS = {"/Link"}
URI_SCHEME = re.compile(r"^(https?|mailto):", re.I)
# RFC 3986 characters; anything else (space, non-ASCII, quotes, <>, \, {}, |, ^, `, control
# characters) and the parentheses that end a PDF string must be percent-encoded.
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=]|%[0-9A-Fa-f]{2})*$")


def pdf_string(v):
    """A qpdf JSON v2 string ("u:text" or "b:hex") as bytes, or None if not a string."""
    if isinstance(v, str) and v.startswith("u:"):
        return v[2:].encode("utf-8")
    if isinstance(v, str) and v.startswith("b:"):
        return bytes.fromhex(v[2:])
    return None


def content_rules(path):
    """Complaints about what the PDF contains, from its objects as `qpdf --json` gives them:
    no JavaScript (/JS, /JavaScript name tree, JavaScript actions), no action but /URI and
    /GoTo (so no Launch, SubmitForm, ImportData, GoToR, GoToE...), no additional-actions /AA,
    no forms, no annotation but /Link, no external streams (/F, /FFilter, /FDecodeParms on a
    stream), no embedded file unless the PDF is PDF/A-3 and the file is one of its declared
    associated files (catalog /AF, with an /AFRelationship), and every /URI an http, https or
    mailto URI of RFC 3986 characters only (everything else percent-encoded)."""
    r = run(["qpdf", "--json", "--json-key=qpdf", "--json-stream-data=none", path])
    if r.returncode not in (0, 3):
        return [f"qpdf --json exit {r.returncode}"]
    objs = json.loads(r.stdout)["qpdf"][1]
    bad = []
    catalog = None
    filespecs = set()  # object keys of file specifications with /EF
    embedded = []  # (where) of embedded files and attachments

    def action(a, where):
        if isinstance(a, str) and a.endswith(" R"):
            a = objs.get("obj:" + a, {}).get("value")
        if not isinstance(a, dict):
            return
        s = a.get("/S")
        if s not in ALLOWED_ACTIONS:
            bad.append(f"{where}: action {s}")
        if s == "/URI":
            uri = pdf_string(a.get("/URI"))
            if uri is None:
                bad.append(f"{where}: /URI is not a string")
                return
            text = uri.decode("latin-1")
            if not URI_SCHEME.match(text):
                bad.append(f"{where}: URI scheme not http, https or mailto: {text!r}")
            if not URI_CHARS.match(text):
                bad.append(f"{where}: URI not percent-encoded: {text!r}")
        if "/Next" in a:
            nxt = a["/Next"]
            for n in nxt if isinstance(nxt, list) else [nxt]:
                action(n, where + " /Next")

    def walk(v, where):
        if isinstance(v, dict):
            for k, x in v.items():
                if k in ("/JS", "/JavaScript"):
                    bad.append(f"{where}: {k}")
                elif k == "/AA":
                    bad.append(f"{where}: additional actions /AA")
                elif k in ("/A", "/OpenAction", "/PA"):
                    action(x, f"{where} {k}")
                elif k in ("/AcroForm", "/XFA"):
                    bad.append(f"{where}: {k}")
                elif k == "/EmbeddedFiles":
                    embedded.append(where + " /EmbeddedFiles")
                walk(x, where)
            if v.get("/Type") == "/Annot" or "/Subtype" in v and "/Rect" in v:
                if v.get("/Subtype") not in ALLOWED_ANNOTS:
                    bad.append(f"{where}: annotation {v.get('/Subtype')}")
        elif isinstance(v, list):
            for x in v:
                walk(x, where)

    for key, obj in objs.items():
        if not key.startswith("obj:"):
            continue
        where = key[4:]
        if "stream" in obj:
            d = obj["stream"].get("dict", {})
            for k in ("/F", "/FFilter", "/FDecodeParms"):
                if k in d:
                    bad.append(f"{where}: external stream ({k})")
            if d.get("/Type") == "/EmbeddedFile":
                embedded.append(where)
            walk(d, where)
        else:
            v = obj.get("value")
            if isinstance(v, dict):
                if v.get("/Type") == "/Catalog":
                    catalog = (where, v)
                if "/EF" in v:
                    filespecs.add(where + "")
            walk(v, where)
    trailer = objs.get("trailer", {}).get("value", {})
    if catalog is None and isinstance(trailer, dict):
        root = trailer.get("/Root")
        catalog = (root, objs.get("obj:" + str(root), {}).get("value", {}))
    if embedded or filespecs:
        where, cat = catalog or ("?", {})
        declared = set()
        for f in cat.get("/AF", []) if isinstance(cat.get("/AF"), list) else []:
            spec = objs.get("obj:" + f, {}).get("value", {}) if isinstance(f, str) else {}
            if isinstance(spec, dict) and "/AFRelationship" in spec:
                declared.add(f)
        if not is_pdfa3(path, cat):
            bad.append(f"embedded files in a PDF that is not PDF/A-3: {', '.join(embedded)}")
        for f in sorted(filespecs - declared):
            bad.append(f"{f}: embedded file not declared in the catalog's /AF with /AFRelationship")
    return bad


def is_pdfa3(path, catalog):
    meta = catalog.get("/Metadata") if isinstance(catalog, dict) else None
    if not isinstance(meta, str) or not meta.endswith(" R"):
        return False
    r = run(["qpdf", f"--show-object={meta.split()[0]}", "--filtered-stream-data", path])
    xmp = r.stdout.decode("utf-8", "replace")
    return bool(re.search(r"pdfaid:part(?:>|=\")\s*3\b", xmp))


# ---------------------------------------------------------------------------------------


def check(path):
    out = {"file": path, "problems": [], "texts": {}, "seconds": 0.0}
    t = time.monotonic()
    for reader in (poppler, qpdf, mupdf, pdfium, pdfjs):
        try:
            reader(path, out)
        except Exception as e:  # a reader that crashed or hung is a complaint too
            out["problems"].append((reader.__name__, f"{type(e).__name__}: {e}"))
    try:
        out["problems"] += [("content", b) for b in content_rules(path)]
    except Exception as e:
        out["problems"].append(("content", f"{type(e).__name__}: {e}"))
    texts = {r: [words(p) for p in pages] for r, pages in out["texts"].items()}
    counts = {r: len(p) for r, p in texts.items()}
    if len(set(counts.values())) > 1:
        out["problems"].append(("text", f"page counts differ: {counts}"))
    else:
        names = list(texts)
        for n in range(max(counts.values(), default=0)):
            ref = names[0]
            for other in names[1:]:
                if texts[other][n] != texts[ref][n]:
                    i, a, b = first_difference(texts[ref][n], texts[other][n])
                    out["problems"].append(
                        ("text", f"page {n + 1}: {ref} and {other} differ at word {i + 1}: "
                                 f"{ref} {a!r} / {other} {b!r}"))
    del out["texts"]
    out["seconds"] = time.monotonic() - t
    return out


def pdfs_in(paths):
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(x for x in p.rglob("*") if x.suffix.lower() == ".pdf" and x.is_file())
        elif p.is_file():
            yield p
        else:
            raise SystemExit(f"check.py: no such file or folder: {p}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-v", "--verbose", action="store_true", help="a line per file checked")
    args = ap.parse_args()
    start = time.monotonic()
    seen, files, total = {}, [], 0
    for p in pdfs_in(args.paths):
        total += 1
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        if digest not in seen:
            seen[digest] = str(p)
            files.append(str(p))
    bad = 0
    with multiprocessing.Pool(max(1, args.jobs)) as pool:
        for res in pool.imap_unordered(check, files):
            if res["problems"]:
                bad += 1
                for reader, msg in res["problems"]:
                    print(f"{res['file']}: {reader}: {msg}", flush=True)
            elif args.verbose:
                print(f"{res['file']}: ok ({res['seconds']:.1f} s)", flush=True)
    print(
        f"readers: {total} PDFs ({len(files)} distinct) read by poppler, qpdf, MuPDF, pdf.js "
        f"and PDFium in {time.monotonic() - start:.0f} s: "
        + (f"{bad} with complaints" if bad else "no complaints"),
        flush=True,
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
