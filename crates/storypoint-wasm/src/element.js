// The custom element: the one part that must be JavaScript (a class extending HTMLElement).
// Appended to wasm-bindgen's module by `cargo xtask dist`, after `SP_CSS` (the stylesheet)
// and `SP_FIRST` (the first step, drawn by the widget itself at build time); everything
// else is in Rust, but for the recorder (`voice.js`), a second module loaded only when a
// teller speaks.
//
// The element is defined at once, not when the wasm is there: it draws the first step
// itself (the teller can choose already; the wasm keeps that choice and the focus when it
// takes over)
// while the wasm streams and compiles and the Dutch words and questionnaire
// (`lang/nl.json`) arrive, all fetched in parallel as this module runs.
const spReady = Promise.all([__wbg_init(), fetch(new URL("lang/nl.json", import.meta.url)).then((r) => r.ok ? r.json() : Promise.reject(r.status))]);
spReady.catch(() => {});
let spSheet;
// Whether the first step is what the widget will show: Dutch, the default questionnaire, and
// no draft on this device (a draft may be at another step).
const spFirst = (el) => {
  if (!SP_FIRST || (el.getAttribute("lang") || "nl") != "nl" || el.getAttribute("questionnaire")) return false;
  try {
    for (let i = 0; i < localStorage.length; i++) if (/^storypoint:(?!voice:)/.test(localStorage.key(i))) return false;
  } catch {}
  return true;
};
class StoryPointElement extends HTMLElement {
  async connectedCallback() {
    if (this.sp || this.spWait) return;
    this.spWait = 1;
    const root = this.shadowRoot || this.attachShadow({ mode: "open" });
    this.spWire(root);
    // The stylesheet parsed and the first step drawn (and laid out) in a task of their own,
    // not in the one that ran this module: two short tasks instead of one long one, so the
    // page answers a tap in between (at CPU ×4 the one task took 80–110 ms).
    await new Promise((go) => setTimeout(go));
    if (!spSheet) (spSheet = new CSSStyleSheet()).replaceSync(SP_CSS);
    root.adoptedStyleSheets = [spSheet];
    if (!root.firstChild && spFirst(this)) root.innerHTML = SP_FIRST;
    let dutch;
    try {
      dutch = (await spReady)[1];
    } catch {
      // No wasm or no words: what the page put inside the element (a link) is shown instead.
      root.innerHTML = "<slot></slot>";
      return;
    }
    // This link's draft may have a recording from before a reload: find it before the
    // widget sends the story (the widget names its drafts' story ids; their format is its own).
    try {
      for (const id of StoryPoint.draft_ids()) if (localStorage["storypoint:voice:" + id]) await this.spVoice(id);
    } catch {}
    // The wasm's instantiation and the widget's start in separate tasks too.
    await new Promise((go) => setTimeout(go));
    this.spWait = 0;
    if (this.sp || !this.isConnected) return;
    this.sp = new StoryPoint(this, new URL("lang/", import.meta.url).href, dutch);
  }
  disconnectedCallback() { if (this.sp) { this.sp.free(); this.sp = null; } }
  spWire(root) {
    if (this.wired) return;
    this.wired = 1;
    // Until the wasm takes over, a drawn step's form must not be sent by the browser.
    root.addEventListener("submit", (e) => e.preventDefault());
    root.addEventListener("click", (e) => {
      const button = e.target.closest("[data-voice]");
      // Asked by the teller (a recording starts), not offered after a reload (it must be whole).
      if (button) { button.parentNode.spAsked = 1; this.spVoice(button.parentNode); }
    });
    // A story step with a recording kept on this device: offer it again.
    const offer = () => {
      const box = root.querySelector(".sp-voice:not([data-on])");
      try { if (box && localStorage.getItem("storypoint:voice:" + box.dataset.id)) this.spVoice(box); } catch {}
    };
    new MutationObserver(offer).observe(root, { childList: true, subtree: true });
    offer();
  }
  // Loads the recorder once. `where` is the box it shows itself in, or a story's id (then it
  // only finds that story's recording, to send it).
  spVoice(where) {
    this.spV ??= import(new URL("voice.js", import.meta.url));
    return this.spV.then((m) => typeof where == "string" ? m.start(this, null, where) : m.start(this, where, where.dataset.id));
  }
}
if (!customElements.get("story-point")) customElements.define("story-point", StoryPointElement);
