// The admin page: erasing an account asks first, in an accessible dialog (dialog.js); only a
// confirmed form is sent, with confirm=erase (the server refuses it without).

import { ask } from "./dialog.js";

for (const form of document.querySelectorAll("form.erase-form")) {
  form.addEventListener("submit", async (e) => {
    if (form.elements.confirm.value === "erase") return;
    e.preventDefault();
    const answer = await ask({
      title: form.dataset.confirmTitle,
      body: form.dataset.confirmBody,
      choices: [{ value: "erase", label: form.dataset.confirmOk, danger: true }],
      cancel: form.dataset.confirmCancel,
    });
    if (answer !== "erase") return;
    form.elements.confirm.value = "erase";
    form.submit();
  });
}
