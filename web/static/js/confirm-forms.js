// Forms marked data-confirm="<question>" ask first (an accessible <dialog>, dialog.js) and are
// sent only when the person confirms. Without scripts the form is sent directly.
import { ask } from "./dialog.js";

for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", async (e) => {
    if (form.dataset.confirmed === "yes") return;
    e.preventDefault();
    const answer = await ask({
      title: form.dataset.confirmTitle || "",
      body: form.dataset.confirm,
      choices: [{ value: "yes", label: form.dataset.confirmYes || "OK", danger: true }],
      cancel: form.dataset.confirmCancel || "Cancel",
    });
    if (answer === "yes") {
      form.dataset.confirmed = "yes";
      form.requestSubmit(e.submitter || undefined);
    }
  });
}
