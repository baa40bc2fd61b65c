// The response page (/admin) in real Chromium: a burst of near-identical stories shows as a
// warning box, its organisation name as text only, and the box passes axe.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startServer, launch, phone, axeViolations, ADMIN_TOKEN } from "./harness.mjs";

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
    await page.goto(`${server.url}/admin`);
    await page.getByLabel("Beheercode").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Bekijk het overzicht" }).click();
    const box = page.getByRole("region", { name: "Let op: bijna gelijke verhalen" });
    await box.waitFor();
    const day = new Date().toISOString().slice(0, 10).split("-").reverse().map(Number).join("-");
    assert.equal(await box.locator("li").textContent(), `Op ${day} kwamen 4 bijna gelijke verhalen binnen via ${EVIL}.`);
    assert.equal(await page.locator("img").count(), 0, "the name stays text");
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
  } finally {
    await context.close();
    server.stop();
  }
});

test("without bursts there is no warning", async () => {
  const server = await startServer();
  const { context, page } = await phone(browser);
  try {
    await page.goto(`${server.url}/admin`);
    await page.getByLabel("Beheercode").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Bekijk het overzicht" }).click();
    await page.getByText("0 verhalen in totaal").waitFor();
    assert.equal(await page.locator("#bursts").isHidden(), true);
  } finally {
    await context.close();
    server.stop();
  }
});
