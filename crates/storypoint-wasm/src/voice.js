// The recorder for a spoken story ("inspreken"): a second module that <story-point> loads only
// when a teller chooses to speak, so the text-only widget stays small.
//
// It records with MediaRecorder and puts every second of the recording in IndexedDB while
// recording, so a reload or a crash loses at most a second; a kept recording is offered
// again, but only when all its parts are really there. Parts are kept as ArrayBuffers: WebKit
// cannot put a Blob into IndexedDB in its private or ephemeral storage (Safari's Private
// Browsing), and a failed save is told to the teller, not hidden. Before the story is sent, `ready()` uploads the recording in parts that may be
// repeated and resumed (PUT …/audio?offset=N), completes it with its length and SHA-256, and
// only then does the widget send the story that names it.
const PART_BYTES = 256 * 1024;
const TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
const FLAG = "storypoint:voice:";

// The recorder's words in Dutch (also `voice` in translations/nl.json, the source the other
// languages translate; a core test keeps both equal). Another language's come from its file
// `lang/{code}.json` beside the bundle, the one the widget itself shows.
const DUTCH = {
  pause: "Pauze", resume: "Ga verder", stop: "Klaar met inspreken", again: "Opnieuw beginnen", level: "Geluid",
  recording: "Je spreekt nu in. Je kunt tot 5 minuten praten.", paused: "Gepauzeerd. Druk op Ga verder om verder te praten.",
  kept: "Je opname ({time}) is bewaard op dit apparaat. Luister hem terug, of begin opnieuw. Een titel typen mag ook.",
  not_kept: "Je opname ({time}) kon niet op dit apparaat worden bewaard. Verstuur je verhaal voordat je de pagina sluit, of typ het.",
  listen: "Luister je opname terug", full: "De 5 minuten zijn om. Je opname is bewaard.",
  denied: "We mogen je microfoon niet gebruiken. Typ je verhaal hierboven, of geef toestemming voor de microfoon en probeer het opnieuw.",
  refused: "Je opname kon niet mee: hij is te lang of te groot voor dit vertelpunt. Typ je verhaal, of spreek een kortere opname in.",
  none: "We vinden geen microfoon. Typ je verhaal hierboven.",
  unsupported: "Inspreken kan niet in deze browser. Typ je verhaal hierboven.",
};

/** The recorder's words in the language the widget speaks (its root's `lang`), Dutch for
 *  any word (or a whole file) that is missing. */
async function wordsFor(host) {
  const lang = host.shadowRoot?.querySelector(".sp")?.getAttribute("lang") ?? "nl";
  if (lang === "nl") return DUTCH;
  try {
    const reply = await fetch(new URL(`lang/${lang}.json`, import.meta.url), { credentials: "omit", referrerPolicy: "no-referrer" });
    return { ...DUTCH, ...(await reply.json()).voice };
  } catch {
    return DUTCH;
  }
}

const STYLE = `.sp-voice-panel{display:grid;gap:.6em;margin-top:.6em;padding:.8em;border:2px solid var(--_border);border-radius:var(--_radius);background:var(--_surface)}
.sp-voice-row{display:flex;flex-wrap:wrap;gap:.5em;align-items:center}.sp-voice-time{font-variant-numeric:tabular-nums;font-weight:600}
.sp-voice meter{width:100%;height:1.2em}.sp-voice audio{width:100%}`;

/** Recordings in progress, by story id. */
const sessions = new Map();

// ---- IndexedDB --------------------------------------------------------------------------

let opened;
function database() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open("storypoint-voice", 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("parts", { keyPath: ["id", "seq"] });
      request.result.createObjectStore("recordings", { keyPath: "id" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

/** Runs `work(stores…)` in one transaction; resolves with its result when committed. */
async function transaction(names, mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    let result;
    const request = work(...names.map((n) => tx.objectStore(n)));
    if (request) request.onsuccess = () => { result = request.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
}

const parts = (id) => IDBKeyRange.bound([id, 0], [id, Infinity]);
const recording = (id) => transaction(["recordings"], "readonly", (r) => r.get(id));
const saveRecording = (value) => transaction(["recordings"], "readwrite", (r) => r.put(value));
const savePart = (id, seq, bytes) => transaction(["parts"], "readwrite", (p) => p.put({ id, seq, bytes }));
const loadParts = (id) => transaction(["parts"], "readonly", (p) => p.getAll(parts(id)));

/** The recording's parts in order: those in memory while this page recorded it (always
 *  whole), else those kept in IndexedDB (after a reload; `blob` from before parts were bytes). */
async function blobs(id) {
  const memory = sessions.get(id)?.memory;
  if (memory?.length) return memory;
  return (await loadParts(id).catch(() => [])).map((part) => part.bytes ?? part.blob);
}

/** The kept recording of story `id` if every part it names is really on this device; else
 *  null, and what is left of it goes (it would play as an error and send nothing). */
async function whole(id) {
  const kept = await recording(id);
  if (!kept) return null;
  const stored = await loadParts(id).catch(() => []);
  if (stored.length && stored.length >= (kept.parts ?? 1)) return kept;
  await forget(id).catch(() => {});
  return null;
}

async function forget(id) {
  await transaction(["parts", "recordings"], "readwrite", (p, r) => { p.delete(parts(id)); r.delete(id); });
  try { localStorage.removeItem(FLAG + id); } catch {}
}

// ---- the element's side ---------------------------------------------------------------

/** Shows the recorder in `box` (or, without a box, only finds a kept recording of story
 *  `id` so it can be sent). Resolves with the kept recording's facts, or null. */
export async function start(host, box, id) {
  const words = await wordsFor(host);
  // One recorder per box: a double tap, or the button and a kept recording at once.
  if (box) {
    if (box.spBusy) return null;
    box.spBusy = true;
    box.dataset.on = "";
  }
  let kept = null;
  try { kept = sessions.has(id) ? await recording(id) : await whole(id); } catch { /* no IndexedDB (private mode): record without keeping */ }
  if (kept || sessions.has(id)) expose(host, id);
  else if (!box || !box.spAsked) {
    // Offered after a reload, but not (all) there: the speak button, as before recording.
    try { localStorage.removeItem(FLAG + id); } catch {}
    if (box) { box.spBusy = false; delete box.dataset.on; }
    return null;
  }
  if (box) {
    adoptStyle(host.shadowRoot);
    if (sessions.get(id)?.recorder.state === "recording" || sessions.get(id)?.recorder.state === "paused") showRecording(host, box, id, words);
    else if (kept) showKept(host, box, id, words, kept);
    else record(host, box, id, words);
  }
  return kept;
}

function adoptStyle(root) {
  if (root.spVoiceStyle) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(STYLE);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  root.spVoiceStyle = true;
}

/** What the widget sees: a recording exists; `ready()` uploads it, `done()` forgets it. */
function expose(host, id) {
  host.spAudio = {
    ready: () => upload(host, id),
    done: () => { delete host.spAudio; sessions.delete(id); return forget(id); },
  };
}

// ---- recording --------------------------------------------------------------------------

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

function button(text, onClick, primary) {
  const b = element("button", primary ? "sp-button sp-primary" : "sp-button sp-secondary", text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

/** The panel under the story field (the widget's own "speak" button hides meanwhile). */
function panel(box) {
  box.querySelector(".sp-voice-panel")?.remove();
  const start = box.querySelector("[data-voice]");
  const p = element("div", "sp-voice-panel");
  box.append(p);
  return { panel: p, start };
}

/** A status line that screen readers announce: added empty, then filled. */
function status(parent, text) {
  const line = element("p", "sp-status");
  line.setAttribute("role", "status");
  line.tabIndex = -1;
  parent.append(line);
  setTimeout(() => { line.textContent = text; }, 50);
  return line;
}

const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

function fail(box, message) {
  const { panel: p, start } = panel(box);
  box.spBusy = false;
  if (start) start.hidden = false;
  const text = element("p", "sp-error", message);
  text.setAttribute("role", "alert");
  p.append(text);
  // Typing is always possible: back to the story field.
  box.parentNode.querySelector("textarea")?.focus();
}

async function record(host, box, id, words) {
  if (sessions.get(id)?.recorder.state === "recording") return showRecording(host, box, id, words);
  if (!window.MediaRecorder || !navigator.mediaDevices?.getUserMedia) return fail(box, words.unsupported);
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    return fail(box, ["NotFoundError", "OverconstrainedError", "NotReadableError"].includes(error.name) ? words.none : words.denied);
  }
  // The collector's limit (5 minutes unless it says otherwise).
  let maxSeconds = 300;
  try {
    maxSeconds = (await (await fetch(audioUrl(host, id), options("GET"))).json()).max_seconds || maxSeconds;
  } catch { /* offline now: the default, and the collector checks again */ }
  const type = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  const mime = recorder.mimeType || type || "audio/webm";
  const session = { recorder, stream, seq: 0, seconds: 0, maxSeconds, mime, memory: [], saving: Promise.resolve(), words };
  sessions.set(id, session);
  try { localStorage.setItem(FLAG + id, "1"); } catch {}
  // A save that fails is remembered: the teller is told the recording is not kept.
  const keep = (work) => { session.saving = session.saving.then(work).catch(() => { session.unsaved = true; }); };
  const facts = () => ({ id, mime, seconds: session.seconds, parts: session.seq });
  keep(() => saveRecording(facts()));
  // Every second a part, on disk before the next one.
  recorder.ondataavailable = (event) => {
    if (!event.data.size) return;
    const seq = session.seq++;
    session.memory.push(event.data);
    keep(async () => savePart(id, seq, await event.data.arrayBuffer()));
  };
  recorder.onstop = () => {
    clearInterval(session.timer);
    stream.getTracks().forEach((t) => t.stop());
    session.audio?.close();
    keep(() => saveRecording(facts()));
    session.saving.then(async () => {
      const kept = await recording(id).catch(() => null);
      if (session.box?.isConnected) showKept(host, session.box, id, words, kept ?? { id, mime, seconds: session.seconds }, session.full);
    });
  };
  // The level meter: how loud, five times a second; the timer counts only while recording.
  try {
    session.audio = new AudioContext();
    session.analyser = session.audio.createAnalyser();
    session.audio.createMediaStreamSource(stream).connect(session.analyser);
  } catch { /* no meter, still a recording */ }
  const samples = new Uint8Array(2048);
  let last = performance.now();
  session.timer = setInterval(() => {
    const now = performance.now();
    if (recorder.state === "recording") session.seconds += (now - last) / 1000;
    last = now;
    if (session.analyser && session.meter) {
      session.analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const s of samples) peak = Math.max(peak, Math.abs(s - 128));
      session.meter.value = Math.min(1, peak / 64);
    }
    if (session.time) session.time.textContent = `${clock(session.seconds)} / ${clock(maxSeconds)}`;
    // The length so far, kept with the parts every whole second (for after a reload).
    if (Math.floor(session.seconds) !== session.saved) {
      session.saved = Math.floor(session.seconds);
      keep(() => saveRecording(facts()));
    }
    if (session.seconds >= maxSeconds && recorder.state !== "inactive") {
      session.full = true;
      recorder.stop();
    }
  }, 200);
  recorder.start(1000);
  expose(host, id);
  showRecording(host, box, id, words);
}

function showRecording(host, box, id, words) {
  const session = sessions.get(id);
  session.box = box;
  const { panel: p, start } = panel(box);
  if (start) start.hidden = true;
  const time = element("span", "sp-voice-time", `${clock(session.seconds)} / ${clock(session.maxSeconds)}`);
  const meter = element("meter");
  meter.min = 0;
  meter.max = 1;
  meter.setAttribute("aria-label", words.level);
  const row = element("div", "sp-voice-row");
  let line;
  const pause = button(words.pause, () => {
    if (session.recorder.state === "recording") {
      session.recorder.pause();
      pause.textContent = words.resume;
      line.textContent = words.paused;
    } else if (session.recorder.state === "paused") {
      session.recorder.resume();
      pause.textContent = words.pause;
      line.textContent = words.recording;
    }
  });
  const paused = session.recorder.state === "paused";
  if (paused) pause.textContent = words.resume;
  const stop = button(words.stop, () => session.recorder.state !== "inactive" && session.recorder.stop(), true);
  line = status(p, paused ? words.paused : words.recording);
  row.append(time, pause, stop);
  p.append(meter, row);
  Object.assign(session, { time, meter });
  stop.focus();
}

async function showKept(host, box, id, words, kept, full) {
  const { panel: p, start } = panel(box);
  if (start) start.hidden = true;
  box.spBusy = true;
  const unsaved = sessions.get(id)?.unsaved;
  const said = (unsaved ? words.not_kept : (full ? words.full + " " : "") + words.kept).replace("{time}", clock(kept.seconds ?? 0));
  const text = status(p, said);
  const player = element("audio");
  player.controls = true;
  player.setAttribute("aria-label", words.listen);
  player.src = URL.createObjectURL(new Blob(await blobs(id), { type: kept.mime }));
  const again = button(words.again, async () => {
    const session = sessions.get(id);
    if (session && session.recorder.state !== "inactive") session.recorder.stop();
    sessions.delete(id);
    delete host.spAudio;
    await forget(id).catch(() => {});
    record(host, box, id, words);
  });
  const row = element("div", "sp-voice-row");
  row.append(again);
  p.append(player, row);
  // The button that had the focus is gone: the focus goes to what it became.
  const focused = box.getRootNode().activeElement;
  if (!focused || !focused.isConnected || box.contains(focused)) text.focus();
}

// ---- uploading --------------------------------------------------------------------------

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

function options(method, headers, body) {
  return { method, headers, body, mode: "cors", credentials: "omit", referrerPolicy: "no-referrer", cache: "no-store" };
}

/** The recording's address at the collector, next to the story endpoint. */
function audioUrl(host, id) {
  return new URL(host.getAttribute("endpoint") || "/api/v1/stories", location.href).href.replace(/\/$/, "") + `/${id}/audio`;
}

/** Uploads the recording of story `id` (resuming where the collector stopped) and completes
 *  it; resolves with what the story must name: length, SHA-256, type. Resolves null when
 *  there is nothing to send with the story (nothing recorded, or a recording the collector
 *  will never take: then the teller is told, and types or records a shorter one). Rejects
 *  when the network or the collector fails for now, and the widget tries again later. */
async function upload(host, id) {
  const session = sessions.get(id);
  if (session && session.recorder.state !== "inactive") {
    await new Promise((resolve) => { session.recorder.addEventListener("stop", resolve, { once: true }); session.recorder.stop(); });
  }
  if (session) await session.saving;
  const kept = (await recording(id).catch(() => null)) ?? (session && { mime: session.mime });
  const bytes = new Uint8Array(await new Blob(await blobs(id)).arrayBuffer());
  if (!kept || !bytes.length) return null;
  const sha256 = hex(await crypto.subtle.digest("SHA-256", bytes));
  const mime = kept.mime.split(";")[0];
  const base = audioUrl(host, id);
  const reference = { length: bytes.length, sha256, mime };
  const refused = async () => {
    const box = host.shadowRoot.querySelector(`.sp-voice[data-id="${id}"]`);
    if (box) fail(box, session?.words.refused ?? DUTCH.refused);
    delete host.spAudio;
    sessions.delete(id);
    await forget(id).catch(() => {});
    return null;
  };
  const here = await (await fetch(base, options("GET"))).json();
  if (here.complete && here.sha256 === sha256) return reference;
  // What the collector has is another recording (the teller started over): it goes.
  let startedOver = false;
  const startOver = async () => {
    if (startedOver) throw new Error("the collector keeps another recording");
    startedOver = true;
    const gone = await fetch(base, options("DELETE"));
    if (!gone.ok) throw new Error(`could not start over (${gone.status})`);
    return 0;
  };
  let offset = here.complete ? await startOver() : Math.min(here.received ?? 0, bytes.length);
  for (;;) {
    while (offset < bytes.length) {
      const reply = await fetch(`${base}?offset=${offset}`, options("PUT", { "Content-Type": "application/octet-stream" }, bytes.subarray(offset, offset + PART_BYTES)));
      const body = await reply.json().catch(() => ({}));
      if (reply.status === 413) return refused();
      if (reply.status === 410) return null; // closed: the story itself hears so
      if (reply.ok || (reply.status === 409 && body.code === "gap")) offset = body.received;
      else if (reply.status === 409) offset = await startOver();
      else throw new Error(`upload failed for now (${reply.status})`);
      if (typeof offset !== "number") throw new Error("the collector did not say how much it has");
    }
    const done = await fetch(`${base}/complete`, options("POST", { "Content-Type": "application/json" }, JSON.stringify(reference)));
    if (done.status === 413 || done.status === 415) return refused();
    // The collector's copy is not this recording (more bytes from an older one): again.
    if (done.status === 409) { offset = await startOver(); continue; }
    if (!done.ok) throw new Error(`completion failed for now (${done.status})`);
    break;
  }
  return reference;
}
