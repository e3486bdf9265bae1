// A file larger than the service accepts is refused as soon as it is chosen,
// with the message the server gives next to the field (GOV.UK's error
// message), and is never sent: the upload is cleared, so nothing typed
// elsewhere on the form is at risk and no time is spent sending it. The
// server refuses it anyway if it comes (consent/uploads.py). The limit and
// the message come from the form (data-app-max-bytes, data-app-too-large).

function showError(input, message) {
  const group = input.closest(".govuk-form-group");
  let error = document.getElementById(`${input.id}_size_error`);
  if (error === null) {
    error = document.createElement("p");
    error.id = `${input.id}_size_error`;
    error.className = "govuk-error-message";
    // Announced when it appears: the focus is still on the field.
    error.setAttribute("role", "alert");
    input.before(error);
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    input.setAttribute("aria-describedby", [...described, error.id].join(" "));
  }
  error.replaceChildren();
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = "Error:";
  error.append(hidden, ` ${message}`);
  group?.classList.add("govuk-form-group--error");
  input.classList.add("govuk-file-upload--error");
}

function clearError(input) {
  const error = document.getElementById(`${input.id}_size_error`);
  if (error === null) return;
  error.remove();
  const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== error.id);
  input.setAttribute("aria-describedby", described.join(" "));
  // The server's own error for the field, if any, keeps the field marked.
  if (!input.closest(".govuk-form-group")?.querySelector(".govuk-error-message")) {
    input.closest(".govuk-form-group")?.classList.remove("govuk-form-group--error");
    input.classList.remove("govuk-file-upload--error");
  }
}

export function initFileSizeLimits(root = document) {
  for (const input of root.querySelectorAll('input[type="file"][data-app-max-bytes]')) {
    const limit = Number(input.dataset.appMaxBytes);
    input.addEventListener("change", () => {
      const tooLarge = [...input.files].some((file) => file.size > limit);
      if (tooLarge) {
        input.value = "";
        showError(input, input.dataset.appTooLarge);
      } else {
        clearError(input);
      }
    });
  }
}
