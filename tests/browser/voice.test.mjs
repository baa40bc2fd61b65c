// Speaking a story in ("inspreken") in real Chromium with a fake microphone that plays a
// generated sound file: record, listen back, send; a reload mid-recording offers the
// recording again; the upload survives a faulty network; a denied microphone leaves the
// text field; axe. The stored recording is compared byte for byte with what was recorded,
// and decoded by Chromium to check that it plays for as long as it was recorded.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { launch, withTeller, axeViolations, finishAsChild, logIn, ADMIN_TOKEN, ORGS } from "./harness.mjs";
import { startProxy } from "./faulty-proxy.mjs";

/** A mono 16-bit 48 kHz WAV: a voice-like tone that swells and fades, `seconds` long. */
function wav(seconds) {
  const rate = 48000;
  const n = rate * seconds;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 2 * t);
    data.writeInt16LE(Math.round(12000 * envelope * Math.sin(2 * Math.PI * 220 * t)), i * 2);
  }
  const head = Buffer.alloc(44);
  head.write("RIFF", 0); head.writeUInt32LE(36 + data.length, 4); head.write("WAVE", 8);
  head.write("fmt ", 12); head.writeUInt32LE(16, 16); head.writeUInt16LE(1, 20); head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24); head.writeUInt32LE(rate * 2, 28); head.writeUInt16LE(2, 32); head.writeUInt16LE(16, 34);
  head.write("data", 36); head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

let browser;
before(async () => {
  const sound = join(mkdtempSync(join(tmpdir(), "storypoint-voice-")), "voice.wav");
  writeFileSync(sound, wav(4));
  browser = await launch(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-audio-capture=${sound}`]);
});
after(() => browser?.close());

const button = (page, name) => page.getByRole("button", { name, exact: true });
const radio = (page, name) => page.getByRole("radio", { name });

/** To the story step, then speak for about `ms`. */
async function speak(page, url, ms) {
  await page.goto(url);
  await radio(page, /Geholpen/).check();
  await button(page, "Volgende").click();
  await button(page, "Spreek je verhaal in").click();
  await page.getByText("Je spreekt nu in").waitFor();
  await page.waitForTimeout(ms);
}

/** From the story step (recording done) to the thank-you, with a typed title; the review
 *  says the story was spoken. */
async function finish(page) {
  await page.getByRole("textbox", { name: "Geef je verhaal een titel" }).fill("Mijn verhaal, ingesproken");
  await finishAsChild(page, async () => {
    assert.ok(await page.getByText("Ingesproken", { exact: true }).count() >= 1, "the review says the story was spoken");
  });
}

/** "Opnieuw beginnen": a new recording of about 1.5 s; what is kept then. */
async function startOver(page) {
  await button(page, "Opnieuw beginnen").click();
  await page.getByText("Je spreekt nu in").waitFor();
  await page.waitForTimeout(1500);
  await button(page, "Klaar met inspreken").click();
  await page.getByText(/Je opname \(0:01\)/).waitFor();
  return kept(page);
}

/** The recording kept in IndexedDB for the current story: its SHA-256 and length. */
async function kept(page) {
  return page.evaluate(async () => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open("storypoint-voice", 1); r.onsuccess = () => ok(r.result); r.onerror = fail; });
    const parts = await new Promise((ok) => { const r = db.transaction("parts").objectStore("parts").getAll(); r.onsuccess = () => ok(r.result); });
    parts.sort((a, b) => a.seq - b.seq);
    const bytes = new Uint8Array(await new Blob(parts.map((p) => p.bytes ?? p.blob)).arrayBuffer());
    const hash = await crypto.subtle.digest("SHA-256", bytes);
    return { length: bytes.length, sha256: [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("") };
  });
}

/** The stored recording of the only story: bytes (as the coordinators get them) and its
 *  duration as Chromium decodes it. */
async function stored(server, page) {
  const stories = await server.exportStories();
  assert.equal(stories.length, 1, "one story");
  const story = stories[0];
  assert.ok(story.audio, `the story names its recording: ${JSON.stringify(story)}`);
  const response = await fetch(`${server.url}/admin/audio/${story.id}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal(response.status, 200);
  const bytes = Buffer.from(await response.arrayBuffer());
  const seconds = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const decoded = await new OfflineAudioContext(1, 48000, 48000).decodeAudioData(bytes.buffer);
    return decoded.duration;
  }, bytes.toString("base64"));
  return { story, bytes, sha256: createHash("sha256").update(bytes).digest("hex"), seconds };
}

test("speak, listen back and send: the stored recording is the recorded one and plays", { timeout: 120_000 }, async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    await speak(page, `${server.url}/vertel`, 3000);
    const meter = page.getByRole("meter", { name: "Geluid" });
    assert.ok(await meter.evaluate((m) => m.value) > 0, "the level meter moves");
    assert.match(await page.locator(".sp-voice-time").textContent(), /^0:0[2-4] \/ 5:00$/);
    await button(page, "Pauze").click();
    await page.getByText("Gepauzeerd").waitFor();
    await button(page, "Ga verder").click();
    await page.waitForTimeout(1000);
    await button(page, "Klaar met inspreken").click();
    await page.getByText(/Je opname \(0:0\d\) is bewaard op dit apparaat/).waitFor();
    assert.equal(await page.locator("audio[controls]").count(), 1, "listen back");
    assert.deepEqual(await axeViolations(page), [], "axe, with the recorder open");
    const recorded = await kept(page);
    await finish(page);
    const heard = await stored(server, page);
    assert.equal(heard.bytes.length, recorded.length);
    assert.equal(heard.sha256, recorded.sha256, "byte for byte what was recorded");
    assert.ok(heard.seconds > 3 && heard.seconds < 6, `plays for ${heard.seconds} s`);
    assert.equal(heard.story.answers.title, "Mijn verhaal, ingesproken");
    assert.equal(heard.story.answers.story, undefined, "no typed text needed");

    // The coordinators hear it in the insight listing (once 5 alike tellers make it listable:
    // four more spoken stories with the same recording, sent straight to the API).
    const { randomUUID } = await import("node:crypto");
    for (let i = 0; i < 4; i++) {
      const id = randomUUID();
      const base = `${server.url}/api/v1/stories/${id}/audio`;
      assert.equal((await fetch(`${base}?offset=0`, { method: "PUT", body: heard.bytes })).status, 200);
      const audio = { length: heard.bytes.length, sha256: heard.sha256, mime: "audio/webm" };
      assert.equal((await fetch(`${base}/complete`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(audio) })).status, 200);
      const story = { questionnaire: "vertelpunt-jeugdhulp", version: 1, submission_id: id, link: null, lang: "nl", audio,
        answers: { prompt: heard.story.answers.prompt, perspective: "child", title: `Ook ingesproken ${i}` } };
      assert.equal((await fetch(`${server.url}/api/v1/stories`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(story) })).status, 201);
    }
    const coordinator = await browser.newContext();
    const desk = await coordinator.newPage();
    await logIn(desk, server.url);
    await desk.goto(`${server.url}/admin/inzicht?view=stories&question=prompt&by=none&value=${heard.story.answers.prompt}`);
    const player = desk.getByRole("listitem").filter({ hasText: "Mijn verhaal, ingesproken" }).locator("audio[controls]");
    assert.equal(await player.count(), 1, "a player beside the story");
    // It loads with the coordinator's session cookie, as the page's own request.
    const loaded = await player.evaluate((audio) => new Promise((resolve) => {
      audio.addEventListener("loadedmetadata", () => resolve(audio.readyState), { once: true });
      audio.addEventListener("error", () => resolve(-1), { once: true });
      audio.load();
    }));
    assert.ok(loaded >= 1, `the recording loads in the coordinator's browser (readyState ${loaded})`);
    assert.deepEqual(await axeViolations(desk), [], "axe, the listing with players");
    await coordinator.close();
  });
});

test("a reload in the middle of recording: the recording is offered again and sent", { timeout: 120_000 }, async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    await speak(page, `${server.url}/vertel`, 2500);
    await page.reload();
    await page.getByText(/Je opname \(0:0[1-3]\) is bewaard op dit apparaat/).waitFor();
    const recorded = await kept(page);
    assert.ok(recorded.length > 1000, "the seconds before the reload are kept");
    await finish(page);
    const heard = await stored(server, page);
    assert.equal(heard.sha256, recorded.sha256);
    assert.ok(heard.seconds > 1 && heard.seconds < 4, `plays for ${heard.seconds} s`);
  });
});

test("start over: the first recording is gone and the new one is sent", { timeout: 120_000 }, async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    await speak(page, `${server.url}/vertel`, 3500);
    await button(page, "Klaar met inspreken").click();
    await page.getByText(/Je opname \(0:03\)/).waitFor();
    const first = await kept(page);
    const second = await startOver(page);
    assert.ok(second.length < first.length, "only the new, shorter recording is kept");
    await finish(page);
    const heard = await stored(server, page);
    assert.equal(heard.sha256, second.sha256);
    assert.ok(heard.seconds < 3, `plays for ${heard.seconds} s`);
  });
});

test("starting over after a half-finished upload sends only the new recording", { timeout: 120_000 }, async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    await speak(page, `${server.url}/vertel`, 3500);
    await button(page, "Klaar met inspreken").click();
    await page.getByText(/Je opname \(0:03\)/).waitFor();
    // The parts arrive, the completion does not: the collector holds the first recording.
    await context.route("**/audio/complete", (route) => route.abort("internetdisconnected"));
    await page.getByRole("textbox", { name: "Geef je verhaal een titel" }).fill("Eerste poging");
    await page.getByRole("button", { name: "Volgende", exact: true }).click();
    await page.getByRole("button", { name: "Volgende", exact: true }).click();
    await radio(page, "Kind (jonger dan 12 jaar)").check();
    await button(page, "Verder").click();
    await button(page, "Verstuur mijn verhaal").click();
    await page.getByText("Je verhaal is bewaard op dit apparaat").waitFor();
    await context.unroute("**/audio/complete");
    await page.getByRole("button", { name: "Verander: Jouw verhaal" }).click();
    const second = await startOver(page);
    await finishAsChild(page);
    const heard = await stored(server, page);
    assert.equal(heard.sha256, second.sha256, "the new recording, not the old one");
  });
});

test("a recording the collector will never take: the teller is told, and types instead", { timeout: 120_000 }, async () => {
  await withTeller(browser, { args: ["--max-audio-mb", "0"] }, async ({ server, page }) => {
    await speak(page, `${server.url}/vertel`, 1500);
    await button(page, "Klaar met inspreken").click();
    await page.getByText(/Je opname/).waitFor();
    await page.getByRole("button", { name: "Volgende", exact: true }).click();
    await page.getByRole("button", { name: "Volgende", exact: true }).click();
    await radio(page, "Kind (jonger dan 12 jaar)").check();
    await button(page, "Verder").click();
    await button(page, "Verstuur mijn verhaal").click();
    // Refused for good: no endless "saved on this device"; back to the story, which is needed now.
    await page.locator("story-point .sp-error", { hasText: "Deze vraag moet je invullen" }).waitFor({ timeout: 30_000 });
    await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Dan typ ik het.");
    await finishAsChild(page);
    const stories = await server.exportStories();
    assert.equal(stories.length, 1);
    assert.equal(stories[0].answers.story, "Dan typ ik het.");
    assert.equal(stories[0].audio, undefined);
  });
});

test("a recording left under another link is not attached to this story", { timeout: 120_000 }, async () => {
  await withTeller(browser, { orgs: ORGS }, async ({ server, page }) => {
    await speak(page, `${server.url}/vertel`, 1500);
    await button(page, "Klaar met inspreken").click();
    await page.getByText(/Je opname/).waitFor();
    // Someone else, on the same computer, through a school's link.
    await page.goto(`${server.url}/vertel?sp=${server.links[0].code}`);
    await radio(page, /Geholpen/).check();
    await page.getByRole("button", { name: "Volgende", exact: true }).click();
    assert.equal(await page.getByText(/Je opname/).count(), 0, "not offered here");
    await page.getByRole("textbox", { name: "Jouw verhaal" }).fill("Mijn eigen verhaal.");
    await finishAsChild(page);
    const stories = await server.exportStories();
    assert.equal(stories.length, 1);
    assert.equal(stories[0].audio, undefined, "no one else's recording");
  });
});

test("the upload survives drops, resets after storing, 5xx and duplicates", { timeout: 180_000 }, async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    const proxy = await startProxy(server.url, {
      seed: 8, faultRate: 0.6, stallMs: 500, methods: ["PUT", "POST"], faults: ["reset-after-store", "drop", "503", "duplicate"],
    });
    try {
      // A long recording makes several parts of 256 KB at Chromium's bit rate.
      await speak(page, `${proxy.url}/vertel`, 4000);
      await button(page, "Klaar met inspreken").click();
      await page.getByText(/Je opname/).waitFor();
      const recorded = await kept(page);
      await finish(page);
      const heard = await stored(server, page);
      assert.equal(heard.sha256, recorded.sha256, "byte for byte, despite the faults");
      assert.ok(proxy.counts["reset-after-store"] >= 1, `a reset after storing happened: ${JSON.stringify(proxy.counts)}`);
      const faults = Object.entries(proxy.counts).filter(([f, n]) => f !== "pass" && n > 0);
      assert.ok(faults.length >= 2, `faults happened: ${JSON.stringify(proxy.counts)}`);
      console.log(`voice upload faults: ${JSON.stringify(proxy.counts)}`);
    } finally {
      await proxy.close();
    }
  });
});

test("a denied microphone: a friendly message, and the story can be typed", { timeout: 60_000 }, async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("denied", "NotAllowedError"));
    });
    await page.goto(`${server.url}/vertel`);
    await radio(page, /Geholpen/).check();
    await button(page, "Volgende").click();
    await button(page, "Spreek je verhaal in").click();
    await page.getByRole("alert").filter({ hasText: "We mogen je microfoon niet gebruiken" }).waitFor();
    const field = page.getByRole("textbox", { name: "Jouw verhaal" });
    assert.ok(await field.evaluate((f) => f.getRootNode().activeElement === f), "back to the text field");
    assert.deepEqual(await axeViolations(page), []);
    await field.fill("Dan typ ik het toch.");
    await button(page, "Volgende").click();
    await button(page, "Volgende").click();
    await radio(page, "Kind (jonger dan 12 jaar)").check();
    await button(page, "Verder").click();
    await button(page, "Verstuur mijn verhaal").click();
    await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor();
    const stories = await server.exportStories();
    assert.equal(stories[0].answers.story, "Dan typ ik het toch.");
    assert.equal(stories[0].audio, undefined);
  });
});

test("the recorder is a second module: loaded only when a teller speaks", { timeout: 60_000 }, async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    await page.goto(`${server.url}/vertel`);
    await radio(page, /Geholpen/).check();
    await button(page, "Volgende").click();
    await page.getByRole("textbox", { name: "Jouw verhaal" }).waitFor();
    assert.ok(!page.requests.some((u) => u.includes("voice.js")), "not loaded for a typed story");
    await button(page, "Spreek je verhaal in").click();
    await page.getByText("Je spreekt nu in").waitFor();
    assert.ok(page.requests.some((u) => u.endsWith("/storypoint/voice.js")), "loaded when speaking");
  });
});

test("a device that cannot keep the recording (as WebKit's private storage): the teller is told, and a reload offers no broken recording", { timeout: 120_000 }, async () => {
  await withTeller(browser, {}, async ({ server, context, page }) => {
    // Writing a part fails, as putting a Blob into IndexedDB does in Safari's Private Browsing.
    await context.addInitScript(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (value, key) {
        if (this.name === "parts") throw new DOMException("storage refused", "DataCloneError");
        return put.call(this, value, key);
      };
    });
    await speak(page, `${server.url}/vertel`, 2000);
    await button(page, "Klaar met inspreken").click();
    await page.getByText(/Je opname \(0:0[1-3]\) kon niet op dit apparaat worden bewaard/).waitFor();
    assert.equal(await page.getByText("is bewaard op dit apparaat").count(), 0, "it does not say the recording is kept");
    await page.reload();
    await page.getByRole("textbox", { name: "Jouw verhaal" }).waitFor();
    await button(page, "Spreek je verhaal in").waitFor();
    assert.equal(await page.getByText(/Je opname \(/).count(), 0, "no recording offered that is not there");
    assert.equal(await page.locator("story-point audio").count(), 0, "no player that would show an error");
  });
});
