// The time-out warning (WCAG 2.2.1), after GOV.UK's pattern: a modal dialog
// opens before the session ends, says how long is left, and offers "Stay
// signed in" (Escape does the same). Keyboard focus moves into the dialog and
// back to where it was; a screen reader hears the dialog when it opens and the
// time left now and then, not every second.
//
// The server decides: the page says how long its session has left
// (templates/includes/session_time_out.html), "Stay signed in" asks the server
// for more (accounts.views.stay_signed_in) and learns how long it now has, and
// other tabs of the service are told, so that one warning does not outlive the
// other's activity. When time runs out the form the person was typing in is
// sent, marked "timed-out", so that the server keeps what was typed for them
// and shows the sign-in page, never acting on the form
// (accounts.kept_typing); a page with nothing typed is loaded again, which
// leads to the sign-in page. Either way nothing personal is left on screen.

const TIMED_OUT_PARAMETER = "timed-out";
// When a screen reader is told the time left (seconds), besides when the dialog opens.
const ANNOUNCE_AT = new Set([60, 30, 15]);
const CHANNEL = "app-session-time-out";

function timeInWords(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

function isPostForm(form) {
  return form instanceof HTMLFormElement && (form.getAttribute("method") || "").toLowerCase() === "post";
}

export function initSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;

  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  const stayForm = dialog.querySelector("[data-app-timeout-stay]");
  const continueButton = dialog.querySelector("[data-app-timeout-continue]");
  const countdowns = dialog.querySelectorAll("[data-app-timeout-countdown]");
  const announcement = dialog.querySelector("[data-app-timeout-announcement]");
  const channel = "BroadcastChannel" in window ? new BroadcastChannel(CHANNEL) : null;

  let idleEnd = 0;
  let absoluteEnd = 0;
  let timer = null;
  let ticking = null;
  let returnFocusTo = null;
  let lastAnnounced = null;
  let typedIn = null;
  // "Continue" on the warning about the absolute limit: it is not shown again.
  let absoluteWarningSeen = false;

  // The form the person last typed in: the one to keep if time runs out.
  document.addEventListener("input", (event) => {
    const form = event.target.form;
    if (isPostForm(form) && !dialog.contains(form)) typedIn = form;
  });

  const end = () => Math.min(idleEnd, absoluteEnd);
  const endsByAbsoluteLimit = () => absoluteEnd <= idleEnd;
  const secondsLeft = () => Math.max(0, Math.ceil((end() - Date.now()) / 1000));

  function setDeadlines(idleSecondsLeft, absoluteSecondsLeft) {
    const now = Date.now();
    idleEnd = now + idleSecondsLeft * 1000;
    absoluteEnd = now + absoluteSecondsLeft * 1000;
  }

  function tellOtherTabs() {
    if (channel) channel.postMessage({ idleEnd, absoluteEnd });
  }

  function schedule() {
    clearTimeout(timer);
    const now = Date.now();
    if (now >= end()) {
      timeOut();
    } else if (now >= end() - warningMs && !(endsByAbsoluteLimit() && absoluteWarningSeen)) {
      open();
    } else if (now >= end() - warningMs) {
      timer = setTimeout(schedule, end() - now);
    } else {
      if (dialog.open) close();
      timer = setTimeout(schedule, end() - warningMs - now);
    }
  }

  function show(which) {
    for (const element of dialog.querySelectorAll("[data-app-timeout-when]")) {
      element.hidden = element.dataset.appTimeoutWhen !== which;
    }
  }

  function update() {
    const seconds = secondsLeft();
    if (seconds <= 0) {
      timeOut();
      return;
    }
    for (const countdown of countdowns) countdown.textContent = timeInWords(seconds);
    if (lastAnnounced === null || (ANNOUNCE_AT.has(seconds) && lastAnnounced !== seconds)) {
      lastAnnounced = seconds;
      announcement.textContent = `We will sign you out in ${timeInWords(seconds)}.`;
    }
  }

  function open() {
    show(endsByAbsoluteLimit() ? "absolute" : "idle");
    if (!dialog.open) {
      returnFocusTo = document.activeElement;
      lastAnnounced = null;
      update();
      dialog.showModal();
      dialog.focus();
    }
    clearInterval(ticking);
    ticking = setInterval(update, 1000);
  }

  function close() {
    clearInterval(ticking);
    dialog.close();
    announcement.textContent = "";
    if (returnFocusTo && returnFocusTo.isConnected && typeof returnFocusTo.focus === "function") {
      returnFocusTo.focus();
    }
    returnFocusTo = null;
  }

  function timeOut() {
    clearTimeout(timer);
    clearInterval(ticking);
    const form = typedIn && typedIn.isConnected ? typedIn : null;
    if (form === null) {
      window.location.reload();
      return;
    }
    // Files are never kept: not sent either.
    for (const input of form.querySelectorAll('input[type="file"]')) input.value = "";
    const action = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    action.searchParams.set(TIMED_OUT_PARAMETER, "");
    form.setAttribute("action", action.href);
    // The prototype's submit: a field named "submit" cannot hide it, and no submit handler runs.
    HTMLFormElement.prototype.submit.call(form);
  }

  async function staySignedIn() {
    try {
      const response = await fetch(stayForm.getAttribute("action"), {
        method: "POST",
        body: new FormData(stayForm),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        // Signed out already, the server answers with a redirect to sign in.
        redirect: "manual",
      });
      if (response.ok) {
        const left = await response.json();
        setDeadlines(left.idle_seconds_left, left.absolute_seconds_left);
        tellOtherTabs();
        close();
        schedule();
        return;
      }
    } catch {
      // The service did not answer: as if signed out.
    }
    timeOut();
  }

  stayForm.addEventListener("submit", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  function continueUntilTheLimit() {
    absoluteWarningSeen = true;
    close();
    schedule();
  }

  continueButton.addEventListener("click", continueUntilTheLimit);
  // Escape: GOV.UK's pattern treats it as "Stay signed in" (or "Continue").
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (endsByAbsoluteLimit()) {
      continueUntilTheLimit();
    } else {
      staySignedIn();
    }
  });
  // Another tab was used, or stayed signed in: this page's session is that one.
  if (channel) {
    channel.addEventListener("message", (event) => {
      idleEnd = event.data.idleEnd;
      absoluteEnd = event.data.absoluteEnd;
      schedule();
    });
  }
  // Timers wait while a computer sleeps and run late in a hidden tab: look again when it is back.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") schedule();
  });

  setDeadlines(Number(dialog.dataset.idleSecondsLeft), Number(dialog.dataset.absoluteSecondsLeft));
  tellOtherTabs();
  schedule();
}
