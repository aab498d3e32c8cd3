// Print a PDF's structure tree as pdf.js (Firefox's reader) sees it: page.getStructTree(),
// the tree Firefox hands to screen readers, with each marked-content id's text from
// getTextContent({ includeMarkedContent: true }). One line per node, indented by depth:
// `ROLE [alt=...] [lang=...] | text`. Used by tests/tagged_pdf.rs:
// `node tests/tagged/pdfjs_tree.mjs FILE.pdf`.
import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: 0 }).promise;
for (let p = 1; p <= doc.numPages; p++) {
  const page = await doc.getPage(p);
  const content = await page.getTextContent({ includeMarkedContent: true });
  const texts = new Map();
  let open = [];
  for (const item of content.items) {
    if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent") {
      open.push(item.id ?? null);
    } else if (item.type === "endMarkedContent") {
      open.pop();
    } else if (item.str !== undefined) {
      const id = open.findLast((x) => x !== null);
      if (id) texts.set(id, (texts.get(id) ?? "") + item.str + (item.hasEOL ? " " : ""));
    }
  }
  const lines = [`# page ${p}`];
  const walk = (node, depth) => {
    if (node.type === "content") {
      lines.push(`${"  ".repeat(depth)}#content | ${texts.get(node.id) ?? ""}`);
      return;
    }
    if (node.type === "object" || node.type === "annotation") {
      lines.push(`${"  ".repeat(depth)}#${node.type}`);
      return;
    }
    const extra = (node.alt ? ` alt=${JSON.stringify(node.alt)}` : "") + (node.lang ? ` lang=${node.lang}` : "");
    lines.push(`${"  ".repeat(depth)}${node.role}${extra} |`);
    for (const c of node.children ?? []) walk(c, depth + 1);
  };
  const tree = await page.getStructTree();
  if (tree) for (const c of tree.children ?? []) walk(c, 0);
  console.log(lines.join("\n"));
}
