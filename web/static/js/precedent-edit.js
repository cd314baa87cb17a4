// The moderator's precedent editor: drafts the precedent from the concluded session (or opens
// the existing one), lets every field be edited (lists one item a line, parts split by " | "),
// saves it, and adopts it — the server runs the BSN/IBAN guard and the anonymisation review
// again and gives the citation id. An adopted precedent is corrected, with a reason, as a new
// version. Uses the session token the room keeps in local storage (the moderator's).

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
const errorLine = $("draft-error");

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

const SEP = /\s*\|\s*/;
const lines = (id) =>
  $(id)
    .value.split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** Rows of `n` parts from a textarea; throws a readable error naming the line. */
function rows(id, n, label) {
  return lines(id).map((line, i) => {
    const parts = line.split(SEP);
    if (parts.length > n) throw new Error(t("draft.bad_line", { field: label, line: i + 1, parts: n }));
    while (parts.length < n) parts.push("");
    return parts;
  });
}

function fill(record) {
  $("d-title").value = record.title ?? "";
  $("d-summary").value = record.summary ?? "";
  $("d-case").value = record.case_text ?? "";
  $("d-question").value = record.moral_question ?? "";
  $("d-options").value = (record.options ?? []).map((o) => `${o.label} | ${o.damage}`).join("\n");
  $("d-perspectives").value = (record.perspectives ?? [])
    .map((p) => [p.stakeholder, p.perspective, p.value, p.norm].join(" | "))
    .join("\n");
  $("d-positions").value = (record.positions ?? [])
    .map((p) => [p.pseudonym, p.choice, p.value, p.damage, p.damage_limitation, p.needs].join(" | "))
    .join("\n");
  $("d-conclusion").value = record.conclusion ?? "";
  $("d-reasoning").value = record.reasoning ?? "";
  $("d-dissent").value = (record.dissent ?? []).map((d) => d.position).join("\n");
  $("d-actions").value = (record.actions ?? []).map((a) => [a.what, a.who, a.when ?? ""].join(" | ")).join("\n");
  $("d-laws").value = (record.law_refs ?? []).join("\n");
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
  r.options = rows("d-options", 2, t("draft.f.options")).map(([label, damage]) => ({ label, damage }));
  r.perspectives = rows("d-perspectives", 4, t("draft.f.perspectives")).map(([stakeholder, perspective, value, norm]) => ({
    stakeholder,
    perspective,
    value,
    norm,
  }));
  r.positions = rows("d-positions", 6, t("draft.f.positions")).map(
    ([pseudonym, choice, value, damage, damage_limitation, needs]) => ({ pseudonym, choice, value, damage, damage_limitation, needs }),
  );
  r.conclusion = $("d-conclusion").value.trim();
  r.reasoning = $("d-reasoning").value.trim();
  const oldDissent = new Map((precedent.record.dissent ?? []).map((d) => [d.position, d.values ?? []]));
  r.dissent = lines("d-dissent").map((position) => ({ position, values: oldDissent.get(position) ?? [] }));
  r.actions = rows("d-actions", 3, t("draft.f.actions")).map(([what, who, when]) => ({ what, who, when: when || null, done: null }));
  r.law_refs = lines("d-laws");
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
  statusLine.textContent = withdrawn
    ? t("draft.is_withdrawn", { citation: p.citation_id ?? "" })
    : adopted
      ? t("draft.is_adopted", { citation: p.citation_id, version: p.version })
      : t("draft.is_draft");
  $("save").textContent = adopted ? t("draft.correct") : t("draft.save");
  $("reason-field").hidden = !adopted;
  $("adopt").hidden = p.status !== "draft";
  for (const el of form.elements) el.disabled = withdrawn;
  const done = $("adopted");
  done.hidden = !(adopted || withdrawn);
  $("adopted-link").href = `/precedenten/${p.id}`;
  $("adopted-link").textContent = t("draft.view", { citation: p.citation_id ?? "" });
}

function showProblems(json) {
  errorLine.textContent = json.error?.message ?? t("draft.failed");
  const details = json.error?.details;
  const items = Array.isArray(details) ? details : details?.findings ?? details?.problems ?? [];
  $("findings").replaceChildren(
    ...items.map((d) => {
      const li = document.createElement("li");
      li.textContent = d.message ?? `${d.field ?? ""}: ${d.kind ?? ""} „${d.text ?? ""}”`;
      return li;
    }),
  );
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

async function load() {
  if (!token) {
    statusLine.textContent = "";
    errorLine.textContent = t("draft.no_token");
    return;
  }
  let r = await api("POST", `/api/v1/sessions/${session}/precedent`);
  if (r.status === 409 && r.json.error?.details?.precedent) {
    show(r.json.error.details.precedent);
    return;
  }
  if (!r.ok) {
    statusLine.textContent = "";
    errorLine.textContent = r.json.error?.message ?? t("draft.failed");
    return;
  }
  show(r.json);
}

async function save() {
  errorLine.textContent = "";
  let record;
  try {
    record = edited();
  } catch (e) {
    errorLine.textContent = e.message;
    return false;
  }
  let r;
  if (precedent.status === "adopted") {
    const reason = $("d-reason").value.trim();
    if (!reason) {
      $("d-reason").setAttribute("aria-invalid", "true");
      errorLine.textContent = t("draft.reason_needed");
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
    errorLine.textContent = t("draft.offline");
  });
