// What the harness's "ready" and TBT do not see on a page where the first step is drawn before
// the wasm: when the wasm takes over (the element's widget made), and the long tasks until
// then. Usage: node bench/takeover.mjs URL [runs] (CPU ×4; Chromium from Debian;
// playwright-core from the project's node_modules). Prints the median and the range.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [url, runs = "7"] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const results = [];
try {
  for (let i = 0; i <= Number(runs); i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await page.addInitScript(() => {
      window.spLong = [];
      new PerformanceObserver((list) => window.spLong.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask", buffered: true });
    });
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector("story-point")?.sp, null, { timeout: 30000 });
    const r = await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(() => done({
      takeover: performance.now(),
      blocking: window.spLong.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
      longest: Math.max(0, ...window.spLong),
    }), 0))));
    if (i > 0) results.push(r); // the first run warms up
    await context.close();
  }
} finally {
  await browser.close();
}
const stat = (key) => {
  const v = results.map((r) => r[key]).sort((a, b) => a - b);
  return `${Math.round(v[Math.floor(v.length / 2)])} (${Math.round(v[0])}–${Math.round(v[v.length - 1])})`;
};
console.log(`wasm took over at ${stat("takeover")} ms; blocking until then ${stat("blocking")} ms; longest task ${stat("longest")} ms (median (min–max) of ${results.length}, CPU ×4)`);
