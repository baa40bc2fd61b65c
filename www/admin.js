// The coordinators' dashboard: asks for the admin token once (kept in sessionStorage, no
// cookies), then shows /api/v1/stats as tables with simple bars.
const KEY = "storypoint-admin-token";
const $ = (id) => document.getElementById(id);

function token() { return sessionStorage.getItem(KEY); }

async function api(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token()}` } });
  if (response.status === 401) {
    sessionStorage.removeItem(KEY);
    throw new Error("Deze beheercode klopt niet. Probeer het opnieuw.");
  }
  if (!response.ok) throw new Error(`De server gaf een fout (${response.status}). Probeer het later opnieuw.`);
  return response;
}

function rows(tbody, items, cells) {
  const max = Math.max(1, ...items.map((i) => i.stories));
  tbody.replaceChildren(...items.map((item) => {
    const tr = document.createElement("tr");
    for (const text of cells(item)) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    const td = document.createElement("td");
    const bar = document.createElement("span");
    bar.className = "bar";
    bar.style.width = `${(item.stories / max) * 12}rem`;
    const count = document.createElement("span");
    count.textContent = String(item.stories);
    td.append(bar, count);
    if (item.stories === 0) tr.className = "missing";
    tr.append(td);
    return tr;
  }));
}

// The collector's token sees every campaign: choose one, or all together. A campaign's
// token sees only its own (the list then has one, and no choice is shown).
async function campaigns() {
  const listed = await (await api("/api/v1/campaigns")).json();
  const select = $("campaign");
  select.replaceChildren(new Option("Alle campagnes samen", ""), ...listed.map((c) => new Option(`${c.name ?? c.slug} (${c.stories} verhalen)`, c.slug)));
  $("choose").hidden = listed.length < 2;
}

// Near-identical stories that came in together (same day, link and answers): one person
// may have sent them many times, which would lift a small group past the suppression.
function bursts(found) {
  const day = (iso) => iso.split("-").reverse().map((part) => String(Number(part))).join("-");
  $("bursts").querySelector("ul").replaceChildren(...found.map((b) => {
    const li = document.createElement("li");
    const via = b.organisation ? `via ${b.organisation}` : "zonder organisatielink";
    li.textContent = `Op ${day(b.day)} kwamen ${b.stories} bijna gelijke verhalen binnen ${via}.`;
    return li;
  }));
  $("bursts").hidden = found.length === 0;
}

async function show() {
  const chosen = $("campaign").value;
  const stats = await (await api(`/api/v1/stats${chosen ? `?campaign=${encodeURIComponent(chosen)}` : ""}`)).json();
  if ($("choose").hidden && $("campaign").options.length < 2) await campaigns();
  $("login").hidden = true;
  $("overview").hidden = false;
  const state = stats.campaign ? ` Het vertelpunt is ${stats.campaign.open ? "open" : "gesloten"}.` : "";
  $("summary").textContent = `${stats.total} verhalen in totaal, waarvan ${stats.without_link} zonder organisatielink.${state}`;
  const links = [...stats.per_link].sort((a, b) => a.stories - b.stories);
  rows($("per-link").tBodies[0], links, (l) => [l.organisation, l.code]);
  rows($("per-perspective").tBodies[0], stats.per_perspective, (p) => [p.label]);
  rows($("per-age").tBodies[0], stats.per_age_group, (p) => [p.label]);
  rows($("per-day").tBodies[0], stats.per_day, (d) => [d.day]);
  bursts(stats.bursts ?? []);
}

async function download(path, name) {
  const blob = await (await api(path)).blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  URL.revokeObjectURL(a.href);
}

function fail(error) {
  $("overview").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = error.message;
  $("token").focus();
}

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $("token").value.trim());
  $("login-error").textContent = "";
  show().catch(fail);
});
$("export-csv").addEventListener("click", () => download("/api/v1/export.csv", "verhalen.csv").catch(fail));
$("export-json").addEventListener("click", () => download("/api/v1/export.json", "verhalen.json").catch(fail));
$("campaign").addEventListener("change", () => show().catch(fail));
$("logout").addEventListener("click", () => { sessionStorage.removeItem(KEY); location.reload(); });

if (token()) show().catch(fail); else { $("login").hidden = false; $("token").focus(); }
