// An accessible question before something that cannot be undone: a modal <dialog> (the browser
// keeps focus inside it and closes it on Escape), labelled by its title and described by its
// text, with focus on the safe choice first and back on the button that opened it afterwards.
// Never window.confirm: that cannot be styled, translated or tested, and some browsers block it.

/**
 * Asks `title` / `body` with the given choices ([{value, label, danger}]) and a cancel button.
 * Resolves with the chosen value, or null when cancelled (button, Escape).
 */
export function ask({ title, body, choices, cancel }) {
  const opener = document.activeElement;
  const dialog = document.createElement("dialog");
  dialog.className = "confirm";
  const id = `dlg-${Math.random().toString(36).slice(2, 9)}`;
  dialog.setAttribute("aria-labelledby", `${id}-title`);
  dialog.setAttribute("aria-describedby", `${id}-body`);
  const h = document.createElement("h2");
  h.id = `${id}-title`;
  h.textContent = title;
  const p = document.createElement("p");
  p.id = `${id}-body`;
  p.textContent = body;
  const buttons = document.createElement("div");
  buttons.className = "confirm-buttons";
  const cancelButton = document.createElement("button");
  cancelButton.type = "button";
  cancelButton.className = "secondary";
  cancelButton.value = "";
  cancelButton.textContent = cancel;
  for (const c of choices) {
    const b = document.createElement("button");
    b.type = "button";
    b.value = c.value;
    b.textContent = c.label;
    if (c.danger) b.className = "danger";
    buttons.append(b);
  }
  buttons.append(cancelButton);
  dialog.append(h, p, buttons);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer = null;
    buttons.addEventListener("click", (e) => {
      const b = e.target.closest("button");
      if (!b) return;
      answer = b.value || null;
      dialog.close();
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      if (opener && typeof opener.focus === "function" && opener.isConnected) opener.focus();
      resolve(answer);
    });
    dialog.showModal();
    cancelButton.focus();
  });
}
