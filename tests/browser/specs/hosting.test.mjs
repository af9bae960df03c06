// Hosting: the same site works opened from disk (file://) and served under a sub-path. A
// reader follows the navigation, and finds a task by searching for "Sentinel" — from the
// top bar's dropdown and from the results page — with no request failing on the way. The
// searches run again on a copy of the site whose search index is split into parts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { openBrowser } from "../lib/browser.mjs";
import { PAGES, fileUrl, serveSite, siteDir, splitIndexSiteDir } from "../lib/site.mjs";

const origins = [
  ["file://", async (dir) => ({ url: (path) => fileUrl(path, dir), close: async () => {} })],
  ["http://…/ppdocs/", async (dir) => serveSite("/ppdocs/", dir)],
];
const sites = [["", siteDir]];
if (splitIndexSiteDir) {
  sites.push([" (search index split)", splitIndexSiteDir]);
}

for (const [origin, open] of origins) for (const [variant, dir] of sites) {
  describe(`the site${variant} from ${origin}`, () => {
    let browser;
    let site;
    const failures = [];
    before(async () => {
      site = await open(dir);
      browser = await openBrowser();
      // A request aborted because the test navigated on is not a failure of the site.
      browser.page.on("requestfailed", (r) => {
        if (r.failure()?.errorText !== "net::ERR_ABORTED") failures.push(`${r.url()}: ${r.failure()?.errorText}`);
      });
      browser.page.on("response", (r) => {
        if (r.status() >= 400) failures.push(`${r.url()}: ${r.status()}`);
      });
      browser.page.on("pageerror", (e) => failures.push(`script error: ${e.message}`));
    });
    after(async () => {
      await browser.close();
      await site.close();
    });

    test("navigation: dashboard → article → section → appendix and back by breadcrumb", async () => {
      const { page } = browser;
      await page.goto(site.url(PAGES.dashboard));
      await page.locator("nav.sidebar a", { hasText: "Security checklist" }).first().click();
      await page.waitForURL(/security-checklist\/index\.html$/);
      await page.locator("main a", { hasText: "Threat protection" }).first().click();
      await page.waitForURL(/security-checklist\/threat-protection\/index\.html/);
      assert.ok((await page.locator("[data-task-id]").count()) >= 5, "the section lists its tasks");
      await page.locator("nav.sidebar a", { hasText: "Compliance records" }).first().click();
      await page.waitForURL(/appendix\/index\.html$/);
      await page.locator("nav[aria-label='Breadcrumb'] a, .breadcrumbs a", { hasText: "Dashboard" }).first().click();
      await page.waitForURL((url) => url.pathname.endsWith("/index.html") && !url.pathname.includes("/appendix/"));
      assert.deepEqual(failures, []);
    });

    test("search finds the Sentinel task from the dropdown and from the results page", async () => {
      const { page } = browser;
      await page.goto(site.url(PAGES.section));
      await page.locator("#search-input").fill("Sentinel");
      const hit = page.locator("#search-results a.search-hit", { hasText: "Sentinel" }).first();
      await hit.waitFor({ timeout: 5000 });
      const kinds = await page.locator("#search-results .search-kind").allTextContents();
      assert.ok(kinds.includes("Task"), `a task among the hits: ${kinds}`);
      const taskHit = page.locator("#search-results a.search-hit", { has: page.locator(".search-kind", { hasText: "Task" }) }).first();
      await taskHit.click();
      const url = new URL(page.url());
      assert.match(url.hash, /^#task-/, `lands on a task: ${page.url()}`);
      const task = page.locator(`[id="${decodeURIComponent(url.hash.slice(1))}"]`);
      assert.equal(await task.count(), 1, "the task is on the page it leads to");
      assert.match(await task.textContent(), /Sentinel/);

      // Enter without picking a hit opens the results page with every hit.
      await page.locator("#search-input").fill("Sentinel");
      await page.locator("#search-input").press("Enter");
      await page.waitForURL(/search\/index\.html\?q=Sentinel/);
      await page.locator("[data-search-page] a.search-hit").first().waitFor({ timeout: 5000 });
      const results = await page.locator("[data-search-page] a.search-hit").count();
      assert.ok(results >= 2, `the results page lists the hits (${results})`);
      assert.deepEqual(failures, []);
    });

    if (dir === splitIndexSiteDir) {
      test("a one-letter query loads one shard of a split index, and a task is found by its own word", async () => {
        const { page } = browser;
        await page.goto(site.url(PAGES.dashboard));
        const shards = [];
        const listen = (request) => {
          if (/\/t\d+\.js$/.test(request.url())) shards.push(request.url());
        };
        page.on("request", listen);
        // "a" starts the words of most of the word index's shards: only the word "a" is looked up.
        await page.locator("#search-input").fill("a");
        await page.locator("#search-results a.search-hit, #search-results .search-empty").first().waitFor({ timeout: 5000 });
        page.off("request", listen);
        assert.ok(shards.length <= 1, `shards loaded for "a": ${shards}`);
        await page.locator("#search-input").fill("a17w3");
        await page.locator("#search-results a.search-hit", { hasText: "a17w3 " }).waitFor({ timeout: 5000 });
        const hits = await page.locator("#search-results a.search-hit").allTextContents();
        assert.equal(hits.length, 1, `one task has the word: ${hits}`);
        assert.deepEqual(failures, []);
      });
    }

    if (dir === splitIndexSiteDir && origin.startsWith("http")) {
      test("a part of a split index that failed to load is tried again by the next search", async () => {
        const { page } = browser;
        await page.goto(site.url(PAGES.dashboard));
        let chunkRequests = 0;
        // The first chunk requested fails (as "aborted", which the failure log leaves out).
        await page.route(/\/e\d+\.js$/, (route) => (chunkRequests++ === 0 ? route.abort("aborted") : route.continue()));
        await page.locator("#search-input").fill("Sentinel");
        await page.locator("#search-results .search-empty", { hasText: "could not be loaded" }).waitFor({ timeout: 5000 });
        await page.locator("#search-input").fill("Sentinel ");
        await page.locator("#search-results a.search-hit", { hasText: "Sentinel" }).first().waitFor({ timeout: 5000 });
        await page.unroute(/\/e\d+\.js$/);
        assert.deepEqual(failures, []);
      });
    }

    test("a task ID finds its task first", async () => {
      const { page } = browser;
      await page.goto(site.url(PAGES.dashboard));
      await page.locator("#search-input").fill("TP-02");
      const first = page.locator("#search-results a.search-hit").first();
      await first.waitFor({ timeout: 5000 });
      assert.match(await first.textContent(), /TP-02/);
      assert.deepEqual(failures, []);
    });
  });
}

test("without JavaScript, navigation and statuses still work and search explains itself", async () => {
  const browser = await openBrowser({ javaScriptEnabled: false });
  try {
    const { page } = browser;
    await page.goto(fileUrl(PAGES.section));
    assert.ok((await page.locator("[data-task-id][data-status]").count()) >= 5);
    await page.locator("#search-input").fill("Sentinel");
    await page.locator("#search-input").press("Enter");
    await page.waitForURL(/search\/index\.html/);
    assert.match(await page.locator("main").textContent(), /needs JavaScript/);
  } finally {
    await browser.close();
  }
});
