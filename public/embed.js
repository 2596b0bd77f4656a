// Genjin's pipeline widget on an intranet page: the snippet
//   <script src="https://genjin.example.cn/embed.js" data-key="gje_…" data-lang="zh" async></script>
// mounts an iframe of the team's board right after itself, sized to the board: the widget
// tells its height, and this script takes that message only from Genjin's own origin and from
// the very iframe it made (several widgets may share a page). Optional: data-density="compact"
// for a big screen, data-theme="dark", data-title for the frame's accessible name.
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !script.src || !script.dataset.key) return;
  const genjin = new URL(script.src).origin;
  const query = new URLSearchParams({ key: script.dataset.key, lang: script.dataset.lang === "en" ? "en" : "zh" });
  if (script.dataset.density === "compact") query.set("density", "compact");
  if (script.dataset.theme === "dark") query.set("theme", "dark");
  const frame = document.createElement("iframe");
  frame.src = `${genjin}/embed/pipeline?${query}`;
  frame.title = script.dataset.title || (query.get("lang") === "en" ? "Genjin pipeline" : "Genjin 销售看板");
  frame.loading = "lazy";
  frame.referrerPolicy = "no-referrer";
  frame.setAttribute("sandbox", "allow-scripts allow-same-origin");
  frame.className = "genjin-embed";
  frame.style.cssText = "display:block;width:100%;height:420px;border:0;overflow:hidden";
  script.insertAdjacentElement("afterend", frame);
  window.addEventListener("message", (event) => {
    if (event.origin !== genjin || event.source !== frame.contentWindow) return;
    const data = event.data;
    if (!data || data.type !== "genjin:height" || typeof data.height !== "number" || !Number.isFinite(data.height)) return;
    // Between a line and a tall wall screen: a bad height never collapses or floods the page.
    const height = Math.max(120, Math.min(Math.ceil(data.height), 20000));
    frame.style.height = `${height}px`;
  });
})();
