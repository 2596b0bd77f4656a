// The print button of a report page: the browser's print dialog, with the page's print styles
// (navigation and forms left out). Without script the printable view's link does the same.
(() => {
  "use strict";
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
})();
