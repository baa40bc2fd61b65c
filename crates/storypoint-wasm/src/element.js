// The custom element: the one part that must be JavaScript (a class extending HTMLElement).
// Appended to wasm-bindgen's module by `cargo xtask dist`; everything else is in Rust, but
// for the recorder (`voice.js`), a second module loaded only when a teller speaks.
await __wbg_init();
class StoryPointElement extends HTMLElement {
  async connectedCallback() {
    if (this.on) return;
    this.on = 1;
    // A story spoken in before a reload: find its recording before the widget sends it.
    let kept;
    try { kept = Object.keys(localStorage).find((k) => k.startsWith("storypoint:voice:")); } catch {}
    if (kept) await this.spVoice(kept.slice(17));
    this.sp = new StoryPoint(this);
    const root = this.shadowRoot;
    root.addEventListener("click", (e) => {
      const button = e.target.closest("[data-voice]");
      if (button) this.spVoice(button.parentNode);
    });
    // A story step with a recording kept on this device (a reload): offer it again.
    const offer = () => {
      const box = root.querySelector(".sp-voice:not([data-on])");
      try { if (box && localStorage.getItem("storypoint:voice:" + box.dataset.id)) this.spVoice(box); } catch {}
    };
    new MutationObserver(offer).observe(root, { childList: true, subtree: true });
    offer();
  }
  disconnectedCallback() { if (this.sp) { this.sp.free(); this.sp = null; this.on = 0; } }
  // Loads the recorder once. `where` is the box it shows itself in, or a story's id (then it
  // only finds that story's recording, to send it).
  spVoice(where) {
    this.spV ??= import(new URL("voice.js", import.meta.url));
    return this.spV.then((m) => typeof where == "string" ? m.start(this, null, where) : m.start(this, where, where.dataset.id));
  }
}
if (!customElements.get("story-point")) customElements.define("story-point", StoryPointElement);
