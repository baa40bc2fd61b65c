// The widget in other languages, in real Chromium against the real collector: Arabic (right
// to left) through a whole story into the export, English, and a language without a file
// (Dutch, with a warning). Languages are files beside the bundle (`lang/{code}.json`, made by
// `cargo xtask dist` from `translations/`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, withTeller, axeViolations } from "./harness.mjs";

let browser;
// A fake microphone (silence is enough here) for the recorder's words.
before(async () => { browser = await launch(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]); });
after(async () => { await browser?.close(); });

const button = (page, name) => page.getByRole("button", { name, exact: true });

/** A partner page on the collector's origin with `<story-point lang="…">`. */
async function partnerPage(page, server, lang) {
  const address = `${server.url}/partner-${lang}.html`;
  await page.route(address, (route) => route.fulfill({
    contentType: "text/html; charset=utf-8",
    body: `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Partner</title>
      <script type="module" src="/storypoint/storypoint.js"></script></head>
      <body><main><h1>Gemeente</h1><story-point lang="${lang}"></story-point></main></body></html>`,
  }));
  await page.goto(address);
}

/** The widget's root inside its shadow DOM: its `lang`, `dir` and computed direction. */
const root = (page) => page.evaluate(() => {
  const sp = document.querySelector("story-point").shadowRoot.querySelector(".sp");
  return { lang: sp.getAttribute("lang"), dir: sp.getAttribute("dir"), direction: getComputedStyle(sp).direction };
});

test("in Arabic the widget reads right to left, and the story arrives with lang ar", async () => {
  await withTeller(browser, {}, async ({ server, page }) => {
    await partnerPage(page, server, "ar");
    await page.getByText("الخطوة 1 من 4").waitFor();
    assert.deepEqual(await root(page), { lang: "ar", dir: "rtl", direction: "rtl" });
    await page.getByRole("heading", { name: "اختر سؤالًا" }).waitFor();
    assert.deepEqual(await axeViolations(page), [], "axe on the Arabic widget");

    await page.getByRole("radio", { name: /^المساعدة/ }).check();
    await button(page, "التالي").click();
    await page.getByRole("textbox", { name: /^قصتك/ }).fill("ساعدتني المعلمة كثيرًا. بعد ذلك صار كل شيء أفضل.");
    // Mirrored: the primary button sits at the start of the line, on the left in Arabic.
    const next = await button(page, "التالي").boundingBox();
    const back = await button(page, "السابق").boundingBox();
    assert.ok(next.x < back.x, `"next" (${next.x}) left of "back" (${back.x}) in right-to-left`);
    await page.getByRole("radio", { name: "قبل بضعة أسابيع" }).check();
    await button(page, "التالي").click();
    await page.getByRole("radio", { name: "مرتاح" }).check();
    await button(page, "التالي").click();
    // A required question left open: the message comes from the Arabic file.
    await button(page, "متابعة").click();
    await page.locator("story-point .sp-error", { hasText: "يجب أن تجيب عن هذا السؤال." }).waitFor();
    await page.getByRole("radio", { name: "طفل (أقل من 12 سنة)" }).check();
    await button(page, "متابعة").click();
    await page.getByRole("heading", { name: "هل كل شيء صحيح؟" }).waitFor();
    assert.deepEqual(await axeViolations(page), [], "axe on the Arabic review");
    await button(page, "أرسل قصتي").click();
    await page.getByRole("heading", { name: "شكرًا على قصتك!" }).waitFor({ timeout: 60_000 });

    const stories = await server.exportStories();
    assert.equal(stories.length, 1);
    assert.equal(stories[0].lang, "ar");
    assert.equal(stories[0].answers.prompt, "geholpen");
    assert.equal(stories[0].answers.happened_when, "weeks");
    assert.equal(stories[0].answers.emotion, "relieved");
    assert.equal(stories[0].answers.perspective, "child");
    // The language file came from the collector, like the rest of the bundle.
    assert.ok(page.requests.some((u) => u.endsWith("/storypoint/lang/ar.json")), "lang/ar.json was fetched");
    const hosts = new Set(page.requests.map((u) => new URL(u).host));
    assert.deepEqual([...hosts], [new URL(server.url).host], "no other host");
    assert.deepEqual(page.messages.filter((m) => m.startsWith("pageerror")), []);
  });
});

test("the recorder speaks Arabic too", async () => {
  await withTeller(browser, {}, async ({ server, page }) => {
    await partnerPage(page, server, "ar");
    await page.getByRole("radio", { name: /^الأمان/ }).check();
    await button(page, "التالي").click();
    await button(page, "احكِ قصتك بصوتك").click();
    await button(page, "انتهيت من الكلام").waitFor({ timeout: 15_000 });
    await page.getByText("أنت تسجّل الآن. يمكنك أن تتكلم حتى 5 دقائق.").waitFor();
    assert.deepEqual(await axeViolations(page), [], "axe with the recorder open");
  });
});

test("in English the words and the questions are English", async () => {
  await withTeller(browser, {}, async ({ server, page }) => {
    await partnerPage(page, server, "en-GB");
    await page.getByText("Step 1 of 4").waitFor();
    await page.getByRole("heading", { name: "Choose a question" }).waitFor();
    assert.deepEqual(await root(page), { lang: "en", dir: "ltr", direction: "ltr" });
    await page.getByRole("radio", { name: /Helped/ }).check();
    await button(page, "Next").click();
    await page.getByRole("textbox", { name: /^Your story/ }).waitFor();
  });
});

test("Frisian, Turkish and Polish show their own words and questions", async () => {
  for (const [lang, step, question] of [["fy", "Stap 1 fan 4", "Kies in fraach"], ["tr", "Adım 1 / 4", "Bir soru seç"], ["pl", "Krok 1 z 4", "Wybierz pytanie"]]) {
    await withTeller(browser, {}, async ({ server, page }) => {
      await partnerPage(page, server, lang);
      await page.getByText(step).waitFor();
      await page.getByRole("heading", { name: question }).waitFor();
      assert.deepEqual(await root(page), { lang, dir: "ltr", direction: "ltr" });
    });
  }
});

test("a language without a file falls back to Dutch with a warning, and the story is Dutch", async () => {
  await withTeller(browser, {}, async ({ server, page }) => {
    await partnerPage(page, server, "de");
    await page.getByText("Stap 1 van 4").waitFor();
    assert.deepEqual(await root(page), { lang: "nl", dir: "ltr", direction: "ltr" });
    assert.ok(page.messages.some((m) => m.startsWith("warning:") && m.includes('lang="de"')), page.messages.join("\n"));
    await page.getByRole("radio", { name: /Geholpen/ }).check();
    await button(page, "Volgende").click();
    await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Er werd naar me geluisterd.");
    await button(page, "Volgende").click();
    await button(page, "Volgende").click();
    await page.getByRole("radio", { name: "Kind (jonger dan 12 jaar)" }).check();
    await button(page, "Verder").click();
    await button(page, "Verstuur mijn verhaal").click();
    await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor({ timeout: 60_000 });
    const stories = await server.exportStories();
    assert.equal(stories[0].lang, "nl", "the language the teller saw");
  });
});

test("a draft survives a change of language", async () => {
  await withTeller(browser, {}, async ({ server, page }) => {
    await partnerPage(page, server, "ar");
    await page.getByRole("radio", { name: /^الأمان/ }).check();
    await button(page, "التالي").click();
    await page.getByRole("textbox", { name: /^قصتك/ }).fill("Mijn verhaal, half af.");
    await button(page, "التالي").click();
    // The same page in Dutch (the file for Arabic gone, say): the draft is still there.
    await partnerPage(page, server, "nl");
    await page.getByRole("heading", { name: "Over je verhaal" }).waitFor();
    await button(page, "Vorige").click();
    assert.equal(await page.getByRole("textbox", { name: "Jouw verhaal" }).inputValue(), "Mijn verhaal, half af.");
  });
});
