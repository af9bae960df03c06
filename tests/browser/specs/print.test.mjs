// Paper: appendices and section pages print without navigation, each appendix on a new page,
// with link targets written out and statuses that read in black and white.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { openBrowser } from "../lib/browser.mjs";
import { pdfPages, printToPdf } from "../lib/pdf.mjs";
import { PAGES, fileUrl } from "../lib/site.mjs";

const NAVIGATION = ["Skip to content", "Records and training", "Menu", "Previous", "Built with ppdocs"];

function assertNoNavigation(pages) {
  const text = pages.flat().join("\n");
  for (const words of NAVIGATION) {
    assert.ok(!text.includes(words), `the PDF shows navigation: ${words}`);
  }
}

describe("print to PDF", () => {
  let browser;
  before(async () => {
    browser = await openBrowser();
  });
  after(() => browser.close());

  test("all appendices: each starts a new page, with its title at the top", async () => {
    const { page } = browser;
    await page.goto(fileUrl(PAGES.appendixAll));
    const titles = await page.locator("h2.appendix-title").allTextContents();
    assert.ok(titles.length >= 10, `${titles.length} appendices`);
    const pages = await pdfPages(await printToPdf(page));
    assert.ok(pages.length >= titles.length, `${pages.length} pages for ${titles.length} appendices`);
    // Compared without spaces: PDF text splits ligatures ("ﬁ") and wraps long titles.
    const compact = (text) => text.normalize("NFKC").replace(/\s+/g, "");
    const body = pages.map((lines) => compact(lines.filter((l) => !/^Page \d+ of \d+$/.test(l)).join("")));
    let previous = -1;
    for (const [n, title] of titles.map((t) => compact(t)).entries()) {
      const at = body.findIndex((text, i) => i > previous && text.includes(title));
      assert.ok(at > previous, `"${title}" not found after page ${previous + 1}`);
      if (n > 0) {
        assert.ok(body[at].startsWith(title), `page ${at + 1} does not start with "${title}"`);
      }
      previous = at;
    }
    assert.match(pages[0].join("\n"), /Page 1 of \d+/, "pages are numbered");
    assertNoNavigation(pages);
  });

  test("an appendix shows link targets and statuses in words", async () => {
    const { page } = browser;
    await page.goto(fileUrl(PAGES.appendix));
    // A web link shown as its address is not written out twice; an attachment's path is.
    const web = await page.locator(".record-links a.url").first().getAttribute("href");
    const attachment = await page.locator(".attachments a").first().getAttribute("href");
    const pages = await pdfPages(await printToPdf(page));
    const text = pages.flat().join(" ").normalize("NFKC").replace(/\s/g, "");
    assert.ok(text.includes(web), `the address ${web} is shown`);
    assert.ok(!text.includes(`(${web})`), `the address ${web} is written out twice`);
    // The path wraps inside its table cell, where PDF text interleaves it with the next
    // column: look for its start.
    assert.ok(text.includes(`(${attachment.slice(0, 24)}`), `the attachment ${attachment} is written out`);
    assert.match(text, /✓Done/);
    assertNoNavigation(pages);
  });

  test("badges are black on white in print, told apart by icon and word", async () => {
    const { page } = browser;
    await page.emulateMedia({ media: "print" });
    try {
      await page.goto(fileUrl(PAGES.section));
      const colours = await page.locator(".badge").evaluateAll((badges) =>
        badges.map((b) => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]),
      );
      assert.ok(colours.length >= 5);
      for (const [color, background] of colours) {
        assert.equal(color, "rgb(0, 0, 0)");
        assert.equal(background, "rgba(0, 0, 0, 0)");
      }
    } finally {
      await page.emulateMedia({ media: null });
    }
  });

  test("a section page prints its tasks with their statuses, link addresses and no navigation", async () => {
    const { page } = browser;
    await page.goto(fileUrl(PAGES.section));
    const ids = await page.locator("tr[data-task-id]").evaluateAll((rows) => rows.map((r) => r.dataset.taskId));
    const pages = await pdfPages(await printToPdf(page));
    const text = pages.flat().join(" ");
    for (const id of ids) {
      assert.ok(text.includes(id), `${id} missing from the PDF`);
    }
    assert.match(text, /✓ Done/);
    assert.match(text, /○ Not started/);
    assertNoNavigation(pages);

    await page.goto(fileUrl(PAGES.sectionWithLinks));
    const link = page.locator('main .task-text a[href^="http"]').first();
    const [label, href] = [await link.textContent(), await link.getAttribute("href")];
    assert.notEqual(label, href);
    const linked = (await pdfPages(await printToPdf(page))).flat().join(" ").normalize("NFKC").replace(/\s/g, "");
    assert.ok(linked.includes(`${label.replace(/\s/g, "")}(${href})`), `${href} is written after "${label}"`);
  });
});
