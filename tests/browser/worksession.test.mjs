// The work session in real Chromium, on a laptop (1366 px) and a phone (390 px): a
// coordinator logs in, opens a chart, reads the stories behind a bar (each with only the
// teller facts it may show), marks one typical, saves an observation on the chart (first with
// one interpretation: refused, the problem at its field; then with two and the typical
// story), finds it in the list, opens the work-session report (one page per observation when
// printed) and downloads it as a PDF; changes the observation and deletes it after being
// asked. axe-core finds nothing serious or critical on any of these pages; on the phone none
// scrolls sideways and every target is at least 44 × 44 px.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { startServer, launch, logIn, pageAsMet } from "./harness.mjs";

let browser;

/** Posts one story with these answers on top of a valid minimum to the collector at `url`. */
async function tell(url, answers) {
  const body = {
    questionnaire: "vertelpunt-jeugdhulp", version: 1, submission_id: randomUUID(), link: null, lang: "nl",
    answers: { prompt: "geholpen", story: "Er werd naar me geluisterd.", ...answers },
  };
  const response = await fetch(`${url}/api/v1/stories`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(response.status, 201, await response.text());
}

/** A collector with 24 parents of one organisation who were angry, 16 young people who were
 *  happy, and 3 parents of a small organisation (whose name is never shown). */
async function collector() {
  const server = await startServer();
  const parent = { perspective: "parent", age_group: "12_to_18", living_situation: "at_home", organisation_type: "care_provider", organisation: "Jeugdhulp Oost" };
  for (let i = 0; i < 24; i++) await tell(server.url, { ...parent, emotion: "angry", title: `Boos ${i}`, story: `We wachtten maanden op hulp (${i}).`, seen_heard: 20 });
  for (let i = 0; i < 16; i++) await tell(server.url, { perspective: "young_person", age_group: "12_to_18", emotion: "happy", title: `Blij ${i}`, seen_heard: 80 });
  for (let i = 0; i < 3; i++) await tell(server.url, { ...parent, organisation: "Het Kleine Huis", emotion: "angry", title: `Klein ${i}` });
  return server;
}

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [label, options] of [
  ["a laptop (1366 px)", { viewport: { width: 1366, height: 768 } }],
  ["a phone (390 px)", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
]) {
  test(`a team keeps an observation with two interpretations and a typical story, and prints its report, on ${label}`, { timeout: 180_000 }, async () => {
    // bypassCSP for axe only (the coordinators' pages allow no script).
    const server = await collector();
    const context = await browser.newContext({ ...options, bypassCSP: true, acceptDownloads: true });
    const page = await context.newPage();
    const narrow = options.viewport.width < 500;
    const checkPage = (what) => pageAsMet(page, what, { phone: narrow });
    try {
      const chart = "/admin/inzicht?question=emotion&by=perspective";
      await logIn(page, server.url, undefined, chart);

      // The stories behind a bar: words, answers about the story, and of the teller only
      // what at least 5 stories show alike; never the small organisation.
      await page.getByRole("link", { name: /Lees de verhalen: Boos, Alle verhalen/ }).click();
      await page.getByRole("heading", { name: /Verhalen bij “Boos”/ }).waitFor();
      const stories = page.locator("ol.stories > li");
      assert.equal(await stories.count(), 27);
      // Not in the order they came in (the last would be the newest).
      const titles = (await stories.getByRole("heading").allTextContents()).map((t) => t.trim());
      assert.notDeepEqual(titles.slice(0, 24), Array.from({ length: 24 }, (_, i) => `Boos ${i}`), "shuffled");
      const oost = stories.filter({ hasText: "Jeugdhulp Oost" });
      assert.match(await oost.first().textContent(), /Over de verteller: Ouder, verzorger of familie/);
      assert.ok(await page.getByText(/Niet getoond: organisatie, maand/).count() > 0, "what is left out is said");
      assert.equal(await page.getByText("Het Kleine Huis").count(), 0, "a small organisation is never named");
      assert.ok(await page.getByText("Jeugdhulp Oost").count() > 0, "a big one is, where 5 stories show it alike");
      await checkPage("the stories behind a bar");

      // Marked typical: back at the same story, which says so.
      const title = (await oost.first().getByRole("heading").textContent()).trim();
      const marked = stories.filter({ has: page.getByRole("heading", { name: title, exact: true }) });
      await marked.getByRole("button", { name: "Markeer als typerend" }).click();
      await page.waitForURL((url) => url.hash.startsWith("#verhaal-"));
      await marked.getByText("Typerend", { exact: true }).waitFor();
      assert.equal(await marked.getByRole("button", { name: "Niet meer typerend" }).count(), 1);

      // The observation, on the chart: one interpretation is refused, with what was typed kept.
      await page.getByRole("link", { name: "Terug naar de grafiek" }).click();
      await page.getByRole("heading", { name: "Observatie bewaren voor de werksessie" }).waitFor();
      await page.getByLabel("Wat zien jullie?").fill("Ouders zijn vaker boos dan jongeren, vooral over wachten.");
      await page.getByLabel("Betekenis 1", { exact: true }).fill("De wachtlijsten zijn lang.");
      await page.getByRole("checkbox", { name: new RegExp(title) }).check();
      await page.getByRole("button", { name: "Observatie bewaren" }).click();
      await page.getByRole("heading", { name: "De observatie is nog niet bewaard" }).waitFor();
      assert.equal(await page.getByLabel("Wat zien jullie?").inputValue(), "Ouders zijn vaker boos dan jongeren, vooral over wachten.");
      await checkPage("the refused observation");
      await page.getByRole("link", { name: /ten minste twee betekenissen/ }).click();
      assert.equal(await page.evaluate(() => document.activeElement.id), "betekenis-1", "the summary leads to the field");
      await page.getByLabel("Betekenis 2", { exact: true }).fill("Ouders vertellen eerder als het misgaat.");
      await page.getByRole("button", { name: "Observatie bewaren" }).click();
      await page.getByText("De observatie is bewaard.").waitFor();
      const saved = page.locator("ol.observations > li");
      assert.equal(await saved.count(), 1);
      assert.match(await saved.textContent(), /De wachtlijsten zijn lang\.[\s\S]*Ouders vertellen eerder als het misgaat\./);
      assert.match(await saved.textContent(), new RegExp(title));
      await checkPage("the observations");

      // The report: one page per observation when printed, the chart, the typical story.
      await page.getByRole("link", { name: "Werksessie-rapport (om te printen)" }).click();
      await page.getByRole("heading", { name: "Werksessie: wat we zagen" }).waitFor();
      await page.getByRole("group", { name: "Wat voelde je in dit verhaal? — per groep" }).waitFor();
      assert.equal(await page.getByRole("heading", { name: title, exact: true }).count(), 1);
      await checkPage("the work-session report");
      await page.emulateMedia({ media: "print" });
      assert.equal(await page.getByRole("navigation").isVisible(), false, "no menus on paper");
      const printed = await page.pdf({ format: "A4", printBackground: true });
      const pages = (printed.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      assert.ok(pages >= 2, `a cover and the observation's own page (${pages})`);
      await page.emulateMedia({ media: "screen" });
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "download het rapport als PDF" }).click()]);
      assert.equal(download.suggestedFilename(), "werksessie-alle-campagnes.pdf");
      const pdf = readFileSync(await download.path()).toString("latin1");
      assert.ok(pdf.startsWith("%PDF-") && pdf.includes("(Observatie 1) Tj") && pdf.includes("(De wachtlijsten zijn lang.) Tj"), "the PDF holds the observation");

      // Changed, then deleted after being asked.
      await page.getByRole("link", { name: "Terug naar de observaties" }).click();
      await page.getByRole("link", { name: "Wijzigen: observatie 1" }).click();
      await page.getByLabel("Betekenis 3", { exact: true }).fill("Jongeren vertellen minder.");
      await checkPage("changing an observation");
      await page.getByRole("button", { name: "Wijzigingen bewaren" }).click();
      await page.getByText("De wijzigingen zijn bewaard.").waitFor();
      assert.match(await page.locator("ol.observations").textContent(), /Jongeren vertellen minder\./);
      await page.getByRole("link", { name: "Verwijderen: observatie 1" }).click();
      await page.getByRole("heading", { name: "Observatie 1 verwijderen?" }).waitFor();
      await checkPage("deleting an observation");
      await page.getByRole("button", { name: "Ja, verwijder observatie 1" }).click();
      await page.getByText("De observatie is verwijderd.").waitFor();
      assert.equal(await page.locator("ol.observations > li").count(), 0);

      // The mark taken off again, from the parents' bar (which lists the story too).
      await page.goto(`${server.url}/admin/inzicht?view=stories&question=emotion&by=perspective&value=angry&group=parent`);
      await page.getByRole("button", { name: "Niet meer typerend" }).click();
      await page.waitForURL((url) => url.hash.startsWith("#verhaal-"));
      assert.equal(await page.getByRole("button", { name: "Niet meer typerend" }).count(), 0);
    } catch (error) {
      console.log("FAILED AT", page.url(), (await page.textContent("main").catch(() => "")).slice(0, 1500));
      throw error;
    } finally {
      await context.close();
      server.stop();
    }
  });
}
