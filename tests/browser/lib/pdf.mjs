// Print to PDF with Chromium and read the PDF back with pdf.js: the text of each page, top
// to bottom.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** Prints the open page (A4, CSS page rules honoured) and returns the PDF's bytes. */
export function printToPdf(page) {
  return page.pdf({ format: "A4", preferCSSPageSize: true });
}

/** Each page of the PDF as its lines of text, top first. */
export async function pdfPages(bytes) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, verbosity: 0 }).promise;
  const pages = [];
  for (let number = 1; number <= pdf.numPages; number += 1) {
    const content = await (await pdf.getPage(number)).getTextContent();
    const lines = new Map();
    for (const item of content.items) {
      if (!("str" in item) || !item.str.trim()) {
        continue;
      }
      const y = Math.round(item.transform[5]);
      const x = item.transform[4];
      lines.set(y, [...(lines.get(y) ?? []), [x, item.str]]);
    }
    pages.push(
      [...lines.entries()]
        .sort(([a], [b]) => b - a)
        .map(([, parts]) => parts.sort(([a], [b]) => a - b).map(([, text]) => text).join(" ").replace(/\s+/g, " ").trim()),
    );
  }
  await pdf.destroy();
  return pages;
}
