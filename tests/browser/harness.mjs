// Browser-test harness: the real `storypoint` binary on an ephemeral 127.0.0.1 port with a
// temporary SQLite file, and Debian's Chromium driven by playwright-core.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = process.env.STORYPOINT_BIN ?? join(ROOT, "target/debug/storypoint");
export const ADMIN_TOKEN = "browser-test-token-of-twenty-plus";
const AXE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

/** A fresh collector; `orgs` (CSV text) are imported as links first; `args` go to `serve`;
 *  `db` reuses the database of an earlier collector. */
export async function startServer({ orgs, args = [], db: reused } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "storypoint-browser-"));
  const db = reused ?? join(dir, "stories.db");
  const cli = (...args) => execFileSync(BIN, ["--db", db, ...args], { encoding: "utf8" });
  let links = [];
  if (orgs) {
    writeFileSync(join(dir, "orgs.csv"), orgs);
    cli("links", "import", join(dir, "orgs.csv"), "--base-url", "https://vertelpunt.example.nl/vertel");
    links = JSON.parse(cli("links", "list", "--format", "json"));
  }
  const child = spawn(BIN, ["--db", db, "serve", "--addr", "127.0.0.1:0", ...args], {
    env: { ...process.env, STORYPOINT_ADMIN_TOKEN: ADMIN_TOKEN },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const match = line.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`storypoint exited (${code})`)));
  });
  const exportStories = async () => {
    const response = await fetch(`${url}/api/v1/export.json`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    return response.json();
  };
  return { url, db, links, cli, exportStories, stop: () => child.kill("SIGKILL") };
}

/** Debian's Chromium; `extraArgs` add flags (a fake microphone, say). Its browsers ask for
 *  Dutch first (`Accept-Language`), as a Dutch coordinator's do: the console follows it. */
export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--accept-lang=nl-NL,nl", ...extraArgs],
  });
}

/** A phone: 360×740 with touch. Records every request's host and the console. */
export async function phone(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, ...options });
  const page = await context.newPage();
  page.requests = [];
  page.messages = [];
  page.on("request", (request) => page.requests.push(request.url()));
  page.on("console", (message) => page.messages.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => page.messages.push(`pageerror: ${error.message}`));
  return { context, page };
}

/** Runs `run` with a fresh collector (`orgs` imported as links, `args` for `serve`, `db` an
 *  earlier collector's database) and a
 *  phone page, and cleans both up whatever happens. Other options go to the browser context. */
export async function withTeller(browser, { orgs, args, db, ...options }, run) {
  const server = await startServer({ orgs, args, db });
  const { context, page } = await phone(browser, options);
  try {
    await run({ server, context, page });
  } finally {
    await context.close();
    server.stop();
  }
}

/** axe-core on the page (and inside the widget's shadow root): serious and critical violations. */
export async function axeViolations(page) {
  // Let the step's short fade-in finish: mid-animation colours are not what a teller reads.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished)));
  await page.waitForTimeout(200);
  await page.evaluate(AXE);
  const results = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return results.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** The page at hand does not scroll sideways (`what` names it in the failure). */
export async function noSidewaysScrolling(page, what) {
  const [wide, inner] = await page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
  assert.ok(wide <= inner + 1, `${what}: no sideways scrolling on a phone (${wide} px in ${inner} px)`);
}

/** A coordinator's page as it is met: axe-core finds nothing serious or critical; on a
 *  `phone`, it does not scroll sideways and every target is at least 44 px. */
export async function pageAsMet(page, what, { phone }) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 1)}`);
  if (!phone) return;
  await noSidewaysScrolling(page, what);
  assert.deepEqual(await smallTargets(page), [], `${what}: targets of at least 44 × 44 px on a phone`);
}

/** The targets on `page` smaller than 44 × 44 CSS px (WCAG 2.5.5), as "tag "text" w×h": every
 *  link, button and form control that is shown; a checkbox or radio button counts with its
 *  label (clicking either works), a skip link is measured with focus (when it shows), and a
 *  link inside a sentence is exempt, as WCAG allows. */
export async function smallTargets(page) {
  return page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
      // A skip link waits off-screen until it has focus: measure it as it is shown then.
      const offScreen = el.getBoundingClientRect().right <= 0;
      if (offScreen) el.focus();
      const box = el.getBoundingClientRect();
      if (offScreen) el.blur();
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
      const text = (node) => node.textContent.replace(/\s+/g, " ").trim();
      const inSentence = el.tagName === "A" && getComputedStyle(el).display === "inline" && text(el.parentElement).length > text(el).length;
      if (inSentence) continue;
      let [width, height] = [box.width, box.height];
      const label = (el.type === "checkbox" || el.type === "radio") && el.labels?.[0];
      if (label) {
        const around = label.getBoundingClientRect();
        [width, height] = [width + around.width, Math.max(height, around.height)];
      }
      if (width < 43.5 || height < 43.5) small.push(`${el.tagName.toLowerCase()} "${text(el) || el.name || el.id}" ${Math.round(width)}×${Math.round(height)}`);
    }
    return small;
  });
}

/** A coordinator logs in on `page` as a person does: the login page of the collector at
 *  `base`, "Beheercode" filled in with `token` (the admin token, or a campaign's), "Inloggen";
 *  resolves when the page asked for (`back`, the response page by default) has come. The
 *  session is a cookie of the page's context. (Playwright's `httpCredentials` only answers a
 *  401 challenge; the coordinators' pages send the login page instead.) */
export async function logIn(page, base, token = ADMIN_TOKEN, back = "/admin") {
  await page.goto(`${base}/admin/login?terug=${encodeURIComponent(back)}`);
  await page.getByLabel("Beheercode").fill(token);
  const [posted] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/admin/login"),
    page.getByRole("button", { name: "Inloggen", exact: true }).click(),
  ]);
  if (posted.status() !== 303) {
    await page.waitForLoadState();
    throw new Error(`logging in did not work (${posted.status()}): ${await page.textContent("main").catch(() => "")}`);
  }
  const target = new URL(back, base);
  await page.waitForURL((url) => url.pathname === target.pathname && url.search === target.search);
  await page.waitForLoadState();
}

export const ORGS = "\uFEFForganisatie;type;leeftijd\nBasisschool De Linde;school;0-12\nJeugdhulp Oost;jeugdhulp;beide\n";

/** From the story step (told) to the thank-you: the about-the-story step left empty, a
 *  child's perspective, the review (`atReview` may look at it), send. */
export async function finishAsChild(page, atReview = async () => {}) {
  const button = (name) => page.getByRole("button", { name, exact: true });
  await button("Volgende").click();
  await button("Volgende").click();
  await page.getByRole("radio", { name: "Kind (jonger dan 12 jaar)" }).check();
  await button("Verder").click();
  await page.getByRole("heading", { name: "Klopt alles?" }).waitFor();
  await atReview();
  await button("Verstuur mijn verhaal").click();
  await page.getByRole("heading", { name: "Bedankt voor je verhaal!" }).waitFor({ timeout: 60_000 });
}
