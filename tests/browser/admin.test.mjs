// The response page (/admin) in real Chromium, server-rendered behind the login page: a burst of near-identical stories shows as a warning box, its organisation name as
// text only, and the page passes axe; the campaign is chosen with a plain form, keyboard only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { startServer, launch, phone, axeViolations, logIn } from "./harness.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const EVIL = "Jeugdteam <img src=x onerror=window.__xss=1>";

test("a burst of look-alike stories shows as a warning on the response page", async () => {
  const server = await startServer({ orgs: `organisatie;type;leeftijd\n${EVIL};jeugdhulp;beide\n` });
  const { context, page } = await phone(browser, { bypassCSP: true });
  try {
    const tell = async (story) => {
      const body = {
        questionnaire: "vertelpunt-jeugdhulp", version: 1, submission_id: randomUUID(), link: server.links[0].code, lang: "nl",
        answers: { prompt: "geholpen", story, perspective: "child" },
      };
      const response = await fetch(`${server.url}/api/v1/stories`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
      assert.equal(response.status, 201, await response.text());
    };
    for (let i = 0; i < 4; i++) await tell(i % 2 ? "Niemand luisterde naar mij!" : "niemand luisterde naar mij");
    await logIn(page, server.url);
    // What the console says from here on is the response page's (the login page's own
    // verbose hint about its password form is not).
    page.messages.length = 0;
    const box = page.getByRole("region", { name: "Let op: bijna gelijke verhalen" });
    await box.waitFor();
    const day = new Date().toISOString().slice(0, 10).split("-").reverse().map(Number).join("-");
    assert.equal(await box.locator("li").textContent(), `Op ${day} kwamen 4 bijna gelijke verhalen binnen via ${EVIL}.`);
    assert.equal(await page.locator("img").count(), 0, "the name stays text");
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
    assert.deepEqual(page.messages, [], "no script, no errors");
  } finally {
    await context.close();
    server.stop();
  }
});

test("without bursts there is no warning", async () => {
  const server = await startServer();
  const { context, page } = await phone(browser);
  try {
    await logIn(page, server.url);
    await page.getByText("0 verhalen in totaal").waitFor();
    assert.equal(await page.locator("#bursts").isHidden(), true);
    // The downloads are plain links: the browser sends the session it already has.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download voor Excel (CSV)" }).click()]);
    assert.equal(download.suggestedFilename(), "verhalen.csv");
    assert.match(readFileSync(await download.path(), "utf8"), /^\uFEFFNummer;Campagne;Ontvangen op;/, "one header row of Dutch headings");
  } finally {
    await context.close();
    server.stop();
  }
});

test("without the token the browser gets the login page, not the figures", async () => {
  const server = await startServer();
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const response = await page.goto(`${server.url}/admin`);
    assert.equal(response.status(), 200);
    assert.equal(new URL(page.url()).pathname, "/admin/login", "redirected to the login page");
    assert.equal((await response.request().redirectedFrom().response()).status(), 303, "/admin answers with a redirect");
    assert.equal(await page.getByText("verhalen in totaal").count(), 0);
    // A wrong token: the login page again, saying so, still no figures.
    await page.getByLabel("Beheercode").fill("raden");
    const [wrong] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Inloggen", exact: true }).click(),
    ]);
    assert.equal(wrong.status(), 401);
    await page.getByRole("alert").filter({ hasText: "Deze beheercode klopt niet" }).waitFor();
    assert.equal(await page.getByText("verhalen in totaal").count(), 0);
    assert.deepEqual(await context.cookies(), [], "no session");
  } finally {
    await context.close();
    server.stop();
  }
});

test("the collector's coordinators choose a campaign with the keyboard; a campaign's token sees only its own", async () => {
  const long = "Stichting Jeugdhulp en Onderwijsondersteuning Noordoost-Groningen-Drenthe-Friesland";
  const server = await startServer({ orgs: `organisatie;type;leeftijd\nDe Linde;school;0-12\n${long};jeugdhulp;beide\n` });
  const made = server.cli("campaign", "create", "noord", "--name", "Vertelpunt Noord");
  const token = made.split("\n").find((line) => line.startsWith("admin token"))?.split(": ").pop().trim();
  assert.ok(token, made);
  const { context, page } = await phone(browser, { bypassCSP: true, viewport: { width: 390, height: 844 } });
  try {
    await logIn(page, server.url);
    await page.getByRole("cell", { name: long }).waitFor();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `no sideways scrolling on a phone (${wide}px)`);
    const small = await page.evaluate(() => [...document.querySelectorAll("body *")]
      .filter((e) => e.childNodes.length && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
      .map((e) => parseFloat(getComputedStyle(e).fontSize)).filter((size) => size < 16));
    assert.deepEqual(small, [], "text at least 16 px");
    const choice = page.getByLabel("Campagne");
    await choice.focus();
    await choice.selectOption({ label: "Vertelpunt Noord (0 verhalen)" });
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForURL(/campaign=noord/);
    await page.getByText("0 verhalen in totaal, waarvan 0 zonder organisatielink. Het vertelpunt is open.").waitFor();
    assert.equal(await page.getByRole("cell", { name: "De Linde" }).count(), 0, "the default campaign's link is not Noord's");
    assert.equal(await choice.inputValue(), "noord", "the choice stays shown");
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
  } finally {
    await context.close();
  }
  {
    const own = await browser.newContext();
    const page = await own.newPage();
    try {
      await logIn(page, server.url, token);
      await page.goto(`${server.url}/admin?campaign=default`);
      await page.getByText("Het vertelpunt is open.").waitFor();
      assert.equal(await page.getByLabel("Campagne").count(), 0, "one campaign: no choice");
      assert.equal(await page.getByRole("cell", { name: "De Linde" }).count(), 0, "nothing of another campaign");
    } finally {
      await own.close();
    }
  }
  server.stop();
});
