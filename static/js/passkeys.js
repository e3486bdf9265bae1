// Passkeys (WebAuthn): signing in with one, and adding one. A static module, as the Content Security
// Policy forbids inline scripts. The page marks a block with data-app-passkey ("sign-in" or "add"),
// with the URLs of the service's two steps (data-app-begin-url, data-app-complete-url) and the CSRF
// token in a hidden input. The block stays hidden where the browser has no WebAuthn, and the code
// form below it (or the authenticator app) is the way in; an unsupported note shows instead.

function bytesFrom(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64.padEnd(Math.ceil(base64.length / 4) * 4, "=");
  return Uint8Array.from(atob(padded), (character) => character.charCodeAt(0));
}

function base64urlFrom(buffer) {
  let text = "";
  for (const byte of new Uint8Array(buffer)) {
    text += String.fromCharCode(byte);
  }
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function credentialsWithBytes(descriptors) {
  return (descriptors || []).map((descriptor) => ({ ...descriptor, id: bytesFrom(descriptor.id) }));
}

function creationOptions(options) {
  return {
    ...options,
    challenge: bytesFrom(options.challenge),
    user: { ...options.user, id: bytesFrom(options.user.id) },
    excludeCredentials: credentialsWithBytes(options.excludeCredentials),
  };
}

function requestOptions(options) {
  return {
    ...options,
    challenge: bytesFrom(options.challenge),
    allowCredentials: credentialsWithBytes(options.allowCredentials),
  };
}

function credentialAsJson(credential, response) {
  return {
    id: credential.id,
    rawId: base64urlFrom(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: { clientDataJSON: base64urlFrom(credential.response.clientDataJSON), ...response },
  };
}

function createdAsJson(credential) {
  const response = credential.response;
  return credentialAsJson(credential, {
    attestationObject: base64urlFrom(response.attestationObject),
    transports: response.getTransports ? response.getTransports() : [],
  });
}

function assertedAsJson(credential) {
  const response = credential.response;
  return credentialAsJson(credential, {
    authenticatorData: base64urlFrom(response.authenticatorData),
    signature: base64urlFrom(response.signature),
    userHandle: response.userHandle ? base64urlFrom(response.userHandle) : null,
  });
}

async function post(url, token, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
    body: body === undefined ? "" : JSON.stringify(body),
  });
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    // Not JSON: a server error page. Said below as a failure.
  }
  if (!response.ok) {
    throw new Error(answer.detail || "Something went wrong. Try again.");
  }
  return answer;
}

const NOT_USED = {
  "sign-in": "Your passkey was not used. Try again, or enter a code instead.",
  add: "No passkey was added. Try again, or use an authenticator app instead.",
};

function showStatus(block, message) {
  const status = block.querySelector("[data-app-passkey-status]");
  status.replaceChildren();
  const hidden = document.createElement("span");
  hidden.className = "govuk-visually-hidden";
  hidden.textContent = "Error:";
  status.append(hidden, ` ${message}`);
  status.hidden = false;
}

async function ceremony(block) {
  const kind = block.dataset.appPasskey;
  const token = block.querySelector("input[name='csrfmiddlewaretoken']").value;
  const options = await post(block.dataset.appBeginUrl, token);
  let answer;
  try {
    if (kind === "add") {
      answer = createdAsJson(await navigator.credentials.create({ publicKey: creationOptions(options) }));
    } else {
      answer = assertedAsJson(await navigator.credentials.get({ publicKey: requestOptions(options) }));
    }
  } catch (error) {
    if (error.name === "NotAllowedError" || error.name === "AbortError") {
      throw new Error(NOT_USED[kind]);
    }
    if (error.name === "InvalidStateError") {
      throw new Error("This device already holds a passkey for your account.");
    }
    throw error;
  }
  const done = await post(block.dataset.appCompleteUrl, token, answer);
  window.location.assign(done.redirect_url);
}

export function initPasskeys() {
  const supported = typeof window.PublicKeyCredential === "function" && navigator.credentials !== undefined;
  for (const note of document.querySelectorAll("[data-app-passkey-unsupported]")) {
    note.hidden = supported;
  }
  if (!supported) {
    return;
  }
  for (const block of document.querySelectorAll("[data-app-passkey]")) {
    const button = block.querySelector("button");
    block.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
      try {
        await ceremony(block);
      } catch (error) {
        showStatus(block, error.message);
        button.disabled = false;
        button.removeAttribute("aria-disabled");
        button.focus();
      }
    });
  }
}
