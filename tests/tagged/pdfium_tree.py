"""Print a PDF's structure tree as PDFium (Chrome's reader) sees it, via pypdfium2.

One line per element, indented by depth: `ROLE [alt=...] [lang=...] | text`, where text is
what the element's marked content shows (PDFium's text objects carrying that MCID). Used by
tests/tagged_pdf.rs; run as `python3 tests/tagged/pdfium_tree.py FILE.pdf`.
"""
import ctypes
import sys

import pypdfium2 as pdfium
import pypdfium2.raw as raw


def utf16(fn, *args):
    """Call a PDFium getter that fills a UTF-16LE buffer and returns its byte length."""
    n = fn(*args, None, 0)
    if n <= 2:
        return ""
    buf = ctypes.create_string_buffer(n)
    fn(*args, buf, n)
    return buf.raw[: n - 2].decode("utf-16-le")


def mcid_texts(page, textpage):
    """MCID -> text of the page's text objects marked with it."""
    out = {}
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_TEXT:
            continue
        mcid = raw.FPDFPageObj_GetMarkedContentID(obj)
        if mcid < 0:
            continue
        n = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
        buf = ctypes.create_string_buffer(n)
        raw.FPDFTextObj_GetText(obj, textpage, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)), n)
        out[mcid] = out.get(mcid, "") + buf.raw[: max(n - 2, 0)].decode("utf-16-le")
    return out


def walk(elem, depth, texts, lines):
    """The element's line, then its kids in order: child elements, and the element's own
    text after a child element (a sentence going on after an inline Link) on a `#content`
    line of its own, so the lines read in the order of the structure tree."""
    role = utf16(raw.FPDF_StructElement_GetType, elem)
    alt = utf16(raw.FPDF_StructElement_GetAltText, elem)
    lang = utf16(raw.FPDF_StructElement_GetLang, elem)
    extra = (f" alt={alt!r}" if alt else "") + (f" lang={lang}" if lang else "")
    at = len(lines)
    lines.append(None)
    text, first = "", None
    for c in range(raw.FPDF_StructElement_CountChildren(elem)):
        child = raw.FPDF_StructElement_GetChildAtIndex(elem, c)
        if child:
            if first is None:
                first = text
            elif text:
                lines.append(f"{'  ' * (depth + 1)}#content | {text}")
            text = ""
            walk(child, depth + 1, texts, lines)
        else:
            text += texts.get(raw.FPDF_StructElement_GetChildMarkedContentID(elem, c), "")
    if first is None:
        first, text = text, ""
    if text:
        lines.append(f"{'  ' * (depth + 1)}#content | {text}")
    lines[at] = f"{'  ' * depth}{role}{extra} | {first}"


def main(path):
    pdf = pdfium.PdfDocument(path)
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        texts = mcid_texts(page.raw, textpage.raw)
        tree = raw.FPDF_StructTree_GetForPage(page.raw)
        lines = [f"# page {i + 1}"]
        for k in range(raw.FPDF_StructTree_CountChildren(tree)):
            walk(raw.FPDF_StructTree_GetChildAtIndex(tree, k), 0, texts, lines)
        raw.FPDF_StructTree_Close(tree)
        print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
