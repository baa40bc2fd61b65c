// A new questionnaire version in real Chromium: after the collector moves to version 2, its
// landing page tells version 2, a partner page whose widget still tells version 1 gets its
// story in, and the coordinators' page says where version 1's answers do not map (axe too).
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, launch, withTeller, finishAsChild, axeViolations, logIn, ROOT } from "./harness.mjs";

test("after an update to version 2 the landing page tells it, a version-1 widget still delivers, and the patterns say what does not map", async () => {
  const first = await startServer();
  for (let i = 0; i < 5; i++) {
    const body = {
      questionnaire: "vertelpunt-jeugdhulp", version: 1, submission_id: randomUUID(), link: null, lang: "nl",
      answers: { prompt: "geholpen", story: "Ik voelde me blij.", perspective: "child", emotion: "happy" },
    };
    const response = await fetch(`${first.url}/api/v1/stories`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    assert.equal(response.status, 201);
  }
  first.stop();

  // Version 2: `emotion` no longer offers `happy`.
  const v2 = JSON.parse(readFileSync(join(ROOT, "questionnaires/vertelpunt-jeugdhulp.json"), "utf8"));
  v2.version = 2;
  for (const step of v2.steps) {
    for (const question of step.questions.filter((q) => q.id === "emotion")) question.options = question.options.filter((o) => o.value !== "happy");
  }
  const file = join(mkdtempSync(join(tmpdir(), "storypoint-v2-")), "v2.json");
  writeFileSync(file, JSON.stringify(v2));

  const browser = await launch();
  try {
    await withTeller(browser, { db: first.db, args: ["--questionnaire", file] }, async ({ server, page }) => {
      const served = await (await fetch(`${server.url}/api/v1/questionnaire`)).json();
      assert.equal(served.version, 2);
      const tell = async (path) => {
        await page.goto(`${server.url}${path}`);
        await page.getByRole("radio", { name: /Veilig/ }).check();
        await page.getByRole("button", { name: "Volgende", exact: true }).click();
        await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Het was fijn dat ze luisterden.");
        await finishAsChild(page);
        return (await server.exportStories()).at(-1);
      };
      // The collector's own landing page asks for the version it serves.
      assert.equal((await tell("/vertel")).version, 2);
      // A partner page whose widget was never told otherwise tells its built-in version 1,
      // and that story is taken too.
      await page.evaluate(() => localStorage.clear());
      assert.equal((await tell("/")).version, 1);
      assert.equal((await server.exportStories()).length, 7);

      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const coordinator = await context.newPage();
      await logIn(coordinator, server.url);
      await coordinator.goto(`${server.url}/admin/inzicht?question=emotion&by=perspective`);
      const note = coordinator.getByRole("complementary", { name: "Let op: verhalen uit een andere versie van de vragenlijst" });
      await note.waitFor();
      assert.match(await note.innerText(), /Verhalen uit versie 1: Vraag `emotion` heeft antwoord `happy` niet meer/);
      assert.deepEqual(await axeViolations(coordinator), []);
      await coordinator.goto(`${server.url}/admin/inzicht?question=seen_heard&by=perspective`);
      assert.equal(await coordinator.getByRole("complementary").count(), 0, "a question that did not change has no note");
      await context.close();
    });
  } finally {
    await browser.close();
  }
});
