// The <story-point> widget in real Chromium against the real collector: what a teller does,
// by role and label (no CSS classes), and what ends up in the export.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, phone, axeViolations, ORGS } from "./harness.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const radio = (page, name) => page.getByRole("radio", { name });
const button = (page, name) => page.getByRole("button", { name });

async function tellStory(page, { perspective = true } = {}) {
  await radio(page, /Geholpen/).check();
  await button(page, "Volgende").click();
  await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("De juf luisterde echt naar me. Daarna ging het beter.");
  await radio(page, "Een paar weken geleden").check();
  await button(page, "Volgende").click();
  await radio(page, "Opgelucht").check();
  await page.getByRole("slider", { name: /gezien en gehoord/ }).fill("80");
  await button(page, "Volgende").click();
  if (perspective) await radio(page, "Ouder, verzorger of familie").check();
  await radio(page, "Thuis, bij ouders of verzorgers").check();
  await button(page, "Verder").click();
  await page.getByRole("heading", { name: "Klopt alles?" }).waitFor();
}

test("a teller completes the flow from a school's link; the story is stored with the school", async () => {
  const server = await startServer({ orgs: ORGS });
  const school = server.links.find((l) => l.organisation === "Basisschool De Linde");
  const { context, page } = await phone(browser);
  try {
    await page.goto(`${server.url}/vertel?sp=${school.code}`);
    await page.getByText("Stap 1 van 4").waitFor();
    await tellStory(page);
    // The link filled these in: they were never asked.
    for (const name of [/Hoe oud is het kind/, /Over welke organisatie/, /Wat voor organisatie/]) {
      assert.equal(await page.getByText(name).count(), 0, `${name} must not be shown`);
    }
    assert.ok(await page.getByText("Opgelucht").isVisible(), "the review shows the answers");
    await button(page, "Verstuur mijn verhaal").click();
    await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor();
    const stories = await server.exportStories();
    assert.equal(stories.length, 1);
    assert.equal(stories[0].link, school.code);
    assert.equal(stories[0].answers.organisation, "Basisschool De Linde");
    assert.equal(stories[0].answers.age_group, "under_12");
    assert.equal(stories[0].answers.seen_heard, 80);
    assert.equal(stories[0].answers.perspective, "parent");
    // Privacy: no cookie, no request to any other host.
    assert.deepEqual(await context.cookies(), []);
    const hosts = new Set(page.requests.map((u) => new URL(u).host));
    assert.deepEqual([...hosts], [new URL(server.url).host]);
    // Another story can be told.
    await button(page, "Nog een verhaal vertellen").click();
    await page.getByText("Stap 1 van 4").waitFor();
  } finally {
    await context.close();
    server.stop();
  }
});

test("a link for all ages brings up the child's age question", async () => {
  const server = await startServer({ orgs: ORGS });
  const allAges = server.links.find((l) => l.organisation === "Jeugdhulp Oost");
  const { context, page } = await phone(browser);
  try {
    await page.goto(`${server.url}/vertel?sp=${allAges.code}`);
    await radio(page, /Veilig/).check();
    await button(page, "Volgende").click();
    await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Ik voelde me veilig bij mijn begeleider.");
    await button(page, "Volgende").click();
    await button(page, "Volgende").click();
    await page.getByRole("textbox", { name: "Hoe oud is het kind of de jongere?" }).waitFor();
    assert.equal(await page.getByRole("group", { name: /Hoe oud is het kind of de jongere in je verhaal/ }).count(), 0);
  } finally {
    await context.close();
    server.stop();
  }
});

test("a bad ?sp= code logs a warning and the questions are simply asked", async () => {
  const server = await startServer({ orgs: ORGS });
  const { context, page } = await phone(browser);
  try {
    for (const code of ["zzzzzzzz", "not-a-code!"]) {
      page.messages.length = 0;
      await page.goto(`${server.url}/vertel?sp=${code}`);
      await radio(page, /Geholpen/).waitFor();
      await page.waitForTimeout(300);
      assert.ok(page.messages.some((m) => m.startsWith("warning:") && m.includes("storypoint")), page.messages.join("\n"));
    }
    await radio(page, /Geholpen/).check();
    await button(page, "Volgende").click();
    await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Verhaal");
    await button(page, "Volgende").click();
    await button(page, "Volgende").click();
    await page.getByRole("group", { name: /Hoe oud is het kind of de jongere in je verhaal/ }).waitFor();
    await page.getByRole("textbox", { name: "Over welke organisatie gaat je verhaal?" }).waitFor();
  } finally {
    await context.close();
    server.stop();
  }
});
