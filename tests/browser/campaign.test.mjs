// A region's campaign in real Chromium: a partner page sets only the `endpoint` (and, to
// offer only the campaign's prompts, the `questionnaire` the collector serves for it).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, withTeller, finishAsChild } from "./harness.mjs";

let browser;
before(async () => { browser = await launch(); });
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
    await page.getByRole("radio", { name: /Veilig/ }).check();
    await page.getByRole("button", { name: "Volgende", exact: true }).click();
    await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("In Noord voelde ik me veilig.");
    await finishAsChild(page);
    const stories = await server.exportStories();
    assert.equal(stories.length, 1);
    assert.equal(stories[0].campaign, "noord");
    assert.equal(stories[0].answers.prompt, "veilig");
  });
});
