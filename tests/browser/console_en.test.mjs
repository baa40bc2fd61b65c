// The coordinators' console in English, in real Chromium: a coordinator whose browser asks
// for Dutch logs in, switches to English with the link in the header (a cookie for /admin
// only) and walks the console: the response page, the campaigns (a form with a mistake, its
// problems in English; the token page), the organisations and links (a table with a wrong
// row, its problem at its line in English; the copy button's words); every page says
// `<html lang="en">` and passes axe-core (no serious or critical violations), on a phone
// without sideways scrolling. Then back to Dutch by the same link; a browser that asks for
// English gets the English login page by itself, and the keyboard reaches the switch. The
// work session in English too: a chart, the stories behind a bar, an observation, the
// work-session report and "Patronen die opvallen" (Patterns that stand out), each with the
// questionnaire's words from the widget's English.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launch, axeViolations, logIn, ORGS, ADMIN_TOKEN, noSidewaysScrolling } from "./harness.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a coordinator switches the console to English and walks its pages", { timeout: 180_000 }, async () => {
  const server = await startServer({ orgs: ORGS });
  // axe is injected into the page: this context bypasses the CSP (for axe only).
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const dir = mkdtempSync(join(tmpdir(), "storypoint-console-en-"));
  /** The page at hand: English, and `lang` says so; no serious axe violations; no sideways scrolling. */
  const english = async (what) => {
    assert.equal(await page.getAttribute("html", "lang"), "en", `${what}: <html lang="en">`);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 1)}`);
    await noSidewaysScrolling(page, what);
  };
  const banner = () => page.getByRole("banner");
  try {
    await logIn(page, server.url);
    await page.getByText("0 verhalen in totaal").waitFor();
    assert.equal(await page.getAttribute("html", "lang"), "nl", "a Dutch browser: Dutch");

    // The header's "English" (itself marked as English) switches, and comes back here.
    const toEnglish = banner().getByRole("link", { name: "English", exact: true });
    assert.equal(await toEnglish.getAttribute("lang"), "en");
    await toEnglish.click();
    await page.waitForURL((url) => url.pathname === "/admin");
    await page.getByRole("heading", { name: "Story point: how many stories come in?", level: 1 }).waitFor();
    await page.getByText("0 stories in total, 0 of them without an organisation link.").waitFor();
    const [choice] = (await context.cookies()).filter((c) => c.name === "storypoint_taal");
    assert.deepEqual([choice.value, choice.path, choice.sameSite, choice.httpOnly], ["en", "/admin", "Strict", true], JSON.stringify(choice));
    await english("the response page");

    // Campaigns: the list, the form with a mistake, then right; the token page.
    await banner().getByRole("link", { name: "Campaigns", exact: true }).click();
    await page.getByRole("heading", { name: "Campaigns", level: 1 }).waitFor();
    await page.getByRole("link", { name: "This server's own story point", exact: true }).waitFor();
    await english("the campaigns");
    await page.getByRole("link", { name: "Make a new campaign" }).click();
    await page.getByRole("heading", { name: "Make a new campaign", level: 1 }).waitFor();
    await page.getByLabel("Short name for the link").fill("Oost 2027");
    await page.getByLabel("Web address of the story point").fill("https://vertelpunt.example.nl/vertel");
    await english("the campaign form");
    await page.getByRole("button", { name: "Make the campaign" }).click();
    const summary = page.getByRole("alert");
    await summary.getByRole("heading", { name: "Something is not filled in correctly" }).waitFor();
    assert.deepEqual(await summary.locator("li a").allTextContents(), [
      "Fill in a name, for example: Vertelpunt Twente 2027.",
      "The short name may only have small letters, numbers and dashes, without spaces. For example: twente-2027.",
    ]);
    assert.equal(await page.title(), "Error: New campaign — Storypoint");
    await english("the campaign form with its problems");
    await page.getByLabel("Name", { exact: true }).fill("Vertelpunt Oost");
    await page.getByLabel("Short name for the link").fill("oost-2027");
    await page.getByRole("button", { name: "Make the campaign" }).click();
    await page.getByRole("heading", { name: "Campaign made: Vertelpunt Oost", level: 1 }).waitFor();
    assert.ok((await page.getByRole("textbox", { name: "Admin code" }).inputValue()).length >= 20);
    assert.equal(await banner().getByRole("link", { name: "Nederlands" }).count(), 0, "no switch on a token shown once");
    await english("the token page");

    // Organisations and links: the links with their copy buttons, then a table with a wrong row.
    await banner().getByRole("link", { name: "Organisations and links", exact: true }).click();
    await page.getByRole("heading", { name: "Organisations and links", level: 1 }).waitFor();
    await page.locator("#linktabel caption", { hasText: "2 links" }).waitFor();
    await page.getByRole("button", { name: "Copy the link of Jeugdhulp Oost" }).click();
    await page.getByRole("status").filter({ hasText: /^(Copied\.|Copying did not work\. The text is selected: copy it with Ctrl\+C\.)$/ }).waitFor();
    await english("the links page");
    const wrong = join(dir, "organisaties.csv");
    writeFileSync(wrong, "organisatie;type;leeftijd\nBasisschool De Linde;school;0-12\nJeugdhulp Oost;jeugdhulp;tieners\n");
    await page.getByLabel("File").setInputFiles(wrong);
    await page.getByRole("button", { name: "See what will happen" }).click();
    await page.getByRole("heading", { name: "There is 1 problem in the table" }).waitFor();
    assert.equal(
      (await page.locator("ol.problems li").allTextContents()).map((t) => t.trim()).join("\n"),
      "Line 3: The age group 'tieners' is not a word we know. Use one of these words: 0-12, 12-18, beide, onbekend.",
    );
    await english("the links page with the problem");

    // Back to Dutch from the page the coordinator is on (asked for by address).
    await page.goto(`${server.url}/admin/links`);
    await banner().getByRole("link", { name: "Nederlands", exact: true }).click();
    await page.getByRole("heading", { name: "Organisaties en links", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/admin/links");
    assert.equal(await page.getAttribute("html", "lang"), "nl");
    assert.deepEqual(errors, [], "no script errors");
  } finally {
    await context.close();
    server.stop();
  }
});

test("a browser that asks for English gets the English login page, logging out stays English, and the keyboard switches back", async () => {
  const server = await startServer();
  const context = await browser.newContext({ locale: "en-GB", bypassCSP: true });
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/admin`);
    assert.equal(new URL(page.url()).pathname, "/admin/login");
    await page.getByRole("heading", { name: "Log in", level: 1 }).waitFor();
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.deepEqual(await context.cookies(), [], "reading the page sets no cookie");
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
    await page.getByLabel("Admin code").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.getByRole("heading", { name: "Story point: how many stories come in?" }).waitFor();
    await page.getByRole("banner").getByRole("link", { name: "Log out", exact: true }).click();
    await page.getByRole("main").getByRole("button", { name: "Log out", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "You are logged out." }).waitFor();
    assert.equal(await page.getAttribute("html", "lang"), "en");

    // Keyboard only: Tab reaches "Nederlands" with a focus that can be seen, Enter switches.
    const toDutch = page.getByRole("banner").getByRole("link", { name: "Nederlands", exact: true });
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await toDutch.evaluate((element) => element === document.activeElement);
    }
    assert.ok(reached, "Tab reaches the language link");
    const seen = await toDutch.evaluate((element) => {
      const style = getComputedStyle(element);
      return element.matches(":focus-visible") && ((style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none");
    });
    assert.ok(seen, "the focus on the language link can be seen");
    await Promise.all([page.waitForURL((url) => url.pathname === "/admin/login"), page.keyboard.press("Enter")]);
    await page.getByRole("heading", { name: "Inloggen", level: 1 }).waitFor();
    assert.equal(await page.getAttribute("html", "lang"), "nl");
  } finally {
    await context.close();
    server.stop();
  }
});

/** Posts one story with these answers on top of a valid minimum to the collector at `url`. */
async function tell(url, answers) {
  const body = {
    questionnaire: "vertelpunt-jeugdhulp", version: 1, submission_id: randomUUID(), link: null, lang: "nl",
    answers: { prompt: "geholpen", story: "Er werd naar me geluisterd.", ...answers },
  };
  const response = await fetch(`${url}/api/v1/stories`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  assert.equal(response.status, 201, await response.text());
}

test("a coordinator works through the work session in English on a phone", { timeout: 180_000 }, async () => {
  const server = await startServer();
  // 24 parents who were angry and felt little heard, 24 young people who were happy and felt heard.
  const parent = { perspective: "parent", age_group: "12_to_18", living_situation: "at_home", organisation_type: "care_provider", organisation: "Jeugdhulp Oost" };
  for (let i = 0; i < 24; i++) await tell(server.url, { ...parent, emotion: "angry", title: `Boos ${i}`, seen_heard: 20 + (i % 5) });
  for (let i = 0; i < 24; i++) await tell(server.url, { perspective: "young_person", age_group: "12_to_18", emotion: "happy", title: `Blij ${i}`, seen_heard: 80 - (i % 5) });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  /** English, `lang` says so, no serious axe violations, no sideways scrolling, no Dutch heading. */
  const english = async (what) => {
    assert.equal(await page.getAttribute("html", "lang"), "en", `${what}: <html lang="en">`);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 1)}`);
    await noSidewaysScrolling(page, what);
    const headings = (await page.getByRole("heading").allTextContents()).join(" | ");
    for (const dutch of ["Patronen in de verhalen", "Verhalen bij", "Observatie", "Werksessie", "Patronen die opvallen", "Vallen op", "Wat "]) {
      assert.ok(!headings.includes(dutch), `${what}: no Dutch heading (${dutch}) in ${headings}`);
    }
  };
  try {
    await logIn(page, server.url, undefined, "/admin/inzicht?question=emotion&by=perspective");
    await page.getByRole("heading", { name: "Patronen in de verhalen", level: 1 }).waitFor();
    assert.equal(await page.getAttribute("html", "lang"), "nl", "Dutch until the coordinator chooses");

    // The switch in the header, on the work session's own pages: back at the same chart.
    await page.getByRole("banner").getByRole("link", { name: "English", exact: true }).click();
    await page.getByRole("heading", { name: "Patterns in the stories", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).search, "?question=emotion&by=perspective");
    await page.getByRole("group", { name: "What did you feel in this story? — per group" }).waitFor();
    await page.getByRole("columnheader", { name: "Answer" }).waitFor();
    await english("a chart");

    // The stories behind a bar: the teller facts and the answers in the widget's English.
    await page.getByRole("link", { name: /^Read the stories: Angry, All stories/ }).click();
    await page.getByRole("heading", { name: /Stories for “Angry”/ }).waitFor();
    const stories = page.locator("ol.stories > li");
    assert.equal(await stories.count(), 24);
    assert.match(await stories.first().textContent(), /About the teller: Parent, carer or family/);
    const title = (await stories.first().getByRole("heading").textContent()).trim();
    await english("the stories behind a bar");
    await stories.first().getByRole("button", { name: "Mark as typical" }).click();
    await page.waitForURL((url) => url.hash.startsWith("#verhaal-"));
    await stories.filter({ has: page.getByRole("heading", { name: title, exact: true }) }).getByText("Typical", { exact: true }).waitFor();

    // An observation on the chart, refused with one meaning (the problem in English), then saved.
    await page.getByRole("link", { name: "Back to the chart" }).click();
    await page.getByRole("heading", { name: "Save an observation for the work session" }).waitFor();
    await page.getByLabel("What do you see?").fill("Parents are angry more often, mostly about waiting.");
    await page.getByLabel("Meaning 1", { exact: true }).fill("The waiting lists are long.");
    await page.getByRole("checkbox", { name: new RegExp(title) }).check();
    await page.getByRole("button", { name: "Save observation" }).click();
    await page.getByRole("heading", { name: "The observation has not been saved yet" }).waitFor();
    await page.getByRole("link", { name: "Write down at least two meanings: what could it mean? You have 1 now." }).waitFor();
    await english("the refused observation");
    await page.getByLabel("Meaning 2", { exact: true }).fill("Parents speak up sooner when things go wrong.");
    await page.getByRole("button", { name: "Save observation" }).click();
    await page.getByText("The observation has been saved.").waitFor();
    await page.getByRole("heading", { name: "Observations for the work session", level: 1 }).waitFor();
    await english("the observations");

    // The work-session report, and its PDF in English.
    await page.getByRole("link", { name: "Work session report (to print)" }).click();
    await page.getByRole("heading", { name: "Work session: what we saw", level: 1 }).waitFor();
    await page.getByRole("group", { name: "What did you feel in this story? — per group" }).waitFor();
    await page.getByRole("heading", { name: "What it could mean" }).waitFor();
    await english("the work-session report");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "download the report as PDF" }).click()]);
    const pdf = readFileSync(await download.path()).toString("latin1");
    assert.ok(pdf.includes("(Observation 1) Tj") && pdf.includes("/Lang (en)"), "the PDF in English");

    // "Patronen die opvallen": the findings' sentences in English.
    await page.goto(`${server.url}/admin/inzicht`);
    await page.getByRole("navigation", { name: "Views" }).getByRole("link", { name: "Patterns that stand out" }).click();
    await page.getByRole("heading", { name: "Patterns that stand out", level: 1 }).waitFor();
    await page.getByRole("heading", { name: /^Stand out \(\d+\)$/ }).waitFor();
    const findings = await page.locator("ol.findings").first().textContent();
    assert.match(findings, /(Those who chose|The answer to) ‘/, findings);
    assert.match(findings, /I am telling this as/, findings);
    await english("the patterns that stand out");
    assert.deepEqual(errors, [], "no script errors");
  } catch (error) {
    console.log("FAILED AT", page.url(), (await page.textContent("main").catch(() => "")).slice(0, 1500));
    throw error;
  } finally {
    await context.close();
    server.stop();
  }
});
