// Forms whose post cannot be undone ask first, with the accessible dialog (dialog.js), and are
// sent only when the person chose the confirming button. Without script the form posts as is.
// A form opts in with data-confirm-title and/or data-confirm (the question; data-confirm-body
// is the same), and names its buttons with data-confirm-ok (or data-confirm-yes) and
// data-confirm-cancel. A form whose server wants proof of the confirmation (erasing an account:
// `confirm=erase`) has a hidden input named "confirm" and data-confirm-value: the input gets that
// value only once the person confirmed.
import { ask } from "./dialog.js";

for (const form of document.querySelectorAll("form[data-confirm], form[data-confirm-title]")) {
  let confirmed = false;
  form.addEventListener("submit", async (e) => {
    if (confirmed) return;
    e.preventDefault();
    const d = form.dataset;
    const answer = await ask({
      title: d.confirmTitle || "",
      body: d.confirmBody || d.confirm || "",
      choices: [{ value: "ok", label: d.confirmOk || d.confirmYes || "OK", danger: true }],
      cancel: d.confirmCancel || "Cancel",
    });
    if (answer !== "ok") return;
    confirmed = true;
    if (d.confirmValue && form.elements.confirm) form.elements.confirm.value = d.confirmValue;
    form.requestSubmit(e.submitter || undefined);
  });
}
