// A coordinator's login and logout in real Chromium, on a laptop (1366×768, keyboard only)
// and on a phone (390×844, taps): /admin sends the login page, a wrong token is said in
// Dutch, the right one starts a session cookie that scripts cannot read, that no other site
// gets and that lasts a working day; "Uitloggen" ends it. A form on another site cannot log
// in or out. (That no teller page sets a cookie is checked in widget.test.mjs: the axe test
// opens /, /vertel, sends a story and finds no cookie before its coordinator logs in.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, axeViolations, logIn, ADMIN_TOKEN } from "./harness.mjs";

let browser;
// The other site's page comes from a route (a public page in Chromium's eyes) and the
// collector is on 127.0.0.1: the local-network checks are off, as in campaign.test.mjs.
before(async () => { browser = await launch(["--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights"]); });
after(async () => { await browser?.close(); });

const WRONG = "Deze beheercode klopt niet";
const path = (page) => new URL(page.url()).pathname;
const isFocused = (locator) => locator.evaluate((element) => element === document.activeElement);

/** Presses Tab until `locator` has the focus (at most `max` times); the focus must be seen. */
async function tabTo(page, locator, max = 12) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await isFocused(locator)) {
      const seen = await locator.evaluate((element) => {
        const style = getComputedStyle(element);
        return element.matches(":focus-visible") && ((style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none");
      });
      assert.ok(seen, `the focus on ${await locator.evaluate((e) => e.outerHTML.slice(0, 80))} can be seen`);
      return;
    }
  }
  assert.fail(`${max} times Tab did not reach ${locator}`);
}

async function noViolations(page, where) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${where}: ${JSON.stringify(violations, null, 1)}`);
}

/** The POST a click or key sends, and the page it leads to. */
async function posting(page, action, act) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === action),
    act(),
  ]);
  await page.waitForLoadState();
  return response;
}

const SIZES = [
  { name: "a laptop, keyboard only", keyboard: true, options: { viewport: { width: 1366, height: 768 } } },
  { name: "a phone, by touch", keyboard: false, options: { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true } },
];

for (const { name, keyboard, options } of SIZES) {
  test(`a coordinator logs in and out on ${name}`, async () => {
    const server = await startServer();
    // axe is injected into the page: this context bypasses the CSP (for axe only).
    const context = await browser.newContext({ bypassCSP: true, ...options });
    const page = await context.newPage();
    const messages = [];
    page.on("pageerror", (error) => messages.push(error.message));
    try {
      const field = page.getByLabel("Beheercode");
      const logInButton = page.getByRole("button", { name: "Inloggen", exact: true });
      // Without a session, /admin sends the login page, which will come back to /admin.
      const opened = await page.goto(`${server.url}/admin`);
      assert.equal((await opened.request().redirectedFrom()?.response())?.status(), 303, "/admin redirects");
      assert.equal(path(page), "/admin/login");
      assert.equal(new URL(page.url()).searchParams.get("terug"), "/admin");
      await page.getByRole("heading", { name: "Inloggen", level: 1 }).waitFor();
      assert.equal(await page.getByText("verhalen in totaal").count(), 0, "no figures");
      assert.deepEqual(await context.cookies(), [], "the login page sets no cookie");
      await noViolations(page, "the login page");
      if (!keyboard) {
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= 390, `no sideways scrolling on a phone (${wide}px)`);
        for (const target of [field, logInButton]) {
          const box = await target.boundingBox();
          assert.ok(box.height >= 44, `${await target.evaluate((e) => e.outerHTML.slice(0, 60))} is ${box.height}px high`);
        }
      }

      // A wrong token: the page again, saying so in Dutch, and still no cookie.
      let wrong;
      if (keyboard) {
        await tabTo(page, field);
        await page.keyboard.type("raden-is-niet-genoeg");
        wrong = await posting(page, "/admin/login", () => page.keyboard.press("Enter"));
      } else {
        await field.tap();
        await field.fill("raden-is-niet-genoeg");
        wrong = await posting(page, "/admin/login", () => logInButton.tap());
      }
      assert.equal(wrong.status(), 401);
      const alert = page.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /Inloggen lukte niet/);
      assert.match(await alert.innerText(), new RegExp(WRONG));
      assert.equal(await field.getAttribute("aria-invalid"), "true");
      assert.equal(await field.inputValue(), "", "the wrong token is not shown again");
      assert.deepEqual(await context.cookies(), [], "no cookie for a wrong token");
      await noViolations(page, "the login page with its error");

      // The right token: back to the page asked for, in a session.
      let right;
      if (keyboard) {
        // The error summary's link leads to the field.
        await tabTo(page, alert.getByRole("link", { name: new RegExp(WRONG) }));
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => document.activeElement?.id === "token");
        await page.keyboard.type(ADMIN_TOKEN);
        right = await posting(page, "/admin/login", () => page.keyboard.press("Enter"));
      } else {
        await field.tap();
        await field.fill(ADMIN_TOKEN);
        right = await posting(page, "/admin/login", () => logInButton.tap());
      }
      assert.equal(right.status(), 303);
      await page.waitForURL(`${server.url}/admin`);
      await page.getByRole("heading", { name: "Vertelpunt: hoeveel verhalen komen er binnen?" }).waitFor();
      await page.getByText("0 verhalen in totaal").waitFor();

      // The session: one cookie, HttpOnly (no script reads it), SameSite=Strict (no other
      // site sends it), for a working day (9 hours).
      const cookies = await context.cookies();
      assert.deepEqual(cookies.map((c) => c.name), ["storypoint_beheer"]);
      const [session] = cookies;
      assert.equal(session.httpOnly, true, "HttpOnly");
      assert.equal(session.sameSite, "Strict", "SameSite=Strict");
      assert.equal(session.path, "/");
      assert.equal(session.secure, false, "plain HTTP here: Secure only behind TLS");
      const hours = (session.expires - Date.now() / 1000) / 3600;
      assert.ok(hours > 8.9 && hours <= 9.01, `the session lasts a working day (${hours.toFixed(2)} h)`);
      assert.ok(!(await page.evaluate(() => document.cookie)).includes("storypoint_beheer"), "not in document.cookie");

      // "Uitloggen" in the header: a page with one button, which ends the session.
      const headerLink = page.getByRole("banner").getByRole("link", { name: "Uitloggen", exact: true });
      if (keyboard) {
        await tabTo(page, headerLink);
        await Promise.all([page.waitForURL(`${server.url}/admin/logout`), page.keyboard.press("Enter")]);
      } else {
        await Promise.all([page.waitForURL(`${server.url}/admin/logout`), headerLink.tap()]);
      }
      await page.getByRole("heading", { name: "Uitloggen", level: 1 }).waitFor();
      const logOutButton = page.getByRole("main").getByRole("button", { name: "Uitloggen", exact: true });
      assert.equal(await page.getByRole("button").count(), 1, "one button");
      assert.ok(await page.locator("form[method=post] input[type=hidden][name=csrf]").getAttribute("value"), "the form carries its token");
      await noViolations(page, "the logout page");
      let out;
      if (keyboard) {
        await tabTo(page, logOutButton);
        out = await posting(page, "/admin/logout", () => page.keyboard.press("Enter"));
      } else {
        out = await posting(page, "/admin/logout", () => logOutButton.tap());
      }
      assert.equal(out.status(), 303);
      await page.waitForURL(`${server.url}/admin/login?uitgelogd=1`);
      await page.getByRole("status").filter({ hasText: "Je bent uitgelogd." }).waitFor();
      assert.deepEqual(await context.cookies(), [], "the cookie is gone");
      await noViolations(page, "the login page after logging out");

      // Afterwards /admin sends the login page again.
      await page.goto(`${server.url}/admin`);
      assert.equal(path(page), "/admin/login");
      assert.equal(await page.getByText("verhalen in totaal").count(), 0);
      assert.deepEqual(messages, [], "no page errors");
    } finally {
      await context.close();
      server.stop();
    }
  });
}

test("the login page comes back to the coordinators' page asked for, and never to another site", async () => {
  const server = await startServer();
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}/admin/inzicht`);
    assert.equal(path(page), "/admin/login");
    assert.equal(new URL(page.url()).searchParams.get("terug"), "/admin/inzicht");
    await page.getByLabel("Beheercode").fill(ADMIN_TOKEN);
    await posting(page, "/admin/login", () => page.getByRole("button", { name: "Inloggen", exact: true }).click());
    assert.equal(path(page), "/admin/inzicht", "back to the insight page");
    await context.clearCookies();
    for (const away of ["https://evil.example/admin", "//evil.example/admin", "/vertel"]) {
      await page.goto(`${server.url}/admin/login?terug=${encodeURIComponent(away)}`);
      await page.getByLabel("Beheercode").fill(ADMIN_TOKEN);
      await posting(page, "/admin/login", () => page.getByRole("button", { name: "Inloggen", exact: true }).click());
      assert.equal(page.url(), `${server.url}/admin`, `terug=${away} goes to /admin`);
      await context.clearCookies();
    }
  } finally {
    await context.close();
    server.stop();
  }
});

/** Another site's page (http://localhost:9, not the collector's 127.0.0.1) with a form that
 *  sends itself to `action` with `fields` as soon as it is opened. Resolves with the
 *  collector's answer. */
async function crossSitePost(context, page, action, fields) {
  const inputs = Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`).join("");
  await context.route("http://localhost:9/**", (route) => route.fulfill({
    contentType: "text/html; charset=utf-8",
    body: `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Win een prijs</title></head>
      <body><form method="post" action="${action}">${inputs}</form>
      <script>document.forms[0].submit();</script></body></html>`,
  }));
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === action && r.request().method() === "POST"),
    page.goto("http://localhost:9/prijs.html"),
  ]);
  await page.waitForLoadState();
  return response;
}

test("a form on another site can neither log a coordinator out nor log a browser in", async () => {
  const server = await startServer();
  const coordinator = await browser.newContext();
  const stranger = await browser.newContext();
  try {
    // A coordinator in a session opens another site's page that posts to /admin/logout.
    const page = await coordinator.newPage();
    await logIn(page, server.url);
    const before = await coordinator.cookies();
    const out = await crossSitePost(coordinator, page, `${server.url}/admin/logout`, { csrf: "geraden" });
    assert.equal(out.status(), 403, "the logout from another site is refused");
    assert.deepEqual(await coordinator.cookies(), before, "the session cookie stays");
    await page.goto(`${server.url}/admin`);
    assert.equal(path(page), "/admin", "the session still works");
    await page.getByText("0 verhalen in totaal").waitFor();

    // Another site's page that posts the right token to /admin/login starts no session.
    const lured = await stranger.newPage();
    const login = await crossSitePost(stranger, lured, `${server.url}/admin/login`, { token: ADMIN_TOKEN, terug: "/admin" });
    assert.equal(login.status(), 403, "the login from another site is refused");
    assert.deepEqual(await stranger.cookies(), [], "no session cookie");
    await lured.goto(`${server.url}/admin`);
    assert.equal(path(lured), "/admin/login", "still not logged in");
  } finally {
    await coordinator.close();
    await stranger.close();
    server.stop();
  }
});
