// My day follows what happens: when a lead or a task changes anywhere, the page re-reads
// itself from the server — unless the user is filling in one of its forms, when it waits.
// The page works without this script; it only keeps it current.
(() => {
  "use strict";
  let timer = 0;
  const busy = () => {
    const active = document.activeElement;
    return (active && active.form) || document.querySelector("details[open]") !== null;
  };
  const refresh = async () => {
    timer = 0;
    if (document.hidden || busy()) {
      timer = setTimeout(refresh, 2000);
      return;
    }
    try {
      const res = await fetch(location.pathname + location.search.replace(/([?&])done=[^&]*&?/, "$1"), {
        credentials: "same-origin",
        headers: { accept: "text/html" },
      });
      if (!res.ok || !res.headers.get("content-type")?.startsWith("text/html")) return;
      const fresh = new DOMParser().parseFromString(await res.text(), "text/html");
      const main = fresh.querySelector("main");
      if (main && !busy()) {
        document.querySelector("main")?.replaceWith(main);
        document.title = fresh.title;
        document.dispatchEvent(new Event("genjin:changed"));
      }
    } catch (_) {
      // Offline for a moment: the next change tries again.
    }
  };
  const later = (ms) => {
    if (!timer) timer = setTimeout(refresh, ms);
  };
  const events = new EventSource("/rpc/events");
  events.onmessage = () => later(300);
  // Back from a dropped connection (not the first opening) or a hidden tab: catch up.
  let opened = false;
  events.onopen = () => {
    if (opened) later(300);
    opened = true;
  };
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) later(100);
  });
})();
