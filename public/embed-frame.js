// Inside Genjin's pipeline widget: tells the framing intranet page how tall the widget is,
// whenever that changes (a ResizeObserver on the page's body, whose height follows the board
// and never the viewport, so the height the page gives the frame cannot feed back into it).
// The message goes only to the origins the embed allows (the board's data-origins); to any
// other parent it is never delivered.
(() => {
  "use strict";
  if (window.parent === window) return;
  let last = -1;
  const tell = () => {
    const board = document.querySelector("[data-origins]");
    const origins = board ? board.getAttribute("data-origins").split(" ").filter(Boolean) : [];
    const body = document.body;
    const style = getComputedStyle(body);
    const height = Math.ceil(body.getBoundingClientRect().height + parseFloat(style.marginTop) + parseFloat(style.marginBottom));
    if (height === last || origins.length === 0) return;
    last = height;
    for (const origin of origins) {
      window.parent.postMessage({ type: "genjin:height", height }, origin);
    }
  };
  new ResizeObserver(tell).observe(document.body);
  tell();
})();
