// The <story-point> widget in real Chromium against the real collector: what a teller does,
// by role and label (no CSS classes), and what ends up in the export.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, phone, withTeller, axeViolations, ORGS, finishAsChild, logIn } from "./harness.mjs";

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
  await withTeller(browser, { orgs: ORGS }, async ({ server, context, page }) => {
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
  });
});

async function toReview(page) {
  await radio(page, /Gewoon leven/).check();
  await button(page, "Volgende").click();
  await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Ik kon gewoon naar voetbal.");
  await button(page, "Volgende").click();
  await button(page, "Volgende").click();
  await radio(page, "Kind (jonger dan 12 jaar)").check();
  await button(page, "Verder").click();
  await page.getByRole("heading", { name: "Klopt alles?" }).waitFor();
}

test("offline at send: the story is kept across a reload and sent once when back online", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      await page.goto(`${server.url}/vertel`);
      await toReview(page);
      await context.route("**/api/v1/stories", (route) => route.abort("internetdisconnected"));
      await button(page, "Verstuur mijn verhaal").click();
      await page.getByText("Je verhaal is bewaard op dit apparaat").waitFor();
      await page.reload();
      await page.getByText("Je verhaal is bewaard op dit apparaat").waitFor();
      assert.equal((await server.exportStories()).length, 0);
      await context.unroute("**/api/v1/stories");
      await context.setOffline(true);
      await context.setOffline(false); // the `online` event
      await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor({ timeout: 20000 });
      const stories = await server.exportStories();
      assert.equal(stories.length, 1);
      assert.equal(stories[0].answers.story, "Ik kon gewoon naar voetbal.");
  });
});

test("the collector answering 429 and then 503 twice still ends with exactly one story", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      await page.goto(`${server.url}/vertel`);
      await toReview(page);
      let failures = 0;
      await context.route("**/api/v1/stories", (route) => {
        if (failures < 3) {
          failures += 1;
          // First a 429 (many stories from one school at once), then 503s: all "try later".
        return route.fulfill({ status: failures === 1 ? 429 : 503, contentType: "application/json", body: '{"error":"later"}' });
        }
        return route.continue();
      });
      await button(page, "Verstuur mijn verhaal").click();
      await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor({ timeout: 20000 });
      assert.equal(failures, 3);
      assert.equal((await server.exportStories()).length, 1);
  });
});

test("a double click on send stores one story", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      await page.goto(`${server.url}/vertel`);
      await toReview(page);
      await button(page, "Verstuur mijn verhaal").dblclick();
      await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor();
      await page.waitForTimeout(500);
      assert.equal((await server.exportStories()).length, 1);
  });
});

test("a reload keeps the draft: same step, same text", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      await page.goto(`${server.url}/vertel`);
      await radio(page, /Veilig/).check();
      await button(page, "Volgende").click();
      await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Half af");
      await page.reload();
      assert.equal(await page.getByRole("textbox", { name: "Jouw verhaal" }).inputValue(), "Half af");
      await button(page, "Vorige").click();
      assert.ok(await radio(page, /Veilig/).isChecked());
  });
});

test("errors as the NL Design System shows them: a summary on top takes the focus and links to each field, and goes when fixed", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      await page.goto(`${server.url}/vertel`);
      await button(page, "Volgende").click();
      await page.getByText("Deze vraag moet je invullen.").first().waitFor();
      const summary = page.locator("story-point .sp-summary");
      assert.equal(await summary.getByRole("heading").textContent(), "Er klopt nog iets niet. Kijk bij de rode tekst.");
      const deep = () => page.evaluate(() => {
        let a = document.activeElement;
        while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
        return { className: a?.className, name: a?.getAttribute("name") };
      });
      assert.equal((await deep()).className, "sp-summary", "the summary has the focus");
      const url = page.url();
      await summary.getByRole("link", { name: "Deze vraag moet je invullen." }).click();
      assert.equal((await deep()).name, "prompt", "its link goes to the field");
      assert.equal(page.url(), url, "the partner page's address stays as it was");
      await radio(page, /Geholpen/).check();
      await page.getByText("Deze vraag moet je invullen.").first().waitFor({ state: "hidden" });
      assert.equal(await summary.isVisible(), false, "fixed: no summary left");
      assert.equal((await page.locator("story-point .sp-status").textContent()).trim(), "", "no status line about an error that is gone");
      await button(page, "Volgende").click();
      await page.getByText("0 / 5000 tekens").waitFor();
      await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Één verhaal");
      await page.getByText("11 / 5000 tekens").waitFor();
      // Optional questions say so; required ones are not marked.
      await radio(page, "Een paar weken geleden").check();
      await button(page, "Volgende").click();
      const labels = await page.locator("story-point legend, story-point label.sp-label").allTextContents();
      assert.ok(labels.some((l) => l.endsWith("(optioneel)")), `an optional question is marked: ${labels.join(" | ")}`);
      assert.ok(labels.every((l) => !l.includes("moet je invullen")), labels.join(" | "));
  });
});

test("the widget's text is at least 16 px on a host page with html{font-size:62.5%}", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      const script = `${server.url}/storypoint/storypoint.js`;
      // A partner page (served on the collector's origin: Chromium's local-network checks).
      await context.route(`${server.url}/gemeente.html`, (route) => route.fulfill({
        contentType: "text/html; charset=utf-8",
        body: `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
          <title>Gemeente</title><style>html{font-size:62.5%} body{font-size:1.2rem}</style>
          <script type="module" src="${script}"></script></head>
          <body><h1>Jeugd</h1><story-point endpoint="${server.url}/api/v1/stories"></story-point></body></html>`,
      }));
      await page.goto(`${server.url}/gemeente.html`);
      await radio(page, /Geholpen/).waitFor();
      const smallest = async () => page.evaluate(() => {
        const root = document.querySelector("story-point").shadowRoot;
        const sizes = [];
        const walk = (node) => {
          for (const child of node.childNodes) {
            if (child.nodeType === Node.TEXT_NODE && child.textContent.trim() && child.parentElement.checkVisibility()) {
              sizes.push([parseFloat(getComputedStyle(child.parentElement).fontSize), child.textContent.trim().slice(0, 30)]);
            } else if (child.nodeType === Node.ELEMENT_NODE) walk(child);
          }
        };
        walk(root);
        return sizes.sort((a, b) => a[0] - b[0])[0];
      });
      const [first, text] = await smallest();
      assert.ok(first >= 16, `the smallest text on the first step is ${first} px: "${text}"`);
      await radio(page, /Geholpen/).check();
      await button(page, "Volgende").click();
      await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Tekst");
      const [second, text2] = await smallest();
      assert.ok(second >= 16, `the smallest text on the story step is ${second} px: "${text2}"`);
  });
});

test("a partner page whose CSP blocks the script shows the link inside <story-point>; with the script, the widget replaces it", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      const script = `${server.url}/storypoint/storypoint.js`;
      const partner = (csp) => `<!doctype html><html lang="nl"><head><meta charset="utf-8">
          ${csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : ""}<title>Gemeente</title>
          <script type="module" src="${script}"></script></head>
          <body><story-point endpoint="${server.url}/api/v1/stories"><a href="${server.url}/vertel">Vertel je verhaal op de pagina van het vertelpunt</a></story-point></body></html>`;
      await context.route(`${server.url}/blocked.html`, (route) => route.fulfill({ contentType: "text/html", body: partner("script-src 'none'") }));
      await context.route(`${server.url}/open.html`, (route) => route.fulfill({ contentType: "text/html", body: partner("") }));
      await page.goto(`${server.url}/blocked.html`);
      const fallback = page.getByRole("link", { name: "Vertel je verhaal op de pagina van het vertelpunt" });
      await fallback.waitFor();
      assert.ok(await fallback.isVisible(), "without the script: the link");
      await page.goto(`${server.url}/open.html`);
      await radio(page, /Geholpen/).waitFor();
      assert.equal(await fallback.isVisible(), false, "with the script: the widget, not the link");
  });
});

test("online but the collector unreachable: the widget says so, not that the teller is offline", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      await page.goto(`${server.url}/vertel`);
      await toReview(page);
      await context.route("**/api/v1/stories", (route) => route.abort("connectionrefused"));
      await button(page, "Verstuur mijn verhaal").click();
      await page.getByText("We kunnen het vertelpunt nu niet bereiken. Je verhaal is bewaard op dit apparaat.").waitFor();
      assert.equal(await page.getByText("zodra je weer online bent").count(), 0);
      await context.unroute("**/api/v1/stories");
      await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor({ timeout: 20000 });
      assert.equal((await server.exportStories()).length, 1);
  });
});

/** The deeply focused element (inside the shadow root): its name or text, and its outline. */
function focused(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    const style = getComputedStyle(a);
    return { text: (a.textContent || a.getAttribute("name") || "").trim(), tag: a.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
}

async function tabTo(page, text) {
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (now.text.startsWith(text)) return now;
  }
  throw new Error(`no focusable element "${text}" within 40 tabs`);
}

test("keyboard only, with a visible focus, from the first question to the thank-you", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      await page.goto(`${server.url}/vertel`);
      await radio(page, /Geholpen/).waitFor();
      await tabTo(page, "prompt");
      await page.keyboard.press("Space");
      const next = await tabTo(page, "Volgende");
      assert.notEqual(next.outline, "none", "the focus is visible");
      assert.ok(next.width >= 2, `outline ${next.width}px`);
      await page.keyboard.press("Enter");
      await tabTo(page, "story");
      await page.keyboard.type("Met alleen het toetsenbord verteld.");
      await tabTo(page, "Volgende");
      await page.keyboard.press("Enter");
      await tabTo(page, "Volgende");
      await page.keyboard.press("Enter");
      await tabTo(page, "perspective");
      await page.keyboard.press("Space");
      await tabTo(page, "Verder");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Klopt alles?" }).waitFor();
      await tabTo(page, "Verstuur mijn verhaal");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor();
      const stories = await server.exportStories();
      assert.equal(stories[0].answers.story, "Met alleen het toetsenbord verteld.");
      assert.equal(stories[0].answers.prompt, "geholpen");
  });
});

test("axe-core: no serious or critical violations on /, /vertel (every step) and /admin", async () => {
  const server = await startServer({ orgs: ORGS });
  // axe is injected into the page, so this context bypasses the CSP (for axe only); at the
  // end it logs in as a coordinator for /admin.
  const { context, page } = await phone(browser, { bypassCSP: true });
  try {
    const check = async (where) => {
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${where}: ${JSON.stringify(violations, null, 1)}`);
    };
    await page.goto(`${server.url}/`);
    await radio(page, /Geholpen/).waitFor();
    await check("/");
    await page.goto(`${server.url}/vertel`);
    await radio(page, /Geholpen/).waitFor();
    await check("/vertel step 1");
    await button(page, "Volgende").click(); // with the error shown
    await check("/vertel step 1 with an error");
    await radio(page, /Geholpen/).check();
    await button(page, "Volgende").click();
    await check("/vertel step 2");
    await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Verhaal");
    await button(page, "Volgende").click();
    await check("/vertel step 3");
    await button(page, "Volgende").click();
    await check("/vertel step 4");
    await radio(page, "Kind (jonger dan 12 jaar)").check();
    await button(page, "Verder").click();
    await check("/vertel review");
    await button(page, "Verstuur mijn verhaal").click();
    await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor();
    await check("/vertel thank you");
    // No teller page sets a cookie: /, /vertel and sending a story (login.test.mjs relies on this).
    assert.deepEqual(await context.cookies(), [], "no cookie for a teller");
    await logIn(page, server.url);
    await page.getByText("1 verhalen in totaal").waitFor();
    await page.getByRole("cell", { name: "Basisschool De Linde" }).waitFor();
    await check("/admin");
  } finally {
    await context.close();
    server.stop();
  }
});

test("the hostile demo page does not break the widget", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      await page.goto(`${server.url}/`);
      await radio(page, /Geholpen/).waitFor();
      const host = await page.locator("story-point").boundingBox();
      assert.ok(host.width >= 300, `widget width ${host.width}`);
      const next = button(page, "Volgende");
      const style = await next.evaluate((b) => {
        const s = getComputedStyle(b);
        return { minHeight: s.minHeight, fontSize: s.fontSize, background: s.backgroundColor, border: s.borderStyle, transform: s.textTransform };
      });
      assert.equal(style.minHeight, "48px");
      assert.notEqual(style.fontSize, "30px");
      assert.notEqual(style.background, "rgb(255, 105, 180)");
      assert.notEqual(style.border, "dashed");
      assert.equal(style.transform, "none");
      const text = await page.getByRole("heading", { name: "Kies een vraag" }).evaluate((h) => {
      const s = getComputedStyle(h);
      return { transform: s.textTransform, spacing: s.letterSpacing, align: s.textAlign, lineHeight: parseFloat(s.lineHeight) / parseFloat(s.fontSize) };
    });
    assert.equal(text.transform, "none", "the page's uppercase does not reach the widget");
    assert.equal(text.spacing, "normal");
    assert.ok(text.lineHeight < 2, `line height ${text.lineHeight}`);
    const box = await next.boundingBox();
      assert.ok(box.height >= 44 && box.width >= 44, `touch target ${box.width}×${box.height}`);
      const option = await radio(page, /Geholpen/).evaluate((r) => r.closest("label").getBoundingClientRect().height);
      assert.ok(option >= 44, `option height ${option}`);
      await page.screenshot({ path: `${process.env.SCREENSHOTS ?? "/tmp"}/storypoint-demo.png`, fullPage: true });
      // It still works there: the whole flow.
      await tellStory(page);
      await button(page, "Verstuur mijn verhaal").click();
      await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor();
      assert.equal((await server.exportStories()).length, 1);
  });
});

test("at 320 px wide nothing overflows", async () => {
  await withTeller(browser, { viewport: { width: 320, height: 640 } }, async ({ server, context, page }) => {
      await page.goto(`${server.url}/vertel`);
      await radio(page, /Geholpen/).waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(overflow <= 320, `page is ${overflow}px wide`);
  });
});

test("/vertel shows the first question before the widget's code has loaded, and keeps an early choice", async () => {
  const server = await startServer();
  const { context: noScript, page: still } = await phone(browser, { javaScriptEnabled: false });
  try {
    await still.goto(`${server.url}/vertel`);
    assert.ok(await radio(still, /Geholpen/).isVisible(), "the prerendered first step is in the HTML");
    const styled = await radio(still, /Geholpen/).evaluate((r) => getComputedStyle(r.closest("label")).minHeight);
    assert.equal(styled, "48px", "the prerendered step has the widget's styles");
  } finally {
    await noScript.close();
  }
  const { context, page } = await phone(browser);
  try {
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await context.route("**/storypoint/storypoint_bg.wasm", async (route) => { await held; await route.continue(); });
    await page.goto(`${server.url}/vertel`);
    await radio(page, /Veilig/).check(); // before the wasm arrived
    release();
    await page.waitForFunction(() => customElements.get("story-point"));
    await button(page, "Volgende").click();
    await page.getByText("Jouw vraag: Vertel over een keer dat je je veilig voelde", { exact: false }).waitFor();
  } finally {
    await context.close();
    server.stop();
  }
});

test("a partner page shows the first question before the wasm has arrived; the choice and the focus made there stay when it takes over", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      // README's two lines on a page of the partner's own.
      const partner = `<!doctype html><html lang="nl"><meta charset="utf-8"><title>Gemeente</title>
          <script type="module" src="${server.url}/storypoint/storypoint.js"></script>
          <story-point endpoint="${server.url}/api/v1/stories" lang="nl"></story-point></html>`;
      await context.route(`${server.url}/partner.html`, (route) => route.fulfill({ contentType: "text/html", body: partner }));
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await context.route("**/storypoint/storypoint_bg.wasm", async (route) => { await held; await route.continue(); });
      await page.goto(`${server.url}/partner.html`);
      await radio(page, /Veilig/).check(); // the wasm is held back: the element drew this step
      assert.equal(await page.evaluate(() => Boolean(document.querySelector("story-point").sp)), false, "no widget yet");
      release();
      await page.waitForFunction(() => document.querySelector("story-point").sp);
      assert.ok(await radio(page, /Veilig/).isChecked(), "the early choice is kept");
      const focused = await page.evaluate(() => document.querySelector("story-point").shadowRoot.activeElement?.value);
      assert.equal(focused, "veilig", "the focus stays on the choice");
      await button(page, "Volgende").click();
      await page.getByText("Jouw vraag: Vertel over een keer dat je je veilig voelde", { exact: false }).waitFor();
  });
});

test("the questionnaire attribute loads another region's questionnaire; a bad URL falls back to the default", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
      const custom = await (await fetch(`${server.url}/api/v1/questionnaire`)).json();
      custom.steps[0].title = { nl: "Kies een vraag (regio Noord)", en: "Choose a question (North)" };
      await context.route("**/regio-noord.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(custom) }));
      const pageWith = (url) => `<!doctype html><html lang="nl"><title>Regio</title><script type="module" src="/storypoint/storypoint.js"></script><story-point questionnaire="${url}"></story-point>`;
      await context.route((url) => url.pathname === "/regio-page", (route) => route.fulfill({ contentType: "text/html", body: pageWith(new URL(route.request().url()).searchParams.get("q")) }));
      await page.goto(`${server.url}/regio-page?q=/regio-noord.json`);
      await page.getByRole("heading", { name: "Kies een vraag (regio Noord)" }).waitFor();
      page.messages.length = 0;
      await page.goto(`${server.url}/regio-page?q=/does-not-exist.json`);
      await page.getByRole("heading", { name: "Kies een vraag" }).waitFor();
      assert.ok(page.messages.some((m) => m.startsWith("warning:") && m.includes("could not read the questionnaire")), page.messages.join("\n"));
  });
});

test("the bundle is served precompressed, long-cached, as application/wasm, open to every origin", async () => {
  const server = await startServer();
  try {
    const get = (path, encoding) => fetch(`${server.url}${path}`, { headers: { "accept-encoding": encoding, origin: "https://gemeente.example" } });
    const wasm = await get("/storypoint/storypoint_bg.wasm", "gzip, br");
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get("content-type"), "application/wasm");
    assert.equal(wasm.headers.get("content-encoding"), "br");
    assert.match(wasm.headers.get("cache-control"), /max-age=\d{6,}/);
    assert.equal(wasm.headers.get("access-control-allow-origin"), "*");
    assert.equal(wasm.headers.get("vary"), "Accept-Encoding");
    const js = await get("/storypoint/storypoint.js", "gzip");
    assert.equal(js.headers.get("content-encoding"), "gzip");
    assert.match(js.headers.get("content-type"), /^text\/javascript/);
    const plain = await get("/storypoint/storypoint.js", "identity");
    assert.equal(plain.headers.get("content-encoding"), null);
    assert.ok((await plain.text()).includes("story-point"));
    assert.equal((await get("/storypoint/nothing.js", "br")).status, 404);
  } finally {
    server.stop();
  }
});

test("without localStorage (private mode) or with it full, the widget works and says the draft cannot be kept", async () => {
  const scripts = {
    disabled: () => Object.defineProperty(window, "localStorage", { get() { throw new DOMException("denied", "SecurityError"); } }),
    full: () => { Storage.prototype.setItem = () => { throw new DOMException("full", "QuotaExceededError"); }; },
  };
  for (const [kind, script] of Object.entries(scripts)) {
    await withTeller(browser, {}, async ({ server, context, page }) => {
      await context.addInitScript(script);
      await page.goto(`${server.url}/vertel`);
      await radio(page, /Geholpen/).check();
      await page.getByText("dit apparaat kan je verhaal niet tussendoor bewaren").waitFor();
      await button(page, "Volgende").click();
      await page.getByRole("textbox", { name: "Jouw verhaal" }).fill(`Zonder opslag (${kind})`);
      await finishAsChild(page);
      const stories = await server.exportStories();
      assert.equal(stories.length, 1, kind);
      assert.equal(stories[0].answers.story, `Zonder opslag (${kind})`);
    });
  }
});

test("two tabs with the same draft store one story", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    await page.goto(`${server.url}/vertel`);
    await toReview(page);
    const second = await context.newPage();
    await second.goto(`${server.url}/vertel`);
    await second.getByRole("heading", { name: "Klopt alles?" }).waitFor();
    await button(second, "Verstuur mijn verhaal").click();
    await second.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor();
    await button(page, "Verstuur mijn verhaal").click();
    await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor();
    assert.equal((await server.exportStories()).length, 1);
  });
});

test("HTML in stories and organisation names is shown as text everywhere (widget review, dashboard)", async () => {
  const evil = `<img src=x onerror="window.__xss=1">`;
  const orgs = `organisatie;type;leeftijd\n"Jeugdhulp ${evil.replaceAll('"', '""')}";jeugdhulp;beide\n`;
  await withTeller(browser, { orgs }, async ({ server, page }) => {
    await page.goto(`${server.url}/vertel?sp=${server.links[0].code}`);
    await radio(page, /Geholpen/).check();
    await button(page, "Volgende").click();
    await page.getByRole("textbox", { name: "Jouw verhaal" }).fill(`Het ging zo: ${evil}`);
    await button(page, "Volgende").click();
    await button(page, "Volgende").click();
    await radio(page, "Kind (jonger dan 12 jaar)").check();
    await button(page, "Verder").click();
    await page.getByText(`Het ging zo: ${evil}`).waitFor();
    assert.equal(await page.locator("img").count(), 0, "no element made from the story");
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await button(page, "Verstuur mijn verhaal").click();
    await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor();
    await logIn(page, server.url);
    await page.getByRole("cell", { name: `Jeugdhulp ${evil}` }).waitFor();
    assert.equal(await page.locator("img").count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    const stories = await server.exportStories();
    assert.equal(stories[0].answers.story, `Het ging zo: ${evil}`);
  });
});

test("the tab closed while sending: the story is sent on the next visit", async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    await page.goto(`${server.url}/vertel`);
    await toReview(page);
    // The reply never comes before the tab is closed.
    await context.route("**/api/v1/stories", () => {});
    await button(page, "Verstuur mijn verhaal").click();
    await page.getByText("Je verhaal wordt verstuurd").waitFor();
    await page.close();
    await context.unroute("**/api/v1/stories");
    const later = await context.newPage();
    await later.goto(`${server.url}/vertel`);
    await later.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor();
    const stories = await server.exportStories();
    assert.equal(stories.length, 1);
    assert.equal(stories[0].answers.story, "Ik kon gewoon naar voetbal.");
  });
});
