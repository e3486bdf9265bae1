import { initAll } from "../vendor/govuk/govuk-frontend.min.js";
import { initFileSizeLimits } from "./file-size.js";
import { initSessionTimeout } from "./session-timeout.js";

initAll();
initSessionTimeout(document.getElementById("app-timeout-dialog"));
initFileSizeLimits();

// "Print" buttons: print the page (no inline handlers: the CSP forbids them).
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.addEventListener("click", () => window.print());
}
