import { initAll } from "../vendor/govuk/govuk-frontend.min.js";
import { initFileSizeLimits } from "./file-size.js";
import { initPasskeys } from "./passkeys.js";
import { initSessionTimeout } from "./session-timeout.js";

initAll();
initSessionTimeout(document.getElementById("app-timeout-dialog"));
initFileSizeLimits();
initPasskeys();

// "Print" buttons: print the page (no inline handlers: the CSP forbids them).
for (const button of document.querySelectorAll("[data-app-print]")) {
  button.addEventListener("click", () => window.print());
}

// Parts of a form that apply to some answers only (question 7's checks apply to a decision to share, 3.5.20):
// hidden while another answer is chosen, and with data-app-hidden-until-chosen also while none is (question 4's
// consent record, 3.7.2). Without JavaScript they stay in view, headed as applying only then.
for (const part of document.querySelectorAll("[data-app-shown-for]")) {
  const [name, values] = part.dataset.appShownFor.split(":");
  const wanted = values.split(" ");
  const untilChosen = "appHiddenUntilChosen" in part.dataset;
  const radios = [...document.querySelectorAll(`input[type="radio"][name="${CSS.escape(name)}"]`)];
  const show = () => {
    const chosen = radios.find((radio) => radio.checked);
    part.hidden = chosen === undefined ? untilChosen : !wanted.includes(chosen.value);
  };
  for (const radio of radios) {
    radio.addEventListener("change", show);
  }
  show();
}
