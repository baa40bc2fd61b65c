// "Patronen die opvallen" (/admin/inzicht/patronen) in real Chromium: the findings read as
// Dutch sentences, each links to its view, the details open, axe finds nothing serious, and
// the page works without JavaScript.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startServer, launch, axeViolations, logIn } from "./harness.mjs";

let browser;
let server;

async function tell(answers) {
  const body = {
    questionnaire: "vertelpunt-jeugdhulp", version: 1, submission_id: randomUUID(), link: null, lang: "nl",
    answers: { prompt: "geholpen", story: "Wat er gebeurde.", ...answers },
  };
  const response = await fetch(`${server.url}/api/v1/stories`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  assert.equal(response.status, 201, await response.text());
}

before(async () => {
  browser = await launch();
  server = await startServer();
  // The stories of the Rust test (tests/standouts.rs): children who felt heard, parents less so.
  for (let i = 0; i < 40; i++) {
    await tell({ perspective: "child", emotion: i % 4 === 0 ? "happy" : "angry", seen_heard: (i * 37) % 101, effect: (i * 29) % 101 });
  }
  for (let i = 0; i < 25; i++) {
    await tell({ perspective: "parent", emotion: i % 4 === 0 ? "angry" : "happy", seen_heard: (i * 17) % 61, effect: (i * 31) % 50 });
  }
  for (let i = 0; i < 3; i++) await tell({ perspective: "professional", emotion: "proud", seen_heard: 50, effect: 50 });
});

after(async () => {
  await browser?.close();
  server?.stop();
});

for (const javaScriptEnabled of [true, false]) {
  test(`the findings read as Dutch and link to their views (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, javaScriptEnabled });
    const page = await context.newPage();
    await logIn(page, server.url, undefined, "/admin/inzicht/patronen");
    assert.equal(new URL(page.url()).pathname, "/admin/inzicht/patronen");
    await page.getByRole("heading", { level: 1, name: "Patronen die opvallen" }).waitFor();
    assert.ok(await page.getByRole("heading", { level: 2, name: "Vallen op (5)" }).isVisible());
    const finding = page.getByRole("article", { name: /Werd het kind of de jongere gezien en gehoord\? × Ik vertel dit als/ });
    assert.match(await finding.textContent(), /meestal lager \(meer naar ‘Helemaal niet’\)/);
    await finding.locator("summary").click();
    assert.ok(await finding.getByRole("table", { name: /Per paar antwoorden/ }).isVisible(), "the pairs open");
    // axe is a script: it runs where scripts do.
    if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);
    await finding.getByRole("link", { name: /Bekijk de grafiek/ }).click();
    await page.waitForURL(/\/admin\/inzicht\?question=seen_heard&by=perspective/);
    await context.close();
  });
}
