// The insight pages (/admin/inzicht) in real Chromium: charts drawn, filters in the URL,
// the stories behind a bar, reading without JavaScript, keyboard use, axe, and the printed
// report as a PDF.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, launch, axeViolations, logIn, ROOT } from "./harness.mjs";

let browser;
let server;

/** Posts one story with these answers on top of a valid minimum. */
async function tell(answers) {
  const body = {
    questionnaire: "vertelpunt-jeugdhulp", version: 1, submission_id: randomUUID(), link: null, lang: "nl",
    answers: { prompt: "geholpen", story: "Er werd naar me geluisterd.", perspective: "child", ...answers },
  };
  const response = await fetch(`${server.url}/api/v1/stories`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(response.status, 201, await response.text());
}

before(async () => {
  browser = await launch();
  server = await startServer();
  // 30 angry children, 20 happy parents, 18 relieved professionals of whom 3 found the
  // treatment cold and distant (a small group).
  for (let i = 0; i < 30; i++) await tell({ perspective: "child", emotion: "angry", title: `Boos ${i}`, seen_heard: 20 + (i % 10) });
  for (let i = 0; i < 20; i++) await tell({ perspective: "parent", emotion: "happy", title: `Blij ${i}`, seen_heard: 85, age_group: "12_to_18" });
  for (let i = 0; i < 15; i++) await tell({ perspective: "professional", emotion: "relieved", seen_heard: "not_applicable" });
  for (let i = 0; i < 3; i++) await tell({ perspective: "professional", emotion: "relieved", treatment: "distant", title: "Koud" });
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** A coordinator's desktop browser, logged in with the admin token on the login page. */
async function coordinator(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
  const page = await context.newPage();
  page.requests = [];
  page.on("request", (request) => page.requests.push(request.url()));
  await logIn(page, server.url);
  return { context, page };
}

test("with a wrong token the browser gets no patterns", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Without a session the insight page sends the login page, which comes back to it; a wrong
  // token shows the login page again, saying so (401). Either way no chart reaches it.
  await page.goto(`${server.url}/admin/inzicht`);
  assert.equal(new URL(page.url()).pathname, "/admin/login");
  assert.equal(new URL(page.url()).searchParams.get("terug"), "/admin/inzicht");
  await page.getByLabel("Beheercode").fill("raden");
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Inloggen", exact: true }).click(),
  ]);
  assert.equal(response.status(), 401);
  await page.waitForLoadState();
  assert.match(await page.textContent("body"), /Deze beheercode klopt niet/);
  assert.equal(await page.locator("svg").count(), 0);
  await context.close();
});

test("charts render, a filter goes into the URL, and a bar opens its stories", async () => {
  const { context, page } = await coordinator();
  await page.goto(`${server.url}/admin/inzicht?question=emotion&by=perspective`);
  const chart = page.getByRole("group", { name: "Wat voelde je in dit verhaal? — per groep" });
  await chart.waitFor();
  assert.ok((await chart.locator("rect").count()) > 20, "bars are drawn");
  assert.ok(await page.getByRole("cell", { name: "100% (30)" }).count() >= 1, "numbers beside the bars, in the table too");
  assert.ok(await page.getByRole("cell", { name: "< 5" }).count() >= 1, "small cells say < 5");

  await page.getByLabel("Ik vertel dit als").selectOption("parent");
  await page.getByRole("button", { name: "Toon" }).click();
  await page.waitForURL(/perspective=parent/);
  assert.match(page.url(), /question=emotion/);
  assert.match(await page.textContent("main"), /Aantal verhalen: 20/);

  // The URL is the view: opened fresh (another team member), it shows the same.
  const shared = await context.newPage();
  await shared.goto(page.url());
  assert.equal(await shared.getByLabel("Ik vertel dit als").inputValue(), "parent");
  await shared.close();

  await page.getByRole("link", { name: /Lees de verhalen: Blij, Alle verhalen/ }).click();
  await page.getByRole("heading", { name: /Verhalen bij “Blij”/ }).waitFor();
  assert.equal(await page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: /^Blij \d+$/ }) }).count(), 20);
  await page.getByRole("link", { name: "Terug naar de grafiek" }).click();
  await page.waitForURL((url) => !url.search.includes("view=stories") && url.search.includes("perspective=parent"));

  const hosts = new Set(page.requests.map((u) => new URL(u).host));
  assert.deepEqual([...hosts], [new URL(server.url).host], "no third-party request");
  assert.deepEqual((await context.cookies()).map((c) => c.name), ["storypoint_beheer"], "no cookies but the login's session");
  await context.close();
});

test("a small group is shown as < 5 and its stories are not listed", async () => {
  const { context, page } = await coordinator();
  await page.goto(`${server.url}/admin/inzicht?question=treatment&by=perspective`);
  await page.getByRole("group", { name: /Hoe/ }).waitFor();
  assert.equal(await page.getByRole("link", { name: /Lees de verhalen: Koel en afstandelijk/ }).count(), 0);
  assert.equal(await page.getByRole("row", { name: /Koel en afstandelijk/ }).getByRole("cell", { name: "< 5" }).count(), 6);
  await page.goto(`${server.url}/admin/inzicht?view=stories&question=treatment&by=perspective&value=distant&group=professional`);
  await page.getByRole("status").filter({ hasText: "tonen we niet" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Koud", exact: true }).count(), 0);
  await context.close();
});

test("reading works without JavaScript: filter form, cross-tab and stories", async () => {
  const { context, page } = await coordinator({ javaScriptEnabled: false });
  await page.goto(`${server.url}/admin/inzicht`);
  await page.getByRole("link", { name: "Twee vragen tegen elkaar" }).click();
  await page.getByLabel("Rijen").selectOption("emotion");
  await page.getByLabel("Kolommen").selectOption("perspective");
  await page.getByRole("button", { name: "Toon" }).click();
  await page.waitForURL(/view=crosstab/);
  const table = page.getByRole("table", { name: "Aantal verhalen en rijpercentage" });
  await table.waitFor();
  assert.match(await page.textContent(".test"), /waarschijnlijk niet door toeval/);
  await table.getByRole("link", { name: "100% (30)" }).click();
  await page.getByRole("heading", { name: /Verhalen bij “Boos”/ }).waitFor();
  assert.equal(await page.getByRole("heading", { name: /^Boos \d+$/ }).count(), 30);
  await context.close();
});

test("keyboard only: the filter form and the bars are reachable, with a visible focus", async () => {
  const { context, page } = await coordinator();
  await page.goto(`${server.url}/admin/inzicht?question=emotion&by=none`);
  let reachedBar = false;
  for (let i = 0; i < 60 && !reachedBar; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { inSvg: !!el.closest("svg"), outline: style.outlineStyle, label: el.textContent };
    });
    if (focused.inSvg) {
      reachedBar = true;
      assert.notEqual(focused.outline, "none", "focus is visible on a bar");
    }
  }
  assert.ok(reachedBar, "a bar link is reachable with Tab");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: /Verhalen bij/ }).waitFor();
  await context.close();
});

test("axe-core: no serious or critical violations on every insight view", async () => {
  const { context, page } = await coordinator();
  for (const query of [
    "question=emotion&by=perspective",
    "question=seen_heard&by=perspective",
    "question=emotion&by=rounds&a_from=2020-01&a_to=2020-12&b_from=2021-01",
    "view=crosstab&row=emotion&col=perspective",
    "view=stories&question=emotion&by=perspective&value=angry&group=child",
    "view=stories&question=treatment&by=perspective&value=distant&group=professional",
    "view=report",
  ]) {
    await page.goto(`${server.url}/admin/inzicht?${query}`);
    assert.deepEqual(await axeViolations(page), [], query);
  }
  await context.close();
});

test("the printed report has a page per question and comes out as a PDF", async () => {
  const { context, page } = await coordinator();
  await page.goto(`${server.url}/admin/inzicht?view=report`);
  const sections = await page.locator("section.page").count();
  assert.ok(sections >= 8, `a section per question (${sections})`);
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator("form").count(), 0);
  assert.equal(await page.getByRole("navigation").isVisible(), false, "no menus on paper");
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.equal(pages, sections + 1, `a cover and one page per question (${pages} pages for ${sections} questions)`);
  // Kept for a look by eye: target/insight-report.pdf.
  mkdirSync(join(ROOT, "target"), { recursive: true });
  writeFileSync(join(ROOT, "target/insight-report.pdf"), pdf);
  await context.close();
});
