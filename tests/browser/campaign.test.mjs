// A region's campaign in real Chromium: its links open its own landing page, a partner page
// sets only the `endpoint` (the widget asks the collector for the campaign's prompts; the
// `questionnaire` attribute still overrides), and a closed or not yet open campaign says so
// on the first screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, withTeller, finishAsChild, axeViolations } from "./harness.mjs";

let browser;
// A partner page on another origin is a public page in Chromium's eyes (it comes from a
// route, not an address); the collector is on 127.0.0.1. Real partner pages and collectors
// are both public, so the local-network checks are off here.
before(async () => { browser = await launch(["--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights"]); });
after(() => browser?.close());

test("a story told on a campaign's page lands in that campaign, with only its prompts offered", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    server.cli("campaign", "create", "noord", "--name", "Vertelpunt Noord", "--prompts", "geholpen,veilig");
    // The region's partner page: the landing page with the campaign's endpoint.
    await context.route(`${server.url}/vertel`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        'endpoint="/api/v1/stories"',
        'endpoint="/api/v1/c/noord/stories" questionnaire="/api/v1/c/noord/questionnaire"',
      );
      await route.fulfill({ response, body: html });
    });
    await page.goto(`${server.url}/vertel`);
    await page.getByRole("radio", { name: /Veilig/ }).waitFor();
    await page.waitForFunction(() => document.querySelector("story-point").shadowRoot.querySelectorAll("input[name=prompt]").length === 2);
    assert.equal(await page.getByRole("radio", { name: /Gewoon leven/ }).count(), 0, "a prompt the campaign does not offer");
    await tell(page, /Veilig/, "In Noord voelde ik me veilig.");
    const stories = await server.exportStories();
    assert.equal(stories.length, 1);
    assert.equal(stories[0].campaign, "noord");
    assert.equal(stories[0].answers.prompt, "veilig");
  });
});

/** Writes `csv` as a coordinator's table, imports it into `campaign`; returns what the import
 *  printed and the campaign's links. */
function importTable(server, campaign, csv) {
  const table = join(mkdtempSync(join(tmpdir(), `${campaign}-`)), "orgs.csv");
  writeFileSync(table, csv);
  const imported = server.cli("links", "import", table, "--campaign", campaign);
  return { imported, links: JSON.parse(server.cli("links", "list", "--format", "json", "--campaign", campaign)) };
}

/** A teller chooses `prompt` on the first step, writes `text` and sends it as a child. */
async function tell(page, prompt, text) {
  await page.getByRole("radio", { name: prompt }).check();
  await page.getByRole("button", { name: "Volgende", exact: true }).click();
  await page.getByRole("textbox", { name: "Jouw verhaal" }).fill(text);
  await finishAsChild(page);
}

const prompts = (page) => page.evaluate(() => document.querySelector("story-point")?.shadowRoot?.querySelectorAll("input[name=prompt]").length ?? 0);

test("a second region: its link opens its campaign's page, and the story lands there with the organisation filled in", async () => {
  await withTeller(browser, {}, async ({ server, page }) => {
    // The first region's campaign is over.
    server.cli("campaign", "open", "--closes-at", "2020-01-01");
    server.cli("campaign", "create", "zwolle-2027", "--name", "Vertelpunt Zwolle 2027", "--theme", "Passend onderwijs",
      "--prompts", "geholpen,veilig", "--base-url", "https://zwolle.example.nl/vertel");
    const { imported, links: [link] } = importTable(server, "zwolle-2027", "\uFEFForganisatie;type;leeftijd;contact\nKikkerpôl;school;0-12;juf@kikkerpol.nl\n");
    assert.match(imported, /https:\/\/zwolle\.example\.nl\/vertel\?sp=/);

    await page.goto(`${server.url}/vertel?sp=${link.code}`);
    await page.getByRole("heading", { name: "Vertelpunt Zwolle 2027", level: 1 }).waitFor();
    await page.waitForFunction(() => document.querySelector("story-point").shadowRoot.querySelectorAll("input[name=prompt]").length === 2);
    await tell(page, /Veilig/, "Op school in Zwolle voelde ik me veilig.");
    const [story] = await server.exportStories();
    assert.equal(story.campaign, "zwolle-2027");
    assert.equal(story.link, link.code);
    assert.equal(story.answers.organisation, "Kikkerpôl", "prefilled from the collector's table");
    assert.equal(story.answers.age_group, "under_12");
    assert.deepEqual(page.messages.filter((m) => m.startsWith("pageerror") || m.includes("unknown")), []);
  });
});

/** A municipality's page on another origin (localhost, not the collector's 127.0.0.1) that
 *  embeds the widget as README.md says: the script and the element with only `endpoint`. */
async function partnerPage(context, page, endpoint) {
  const script = new URL("/storypoint/storypoint.js", endpoint).href;
  await context.route("http://localhost:9/**", (route) => route.fulfill({
    contentType: "text/html; charset=utf-8",
    body: `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Gemeente</title>
      <script type="module" src="${script}"></script></head>
      <body><main><h1>Vertel het de gemeente</h1>
      <story-point endpoint="${endpoint}" lang="nl"></story-point></main></body></html>`,
  }));
  await page.goto("http://localhost:9/jeugd.html");
}

test("a partner page on another origin needs only the campaign's endpoint: it offers only the campaign's prompts", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    server.cli("campaign", "create", "noord", "--name", "Vertelpunt Noord", "--prompts", "geholpen,veilig");
    await partnerPage(context, page, `${server.url}/api/v1/c/noord/stories`);
    await page.waitForFunction(() => document.querySelector("story-point").shadowRoot?.querySelectorAll("input[name=prompt]").length === 2);
    assert.equal(await page.getByRole("radio", { name: /Gewoon leven/ }).count(), 0, "a prompt the campaign does not offer");
    await tell(page, /Geholpen/, "De gemeente hielp ons snel.");
    const [story] = await server.exportStories();
    assert.equal(story.campaign, "noord");
    assert.equal(story.answers.prompt, "geholpen");
  });
});

test("closed, or not open yet: the teller reads it on the first screen, with the day, and gets no form", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    server.cli("campaign", "create", "oud", "--name", "Vertelpunt Oud", "--opens", "2020-01-01", "--closes", "2020-06-30");
    server.cli("campaign", "create", "later", "--name", "Vertelpunt Later", "--opens", "2999-01-15",
      "--base-url", "https://later.example.nl/vertel");
    // A partner page of the closed campaign: the widget asks its collector and says so.
    await partnerPage(context, page, `${server.url}/api/v1/c/oud/stories`);
    await page.getByRole("heading", { name: "Dit vertelpunt is gesloten" }).waitFor();
    await page.getByText("tot en met 30-06-2020").waitFor();
    assert.equal(await prompts(page), 0, "no question to answer");
    assert.equal(await page.getByRole("button").count(), 0, "no form to send");

    // The landing page of a campaign that opens later: the notice, no widget at all.
    const { links: [link] } = importTable(server, "later", "organisatie;type;leeftijd\nDe Linde;school;0-12\n");
    await page.goto(`${server.url}/vertel?sp=${link.code}`);
    await page.getByRole("heading", { name: "Dit vertelpunt is nog niet open" }).waitFor();
    await page.getByText("Vanaf 15-01-2999").waitFor();
    assert.equal(await page.locator("story-point").count(), 0);
    assert.deepEqual(await axeViolations(page), [], "axe on the notice");
  });
});
