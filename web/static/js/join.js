// The invite link's landing page: the invite code is in the URL's fragment (never sent to the
// server in a request line); a name and a role are enough to join, then on into the room.

import { csrfHeaders, tokenKey } from "./session-keys.js";

const form = document.getElementById("join");
const strings = JSON.parse(form.dataset.strings);
const t = (key) => strings[key] ?? key;
const session = form.dataset.session;
const error = document.getElementById("join-error");
const lang = document.documentElement.lang || "nl";
const code = decodeURIComponent(location.hash.slice(1));

if (localStorage.getItem(tokenKey(session))) {
  // Joined before in this browser: straight back into the room.
  location.replace(`/sessies/${session}`);
}
if (!code) {
  error.textContent = t("join.no_code");
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  error.textContent = "";
  const name = document.getElementById("display_name");
  if (!name.value.trim()) {
    name.setAttribute("aria-invalid", "true");
    error.textContent = t("join.name_needed");
    name.focus();
    return;
  }
  name.removeAttribute("aria-invalid");
  let res;
  try {
    res = await fetch(`/api/v1/sessions/${session}/join?lang=${lang}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...csrfHeaders() },
      body: JSON.stringify({
        invite_code: code,
        display_name: name.value.trim(),
        role: document.getElementById("role").value,
      }),
    });
  } catch {
    error.textContent = t("join.offline");
    return;
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    error.textContent = body.error?.message ?? t("join.failed");
    return;
  }
  localStorage.setItem(tokenKey(session), body.token);
  location.replace(`/sessies/${session}`);
});
