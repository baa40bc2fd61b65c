// The recorder for a spoken story ("inspreken"): a second module that <story-point> loads only
// when a teller chooses to speak, so the text-only widget stays small.
//
// It records with MediaRecorder and puts every second of the recording in IndexedDB while
// recording, so a reload or a crash loses at most a second; a kept recording is offered
// again. Before the story is sent, `ready()` uploads the recording in parts that may be
// repeated and resumed (PUT …/audio?offset=N), completes it with its length and SHA-256, and
// only then does the widget send the story that names it.
const MAX_SECONDS = 300;
const PART_BYTES = 256 * 1024;
const TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
const FLAG = "storypoint:voice:";

const WORDS = {
  nl: {
    pause: "Pauze", resume: "Ga verder", stop: "Klaar met inspreken", again: "Opnieuw beginnen", level: "Geluid",
    recording: "Je spreekt nu in. Je kunt tot 5 minuten praten.", paused: "Gepauzeerd. Druk op Ga verder om verder te praten.",
    kept: (time) => `Je opname (${time}) is bewaard op dit apparaat. Luister hem terug, of begin opnieuw. Een titel typen mag ook.`,
    listen: "Luister je opname terug", full: "De 5 minuten zijn om. Je opname is bewaard.",
    denied: "We mogen je microfoon niet gebruiken. Typ je verhaal hierboven, of geef toestemming voor de microfoon en probeer het opnieuw.",
    none: "We vinden geen microfoon. Typ je verhaal hierboven.",
    unsupported: "Inspreken kan niet in deze browser. Typ je verhaal hierboven.",
  },
  en: {
    pause: "Pause", resume: "Continue", stop: "Done speaking", again: "Start again", level: "Sound",
    recording: "You are recording. You can talk for up to 5 minutes.", paused: "Paused. Press Continue to go on talking.",
    kept: (time) => `Your recording (${time}) is kept on this device. Listen to it, or start again. You can also type a title.`,
    listen: "Listen to your recording", full: "The 5 minutes are up. Your recording is kept.",
    denied: "We may not use your microphone. Type your story above, or allow the microphone and try again.",
    none: "We cannot find a microphone. Type your story above.",
    unsupported: "Recording is not possible in this browser. Type your story above.",
  },
};

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
const savePart = (id, seq, blob) => transaction(["parts"], "readwrite", (p) => p.put({ id, seq, blob }));
const loadParts = (id) => transaction(["parts"], "readonly", (p) => p.getAll(parts(id)));

async function forget(id) {
  await transaction(["parts", "recordings"], "readwrite", (p, r) => { p.delete(parts(id)); r.delete(id); });
  try { localStorage.removeItem(FLAG + id); } catch {}
}

// ---- the element's side ---------------------------------------------------------------

/** Shows the recorder in `box` (or, without a box, only finds a kept recording of story
 *  `id` so it can be sent). Resolves with the kept recording's facts, or null. */
export async function start(host, box, id) {
  const words = WORDS[host.getAttribute("lang") === "en" ? "en" : "nl"];
  let kept = null;
  try { kept = await recording(id); } catch { /* no IndexedDB (private mode): record without keeping */ }
  if (kept || sessions.has(id)) expose(host, id);
  else if (!box) { try { localStorage.removeItem(FLAG + id); } catch {} return null; }
  if (box) {
    box.dataset.on = "";
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

const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

function fail(box, message) {
  const { panel: p, start } = panel(box);
  if (start) start.hidden = false;
  const text = element("p", "sp-error", message);
  text.setAttribute("role", "alert");
  p.append(text);
  // Typing is always possible: back to the story field.
  box.parentNode.querySelector("textarea")?.focus();
}

async function record(host, box, id, words) {
  if (!window.MediaRecorder || !navigator.mediaDevices?.getUserMedia) return fail(box, words.unsupported);
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    return fail(box, ["NotFoundError", "OverconstrainedError", "NotReadableError"].includes(error.name) ? words.none : words.denied);
  }
  const type = TYPES.find((t) => MediaRecorder.isTypeSupported(t));
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  const mime = recorder.mimeType || type || "audio/webm";
  const session = { recorder, stream, seq: 0, seconds: 0, mime, saving: Promise.resolve(), words };
  sessions.set(id, session);
  try { localStorage.setItem(FLAG + id, "1"); } catch {}
  session.saving = saveRecording({ id, mime, seconds: 0 }).catch(() => {});
  // Every second a part, on disk before the next one.
  recorder.ondataavailable = (event) => {
    if (!event.data.size) return;
    const seq = session.seq++;
    session.saving = session.saving.then(() => savePart(id, seq, event.data)).catch(() => {});
  };
  recorder.onstop = () => {
    clearInterval(session.timer);
    stream.getTracks().forEach((t) => t.stop());
    session.audio?.close();
    session.saving = session.saving.then(() => saveRecording({ id, mime, seconds: session.seconds })).catch(() => {});
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
    if (session.time) session.time.textContent = `${clock(session.seconds)} / ${clock(MAX_SECONDS)}`;
    // The length so far, kept with the parts every whole second (for after a reload).
    if (Math.floor(session.seconds) !== session.saved) {
      session.saved = Math.floor(session.seconds);
      session.saving = session.saving.then(() => saveRecording({ id, mime, seconds: session.seconds })).catch(() => {});
    }
    if (session.seconds >= MAX_SECONDS && recorder.state !== "inactive") {
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
  const status = element("p", "sp-status", words.recording);
  status.setAttribute("role", "status");
  const time = element("span", "sp-voice-time", `${clock(session.seconds)} / ${clock(MAX_SECONDS)}`);
  const meter = element("meter");
  meter.min = 0;
  meter.max = 1;
  meter.setAttribute("aria-label", words.level);
  const row = element("div", "sp-voice-row");
  const pause = button(words.pause, () => {
    if (session.recorder.state === "recording") {
      session.recorder.pause();
      pause.textContent = words.resume;
      status.textContent = words.paused;
    } else if (session.recorder.state === "paused") {
      session.recorder.resume();
      pause.textContent = words.pause;
      status.textContent = words.recording;
    }
  });
  if (session.recorder.state === "paused") { pause.textContent = words.resume; status.textContent = words.paused; }
  const stop = button(words.stop, () => session.recorder.state !== "inactive" && session.recorder.stop(), true);
  row.append(time, pause, stop);
  p.append(status, meter, row);
  Object.assign(session, { time, meter });
  stop.focus();
}

async function showKept(host, box, id, words, kept, full) {
  const { panel: p, start } = panel(box);
  if (start) start.hidden = true;
  const text = element("p", "sp-status", (full ? words.full + " " : "") + words.kept(clock(kept.seconds ?? 0)));
  text.setAttribute("role", "status");
  const player = element("audio");
  player.controls = true;
  player.setAttribute("aria-label", words.listen);
  try {
    const blobs = (await loadParts(id)).map((part) => part.blob);
    player.src = URL.createObjectURL(new Blob(blobs, { type: kept.mime }));
  } catch { /* nothing to play back without IndexedDB */ }
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
  p.append(text, player, row);
}

// ---- uploading --------------------------------------------------------------------------

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

function options(method, headers, body) {
  return { method, headers, body, mode: "cors", credentials: "omit", referrerPolicy: "no-referrer", cache: "no-store" };
}

/** Uploads the recording of story `id` (resuming where the collector stopped) and completes
 *  it; resolves with what the story must name: length, SHA-256, type (null when nothing was
 *  recorded). Rejects when the network fails, and the widget tries again later. */
async function upload(host, id) {
  const session = sessions.get(id);
  if (session && session.recorder.state !== "inactive") {
    await new Promise((resolve) => { session.recorder.addEventListener("stop", resolve, { once: true }); session.recorder.stop(); });
  }
  if (session) await session.saving;
  const kept = await recording(id);
  if (!kept) throw new Error("no recording kept for this story");
  const bytes = new Uint8Array(await new Blob((await loadParts(id)).map((p) => p.blob)).arrayBuffer());
  // Nothing was recorded: the story goes without, and the collector asks for the text.
  if (!bytes.length) return null;
  const sha256 = hex(await crypto.subtle.digest("SHA-256", bytes));
  const mime = kept.mime.split(";")[0];
  const base = new URL(host.getAttribute("endpoint") || "/api/v1/stories", location.href).href.replace(/\/$/, "") + `/${id}/audio`;
  const here = await (await fetch(base, options("GET"))).json();
  if (here.complete && here.sha256 === sha256) return { length: bytes.length, sha256, mime };
  let offset = Math.min(here.received ?? 0, bytes.length);
  while (offset < bytes.length) {
    const reply = await fetch(`${base}?offset=${offset}`, options("PUT", { "Content-Type": "application/octet-stream" }, bytes.subarray(offset, offset + PART_BYTES)));
    const body = await reply.json().catch(() => ({}));
    // 409: the collector has another length; go on from there (unless it makes no progress).
    if (!(reply.ok || reply.status === 409) || typeof body.received !== "number" || (reply.status === 409 && body.received === offset)) {
      throw new Error(`upload refused (${reply.status})`);
    }
    offset = body.received;
  }
  const done = await fetch(`${base}/complete`, options("POST", { "Content-Type": "application/json" }, JSON.stringify({ length: bytes.length, sha256, mime })));
  if (!done.ok) throw new Error(`completion refused (${done.status})`);
  return { length: bytes.length, sha256, mime };
}
