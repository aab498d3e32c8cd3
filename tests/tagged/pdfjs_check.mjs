// Read PDFs with pdf.js (Firefox's reader) for tests/readers/check.py: one PDF path a line on
// stdin, one JSON line on stdout for each: {"file", "pages": [text of each page], "outline":
// number of outline items, "warnings": [...], "error": message or null}. Each page is loaded,
// its text read (getTextContent) and its operator list built (getOperatorList: the whole
// content stream interpreted, fonts loaded, as for drawing); the document's outline is read
// (getOutline). pdf.js reports a problem it recovers from as a warning through console.log
// ("Warning: ..."), collected here per file. Run by check.py as
// `node tests/tagged/pdfjs_check.mjs`; uses the pdfjs-dist of tests/tagged/node_modules.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

let warnings = [];
const collect = (...args) => warnings.push(args.map(String).join(" "));
// Set before pdf.js is loaded so that no message escapes to stdout, which carries the JSON.
console.log = collect;
console.warn = collect;
console.info = collect;
const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
// Messages about the Node environment itself (no canvas for drawing), not about a file.
warnings = [];

const write = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");

async function read(file) {
  const pages = [];
  let outline = 0;
  const data = new Uint8Array(readFileSync(file));
  const doc = await getDocument({ data, verbosity: 1, isEvalSupported: false }).promise;
  try {
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const content = await page.getTextContent();
      pages.push(content.items.map((i) => (i.str ?? "") + (i.hasEOL ? "\n" : "")).join(""));
      await page.getOperatorList();
      page.cleanup();
    }
    const count = (items) => (items ?? []).reduce((n, i) => n + 1 + count(i.items), 0);
    outline = count(await doc.getOutline());
  } finally {
    await doc.destroy();
  }
  return { pages, outline };
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line) continue;
  warnings = [];
  try {
    const { pages, outline } = await read(line);
    write({ file: line, pages, outline, warnings, error: null });
  } catch (e) {
    write({ file: line, pages: [], outline: 0, warnings, error: String(e?.message ?? e) });
  }
}
