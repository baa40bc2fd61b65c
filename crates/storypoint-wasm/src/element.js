// The custom element: the one part that must be JavaScript (a class extending HTMLElement).
// Appended to wasm-bindgen's module by `cargo xtask dist`; everything else is in Rust.
await __wbg_init();
class StoryPointElement extends HTMLElement {
  connectedCallback() { if (!this.sp) this.sp = new StoryPoint(this); }
  disconnectedCallback() { if (this.sp) { this.sp.free(); this.sp = null; } }
}
if (!customElements.get("story-point")) customElements.define("story-point", StoryPointElement);
