// Regenerates the recorded samples in this folder (not run in CI; see README.md):
// `node crates/storypoint-server/tests/data/audio/make-samples.mjs [name…|--check]` after
// `npm ci`, `cargo xtask browsers` (Chromium, Firefox ESR with geckodriver, WebKitGTK) and
// `apt-get install -y ffmpeg`. With names, only those samples; `--check`, none.
//
// Each browser records 3 s from its fake microphone with MediaRecorder, as the widget does
// (`start(1000)`, the parts joined), on a tiny page of our own served from 127.0.0.1; ffmpeg
// makes the others from a generated tone. It prints what ffprobe says of each file (the
// lengths `tests/recordings.rs` compares with), then decodes each file as the collector keeps
// it (that test writes them with STORYPOINT_STRIPPED_DIR) with ffmpeg: as long, no name left.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "../../../../../tests/browser/harness.mjs";
import { startEngine, inPage } from "../../../../../tests/browser/webdriver.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "../../../../..");
const SECONDS = 3;

const PAGE = `<!doctype html><meta charset="utf-8"><title>record</title><script>
window.record = async (mime, ms) => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const label = stream.getAudioTracks()[0].label;
  const recorder = new MediaRecorder(stream, mime ? { mimeType: mime } : undefined);
  const parts = [];
  recorder.ondataavailable = (e) => { if (e.data.size) parts.push(e.data); };
  const stopped = new Promise((resolve) => { recorder.onstop = resolve; });
  recorder.start(1000);
  await new Promise((resolve) => setTimeout(resolve, ms));
  recorder.stop();
  await stopped;
  for (const track of stream.getTracks()) track.stop();
  const bytes = new Uint8Array(await new Blob(parts).arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { mime: recorder.mimeType, label, parts: parts.length, base64: btoa(text) };
};
</script>`;

/** A mono 16-bit 48 kHz WAV of a swelling 220 Hz tone (Chromium's fake microphone plays it). */
function wav(seconds) {
  const rate = 48000;
  const n = rate * seconds;
  const data = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    data.writeInt16LE(Math.round(12000 * (0.5 + 0.5 * Math.sin(4 * Math.PI * t)) * Math.sin(2 * Math.PI * 220 * t)), i * 2);
  }
  const head = Buffer.alloc(44);
  head.write("RIFF", 0); head.writeUInt32LE(36 + data.length, 4); head.write("WAVE", 8);
  head.write("fmt ", 12); head.writeUInt32LE(16, 16); head.writeUInt16LE(1, 20); head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24); head.writeUInt32LE(rate * 2, 28); head.writeUInt16LE(2, 32); head.writeUInt16LE(16, 34);
  head.write("data", 36); head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

async function serve() {
  const server = createServer((_, response) => response.writeHead(200, { "content-type": "text/html" }).end(PAGE));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

function save(name, recorded) {
  writeFileSync(join(HERE, name), Buffer.from(recorded.base64, "base64"));
  console.log(`${name}: recorded as ${recorded.mime} in ${recorded.parts} parts, microphone "${recorded.label}"`);
}

async function chromium(page) {
  const sound = join(mkdtempSync(join(tmpdir(), "storypoint-samples-")), "tone.wav");
  writeFileSync(sound, wav(10));
  const browser = await launch(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-audio-capture=${sound}`]);
  try {
    const tab = await browser.newPage();
    await tab.goto(page.url);
    save("chromium.webm", await tab.evaluate(([mime, ms]) => window.record(mime, ms), ["audio/webm;codecs=opus", SECONDS * 1000]));
  } finally {
    await browser.close();
  }
}

async function webdriver(engine, page, takes) {
  const { driver, stop } = await startEngine(engine);
  try {
    await driver.get(page.url);
    for (const [name, mime] of takes) save(name, await inPage(driver, "return window.record(args[0], args[1]);", mime, SECONDS * 1000));
  } finally {
    await stop();
  }
}

const ffmpeg = (...args) => execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args], { cwd: HERE, stdio: "inherit" });
/** A 220 Hz tone of `seconds`, 48 kHz mono. */
const tone = (seconds) => ["-f", "lavfi", "-i", `sine=frequency=220:sample_rate=48000:duration=${seconds}`];
// Names a device (and a person) everywhere each container can: the file's title, the
// track's title, an artist; in MP4 `udta` in `moov` and in the track, in WebM Tags, the
// segment's Title and the track's Name, in Ogg the comment header.
const naming = ["-metadata", "title=AirPods van Anna", "-metadata", "artist=Anna de Vries", "-metadata:s:a:0", "title=AirPods van Anna", "-metadata:s:a:0", "handler_name=AirPods van Anna"];
// Opus at its lowest rate (500 bit/s, constant) in its longest frames (120 ms).
const opusLow = ["-c:a", "libopus", "-b:a", "500", "-vbr", "off", "-application", "voip", "-frame_duration", "120"];
// 6 minutes of silence at the lowest rates: over the 5-minute limit in a few KB.
const silence = (seconds, rate) => ["-f", "lavfi", "-i", `anullsrc=r=${rate}:cl=mono`, "-t", String(seconds)];

const SAMPLES = {
  "chromium.webm": (page) => chromium(page),
  "firefox.webm": (page) => webdriver("firefox", page, [["firefox.webm", "audio/webm;codecs=opus"], ["firefox.ogg", ""]]),
  "webkit.mp4": (page) => webdriver("webkit", page, [["webkit.mp4", ""]]),
  "ffmpeg-fragmented.mp4": () => ffmpeg(...tone(2.5), "-c:a", "aac", "-b:a", "64k", "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", "ffmpeg-fragmented.mp4"),
  "ffmpeg-plain.m4a": () => ffmpeg(...tone(3.5), "-c:a", "aac", "-b:a", "64k", "-f", "mp4", "ffmpeg-plain.m4a"),
  "ffmpeg-opus.ogg": () => ffmpeg(...tone(2), "-c:a", "libopus", "-b:a", "32k", "-f", "ogg", "ffmpeg-opus.ogg"),
  "named-device.m4a": () => ffmpeg(...tone(2), "-c:a", "aac", "-b:a", "32k", ...naming, "-f", "mp4", "named-device.m4a"),
  "named-device-fragmented.mp4": () => ffmpeg(...tone(2), "-c:a", "aac", "-b:a", "32k", ...naming, "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", "named-device-fragmented.mp4"),
  "named-device.webm": () => ffmpeg(...tone(2), "-c:a", "libopus", "-b:a", "24k", ...naming, "-f", "webm", "named-device.webm"),
  "named-device.ogg": () => ffmpeg(...tone(2), "-c:a", "libopus", "-b:a", "24k", ...naming, "-f", "ogg", "named-device.ogg"),
  "six-minutes-fragmented.mp4": () => ffmpeg(...silence(360, 8000), "-c:a", "aac", "-b:a", "8k", "-movflags", "empty_moov+default_base_moof", "-frag_duration", "60000000", "-f", "mp4", "six-minutes-fragmented.mp4"),
  "six-minutes.webm": () => ffmpeg(...silence(360, 8000), ...opusLow, "-f", "webm", "six-minutes.webm"),
  "six-minutes.ogg": () => ffmpeg(...silence(360, 8000), ...opusLow, "-f", "ogg", "six-minutes.ogg"),
};

/** What ffprobe says of `path`: its format duration, or where its last packet ends when it
 *  has none (a live WebM), in seconds; its tags; its codec. */
function probe(path) {
  const run = (...args) => JSON.parse(execFileSync("ffprobe", ["-v", "error", "-of", "json", ...args, path], { encoding: "utf8", maxBuffer: 1 << 26 }));
  const info = run("-show_entries", "format=duration,format_name:format_tags:stream=codec_name:stream_tags");
  let seconds = Number(info.format.duration);
  if (!Number.isFinite(seconds)) {
    const { packets } = run("-select_streams", "a:0", "-show_entries", "packet=pts_time,duration_time");
    seconds = Math.max(...packets.map((p) => Number(p.pts_time) + Number(p.duration_time ?? 0)));
  }
  const tags = JSON.stringify([info.format.tags ?? {}, ...info.streams.map((s) => s.tags ?? {})]);
  return { seconds, tags, format: info.format.format_name, codec: info.streams.map((s) => s.codec_name).join(",") };
}

/** Seconds of sound ffmpeg decodes from `path`, and how many errors it reports doing so (the
 *  WebKit recording has some: its last `moof` is written twice, the first copy pointing into
 *  the second). */
function decoded(path) {
  const run = spawnSync("ffmpeg", ["-hide_banner", "-nostats", "-v", "error", "-i", path, "-f", "null", "-", "-progress", "pipe:1"], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`ffmpeg cannot decode ${path}: ${run.stderr}`);
  return { seconds: Number([...run.stdout.matchAll(/out_time_us=(\d+)/g)].at(-1)[1]) / 1e6, errors: run.stderr.split("\n").filter(Boolean).length };
}

// `--check`: none made, only the ffprobe lengths and the check of the blanked copies.
const wanted = process.argv.slice(2);
if (!wanted.includes("--check")) {
  const page = await serve();
  try {
    for (const [name, make] of Object.entries(SAMPLES)) {
      if (wanted.length && !wanted.includes(name)) continue;
      await make(page);
    }
  } finally {
    page.close();
  }
}

// The collector's own blanking, checked here with ffmpeg: `tests/recordings.rs` writes each
// sample as the collector keeps it; each must decode as long as the original and carry no name.
const stripped = mkdtempSync(join(tmpdir(), "storypoint-stripped-"));
execFileSync("cargo", ["test", "-q", "-p", "storypoint-server", "--test", "recordings", "a_stored_recording"], { cwd: ROOT, env: { ...process.env, STORYPOINT_STRIPPED_DIR: stripped }, stdio: "inherit" });
const files = readdirSync(HERE).filter((f) => /\.(webm|ogg|mp4|m4a)$/.test(f)).sort();
for (const name of files) {
  const { seconds, tags, format, codec } = probe(join(HERE, name));
  let kept = "";
  if (existsSync(join(stripped, name))) {
    const before = decoded(join(HERE, name));
    const after = decoded(join(stripped, name));
    const named = /AirPods|Anna|Mock audio/.test(readFileSync(join(stripped, name), "latin1"));
    if (after.seconds !== before.seconds || after.errors > before.errors || named) {
      throw new Error(`${name}: as kept it decodes ${JSON.stringify(after)} (was ${JSON.stringify(before)})${named ? ", and still names someone" : ""}`);
    }
    kept = `; as kept: decodes ${after.seconds.toFixed(3)} s${after.errors ? ` (${after.errors} errors, as before)` : ""}, tags ${probe(join(stripped, name)).tags}`;
  }
  console.log(`${name}: ${statSync(join(HERE, name)).size} bytes, ${format}/${codec}, ffprobe ${seconds.toFixed(4)} s, tags ${tags}${kept}`);
}
