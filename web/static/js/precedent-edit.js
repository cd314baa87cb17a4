// The moderator's precedent editor: drafts the precedent from the concluded session (or opens
// the existing one), lets every field be edited (lists as rows of labelled fields, added and
// removed with buttons; law references checked at the field as they are typed), shows every
// problem at the field that has it, saves it, and adopts it — the server runs the BSN/IBAN
// guard and the anonymisation review again and gives the citation id; under the organisation's
// four-eyes rule a colleague approves first. An adopted precedent is corrected, with a reason,
// as a new version. Uses the session token the room keeps in local storage (the moderator's).
// The JSON API (PUT /api/v1/precedents/{id}) is the same as before: the record as JSON.

import { csrfHeaders, tokenKey } from "./session-keys.js";
import { ask } from "./dialog.js";

const form = document.getElementById("draft");
const session = form.dataset.session;
const strings = JSON.parse(form.dataset.strings);
const t = (key, vars = {}) =>
  (strings[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
const $ = (id) => document.getElementById(id);
const lang = document.documentElement.lang || "nl";
const token = localStorage.getItem(tokenKey(session));
const statusLine = $("draft-status");
const errorBox = $("draft-error");

let precedent = null; // as the API answers it: {id, status, version, citation_id, record, ...}

async function api(method, path, body) {
  const res = await fetch(`${path}?lang=${lang}`, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, ...csrfHeaders() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, json };
}

/** A message at the top, when there is no field to show it at. */
function topError(message) {
  $("draft-error-text").textContent = message;
  $("draft-error-list").replaceChildren();
  errorBox.hidden = !message;
}

// --- lists as rows of fields -----------------------------------------------------------------

/** The lists shown as rows, and the fields of a row ("" for a list of plain strings). */
const LISTS = {
  options: ["label", "damage"],
  perspectives: ["stakeholder", "perspective", "value", "norm"],
  positions: ["pseudonym", "choice", "value", "damage", "damage_limitation", "needs"],
  values: [""],
  harmed_values: [""],
  dissent: ["position"],
  actions: ["what", "who", "when"],
  law_refs: [""],
};

const listOf = (name) => form.querySelector(`[data-list="${name}"] .row-list`);

/** Gives every field of a list its path (`options[1].damage`), id and label, in row order. */
function renumber(name) {
  [...listOf(name).children].forEach((row, i) => {
    row.setAttribute("aria-label", t("draft.row", { n: i + 1 }));
    for (const input of row.querySelectorAll("[data-part]")) {
      const part = input.dataset.part;
      const path = part ? `${name}[${i}].${part}` : `${name}[${i}]`;
      input.dataset.path = path;
      input.id = `f-${path.replace(/[^a-z0-9_]+/gi, "-").replace(/-$/, "")}`;
      const field = input.closest(".field");
      field.querySelector("label").htmlFor = input.id;
      const check = field.querySelector(".law-check");
      if (check) {
        check.id = `${input.id}-check`;
        input.setAttribute("aria-describedby", check.id);
      }
    }
    row.querySelector(".remove-row").setAttribute("aria-label", t("draft.remove_row", { n: i + 1 }));
  });
}

/** Adds a row to a list, filled from `value` (an object, or a string for plain lists). */
function addRow(name, value) {
  const row = $(`row-${name}`).content.firstElementChild.cloneNode(true);
  for (const input of row.querySelectorAll("[data-part]")) {
    const part = input.dataset.part;
    input.value = (part ? value?.[part] : value) ?? "";
  }
  listOf(name).append(row);
  if (name === "law_refs") row.querySelector("input").addEventListener("change", (e) => checkLaw(e.target));
  return row;
}

function fillList(name, items) {
  listOf(name).replaceChildren();
  for (const item of items ?? []) addRow(name, item);
  renumber(name);
}

/** A list's rows as the record holds them; rows left empty are left out. */
function readList(name) {
  const plain = LISTS[name][0] === "";
  return [...listOf(name).children]
    .map((row) => {
      if (plain) return row.querySelector("[data-part]").value.trim();
      const item = {};
      for (const input of row.querySelectorAll("[data-part]")) item[input.dataset.part] = input.value.trim();
      return item;
    })
    .filter((item) => (typeof item === "string" ? item : Object.values(item).some(Boolean)));
}

form.addEventListener("click", (e) => {
  const add = e.target.closest(".add-row");
  if (add) {
    const name = add.dataset.add;
    const row = addRow(name, LISTS[name][0] === "" ? "" : {});
    renumber(name);
    row.querySelector("[data-part]").focus();
    return;
  }
  const remove = e.target.closest(".remove-row");
  if (remove) {
    const list = remove.closest("[data-list]");
    const row = remove.closest(".row");
    const next = row.nextElementSibling ?? row.previousElementSibling;
    row.remove();
    renumber(list.dataset.list);
    (next?.querySelector("[data-part]") ?? list.querySelector(".add-row")).focus();
  }
});

// --- law references, checked at the field ----------------------------------------------------

async function checkLaw(input) {
  const note = input.closest(".field").querySelector(".law-check");
  const text = input.value.trim();
  clearError(input);
  note.classList.remove("ok");
  note.textContent = "";
  if (!text) return;
  const res = await fetch(`/api/v1/law-refs/check?lang=${lang}&q=${encodeURIComponent(text)}`);
  const json = await res.json().catch(() => ({}));
  if (res.ok) {
    note.classList.add("ok");
    note.textContent = t("draft.law_ok", { law: json.canonical });
  } else {
    showFieldError(input, `${json.error?.message ?? t("draft.failed")} ${t("draft.law_example")}`);
  }
}

// --- errors at the field that has them -------------------------------------------------------

function clearError(el) {
  el.removeAttribute("aria-invalid");
  const error = $(`${el.id}-error`);
  error?.remove();
  const described = (el.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => id && !id.endsWith("-error"));
  if (described.length) el.setAttribute("aria-describedby", described.join(" "));
  else el.removeAttribute("aria-describedby");
}

function clearErrors() {
  for (const el of form.querySelectorAll("[aria-invalid]")) clearError(el);
  errorBox.hidden = true;
  $("draft-error-list").replaceChildren();
}

/** The element that shows `path` (`options[1].damage`, `title`, `tags[2]`…), else its list. */
function fieldOf(path) {
  const exact = form.querySelector(`[data-path="${CSS.escape(path)}"]`);
  if (exact) return exact;
  const list = path.match(/^[a-z_]+/)?.[0] ?? "";
  return form.querySelector(`[data-path="${CSS.escape(list)}"]`);
}

function showFieldError(el, message) {
  if (!el.id) el.id = `list-${el.dataset.list}`;
  $(`${el.id}-error`)?.remove();
  const p = document.createElement("p");
  p.className = "field-error";
  p.id = `${el.id}-error`;
  p.textContent = message;
  if (el.tagName === "FIELDSET") el.querySelector("legend").after(p);
  else el.after(p);
  el.setAttribute("aria-invalid", "true");
  const described = new Set((el.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean));
  described.add(p.id);
  el.setAttribute("aria-describedby", [...described].join(" "));
}

/** An error answer: each problem at its field, a short list at the top that links to them, and
 * focus on the first field with a problem. */
function showProblems(json) {
  clearErrors();
  const details = json.error?.details;
  const items = Array.isArray(details) ? details : details?.findings ?? details?.problems ?? [];
  $("draft-error-text").textContent = json.error?.message ?? t("draft.failed");
  const list = [];
  let first = null;
  for (const d of items) {
    const message = d.message ?? `${d.field ?? ""}: ${d.kind ?? ""} „${d.text ?? ""}”`;
    const el = d.field ? fieldOf(d.field) : null;
    const li = document.createElement("li");
    if (el) {
      showFieldError(el, message);
      first ??= el;
      const a = document.createElement("a");
      a.href = `#${el.id}`;
      a.textContent = message;
      li.append(a);
    } else {
      li.textContent = message;
    }
    list.push(li);
  }
  $("draft-error-list").replaceChildren(...list);
  errorBox.hidden = false;
  (first ?? errorBox).focus();
}

function showAdvice(findings) {
  $("findings").replaceChildren(
    ...(findings ?? []).map((f) => {
      const li = document.createElement("li");
      li.textContent = t("draft.finding", { field: f.field, text: f.text });
      return li;
    }),
  );
}

// --- the record ------------------------------------------------------------------------------

function fill(record) {
  $("d-title").value = record.title ?? "";
  $("d-summary").value = record.summary ?? "";
  $("d-case").value = record.case_text ?? "";
  $("d-question").value = record.moral_question ?? "";
  $("d-conclusion").value = record.conclusion ?? "";
  $("d-reasoning").value = record.reasoning ?? "";
  for (const name of Object.keys(LISTS)) fillList(name, record[name]);
  for (const box of form.querySelectorAll("input[name=theme]")) box.checked = (record.themes ?? []).includes(box.value);
  $("d-tags").value = (record.tags ?? []).join(", ");
  $("d-outcome").value = record.outcome ?? "other";
  $("d-evaluation").value = record.evaluation ?? "";
}

/** The stored record with the form's edits. */
function edited() {
  const r = structuredClone(precedent.record);
  r.title = $("d-title").value.trim();
  r.summary = $("d-summary").value.trim();
  r.case_text = $("d-case").value.trim();
  r.moral_question = $("d-question").value.trim();
  r.options = readList("options");
  r.perspectives = readList("perspectives");
  r.positions = readList("positions");
  r.conclusion = $("d-conclusion").value.trim();
  r.reasoning = $("d-reasoning").value.trim();
  r.values = readList("values");
  r.harmed_values = readList("harmed_values");
  const oldDissent = new Map((precedent.record.dissent ?? []).map((d) => [d.position, d.values ?? []]));
  r.dissent = readList("dissent").map(({ position }) => ({ position, values: oldDissent.get(position) ?? [] }));
  r.actions = readList("actions").map(({ what, who, when }) => ({ what, who, when: when || null, done: null }));
  r.law_refs = readList("law_refs");
  r.themes = [...form.querySelectorAll("input[name=theme]:checked")].map((b) => b.value);
  r.tags = $("d-tags")
    .value.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  r.outcome = $("d-outcome").value;
  r.evaluation = $("d-evaluation").value.trim() || null;
  return r;
}

function show(p) {
  precedent = p;
  fill(p.record);
  form.hidden = false;
  const adopted = p.status === "adopted";
  const withdrawn = p.status === "withdrawn";
  const awaiting = p.status === "awaiting_approval";
  const sentBack = p.approval?.state === "sent_back";
  statusLine.textContent = withdrawn
    ? t("draft.is_withdrawn", { citation: p.citation_id ?? "" })
    : adopted
      ? t("draft.is_adopted", { citation: p.citation_id, version: p.version })
      : awaiting
        ? t("draft.is_awaiting")
        : t("draft.is_draft");
  // Once adopted, the page is about the adopted precedent, not about a draft.
  const heading = adopted || withdrawn ? t("draft.title_adopted", { citation: p.citation_id ?? "" }) : t("draft.title");
  $("draft-heading").textContent = heading;
  document.title = `${heading} — ${p.record.title ?? ""}`;
  $("draft-lead").hidden = adopted || withdrawn;
  $("save").textContent = adopted ? t("draft.correct") : t("draft.save");
  // The reason is asked only when correcting an adopted precedent.
  $("reason-field").hidden = !adopted;
  $("adopt").hidden = p.status !== "draft";
  const note = $("approval-note");
  note.hidden = !(awaiting || sentBack);
  note.textContent = awaiting
    ? t("draft.awaiting_note", { name: p.approval.requested_by, at: p.approval.requested_at })
    : sentBack
      ? t("draft.sent_back_note", { name: p.approval.by, reason: p.approval.reason })
      : "";
  for (const el of form.elements) el.disabled = withdrawn || awaiting;
  $("adopted").hidden = !(adopted || withdrawn);
  $("adopted-link").href = `/precedenten/${p.id}`;
  $("adopted-link").textContent = t("draft.view", { citation: p.citation_id ?? "" });
}

async function load() {
  if (!token) {
    statusLine.textContent = "";
    topError(t("draft.no_token"));
    return;
  }
  const r = await api("POST", `/api/v1/sessions/${session}/precedent`);
  if (r.status === 409 && r.json.error?.details?.precedent) {
    show(r.json.error.details.precedent);
    return;
  }
  if (!r.ok) {
    statusLine.textContent = "";
    topError(r.json.error?.message ?? t("draft.failed"));
    return;
  }
  show(r.json);
}

async function save() {
  clearErrors();
  const record = edited();
  let r;
  if (precedent.status === "adopted") {
    const reason = $("d-reason").value.trim();
    if (!reason) {
      showFieldError($("d-reason"), t("draft.reason_needed"));
      $("d-reason").focus();
      return false;
    }
    r = await api("POST", `/api/v1/precedents/${precedent.id}/corrections`, { record, reason });
  } else {
    r = await api("PUT", `/api/v1/precedents/${precedent.id}`, record);
  }
  if (!r.ok) {
    showProblems(r.json);
    return false;
  }
  show(r.json);
  showAdvice(r.json.anonymisation_findings);
  statusLine.textContent = precedent.status === "adopted" ? t("draft.corrected", { version: precedent.version }) : t("draft.saved");
  return true;
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  await save();
});

$("adopt").addEventListener("click", async () => {
  // Adoption makes a permanent, citable precedent: ask first.
  const answer = await ask({
    title: t("draft.confirm_title"),
    body: t("draft.confirm_body"),
    choices: [{ value: "adopt", label: t("draft.confirm_adopt"), danger: true }],
    cancel: t("draft.confirm_cancel"),
  });
  if (answer !== "adopt") return;
  if (!(await save())) return;
  const r = await api("POST", `/api/v1/precedents/${precedent.id}/adopt`, {});
  if (!r.ok) {
    showProblems(r.json);
    return;
  }
  show(r.json);
  $("findings").replaceChildren();
  if (r.json.status === "awaiting_approval") {
    // The organisation wants a second reader: a colleague approves before adoption.
    statusLine.textContent = t("draft.asked_approval");
    return;
  }
  statusLine.textContent = t("draft.adopted_now", { citation: r.json.citation_id });
  $("adopted-link").focus();
});

// --- links to earlier precedents (follows / deviates from / refines) --------------------------

const linkForm = $("link");

async function showLinks() {
  const r = await api("GET", `/api/v1/sessions/${session}/links`);
  if (!r.ok) return;
  linkForm.hidden = false;
  $("links").replaceChildren(
    ...r.json.links.map((l) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `/precedenten/${l.precedent_id}`;
      a.textContent = l.citation_id ?? l.precedent_title;
      li.append(`${t(`draft.link.${l.kind}`)} `, a, l.note ? ` — ${l.note}` : "");
      return li;
    }),
  );
}

linkForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const error = $("link-error");
  error.textContent = "";
  const citation = $("l-citation").value.trim();
  if (!citation) {
    error.textContent = t("draft.link.citation_needed");
    return;
  }
  const found = await api("GET", `/api/v1/precedents/by-citation/${encodeURIComponent(citation)}`);
  if (!found.ok) {
    error.textContent = t("draft.link.unknown", { citation });
    return;
  }
  const r = await api("POST", `/api/v1/sessions/${session}/links`, {
    precedent_id: found.json.id,
    kind: $("l-kind").value,
    note: $("l-note").value.trim(),
  });
  if (!r.ok) {
    error.textContent = r.json.error?.message ?? t("draft.failed");
    return;
  }
  linkForm.reset();
  await showLinks();
});

load()
  .then(showLinks)
  .catch(() => {
    topError(t("draft.offline"));
  });
