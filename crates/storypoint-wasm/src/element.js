// The custom element: the one part that must be JavaScript (a class extending HTMLElement).
// Appended to wasm-bindgen's module by `cargo xtask dist`; everything else is in Rust, but
// for the recorder (`voice.js`), a second module loaded only when a teller speaks.
await __wbg_init();
class StoryPointElement extends HTMLElement {
  async connectedCallback() {
    if (this.sp) return;
    // This link's draft may have a recording from before a reload: find it before the
    // widget sends the story (the widget names its drafts' story ids; their format is its own).
    try {
      for (const id of StoryPoint.draft_ids()) if (localStorage["storypoint:voice:" + id]) await this.spVoice(id);
    } catch {}
    if (this.sp) return;
    // The shadow root now, not when the widget has its language file: the listeners below need it.
    this.shadowRoot || this.attachShadow({ mode: "open" });
    this.sp = new StoryPoint(this, new URL("lang/", import.meta.url).href);
    if (this.wired) return;
    this.wired = 1;
    const root = this.shadowRoot;
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
  disconnectedCallback() { if (this.sp) { this.sp.free(); this.sp = null; } }
  // Loads the recorder once. `where` is the box it shows itself in, or a story's id (then it
  // only finds that story's recording, to send it).
  spVoice(where) {
    this.spV ??= import(new URL("voice.js", import.meta.url));
    return this.spV.then((m) => typeof where == "string" ? m.start(this, null, where) : m.start(this, where, where.dataset.id));
  }
}
if (!customElements.get("story-point")) customElements.define("story-point", StoryPointElement);
