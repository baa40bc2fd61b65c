// The teller's paths in the other engines tellers use: Firefox ESR (geckodriver) and WebKitGTK
// (WebKitWebDriver; WebKit is every browser on an iPhone), each at 390 px wide, against the
// real collector, through WebDriver (webdriver.mjs). Chromium runs the same paths, and many
// more, with Playwright in widget.test.mjs, faults.test.mjs and voice.test.mjs.
//
// Per engine: a whole story from a school's link on the landing page, a whole story on the
// demo partner page, the draft across a reload, the collector down and back (exactly one
// story), and a spoken story with the engine's fake microphone, sent and stored, and kept
// across a reload. An engine that is not installed fails here; it is never skipped.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, connect } from "node:net";
import { startServer, ORGS, ADMIN_TOKEN } from "./harness.mjs";
import {
  ENGINES, startEngine, find, count, tap, tapOn, typeInto, press, Key, waitForText, waitUntil, valueOf, isChecked, inPage, pageText,
} from "./webdriver.mjs";

const WIDTH = 390;
const STORY = "De juf luisterde echt naar me. Daarna ging het beter.";

/** A switch in front of the collector on 127.0.0.1, passing TCP through: `down()` refuses
 *  every connection (and cuts those open), as a collector that is gone; `up(url)` passes to
 *  `url` again. Counts the connections it refused. */
async function startSwitch(upstream) {
  let target = new URL(upstream);
  let isDown = false;
  const open = new Set();
  const stats = { refused: 0 };
  const server = createServer((client) => {
    if (isDown) { stats.refused += 1; client.destroy(); return; }
    const out = connect(Number(target.port), target.hostname);
    open.add(client);
    open.add(out);
    const close = () => { client.destroy(); out.destroy(); open.delete(client); open.delete(out); };
    client.on("error", close).on("close", close);
    out.on("error", close).on("close", close);
    client.pipe(out);
    out.pipe(client);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stats,
    down() { isDown = true; for (const socket of open) socket.destroy(); open.clear(); },
    up(url) { target = new URL(url); isDown = false; },
    close: () => new Promise((resolve) => { for (const socket of open) socket.destroy(); server.close(resolve); }),
  };
}

/** The stored recording of a story, as a coordinator downloads it. */
async function recordingOf(server, story) {
  const response = await fetch(`${server.url}/admin/audio/${story.id}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(response.status, 200, "the coordinator can download the recording");
  return Buffer.from(await response.arrayBuffer());
}

for (const engine of ENGINES) {
  describe(engine, () => {
    let browser;
    let driver;
    before(async () => {
      browser = await startEngine(engine, { width: WIDTH, height: 844 });
      driver = browser.driver;
    }, { timeout: 90_000 });
    after(async () => { await browser?.stop(); });

    /** Opens `url` and checks that the teller's screen is a phone's: 390 px wide. */
    async function open(url) {
      await driver.get(url);
      const width = await driver.executeScript("return window.innerWidth");
      assert.equal(width, WIDTH, `${engine}'s viewport is a phone's`);
      await find(driver, "heading", "Kies een vraag", { timeout: 20_000 });
      await fitsTheScreen();
    }

    /** Nothing sticks out sideways: a phone would scroll the page left and right. */
    async function fitsTheScreen() {
      const wide = await driver.executeScript("return document.documentElement.scrollWidth");
      assert.ok(wide <= WIDTH, `the page is ${wide} px wide on a ${WIDTH} px screen`);
    }

    const next = () => tapOn(driver, "button", "Volgende", { exact: true });

    /** From the first question to the review: the whole questionnaire, as a teller fills it in
     *  (`linked`: a school's link answered the age and the organisation). */
    async function tellStory({ linked }) {
      await tapOn(driver, "radio", /^Geholpen/);
      await next();
      await typeInto(driver, "Jouw verhaal", STORY);
      await waitForText(driver, `${STORY.length} / 5000 tekens`);
      await tapOn(driver, "radio", "Een paar weken geleden");
      await next();
      await tapOn(driver, "radio", "Opgelucht");
      // The slider with the keyboard, as a teller who tapped it may: to the end, then back 20.
      await tap(driver, await find(driver, "slider", "gezien en gehoord"));
      await press(driver, Key.END, ...Array(20).fill(Key.ARROW_LEFT));
      assert.equal(await valueOf(driver, await find(driver, "slider", "gezien en gehoord")), "80");
      await next();
      await tapOn(driver, "radio", "Ouder, verzorger of familie");
      await tapOn(driver, "radio", "Thuis, bij ouders of verzorgers");
      if (!linked) assert.ok(await count(driver, "text", "Over welke organisatie") >= 1, "without a link the organisation is asked");
      await tapOn(driver, "button", "Verder", { exact: true });
      await find(driver, "heading", "Klopt alles?");
      await fitsTheScreen();
    }

    async function send() {
      await tapOn(driver, "button", "Verstuur mijn verhaal", { exact: true });
      await find(driver, "heading", "Bedankt voor je verhaal!", { timeout: 60_000 });
    }

    /** From the story step (told or spoken) to the review, as a child. */
    async function toReviewAsChild() {
      await next();
      await next();
      await tapOn(driver, "radio", "Kind (jonger dan 12 jaar)");
      await tapOn(driver, "button", "Verder", { exact: true });
      await find(driver, "heading", "Klopt alles?");
    }

    /** From the story step to the thank-you as a child; `atReview` may look at the review. */
    async function finishAsChild(atReview = async () => {}) {
      await toReviewAsChild();
      await atReview();
      await send();
    }

    test(`${engine}: a whole story from a school's link on the landing page, stored with the school`, { timeout: 120_000 }, async () => {
      const server = await startServer({ orgs: ORGS });
      try {
        const school = server.links.find((l) => l.organisation === "Basisschool De Linde");
        await open(`${server.url}/vertel?sp=${school.code}`);
        await waitForText(driver, "Stap 1 van 4");
        await tellStory({ linked: true });
        for (const asked of [/Hoe oud is het kind/, /Over welke organisatie/, /Wat voor organisatie/]) {
          assert.equal(await count(driver, "text", asked), 0, `${asked} was answered by the link, not asked`);
        }
        assert.match(await pageText(driver), /Opgelucht/, "the review shows the answers");
        await send();
        const stories = await server.exportStories();
        assert.equal(stories.length, 1);
        const [story] = stories;
        assert.equal(story.link, school.code);
        assert.equal(story.answers.organisation, "Basisschool De Linde");
        assert.equal(story.answers.age_group, "under_12");
        assert.equal(story.answers.story, STORY);
        assert.equal(story.answers.seen_heard, 80);
        assert.equal(story.answers.perspective, "parent");
        assert.deepEqual(await driver.manage().getCookies(), [], "no cookie for a teller");
        await tapOn(driver, "button", "Nog een verhaal vertellen", { exact: true });
        await waitForText(driver, "Stap 1 van 4");
      } finally {
        server.stop();
      }
    });

    test(`${engine}: a whole story on the demo partner page`, { timeout: 120_000 }, async () => {
      const server = await startServer();
      try {
        await open(`${server.url}/`);
        const host = await driver.executeScript("return document.querySelector('story-point').getBoundingClientRect().width");
        assert.ok(host >= 300, `the widget is ${host} px wide on the partner page`);
        const button = await driver.executeScript(
          "const b = document.querySelector('story-point').shadowRoot.querySelector('button[type=submit]').getBoundingClientRect(); return [b.width, b.height];");
        assert.ok(button[0] >= 44 && button[1] >= 44, `"Volgende" is ${button.join("×")} px, despite the page's styles`);
        await tellStory({ linked: false });
        await send();
        const stories = await server.exportStories();
        assert.equal(stories.length, 1);
        assert.equal(stories[0].link, null);
        assert.equal(stories[0].answers.story, STORY);
        assert.equal(stories[0].answers.seen_heard, 80);
      } finally {
        server.stop();
      }
    });

    test(`${engine}: a reload keeps the draft (same step, same text), and the story is sent once`, { timeout: 120_000 }, async () => {
      const server = await startServer();
      try {
        await open(`${server.url}/vertel`);
        await tapOn(driver, "radio", /^Veilig/);
        await next();
        await typeInto(driver, "Jouw verhaal", "Half af");
        await waitForText(driver, "7 / 5000 tekens");
        await driver.navigate().refresh();
        const field = await find(driver, "textbox", "Jouw verhaal", { timeout: 20_000 });
        assert.equal(await valueOf(driver, field), "Half af", "the text is still there");
        await tapOn(driver, "button", "Vorige", { exact: true });
        assert.ok(await isChecked(driver, await find(driver, "radio", /^Veilig/)), "the chosen question is still chosen");
        await next();
        await typeInto(driver, "Jouw verhaal", ", nu af.");
        await finishAsChild();
        const stories = await server.exportStories();
        assert.equal(stories.length, 1);
        assert.equal(stories[0].answers.story, "Half af, nu af.");
        assert.equal(stories[0].answers.prompt, "veilig");
      } finally {
        server.stop();
      }
    });

    test(`${engine}: the collector down at send and back later: the story is kept and stored exactly once`, { timeout: 150_000 }, async () => {
      let server = await startServer();
      const relay = await startSwitch(server.url);
      try {
        await open(`${relay.url}/vertel`);
        await tapOn(driver, "radio", /^Gewoon leven/);
        await next();
        await typeInto(driver, "Jouw verhaal", "Ik kon gewoon naar voetbal.");
        await toReviewAsChild();
        // The collector goes down just before the teller sends.
        server.stop();
        relay.down();
        await tapOn(driver, "button", "Verstuur mijn verhaal", { exact: true });
        await waitForText(driver, "Je verhaal is bewaard op dit apparaat", { timeout: 20_000 });
        // It keeps trying (with growing pauses) while the collector is away.
        await waitUntil(driver, () => relay.stats.refused >= 2, { timeout: 20_000, what: "the widget trying again" });
        assert.equal(await count(driver, "heading", "Bedankt voor je verhaal!"), 0);
        // Back, on the same database: the next try gets through, without the teller doing anything.
        server = await startServer({ db: server.db });
        relay.up(server.url);
        await find(driver, "heading", "Bedankt voor je verhaal!", { timeout: 60_000 });
        const stories = await server.exportStories();
        assert.equal(stories.length, 1, "exactly one story");
        assert.equal(stories[0].answers.story, "Ik kon gewoon naar voetbal.");
        // No late duplicate either.
        await new Promise((resolve) => setTimeout(resolve, 2000));
        assert.equal((await server.exportStories()).length, 1, "still exactly one story");
      } finally {
        await relay.close();
        server.stop();
      }
    });

    // ---- a spoken story, with the engine's fake microphone -----------------------------------

    /** To the story step, speak for about `ms`, stop. */
    async function speak(url, ms) {
      await open(url);
      await tapOn(driver, "radio", /^Geholpen/);
      await next();
      await tapOn(driver, "button", "Spreek je verhaal in", { exact: true });
      await waitForText(driver, "Je spreekt nu in", { timeout: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, ms));
      await tapOn(driver, "button", "Klaar met inspreken", { exact: true });
      await waitForText(driver, /Je opname \(0:0\d\) is bewaard op dit apparaat/, { timeout: 20_000 });
    }

    /** The listen-back player under the story field, once it has loaded what it plays (or
     *  failed): its state, error code and duration. (Its bytes cannot be read here: the page's
     *  CSP lets only media, not scripts, load `blob:` addresses.) */
    function listenBack() {
      return inPage(driver, `
        const players = [];
        for (const e of document.querySelectorAll("*")) if (e.shadowRoot) players.push(...e.shadowRoot.querySelectorAll("audio[controls]"));
        if (players.length !== 1) throw new Error(players.length + " players");
        const [player] = players;
        if (player.readyState < 1 && !player.error) {
          await new Promise((resolve) => {
            player.addEventListener("loadedmetadata", resolve, { once: true });
            player.addEventListener("error", resolve, { once: true });
            setTimeout(resolve, 10000);
          });
        }
        return { readyState: player.readyState, error: player.error ? player.error.code : null, duration: player.duration };`);
    }

    /** Seconds of sound in `bytes`, as this engine decodes them. */
    function decodedSeconds(bytes) {
      return inPage(driver, `
        const bytes = Uint8Array.from(atob(args[0]), (c) => c.charCodeAt(0));
        const decoded = await new OfflineAudioContext(1, 48000, 48000).decodeAudioData(bytes.buffer);
        return decoded.duration;`, bytes.toString("base64"));
    }

    /** The only story is the spoken one, its recording is in this engine's container and plays
     *  for about as long as was spoken. Returns its bytes. */
    async function checkStored(server, { seconds }) {
      const stories = await server.exportStories();
      assert.equal(stories.length, 1, "one story");
      const [story] = stories;
      assert.ok(story.audio, `the story names its recording: ${JSON.stringify(story)}`);
      assert.equal(story.answers.story, undefined, "no typed text needed");
      assert.equal(story.answers.title, "Mijn verhaal, ingesproken");
      const bytes = await recordingOf(server, story);
      if (engine === "webkit") assert.equal(bytes.subarray(4, 8).toString("latin1"), "ftyp", "WebKit records MP4");
      else assert.equal(bytes.subarray(0, 4).toString("hex"), "1a45dfa3", "Firefox records WebM");
      const played = await decodedSeconds(bytes);
      assert.ok(played > seconds - 1.5 && played < seconds + 2, `the stored recording plays for ${played} s (spoken: about ${seconds} s)`);
      console.log(`${engine}: stored recording ${bytes.length} bytes, plays ${played.toFixed(2)} s`);
      return bytes;
    }

    async function finishSpoken() {
      await typeInto(driver, "Geef je verhaal een titel", "Mijn verhaal, ingesproken");
      await finishAsChild(async () => {
        assert.ok(await count(driver, "text", /^Ingesproken$/) >= 1, "the review says the story was spoken");
      });
    }

    test(`${engine}: a spoken story with the fake microphone is sent and stored`, { timeout: 150_000 }, async () => {
      const server = await startServer();
      try {
        await speak(`${server.url}/vertel`, 3000);
        const player = await listenBack();
        assert.ok(player.readyState >= 1 && player.error === null, `the teller can listen back: ${JSON.stringify(player)}`);
        await finishSpoken();
        await checkStored(server, { seconds: 3 });
      } finally {
        server.stop();
      }
    });

    // WebKit cannot put a Blob into IndexedDB under automation (nor in Safari's Private
    // Browsing): the recorder keeps its parts as ArrayBuffers, so this holds there too.
    test(`${engine}: a spoken story is kept across a reload and sent`, { timeout: 150_000 }, async () => {
      const server = await startServer();
      try {
        await speak(`${server.url}/vertel`, 3000);
        await driver.navigate().refresh();
        await waitForText(driver, /Je opname \(0:0[2-4]\) is bewaard op dit apparaat/, { timeout: 20_000 });
        const player = await listenBack();
        assert.ok(player.readyState >= 1 && player.error === null, `after the reload the teller can still listen back: ${JSON.stringify(player)}`);
        await finishSpoken();
        // All of it, not only what came after the reload.
        await checkStored(server, { seconds: 3 });
      } finally {
        server.stop();
      }
    });
  });
}
