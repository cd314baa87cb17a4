// Forms whose post cannot be undone ask first, with the accessible dialog (dialog.js): a form
// with data-confirm-title, data-confirm-body, data-confirm-ok and data-confirm-cancel is sent
// only after the person chose the "ok" button. Without script the form posts as is.

import { ask } from "./dialog.js";

for (const form of document.querySelectorAll("form[data-confirm-title]")) {
  let confirmed = false;
  form.addEventListener("submit", async (e) => {
    if (confirmed) return;
    e.preventDefault();
    const submitter = e.submitter;
    const answer = await ask({
      title: form.dataset.confirmTitle,
      body: form.dataset.confirmBody,
      choices: [{ value: "ok", label: form.dataset.confirmOk, danger: true }],
      cancel: form.dataset.confirmCancel,
    });
    if (answer !== "ok") return;
    confirmed = true;
    form.requestSubmit(submitter ?? undefined);
  });
}
