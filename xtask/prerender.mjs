// Prerenders the widget's first screen (per language) with the widget itself, in Chromium:
// `/vertel` embeds it as declarative shadow DOM, so the first question is there as soon as
// the HTML is parsed; the widget takes over when its wasm has loaded. Also writes the
// widget's stylesheet as a file for that shadow root. Usage: node prerender.mjs DIST_DIR
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const dist = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const context = await browser.newContext();
  await context.route("http://prerender.invalid/**", (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === "page.html") {
      const lang = new URL(route.request().url()).searchParams.get("lang");
      return route.fulfill({ contentType: "text/html", body: `<!doctype html><script type="module" src="/storypoint.js"></script><story-point lang="${lang}"></story-point>` });
    }
    // The widget also asks the collector about its campaign: there is none here.
    if (!existsSync(join(dist, name))) return route.fulfill({ status: 404, body: "" });
    const type = name.endsWith(".wasm") ? "application/wasm" : name.endsWith(".json") ? "application/json" : "text/javascript";
    return route.fulfill({ contentType: type, body: readFileSync(join(dist, name)) });
  });
  // Dutch only: /vertel shows the widget in Dutch (other languages are files in lang/).
  for (const lang of ["nl"]) {
    const page = await context.newPage();
    await page.goto(`http://prerender.invalid/page.html?lang=${lang}`);
    await page.waitForFunction(() => document.querySelector("story-point")?.shadowRoot?.querySelector("input"));
    const { html, css } = await page.evaluate(() => {
      const root = document.querySelector("story-point").shadowRoot;
      const css = [...root.adoptedStyleSheets].flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText)).join("\n");
      return { html: root.innerHTML, css };
    });
    writeFileSync(join(dist, `prerender.${lang}.html`), html);
    if (lang === "nl") writeFileSync(join(dist, "storypoint.css"), css);
    await page.close();
  }
} finally {
  await browser.close();
}
