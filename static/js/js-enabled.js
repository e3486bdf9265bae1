// GOV.UK Frontend styles components differently once JavaScript runs; this
// is the usual inline snippet, kept in a file so a Content Security Policy
// can forbid inline scripts.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
