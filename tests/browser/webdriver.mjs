// WebDriver harness for the engines Playwright cannot drive here: Debian's Firefox ESR
// (through geckodriver, built from crates.io by `cargo xtask test`) and
// WebKitGTK (WebKitWebDriver driving MiniBrowser, under Xvfb), both with selenium-webdriver.
// Each driver is started by us on 127.0.0.1 with an explicit path (selenium-manager cannot
// download anything here), each session has a phone's viewport (390 px wide) and a fake
// microphone, and every wait has a timeout.
//
// The widget lives in a shadow root: the helpers below find a teller's controls there by
// their role and words (label, button text, heading), as a person sees them, and act with
// pointer actions at the element's centre (WebKit's driver refuses element clicks on text
// inputs inside a shadow root) and key actions for typing.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { Builder, Key } from "selenium-webdriver";
import firefox from "selenium-webdriver/firefox.js";

export const ENGINES = ["firefox", "webkit"];

export const PATHS = {
  firefox: process.env.FIREFOX ?? "/usr/bin/firefox-esr",
  // Where `cargo xtask test` installs it (`cargo install`, as wasm-bindgen-cli).
  geckodriver: process.env.GECKODRIVER ?? join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "bin/geckodriver"),
  webkitDriver: process.env.WEBKIT_WEBDRIVER ?? "/usr/bin/WebKitWebDriver",
  miniBrowser: process.env.MINIBROWSER ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
  xvfbRun: "/usr/bin/xvfb-run",
};

const INSTALL = "`cargo xtask test` installs them (apt-get install -y firefox-esr webkit2gtk-driver xvfb; cargo install geckodriver --locked --version 0.37.1)";

/** Bounded: `promise`, or an error saying what did not happen within `ms`. */
export function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The driver process groups still running: ended when this process exits, however it does. */
const running = new Set();
process.on("exit", () => { for (const stop of running) stop(); });

/** Starts a WebDriver server (`command args`, its own process group) and waits until its
 *  /status says ready. Returns its URL and how to stop it. */
async function startDriver(command, args, port, what) {
  const child = spawn(command, args, { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (chunk) => { log = (log + chunk).slice(-4000); });
  let exited = null;
  child.on("exit", (code, signal) => { exited = `${code ?? signal}`; });
  const stop = () => {
    running.delete(stop);
    try { process.kill(-child.pid, "SIGKILL"); } catch { /* gone already */ }
  };
  running.add(stop);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited !== null) throw new Error(`${what} exited (${exited}): ${log}`);
    try {
      const status = await (await fetch(`${url}/status`, { signal: AbortSignal.timeout(2000) })).json();
      if (status.value?.ready !== false) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { stop(); throw new Error(`${what} did not answer on ${url} within 20 s: ${log}`); }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, stop, log: () => log };
}

function need(path, what) {
  if (!existsSync(path)) throw new Error(`${what} is missing (${path}); ${INSTALL}`);
}

/** A Firefox profile whose userChrome.css hides the toolbars: without it Firefox keeps its
 *  window at least ~450 px wide, and a phone is narrower. */
function firefoxProfile() {
  const profile = mkdtempSync(join(tmpdir(), "storypoint-firefox-"));
  mkdirSync(join(profile, "chrome"));
  writeFileSync(join(profile, "chrome/userChrome.css"),
    "#navigator-toolbox, #TabsToolbar, #nav-bar, #PersonalToolbar, #titlebar { display: none !important; min-width: 0 !important; }\n" +
    ":root, #main-window, #browser, #tabbrowser-tabbox { min-width: 0 !important; }\n");
  return profile;
}

async function firefoxSession() {
  need(PATHS.firefox, "Firefox ESR");
  need(PATHS.geckodriver, "geckodriver");
  const port = await freePort();
  const server = await startDriver(PATHS.geckodriver, ["--host", "127.0.0.1", "--port", String(port)], port, "geckodriver");
  const options = new firefox.Options()
    .setBinary(PATHS.firefox)
    .addArguments("-headless")
    .setProfile(firefoxProfile())
    .setPreference("toolkit.legacyUserProfileCustomizations.stylesheets", true)
    // A fake microphone (a tone), allowed without asking.
    .setPreference("media.navigator.streams.fake", true)
    .setPreference("media.navigator.permission.disabled", true)
    // Dutch first, as a Dutch teller's phone asks; nothing from the network but our server.
    .setPreference("intl.accept_languages", "nl-NL, nl")
    .setPreference("app.update.enabled", false)
    .setPreference("browser.shell.checkDefaultBrowser", false)
    .setPreference("datareporting.policy.dataSubmissionEnabled", false)
    .setPreference("network.captive-portal-service.enabled", false)
    .setPreference("network.connectivity-service.enabled", false);
  return { server, capabilities: options };
}

async function webkitSession({ width, height }) {
  need(PATHS.webkitDriver, "WebKitWebDriver (webkit2gtk-driver)");
  need(PATHS.miniBrowser, "MiniBrowser (webkit2gtk-driver)");
  need(PATHS.xvfbRun, "xvfb-run (xvfb)");
  const port = await freePort();
  // xvfb-run -a: a free display number; the X server lives as long as the driver.
  const server = await startDriver(PATHS.xvfbRun, ["-a", "-s", `-screen 0 ${width}x${height}x24`, PATHS.webkitDriver, `--port=${port}`, "--host=127.0.0.1"], port, "WebKitWebDriver");
  const capabilities = {
    browserName: "MiniBrowser",
    "webkitgtk:browserOptions": {
      binary: PATHS.miniBrowser,
      args: ["--automation", "--full-screen", "--enable-media-stream=true", "--enable-mock-capture-devices=true"],
    },
  };
  return { server, capabilities };
}

/** A session of `name` ("firefox" or "webkit") with a viewport of `width`×`height`. Returns
 *  `{ name, driver, viewport, stop }`; fails (never skips) when the engine is not installed. */
export async function startEngine(name, { width = 390, height = 844 } = {}) {
  const { server, capabilities } = name === "firefox" ? await firefoxSession() : name === "webkit" ? await webkitSession({ width, height }) : (() => { throw new Error(`no engine ${name}`); })();
  let driver;
  try {
    driver = await within(60_000, new Builder().usingServer(server.url).withCapabilities(capabilities).build(), `a ${name} session`);
    await driver.manage().setTimeouts({ implicit: 0, pageLoad: 30_000, script: 30_000 });
    const viewport = await setViewport(driver, width, height);
    const stop = async () => {
      await within(15_000, driver.quit(), `closing ${name}`).catch(() => {});
      server.stop();
    };
    return { name, driver, viewport, stop };
  } catch (error) {
    await driver?.quit().catch(() => {});
    server.stop();
    throw new Error(`${name} did not start: ${error.message}\n${server.log()}`);
  }
}

/** Sizes the window so that the page's viewport is `width`×`height` CSS px (the window adds
 *  its own frame and toolbars); returns the viewport reached. */
export async function setViewport(driver, width, height) {
  const inner = () => driver.executeScript("return [window.innerWidth, window.innerHeight]");
  let [w, h] = [width, height];
  for (let i = 0; i < 3; i += 1) {
    await driver.manage().window().setRect({ width: w, height: h });
    const [iw, ih] = await inner();
    if (iw === width && ih === height) break;
    w += width - iw;
    h += height - ih;
  }
  const [iw, ih] = await inner();
  return { width: iw, height: ih };
}

// ---- the page, as a person sees it --------------------------------------------------------

/** In-page helpers, put before every script below: the page's text and elements including
 *  open shadow roots (the widget's), whether an element is shown, its accessible words. */
const LIB = `
const roots = () => { const out = [document]; for (let i = 0; i < out.length; i++) for (const e of out[i].querySelectorAll("*")) if (e.shadowRoot) out.push(e.shadowRoot); return out; };
const all = (selector) => roots().flatMap((r) => [...r.querySelectorAll(selector)]);
const shown = (e) => { if (!e || !e.isConnected) return false; const b = e.getBoundingClientRect(); const s = getComputedStyle(e); return b.width > 0 && b.height > 0 && s.visibility !== "hidden"; };
const words = (e) => (e?.textContent ?? "").replace(/\\s+/g, " ").trim();
const matches = (text, name) => name.re ? new RegExp(name.re, name.flags).test(text) : name.exact ? text === name.text : text.toLowerCase().includes(name.text.toLowerCase());
const labelOf = (e) => { const by = e.getAttribute("aria-labelledby"); if (by) return words(e.getRootNode().getElementById(by)); if (e.labels?.length) return words(e.labels[0]); return e.getAttribute("aria-label") ?? ""; };
const deepActive = () => { let a = document.activeElement; while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement; return a; };
const deepText = () => roots().map((r) => (r === document ? document.body : r).innerText ?? [...r.children].map((c) => c.innerText ?? "").join("\\n")).join("\\n");
const find = (role, name) => {
  const pick = {
    radio: () => all("input[type=radio]").filter((i) => matches(words(i.closest("label")), name)).map((i) => i.closest("label")),
    checkbox: () => all("input[type=checkbox]").filter((i) => matches(words(i.closest("label")), name)).map((i) => i.closest("label")),
    button: () => all("button").filter((b) => matches(b.getAttribute("aria-label") ?? words(b), name)),
    textbox: () => all("textarea, input[type=text], input:not([type])").filter((i) => matches(labelOf(i), name)),
    slider: () => all("input[type=range]").filter((i) => matches(labelOf(i), name)),
    heading: () => all("h1, h2, h3").filter((h) => matches(words(h), name)),
    text: () => all("p, span, h1, h2, h3, li, dd, dt, label, legend").filter((e) => matches(words(e), name)),
  }[role];
  if (!pick) throw new Error("no role " + role);
  return pick().filter(shown);
};
`;

const asName = (name, exact) => name instanceof RegExp ? { re: name.source, flags: name.flags } : { text: name, exact: !!exact };

/** Polls `check` (a function of the driver returning a truthy value when done) every 100 ms
 *  for up to `timeout` ms; returns its value, or fails with `what`. */
export async function waitUntil(driver, check, { timeout = 15_000, what = "a condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check(driver);
      if (value) return value;
    } catch (error) { last = error; }
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what}${last ? ` (last error: ${last.message})` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The one shown element with `role` and `name` (text: contained, case-insensitive; a RegExp;
 *  or exact with `{exact: true}`), waiting for it up to `timeout` ms. A radio button or a
 *  checkbox is its label (where a teller taps). */
export async function find(driver, role, name, { exact = false, timeout = 15_000 } = {}) {
  try {
    return await waitUntil(driver, async () => {
      const found = await driver.executeScript(`${LIB} const f = find(arguments[0], arguments[1]); return f.length === 1 ? f[0] : f.length ? "many" : null;`, role, asName(name, exact));
      if (found === "many") throw new Error(`more than one ${role} "${name}"`);
      return found;
    }, { timeout, what: `${role} "${name}"` });
  } catch (error) {
    // What the teller sees instead, to tell why.
    const seen = await pageText(driver).catch(() => "(unreadable)");
    error.message += `\nthe page shows:\n${seen.replace(/\n+/g, "\n").slice(-1500)}`;
    throw error;
  }
}

/** How many shown elements have `role` and `name`, now. */
export async function count(driver, role, name, { exact = false } = {}) {
  return driver.executeScript(`${LIB} return find(arguments[0], arguments[1]).length;`, role, asName(name, exact));
}

/** Waits until the page (shadow roots included) shows `text` (a string or a RegExp). */
export async function waitForText(driver, text, { timeout = 15_000 } = {}) {
  const name = asName(text, false);
  return waitUntil(driver, () => driver.executeScript(`${LIB} return matches(deepText(), arguments[0]);`, name), { timeout, what: `the text "${text}"` });
}

/** Everything the page shows as text, shadow roots included. */
export function pageText(driver) {
  return driver.executeScript(`${LIB} return deepText();`);
}

/** Taps `element`: scrolled to the middle of the screen, once it stands still (a new step
 *  fades in and moves a few pixels; the focus may scroll the page), a pointer press and
 *  release at its centre. Fails when something else is on top there. */
export async function tap(driver, element) {
  const point = await inPage(driver, `
    const e = args[0];
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    let last = null;
    for (let i = 0; i < 40; i++) {
      e.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
      await frame();
      const b = e.getBoundingClientRect();
      const now = [b.left, b.top, b.width, b.height].map(Math.round).join();
      if (now === last) break;
      last = now;
    }
    const b = e.getBoundingClientRect();
    const x = Math.round(b.left + b.width / 2), y = Math.round(b.top + b.height / 2);
    let hit = document.elementFromPoint(x, y);
    while (hit?.shadowRoot) { const inner = hit.shadowRoot.elementFromPoint(x, y); if (!inner || inner === hit) break; hit = inner; }
    return { x, y, connected: e.isConnected, ok: !!hit && (hit === e || e.contains(hit)), hit: hit ? hit.tagName + "." + hit.className : "nothing" };`, element);
  if (!point.connected) throw Object.assign(new Error("the element was detached (stale) before the tap"), { name: "StaleElementReferenceError" });
  if (!point.ok) throw new Error(`tapping at (${point.x}, ${point.y}) would hit ${point.hit}`);
  await driver.actions({ async: true }).move({ x: point.x, y: point.y }).press().release().perform();
}

/** Taps the shown element with `role` and `name`. */
export async function tapOn(driver, role, name, options) {
  // The widget may redraw between finding and tapping (a new step, the recorder's panel):
  // then the element found is gone, and the new one is found again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await tap(driver, await find(driver, role, name, options));
    } catch (error) {
      if (attempt >= 3 || !isStale(error)) throw error;
    }
  }
}

/** The element is no longer in the page (both drivers' words for it). */
export const isStale = (error) => error?.name === "StaleElementReferenceError" || /stale|was not found|not attached|detached/i.test(error?.message ?? "");

/** Taps into the text field labelled `label` and types `text` with the keyboard (after what is
 *  there). */
export async function typeInto(driver, label, text) {
  const field = await find(driver, "textbox", label);
  await tap(driver, field);
  await waitUntil(driver, () => driver.executeScript(`${LIB} return deepActive() === arguments[0];`, field), { timeout: 5000, what: `the focus in "${label}"` });
  await driver.executeScript("const f = arguments[0]; f.setSelectionRange(f.value.length, f.value.length);", field);
  await driver.actions({ async: true }).sendKeys(text).perform();
  return field;
}

/** Presses keys (selenium's `Key` names or text) on whatever has the focus. */
export async function press(driver, ...keys) {
  await driver.actions({ async: true }).sendKeys(...keys).perform();
}

export { Key };

/** The value of a form control. */
export function valueOf(driver, element) {
  return driver.executeScript("return arguments[0].value;", element);
}

/** Whether the radio button or checkbox in `label` is checked. */
export function isChecked(driver, label) {
  return driver.executeScript("return arguments[0].querySelector('input').checked;", label);
}

/** Runs `source` (the body of an async function with `args`) in the page; resolves with what
 *  it returns, or fails with what it throws. */
export async function inPage(driver, source, ...args) {
  const result = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    (async (...args) => { ${source} })(...Array.prototype.slice.call(arguments, 0, -1))
      .then((value) => done({ value }), (error) => done({ error: String(error && (error.stack || error.message) || error) }));`, ...args);
  if (result?.error) throw new Error(`in the page: ${result.error}`);
  return result?.value;
}
