// The team's queue page: "wil ik bespreken" (a toggle per person), withdrawing one's own
// proposal and settling an action (each asked first: they cannot be undone), and a moderator
// picking a case into the prepared session of a scheduled meeting (or, without a schedule,
// of a local time). No inline script (CSP).

import { csrfHeaders } from "./session-keys.js";
import { ask } from "./dialog.js";

const root = document.getElementById("team-queue");
const team = root.dataset.team;
const strings = JSON.parse(root.dataset.strings);
const texts = document.getElementById("confirm-texts").dataset;
const error = document.getElementById("queue-error");
const lang = document.documentElement.lang || "nl";

async function post(path, body) {
  error.textContent = "";
  const res = await fetch(`${path}?lang=${lang}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...csrfHeaders() },
    body: JSON.stringify(body ?? {}),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    error.textContent = json.error?.message ?? strings["practice.js.failed"];
    return null;
  }
  return json;
}

const confirmed = (what) =>
  ask({
    title: texts[`${what}Title`],
    body: texts[what],
    choices: [{ value: "yes", label: texts.confirm, danger: true }],
    cancel: texts.cancel,
  }).then((v) => v === "yes");

for (const item of root.querySelectorAll(".queue-item")) {
  const id = item.dataset.proposal;
  const base = `/api/v1/teams/${team}/queue/${id}`;
  item.querySelector(".interest")?.addEventListener("click", async (e) => {
    const button = e.currentTarget;
    const on = button.getAttribute("aria-pressed") !== "true";
    const body = await post(`${base}/interest`, { on });
    if (!body) return;
    button.setAttribute("aria-pressed", String(body.marked));
    item.querySelector(".interest-count").textContent = String(body.interest);
  });
  item.querySelector(".withdraw")?.addEventListener("click", async () => {
    if (!(await confirmed("withdraw"))) return;
    if (await post(`${base}/withdraw`)) location.reload();
  });
  item.querySelector("form.pick")?.addEventListener("submit", async (e) => {
    e.preventDefault();
    // A scheduled meeting when the team has a schedule, else a local date and time.
    const input = e.currentTarget.querySelector("[name=meeting], [name=planned_at]");
    if (!input.value) {
      input.setAttribute("aria-invalid", "true");
      error.textContent = strings[input.name === "meeting" ? "practice.js.meeting_needed" : "practice.js.planned_needed"];
      input.focus();
      return;
    }
    const body = await post(`${base}/pick`, { [input.name]: input.value });
    if (body) location.reload();
  });
}

for (const item of root.querySelectorAll(".action-list li")) {
  const path = `/api/v1/teams/${team}/actions/${item.dataset.action}`;
  item.querySelector(".done")?.addEventListener("click", async () => {
    if (!(await confirmed("done"))) return;
    if (await post(path, { status: "done" })) location.reload();
  });
  item.querySelector(".drop")?.addEventListener("click", async () => {
    const reason = item.querySelector(".reason");
    if (!reason.value.trim()) {
      reason.setAttribute("aria-invalid", "true");
      error.textContent = strings["practice.js.reason_needed"];
      reason.focus();
      return;
    }
    if (!(await confirmed("drop"))) return;
    if (await post(path, { status: "dropped", reason: reason.value })) location.reload();
  });
}
