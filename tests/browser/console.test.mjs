// A new coordinator's whole journey through the console in real Chromium, from an empty
// collector, on a laptop (1366 px) and on a phone (390 px): log in, make a campaign (its
// token is shown once), upload the organisation table as an `.xlsx` with one wrong row, read
// the problem at its line, correct it, upload again, see the preview, import; download the
// flyers PDF (one page per organisation, each page's QR code decodes to that organisation's
// link); a teller tells through one organisation's link and the story shows under that
// organisation on the response page; export the CSV; log out. axe-core on the campaign form,
// the links page with the problem and the response page; on the phone nothing scrolls
// sideways.
//
// The `.xlsx` is made here (a minimal workbook in a hand-written zip: no spreadsheet package
// is installed); the QR codes are read from the PDF's own drawing (the flyers draw every
// module row as vector rectangles in module units) and decoded by the small decoder below:
// this machine has no rasteriser (no pdftoppm) and no JS QR decoder. The decoder reads a
// clean module grid only (format information, unmasking, de-interleaving, the data
// segments); it does no error correction, which a grid taken from the drawing itself does
// not need — `tests/console_links.rs` decodes the same pages with rqrr.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { startServer, launch, phone, logIn, finishAsChild, pageAsMet } from "./harness.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const BASE_URL = "https://vertelpunt.example.nl/vertel";
const ORGANISATIONS = [
  ["Basisschool Kikkerpôl", "school", "0-12", "juf@kikkerpol.example.nl"],
  ["Jeugdhulp Oost", "jeugdhulp", "12-18", "team@oost.example.nl"],
  ["Wijkteam Zuid & Co", "wijkteam", "beide", "wijkteam@zuid.example.nl"],
];

for (const [label, options] of [
  ["a laptop (1366 px)", { viewport: { width: 1366, height: 768 } }],
  ["a phone (390 px)", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
]) {
  test(`a new coordinator's whole journey in the console, on ${label}`, { timeout: 240_000 }, async () => {
    const server = await startServer(); // no links imported: an empty collector
    const dir = mkdtempSync(join(tmpdir(), "storypoint-console-"));
    // bypassCSP for axe only (the console's pages allow their own scripts only).
    const context = await browser.newContext({ ...options, bypassCSP: true });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const narrow = options.viewport.width < 500;
    /** Every page of the console, as a coordinator meets it: axe-core finds nothing serious
     *  or critical; on the phone it does not scroll sideways and every target is ≥ 44 px. */
    const checkPage = (what) => pageAsMet(page, what, { phone: narrow });
    const slug = `noord-${options.viewport.width}-${Date.now().toString(36)}`;
    const name = `Vertelpunt Noord ${options.viewport.width}`;
    try {
      // Log in; the response page of an empty collector.
      await page.goto(`${server.url}/admin/login`);
      await checkPage("the login page");
      await logIn(page, server.url);
      await page.getByText("0 verhalen in totaal").waitFor();
      await checkPage("the response page, empty");

      // A campaign, through the header's "Campagnes".
      await page.getByRole("link", { name: "Campagnes", exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/admin/campagnes");
      await checkPage("the campaigns");
      await page.getByRole("link", { name: "Nieuwe campagne maken" }).click();
      await page.waitForURL((url) => url.pathname === "/admin/campagnes/nieuw");
      await page.getByLabel("Naam", { exact: true }).fill(name);
      await page.getByLabel("Korte naam voor in de link").fill(slug);
      await page.getByLabel("Thema (mag leeg blijven)").fill("Passend onderwijs");
      for (const box of await page.locator("#prompts input[type=checkbox]").all()) await box.uncheck();
      await page.locator("#prompt-geholpen").check();
      await page.locator("#prompt-veilig").check();
      const today = new Date();
      const iso = (date) => date.toISOString().slice(0, 10);
      await page.getByLabel("Eerste dag (mag leeg blijven)").fill(iso(today));
      await page.getByLabel("Laatste dag (mag leeg blijven)").fill(iso(new Date(today.getTime() + 30 * 86_400_000)));
      await page.getByLabel("Webadres van het vertelpunt").fill(BASE_URL);
      await checkPage("the campaign form");
      await page.getByRole("button", { name: "Campagne maken" }).click();
      await page.getByRole("heading", { name: `Campagne gemaakt: ${name}`, level: 1 }).waitFor();
      const token = await page.getByRole("textbox", { name: "Beheercode" }).inputValue();
      assert.ok(token.length >= 20, `the campaign's token is shown once (${token})`);
      await checkPage("the token page");
      await page.getByRole("link", { name: "Verder naar de campagne" }).click();
      await page.getByRole("heading", { name, level: 1 }).waitFor();
      await checkPage("the campaign's page");
      await page.getByRole("banner").getByRole("link", { name: "Campagnes", exact: true }).click();
      await page.getByRole("heading", { name, level: 2 }).waitFor();
      await checkPage("the campaigns with the new one");

      // The organisation table, with one wrong age: the problem at its line, nothing imported.
      await page.goto(`${server.url}/admin/links?campaign=${slug}`);
      await page.getByRole("heading", { name: "Organisaties en links", level: 1 }).waitFor();
      await page.getByText("Er zijn nog geen links.").waitFor();
      const wrong = ORGANISATIONS.map((row, i) => (i === 1 ? [row[0], row[1], "tieners", row[3]] : row));
      const wrongFile = join(dir, "organisaties-fout.xlsx");
      writeFileSync(wrongFile, xlsx([["organisatie", "type", "leeftijd", "contact"], ...wrong]));
      await page.getByLabel("Bestand").setInputFiles(wrongFile);
      await page.getByRole("button", { name: "Bekijk wat er gebeurt" }).click();
      const summary = page.getByRole("alert").filter({ hasText: "Er is 1 probleem in de tabel" });
      await summary.waitFor();
      await summary.getByText("Er is niets geïmporteerd.").waitFor();
      assert.deepEqual(await summary.locator("li a").allTextContents(), ["Regel 3"], `the summary points to line 3: ${await page.locator("ol.problems").textContent()}`);
      assert.equal(
        (await page.locator("ol.problems li").allTextContents()).map((t) => t.trim()).join("\n"),
        "Regel 3: De leeftijd 'tieners' kennen we niet. Kies een van deze woorden: 0-12, 12-18, beide, onbekend.",
      );
      await page.getByText("Er zijn nog geen links.").waitFor();
      assert.equal(await page.getByRole("button", { name: "Importeren" }).count(), 0, "nothing to import yet");
      await checkPage("the links page with the problem");

      // Corrected: the preview, then the import.
      const rightFile = join(dir, "organisaties.xlsx");
      writeFileSync(rightFile, xlsx([["organisatie", "type", "leeftijd", "contact"], ...ORGANISATIONS]));
      await page.getByLabel("Bestand").setInputFiles(rightFile);
      await page.getByRole("button", { name: "Bekijk wat er gebeurt" }).click();
      await page.getByText("De tabel klopt. 3 nieuw, 0 bijgewerkt, 0 ongewijzigd. Er is nog niets geïmporteerd.").waitFor();
      assert.deepEqual(await page.locator("#voorbeeld tbody tr td:nth-child(2)").allTextContents(), ORGANISATIONS.map((row) => row[0]));
      await checkPage("the preview");
      await page.getByRole("button", { name: "Importeren" }).click();
      await page.getByRole("heading", { name: "De tabel is geïmporteerd" }).waitFor();
      await page.getByText("3 nieuwe links, 0 bijgewerkt").waitFor();
      await page.locator("#linktabel caption", { hasText: "3 links" }).waitFor();
      const links = await page.$$eval("#linktabel tbody tr", (rows) => rows.map((row) => ({
        organisation: row.querySelector("td").textContent.trim(),
        contact: row.querySelector("td:nth-child(4)").textContent.trim(),
        url: row.querySelector("td.url a").getAttribute("href"),
        code: row.querySelector("td.code").textContent.trim(),
      })));
      assert.deepEqual(links.map((l) => l.organisation).sort(), ORGANISATIONS.map((row) => row[0]).sort());
      for (const link of links) {
        assert.equal(link.url, `${BASE_URL}?sp=${link.code}`, "the campaign's own web address");
        assert.equal(link.contact, ORGANISATIONS.find((row) => row[0] === link.organisation)[3]);
      }
      await checkPage("the links table");

      // The flyers: one A4 per organisation, each with its name, its link and a QR code of it.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download de flyers (PDF, één A4 per organisatie)" }).click(),
      ]);
      assert.equal(download.suggestedFilename(), `flyers-${slug}.pdf`);
      const pdf = readFileSync(await download.path()).toString("latin1");
      assert.ok(pdf.startsWith("%PDF-"), "a PDF");
      const pages = pdfPages(pdf);
      assert.equal(pages.count, 3, "/Count 3: one page per organisation");
      assert.equal(pages.contents.length, 3);
      const seen = [];
      for (const content of pages.contents) {
        const { lines, grid } = flyerPage(content);
        const link = links.find((l) => lines.includes(l.organisation));
        assert.ok(link, `the page names one of the organisations: ${lines.join(" | ")}`);
        assert.ok(lines.includes(link.url), `the page shows ${link.organisation}'s link`);
        assert.equal(decodeQr(grid), link.url, `the QR code on ${link.organisation}'s page is its link`);
        seen.push(link.organisation);
      }
      assert.deepEqual(seen.sort(), links.map((l) => l.organisation).sort(), "every organisation has its own page");

      // A teller on a phone tells through the school's link (a context of their own: no session).
      const school = links.find((l) => l.organisation === ORGANISATIONS[0][0]);
      const story = `Op ${ORGANISATIONS[0][0]} hielp de juf mij elke ochtend (${options.viewport.width}).`;
      const teller = await phone(browser);
      try {
        await teller.page.goto(`${server.url}/vertel?sp=${school.code}`);
        await teller.page.getByRole("heading", { name, level: 1 }).waitFor();
        await teller.page.waitForFunction(() => document.querySelector("story-point")?.shadowRoot?.querySelectorAll("input[name=prompt]").length === 2);
        await teller.page.getByRole("radio", { name: /Geholpen/ }).check();
        await teller.page.getByRole("button", { name: "Volgende", exact: true }).click();
        await teller.page.getByRole("textbox", { name: "Jouw verhaal" }).fill(story);
        await finishAsChild(teller.page);
        assert.deepEqual(await teller.context.cookies(), [], "a teller gets no cookie");
      } finally {
        await teller.context.close();
      }

      // The response page shows it under the school, for the campaign.
      await page.goto(`${server.url}/admin?campaign=${slug}`);
      await page.getByText("1 verhalen in totaal, waarvan 0 zonder organisatielink. Het vertelpunt is open.").waitFor();
      const rows = await page.$$eval("#per-link tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())));
      assert.equal(rows.length, 3, JSON.stringify(rows));
      assert.deepEqual(rows.at(-1), [school.organisation, school.code, "1"], "the school has the story (organisations without any on top)");
      for (const row of rows.slice(0, 2)) assert.equal(row[2], "0", JSON.stringify(rows));
      await checkPage("the response page with the story");

      // Export: the CSV from the response page has the story.
      const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download voor Excel (CSV)" }).click()]);
      assert.equal(csv.suggestedFilename(), `verhalen-${slug}.csv`);
      const exported = readFileSync(await csv.path(), "utf8");
      assert.ok(exported.includes(story), `the story is in the export:\n${exported}`);
      assert.ok(exported.includes(school.code), "with its link");
      // For the researcher: SPSS with labels and a REFI-QDA project, for the same campaign.
      const [sav] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download voor SPSS (.sav, met labels)" }).click()]);
      assert.equal(sav.suggestedFilename(), `verhalen-${slug}.sav`);
      assert.equal(readFileSync(await sav.path()).subarray(0, 4).toString("latin1"), "$FL2", "an SPSS system file");
      const [qdpx] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /REFI-QDA/ }).click()]);
      assert.equal(qdpx.suggestedFilename(), `verhalen-${slug}.qdpx`);
      assert.equal(readFileSync(await qdpx.path()).subarray(0, 2).toString("latin1"), "PK", "a REFI-QDA project (a zip)");

      // Log out: the header's "Uitloggen", then the button.
      await page.getByRole("banner").getByRole("link", { name: "Uitloggen", exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/admin/logout");
      await checkPage("the logout page");
      await page.getByRole("button", { name: "Uitloggen", exact: true }).click();
      await page.getByText("Je bent uitgelogd.").waitFor();
      await page.goto(`${server.url}/admin`);
      assert.equal(new URL(page.url()).pathname, "/admin/login", "after logging out, /admin is the login page");
      assert.equal(await page.getByText("verhalen in totaal").count(), 0);
      assert.deepEqual(errors, [], "no script errors");
    } finally {
      await context.close();
      server.stop();
    }
  });
}

// ---- A minimal .xlsx: one sheet of inline strings in a zip written by hand. ----

function xlsx(rows) {
  const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const column = (i) => String.fromCharCode(65 + i);
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.map((row, r) =>
    `<row r="${r + 1}">${row.map((cell, c) => `<c r="${column(c)}${r + 1}" t="inlineStr"><is><t>${escape(cell)}</t></is></c>`).join("")}</row>`).join("")}</sheetData></worksheet>`;
  const ns = "http://schemas.openxmlformats.org";
  return zip([
    ["[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`],
    ["_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ["xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="Organisaties" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    ["xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`],
    ["xl/worksheets/sheet1.xml", sheet],
  ]);
}

/** A zip archive of `[name, text]` entries, deflated. */
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text, "utf8");
    const packed = deflateRawSync(data);
    const fileName = Buffer.from(name, "utf8");
    const common = (header) => {
      header.writeUInt16LE(20, 4); // version needed (central: made by)
      return header;
    };
    const local = common(Buffer.alloc(30));
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28);
    const central = common(Buffer.alloc(46));
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6); // version needed
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, packed);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

// ---- The flyers PDF: its pages' content streams (uncompressed), text and QR drawing. ----

/** The page tree's `/Count` and each page's content stream, in the order of `/Kids`. */
function pdfPages(pdf) {
  const objects = new Map();
  for (const [, id, body] of pdf.matchAll(/(\d+) 0 obj\s([\s\S]*?)\sendobj/g)) objects.set(Number(id), body);
  const tree = [...objects.values()].find((body) => /\/Type\s*\/Pages\b/.test(body));
  assert.ok(tree, "a page tree");
  const count = Number(tree.match(/\/Count\s+(\d+)/)[1]);
  const kids = [...tree.match(/\/Kids\s*\[([^\]]*)\]/)[1].matchAll(/(\d+)\s+0\s+R/g)].map((m) => Number(m[1]));
  const contents = kids.map((kid) => {
    const id = Number(objects.get(kid).match(/\/Contents\s+(\d+)\s+0\s+R/)[1]);
    const body = objects.get(id);
    assert.ok(!/\/Filter/.test(body), "the flyers' content streams are not compressed");
    return body.slice(body.indexOf("stream") + "stream".length).replace(/^\r?\n/, "").replace(/\r?\nendstream\s*$/, "");
  });
  return { count, contents };
}

/** A flyer page: its lines of text (`(…) Tj`, WinAnsi read as Latin-1) and its QR code as a
 *  grid of modules, read from the rectangles it is drawn with (module units, the quiet zone
 *  of 4 modules around it; see `flyers_document` in `src/console/links.rs`). */
function flyerPage(content) {
  // A literal string `(…) Tj`, or a hex string `<…> Tj` (pdf-writer writes text with letters
  // outside ASCII, such as the ô of Kikkerpôl, in hex).
  const lines = [...content.matchAll(/(?:\(((?:\\.|[^\\)])*)\)|<([0-9A-Fa-f\s]*)>)\s*Tj/g)].map(([, raw, hex]) =>
    hex !== undefined
      ? String.fromCharCode(...(hex.replace(/\s/g, "").match(/../g) ?? []).map((byte) => parseInt(byte, 16)))
      : raw.replace(/\\([0-7]{1,3}|.)/g, (_, e) => (/^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : ({ n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" })[e] ?? e)));
  const ops = content.split(/\n/).map((line) => line.trim());
  const white = ops.findIndex((op) => /^1 g$/.test(op));
  assert.ok(white >= 0, "a white square behind the QR code");
  const square = ops[white + 1].match(/^0 0 (\d+) (\d+) re$/);
  assert.ok(square && square[1] === square[2], `the QR code's square: ${ops[white + 1]}`);
  const size = Number(square[1]) - 8;
  assert.ok(size >= 21 && size <= 177 && (size - 17) % 4 === 0, `${size} modules is a QR code's width`);
  const grid = Array.from({ length: size }, () => Array(size).fill(false));
  const start = ops.indexOf("0 g", white);
  for (const op of ops.slice(start + 1, ops.indexOf("f", start))) {
    const bar = op.match(/^(\d+) (\d+) (\d+) 1 re$/);
    assert.ok(bar, `a QR bar: ${op}`);
    const [x, y, w] = bar.slice(1).map(Number);
    for (let i = 0; i < w; i++) grid[y - 4][x - 4 + i] = true;
  }
  return { lines, grid };
}

// ---- A QR decoder for a clean module grid (versions 1–10, no error correction). ----

// Data codewords per block, per version, for L, M, Q, H: [size, count, size, count]
// (ISO/IEC 18004 table 9, as the qrcode crate has it).
const BLOCKS = [null,
  [[19, 1, 0, 0], [16, 1, 0, 0], [13, 1, 0, 0], [9, 1, 0, 0]],
  [[34, 1, 0, 0], [28, 1, 0, 0], [22, 1, 0, 0], [16, 1, 0, 0]],
  [[55, 1, 0, 0], [44, 1, 0, 0], [17, 2, 0, 0], [13, 2, 0, 0]],
  [[80, 1, 0, 0], [32, 2, 0, 0], [24, 2, 0, 0], [9, 4, 0, 0]],
  [[108, 1, 0, 0], [43, 2, 0, 0], [15, 2, 16, 2], [11, 2, 12, 2]],
  [[68, 2, 0, 0], [27, 4, 0, 0], [19, 4, 0, 0], [15, 4, 0, 0]],
  [[78, 2, 0, 0], [31, 4, 0, 0], [14, 2, 15, 4], [13, 4, 14, 1]],
  [[97, 2, 0, 0], [38, 2, 39, 2], [18, 4, 19, 2], [14, 4, 15, 2]],
  [[116, 2, 0, 0], [36, 3, 37, 2], [16, 4, 17, 4], [12, 4, 13, 4]],
  [[68, 2, 69, 2], [43, 4, 44, 1], [19, 6, 20, 2], [15, 6, 16, 2]],
];
const ALIGNMENT = [null, [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]];
const MASKS = [
  (i, j) => (i + j) % 2 === 0,
  (i) => i % 2 === 0,
  (i, j) => j % 3 === 0,
  (i, j) => (i + j) % 3 === 0,
  (i, j) => (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
  (i, j) => ((i * j) % 2) + ((i * j) % 3) === 0,
  (i, j) => (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
  (i, j) => (((i + j) % 2) + ((i * j) % 3)) % 2 === 0,
];
const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/** The text of the QR code `grid` (rows of booleans, dark = true). */
function decodeQr(grid) {
  const n = grid.length;
  const version = (n - 17) / 4;
  assert.ok(Number.isInteger(version) && version >= 1 && version <= 10, `version ${version}`);
  // Format information beside the top-left finder (as zxing reads it), against all 32 words.
  let read = 0;
  const copy = (x, y) => { read = (read << 1) | (grid[y][x] ? 1 : 0); };
  for (let x = 0; x < 6; x++) copy(x, 8);
  copy(7, 8); copy(8, 8); copy(8, 7);
  for (let y = 5; y >= 0; y--) copy(8, y);
  const word = (data) => {
    let rest = data << 10;
    for (let bit = 14; bit >= 10; bit--) if (rest & (1 << bit)) rest ^= 0x537 << (bit - 10);
    return ((data << 10) | rest) ^ 0x5412;
  };
  const format = [...Array(32).keys()].find((data) => word(data) === read);
  assert.ok(format !== undefined, `format information ${read.toString(2)}`);
  const level = [1, 0, 3, 2][format >> 3]; // M, L, H, Q → the table's L, M, Q, H
  const mask = MASKS[format & 7];

  // Which modules are not data: finders with separators and format information, timing,
  // alignment patterns, version information.
  const reserved = Array.from({ length: n }, () => Array(n).fill(false));
  const mark = (row, col, height, width) => {
    for (let r = row; r < row + height; r++) for (let c = col; c < col + width; c++) if (r >= 0 && c >= 0 && r < n && c < n) reserved[r][c] = true;
  };
  mark(0, 0, 9, 9); mark(0, n - 8, 9, 8); mark(n - 8, 0, 8, 9);
  mark(6, 0, 1, n); mark(0, 6, n, 1);
  const centres = ALIGNMENT[version];
  const last = centres.length - 1;
  centres.forEach((row, a) => centres.forEach((col, b) => {
    if ((a === 0 && b === 0) || (a === 0 && b === last) || (a === last && b === 0)) return;
    mark(row - 2, col - 2, 5, 5);
  }));
  if (version >= 7) { mark(0, n - 11, 6, 3); mark(n - 11, 0, 3, 6); }

  // The codewords, two columns at a time from the bottom right, zigzagging.
  const codewords = [];
  let byte = 0;
  let bits = 0;
  let up = true;
  for (let j = n - 1; j > 0; j -= 2) {
    if (j === 6) j--;
    for (let count = 0; count < n; count++) {
      const i = up ? n - 1 - count : count;
      for (let col = 0; col < 2; col++) {
        const x = j - col;
        if (reserved[i][x]) continue;
        byte = (byte << 1) | (grid[i][x] !== mask(i, x) ? 1 : 0);
        if (++bits === 8) { codewords.push(byte); byte = 0; bits = 0; }
      }
    }
    up = !up;
  }

  // The data codewords, de-interleaved.
  const [size1, count1, size2, count2] = BLOCKS[version][level];
  const blocks = [...Array(count1).fill(size1), ...Array(count2).fill(size2)].map((size) => ({ size, data: [] }));
  let next = 0;
  for (let k = 0; k < Math.max(size1, size2); k++) for (const block of blocks) if (k < block.size) block.data.push(codewords[next++]);
  const data = blocks.flatMap((block) => block.data);

  // The segments.
  let position = 0;
  const take = (count) => {
    let value = 0;
    for (let i = 0; i < count; i++, position++) value = (value << 1) | ((data[position >> 3] >> (7 - (position & 7))) & 1);
    return value;
  };
  const large = version >= 10 ? 1 : 0;
  let text = "";
  while (position + 4 <= data.length * 8) {
    const mode = take(4);
    if (mode === 0) break;
    if (mode === 4) {
      const length = take(large ? 16 : 8);
      text += Buffer.from(Array.from({ length }, () => take(8))).toString("utf8");
    } else if (mode === 2) {
      let length = take(large ? 11 : 9);
      for (; length >= 2; length -= 2) { const v = take(11); text += ALPHANUMERIC[Math.floor(v / 45)] + ALPHANUMERIC[v % 45]; }
      if (length === 1) text += ALPHANUMERIC[take(6)];
    } else if (mode === 1) {
      let length = take(large ? 12 : 10);
      for (; length >= 3; length -= 3) text += String(take(10)).padStart(3, "0");
      if (length === 2) text += String(take(7)).padStart(2, "0");
      if (length === 1) text += String(take(4));
    } else if (mode === 7) {
      take(8); // an ECI designator (UTF-8 is what follows anyway)
    } else {
      throw new Error(`QR mode ${mode} not read here`);
    }
  }
  return text;
}
