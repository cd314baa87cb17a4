// "Copy" buttons: a button with data-copy="ELEMENT_ID" copies that element's text (an input's value). The button
// starts hidden and is shown only where the clipboard can be written, so without script the
// citation id is simply selectable text. No inline script (CSP).

for (const button of document.querySelectorAll("button[data-copy]")) {
  if (!navigator.clipboard?.writeText) continue;
  const source = document.getElementById(button.dataset.copy);
  if (!source) continue;
  const status = button.parentElement.querySelector(".copy-status");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(("value" in source ? source.value : source.textContent).trim());
      if (status) status.textContent = button.dataset.copied;
    } catch {
      if (status) status.textContent = button.dataset.copyFailed;
    }
  });
}
