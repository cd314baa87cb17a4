// The case editor: finds identifying data with the server's scanner, highlights it, replaces
// it with a label in one click (the same label for the same person), or keeps it with a
// reason; a session is only created when every finding is resolved. No inline script (CSP).
// Whether a finding may be kept is the server's rule, sent as `keepable` with each finding (a
// BSN or IBAN can only be replaced); the editor does not know the kinds itself.

import { csrfHeaders, inviteKey, tokenKey } from "./session-keys.js";

const form = document.getElementById("case-editor");
const strings = JSON.parse(form.dataset.strings);
const t = (key, vars = {}) =>
  (strings[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));

const caseText = document.getElementById("case_text");
const title = document.getElementById("title");
const list = document.getElementById("findings");
const preview = document.getElementById("preview");
const status = document.getElementById("findings-status");
const formError = document.getElementById("form-error");
// Proposing a case for the team's queue (`/teams/{id}/wachtrij/nieuw`) instead of starting a
// session: the same review, plus a one-line summary that must hold nothing identifying.
const propose = form.dataset.mode === "propose";
const summary = document.getElementById("summary");

let findings = [];          // from the last scan of the current text
let checkedText = null;     // the text that scan was of
const kept = new Map();     // "kind\u0000text" -> reason
const replaced = {};        // kind -> count

const lang = document.documentElement.lang || "nl";
const api = (path, body) =>
  fetch(`${path}?lang=${lang}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...csrfHeaders() },
    body: JSON.stringify(body),
  });

// Offsets from the server count Unicode code points; JavaScript strings count UTF-16 units.
const chars = (s) => Array.from(s);
const keyOf = (f) => `${f.kind}\u0000${f.text}`;

async function findingsOf(text) {
  const res = await api("/api/v1/scan", { text });
  if (!res.ok) throw new Error((await res.json()).error?.message ?? t("editor.failed"));
  return res.json();
}

async function scan() {
  formError.textContent = "";
  const text = caseText.value;
  try {
    const [inTitle, inCase, inSummary] = await Promise.all([
      findingsOf(title.value),
      findingsOf(text),
      summary ? findingsOf(summary.value) : Promise.resolve([]),
    ]);
    findings = inCase;
    checkedText = text;
    render(inTitle);
    if (inSummary.length) formError.textContent = t("editor.one_line_has_findings");
  } catch (e) {
    formError.textContent = e.message;
  }
}

const isKept = (f) => f.keepable !== false && kept.has(keyOf(f));

function unresolved() {
  return findings.filter((f) => !isKept(f));
}

function render(inTitle = []) {
  list.replaceChildren();
  preview.replaceChildren();
  const open = unresolved();
  if (inTitle.length) {
    formError.textContent = t("editor.title_has_findings");
  }
  status.textContent = findings.length === 0
    ? t("editor.none_found")
    : t("editor.summary", { total: findings.length, open: open.length });
  // The highlighted preview, built from text nodes so nothing in the case is read as HTML.
  const cs = chars(checkedText ?? "");
  let at = 0;
  for (const f of findings) {
    preview.append(cs.slice(at, f.start).join(""));
    const mark = document.createElement("mark");
    mark.textContent = cs.slice(f.start, f.end).join("");
    mark.dataset.kind = f.kind;
    mark.title = t(`kind.${f.kind}`);
    preview.append(mark);
    at = f.end;
  }
  preview.append(cs.slice(at).join(""));
  preview.hidden = findings.length === 0;

  const seen = new Set();
  for (const f of findings) {
    if (seen.has(keyOf(f))) continue;
    seen.add(keyOf(f));
    const same = findings.filter((g) => g.suggestion === f.suggestion && g.kind === f.kind);
    const li = document.createElement("li");
    li.className = isKept(f) ? "finding kept" : "finding";
    li.dataset.kind = f.kind;
    const what = document.createElement("span");
    what.textContent = `${t(`kind.${f.kind}`)}: `;
    const text = document.createElement("strong");
    text.textContent = f.text;
    what.append(text);
    li.append(what);
    if (isKept(f)) {
      const note = document.createElement("span");
      note.textContent = ` — ${t("editor.kept_because", { reason: kept.get(keyOf(f)) })}`;
      li.append(note);
    } else {
      const replace = document.createElement("button");
      replace.type = "button";
      replace.className = "replace";
      replace.textContent = t("editor.replace", { label: f.suggestion, count: same.length });
      replace.addEventListener("click", () => replaceAll(same, f.suggestion));
      if (f.keepable === false) {
        const why = document.createElement("span");
        why.className = "replace-only";
        why.textContent = t("editor.replace_only");
        li.append(" ", replace, " ", why);
        list.append(li);
        continue;
      }
      const reason = document.createElement("input");
      reason.type = "text";
      reason.className = "reason";
      reason.setAttribute("aria-label", t("editor.reason_label", { text: f.text }));
      reason.placeholder = t("editor.reason_placeholder");
      const keep = document.createElement("button");
      keep.type = "button";
      keep.className = "keep";
      keep.textContent = t("editor.keep");
      keep.addEventListener("click", () => {
        if (!reason.value.trim()) {
          reason.setAttribute("aria-invalid", "true");
          status.textContent = t("editor.reason_needed");
          reason.focus();
          return;
        }
        for (const g of same.filter((g) => g.text === f.text)) kept.set(keyOf(g), reason.value.trim());
        render();
      });
      li.append(" ", replace, " ", reason, " ", keep);
    }
    list.append(li);
  }
}

async function replaceAll(group, label) {
  const cs = chars(caseText.value);
  // From the end, so earlier offsets stay valid.
  for (const f of [...group].sort((a, b) => b.start - a.start)) {
    cs.splice(f.start, f.end - f.start, ...chars(label));
    replaced[f.kind] = (replaced[f.kind] ?? 0) + 1;
  }
  caseText.value = cs.join("");
  await scan();
}

caseText.addEventListener("input", () => {
  if (checkedText !== null && caseText.value !== checkedText) {
    status.textContent = t("editor.changed");
  }
});

document.getElementById("check").addEventListener("click", scan);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError.textContent = "";
  if (checkedText !== caseText.value) await scan();
  if (unresolved().length > 0) {
    formError.textContent = t("editor.resolve_first", { open: unresolved().length });
    return;
  }
  const method = document.getElementById("method");
  const option = method.selectedOptions[0];
  const keptList = findings
    .filter(isKept)
    .map((f) => ({ kind: f.kind, text: f.text, reason: kept.get(keyOf(f)) }));
  if (propose) {
    const team = form.dataset.team;
    const res = await api(`/api/v1/teams/${team}/queue`, {
      method: method.value,
      variant: option.dataset.variant ?? null,
      title: title.value,
      summary: summary.value,
      case_text: caseText.value,
      review: { kept: keptList, replaced },
    });
    const body = await res.json();
    if (!res.ok) {
      formError.textContent = body.error?.message ?? t("editor.failed");
      return;
    }
    location.assign(`/teams/${team}/wachtrij`);
    return;
  }
  const res = await api("/api/v1/sessions", {
    method: method.value,
    variant: option.dataset.variant ?? null,
    title: title.value,
    case_text: caseText.value,
    moderator_name: document.getElementById("moderator_name").value,
    team_id: document.getElementById("team_id") ? Number(document.getElementById("team_id").value) : undefined,
    review: { kept: keptList, replaced },
  });
  const body = await res.json();
  if (!res.ok) {
    formError.textContent = body.error?.message ?? t("editor.failed");
    return;
  }
  localStorage.setItem(tokenKey(body.session_id), body.token);
  localStorage.setItem(inviteKey(body.session_id), body.invite_code);
  location.assign(`/sessies/${body.session_id}`);
});
