// The reminders, on every page: the top bar's badge and the tab's title count the tasks
// come due, and when one comes due while a page is open a notice names it. The server
// renders the count with each page; this keeps it current (at the moment the next task
// comes due, every minute, and when the tab comes back) and works the same in the app's
// pages and the server's.
(() => {
  "use strict";
  const badge = () => document.querySelector(".topbar .due-badge");
  if (!badge()) return; // nobody signed in: nothing to remind
  const lang = () => ((document.querySelector("main") || document.documentElement).lang || "").startsWith("en") ? "en" : "zh";
  let due = Number(badge().textContent) || 0;
  let checkedAt = Date.now();
  let timer = 0;
  const titled = () => {
    const bare = document.title.replace(/^\(\d+\) /, "");
    const want = due > 0 ? `(${due}) ${bare}` : bare;
    if (document.title !== want) document.title = want;
  };
  const show = () => {
    const b = badge();
    if (b) {
      b.textContent = due > 0 ? String(due) : "";
      b.hidden = due === 0;
    }
    titled();
  };
  const notify = (text) => {
    document.querySelector(".reminder-toast")?.remove();
    const box = document.createElement("div");
    box.className = "reminder-toast";
    box.setAttribute("role", "status");
    const link = document.createElement("a");
    link.href = "/today";
    link.rel = "external"; // a page of the server's: the app's router lets it load whole
    link.textContent = (lang() === "en" ? "Due now: " : "待办到期：") + text;
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", lang() === "en" ? "Dismiss" : "关闭");
    close.addEventListener("click", () => box.remove());
    box.append(link, close);
    document.body.append(box);
  };
  const later = (ms) => {
    clearTimeout(timer);
    timer = setTimeout(check, Math.min(Math.max(ms, 1000), 60000));
  };
  const check = async () => {
    if (document.hidden) return; // checked again when the tab comes back
    const since = checkedAt;
    try {
      const res = await fetch(`/api/v1/reminders?lang=${lang()}`, {
        credentials: "same-origin",
        headers: { accept: "application/json" },
      });
      if (res.status === 401) return; // signed out
      if (res.ok) {
        const r = await res.json();
        checkedAt = Date.now();
        due = r.due;
        show();
        // A task that came due since the last look is announced once, in one tab.
        const t = r.latest;
        if (t && r.text) {
          const at = Math.min(Date.parse(t.due_at), t.remind_at ? Date.parse(t.remind_at) : Infinity);
          if (at > since && localStorage.getItem("genjin.reminded") !== t.id) {
            localStorage.setItem("genjin.reminded", t.id);
            notify(r.text);
          }
        }
        later(r.next_at ? Date.parse(r.next_at) - Date.now() + 500 : 60000);
        return;
      }
    } catch (_) {
      // Offline for a moment: try again shortly.
    }
    later(60000);
  };
  // The app's pages set their own titles as the user moves between them.
  new MutationObserver(titled).observe(document.head, { subtree: true, childList: true, characterData: true });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) later(0);
  });
  // My day re-reads itself after a change: the count may have moved too.
  document.addEventListener("genjin:changed", () => later(0));
  show();
  later(0);
})();
