// 200 tellers in real Chromium send their story through a proxy that drops, stalls, resets
// after the story was stored, answers 502/503 and duplicates requests: afterwards the
// export holds exactly 200 stories, none twice, none lost.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch } from "./harness.mjs";
import { startProxy, FAULTS } from "./faulty-proxy.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TELLERS = 200;
const AT_ONCE = 20;

test(`${TELLERS} stories through a faulty network: exactly ${TELLERS} stored`, { timeout: 240_000 }, async () => {
  const server = await startServer();
  const proxy = await startProxy(server.url, { seed: 20261123, faultRate: 0.5 });
  try {
    const teller = async (n) => {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      try {
        // A teller who filled everything in and pressed send: the draft the widget keeps.
        const draft = {
          submission_id: crypto.randomUUID(),
          pending: true,
          screen: "review",
          answers: { prompt: "geholpen", story: `Verhaal nummer ${n}`, perspective: "parent", seen_heard: n % 101 },
        };
        await context.addInitScript((text) => {
          if (!sessionStorage.getItem("seeded")) {
            localStorage.setItem("storypoint:vertelpunt-jeugdhulp:1:-", text);
            sessionStorage.setItem("seeded", "1");
          }
        }, JSON.stringify(draft));
        const page = await context.newPage();
        await page.goto(`${proxy.url}/vertel`);
        // The network flaps now and then: the `online` event makes the widget try at once.
        const nudge = setInterval(() => {
          context.setOffline(true).then(() => context.setOffline(false)).catch(() => {});
        }, 1500);
        try {
          await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor({ timeout: 120_000 });
        } finally {
          clearInterval(nudge);
        }
      } finally {
        await context.close();
      }
    };
    for (let start = 0; start < TELLERS; start += AT_ONCE) {
      await Promise.all(Array.from({ length: Math.min(AT_ONCE, TELLERS - start) }, (_, i) => teller(start + i)));
    }
    const stories = await server.exportStories();
    const texts = stories.map((s) => s.answers.story);
    assert.equal(new Set(texts).size, texts.length, "none twice");
    assert.equal(stories.length, TELLERS, "none lost");
    for (let n = 0; n < TELLERS; n += 1) assert.ok(texts.includes(`Verhaal nummer ${n}`), `story ${n} is missing`);
    for (const fault of FAULTS) assert.ok(proxy.counts[fault] > 0, `fault ${fault} happened: ${JSON.stringify(proxy.counts)}`);
    console.log(`faults injected: ${JSON.stringify(proxy.counts)}`);
  } finally {
    await proxy.close();
    server.stop();
  }
});
