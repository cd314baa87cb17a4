// The live room: one websocket (docs/protocol.md), the server's view rendered as it is, the
// moderator's console, and a form that fits the current round. Every command is kept in local
// storage until the server acknowledges it (durable), so nothing written is lost to a dropped
// connection or a reload; the user sees what is still pending, and what was refused and why.

import { csrfHeaders, inviteKey, pendingKey, tokenKey } from "./session-keys.js";
import { fieldsFor, contentOf, describe } from "./room-forms.js";
import { renderResults } from "./room-results.js";
import { ask } from "./dialog.js";

const root = document.getElementById("room");
const session = root.dataset.session;
/** The beamer view: the same live room laid out for the shared screen, without controls. */
const beamer = root.dataset.beamer === "1";
const strings = JSON.parse(root.dataset.strings);
const lang = document.documentElement.lang === "en" ? "en" : "nl";
const t = (key, vars = {}) =>
  (strings[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
};

let token = localStorage.getItem(tokenKey(session));
let socket = null;
let view = null;
let you = null;
let lastSeq = 0;
/** A view or event being assembled from its pages: {head, list, left, seq}. */
let paged = null;
let attempt = 0;
let syncTimer = null;
let stopped = false;
let lastAnnounced = "";
/** Commands sent (or to send) and not yet acknowledged: [{cid, command, label}]. */
let pending = JSON.parse(localStorage.getItem(pendingKey(session)) ?? "[]");
/** Commands the server refused: [{label, message}]; the user can copy the text back. */
const refused = [];

function savePending() {
  localStorage.setItem(pendingKey(session), JSON.stringify(pending));
  renderPending();
}

// --- connection -------------------------------------------------------------------------

function setConnection(state, vars) {
  const c = $("connection");
  c.dataset.state = state;
  c.textContent = t(`room.conn.${state}`, vars);
}

function connect() {
  if (stopped) return;
  setConnection(attempt === 0 ? "connecting" : "reconnecting_now");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  // The token also travels in the subprotocol, so the server can refuse before upgrading.
  socket = new WebSocket(`${scheme}://${location.host}/ws/sessions/${session}`, ["beraad.v1", `token.${token}`]);
  socket.addEventListener("open", () => {
    socket.send(JSON.stringify({ type: "hello", protocol: 1, token, last_seq: lastSeq || undefined, lang }));
  });
  paged = null;
  socket.addEventListener("message", (e) => onMessage(JSON.parse(e.data)));
  socket.addEventListener("close", (e) => onClose(e.code));
}

function onClose(code) {
  socket = null;
  // 4009: this participant opened the session elsewhere (another tab or device); that one goes on.
  if (code === 4001 || code === 4002 || code === 4009) {
    stopped = true;
    setConnection(code === 4002 ? "removed" : code === 4009 ? "replaced" : "invalid");
    if (code === 4001) localStorage.removeItem(tokenKey(session));
    return;
  }
  // Back off: 0.5 s, 1 s, 2 s … up to 30 s, with jitter; at once after "lagging" (4000).
  const delay = code === 4000 ? 0 : Math.min(30000, 500 * 2 ** attempt) * (0.75 + Math.random() / 2);
  attempt += 1;
  const seconds = Math.max(1, Math.round(delay / 1000));
  setConnection("reconnecting", { seconds });
  setTimeout(connect, delay);
}

window.addEventListener("online", () => {
  if (!socket && !stopped) connect();
});

function send(frame) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(frame));
    return true;
  }
  return false;
}

// A large view or event comes as a head frame with `pages` and that many `contributions_page`
// frames right after it (docs/protocol.md §4): put them together before using it.
function onMessage(msg) {
  if (paged) {
    if (msg.type === "contributions_page" && msg.seq === paged.seq) {
      paged.list.push(...msg.contributions);
      paged.left -= 1;
      if (paged.left === 0) {
        const head = paged.head;
        paged = null;
        delete head.pages;
        onFrame(head);
      }
      return;
    }
    // Out of order (never sent so): drop the partial one; the next sync mends the view.
    paged = null;
  }
  if (msg.pages > 0) {
    const holder = msg.type === "event" ? msg.event : msg.view;
    const seq = msg.type === "event" ? msg.event.seq : msg.seq;
    paged = { head: msg, list: holder.contributions, left: msg.pages, seq };
    return;
  }
  if (msg.type !== "contributions_page") onFrame(msg);
}

function onFrame(msg) {
  switch (msg.type) {
    case "welcome":
    case "view":
      attempt = 0;
      setConnection("connected");
      lastSeq = Math.max(lastSeq, msg.seq ?? 0);
      view = msg.view;
      render();
      if (msg.type === "welcome") {
        if (!view) {
          notice(t("room.not_in_session"));
        }
        // Everything not acknowledged goes again, with the same cid: never applied twice.
        for (const p of pending) send({ type: "command", cid: p.cid, command: p.command });
      }
      break;
    case "event":
      lastSeq = Math.max(lastSeq, msg.event.seq ?? 0);
      if (msg.event.type === "participant_removed" && you?.role === "moderator") {
        const invite = localStorage.getItem(inviteKey(session));
        if (invite) showInvite(invite);
      }
      announce(msg.event);
      requestSync();
      break;
    case "ack":
      pending = pending.filter((p) => p.cid !== msg.cid);
      savePending();
      break;
    case "error":
      // The server holds less than this client saw (a restored database): start afresh.
      if (msg.code === "invalid_last_seq") lastSeq = 0;
      if (msg.cid) {
        const p = pending.find((x) => x.cid === msg.cid);
        pending = pending.filter((x) => x.cid !== msg.cid);
        savePending();
        if (p) {
          refused.push({ label: p.label, message: msg.message });
          renderRefused();
        }
      }
      notice(msg.message);
      break;
    default:
      break;
  }
}

/** Asks for a fresh view after events, at most every 80 ms. */
function requestSync() {
  if (syncTimer) return;
  syncTimer = setTimeout(() => {
    syncTimer = null;
    send({ type: "sync" });
  }, 80);
}

/** Sends a command now if connected, and keeps it until acknowledged. */
function command(cmd, label) {
  const cid = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  pending.push({ cid, command: cmd, label: label ?? t(`room.cmd.${cmd.type}`) });
  savePending();
  send({ type: "command", cid, command: cmd });
}

// --- announcements and notices -----------------------------------------------------------

function notice(text) {
  $("room-notice").textContent = text ?? "";
}

function announce(event) {
  let text = "";
  if (event.type === "round_opened" || event.type === "round_reopened") text = t("room.announce.round");
  else if (event.type === "round_revealed") text = t("room.announce.revealed");
  else if (event.type === "session_ended") text = t("room.announce.ended");
  else if (event.type === "concluding_started") text = t("room.announce.concluding");
  if (text && text !== lastAnnounced) {
    lastAnnounced = text;
    $("announce").textContent = text;
  }
}

// --- rendering ---------------------------------------------------------------------------

const loc = (l) => (l ? l[lang] ?? l.nl ?? "" : "");

function authorName(a) {
  switch (a?.kind) {
    case "you":
      return t("room.author.you");
    case "named":
      return a.display_name || t("room.former_participant");
    case "pseudonym":
      return t("room.author.pseudonym", { no: a.no });
    case "moderator":
      return t("room.author.moderator");
    case "presenter":
      return t("room.author.presenter");
    default:
      return "";
  }
}

function render() {
  if (!view) return;
  you = view.you;
  $("room-title").textContent = view.title;
  $("room-method").textContent = loc(view.method.name);
  $("case-text").textContent = view.case_text;
  const phase = view.phase;
  $("phase-lobby").hidden = phase !== "lobby";
  $("phase-round").hidden = phase !== "in_round";
  $("phase-concluding").hidden = phase !== "concluding";
  $("phase-closed").hidden = phase !== "closed";
  renderPeople();
  renderRounds();
  if (phase === "in_round") renderRound();
  renderConclusion();
  renderConsole();
  $("to-precedent").hidden = !(you.role === "moderator" && (phase === "closed" || (phase === "concluding" && view.conclusion)));
  renderPending();
}

function renderPeople() {
  // In a hidden round: who has submitted (never what).
  const submitted = new Set(view.progress?.submitted_by ?? []);
  $("people").replaceChildren(
    ...view.participants.map((p) =>
      el(
        "li",
        {},
        el("span", { text: p.display_name || t("room.former_participant") }),
        " ",
        el("span", { class: "role", text: t(`room.role.${p.role}`) }),
        p.id === you.id ? el("span", { class: "you", text: ` (${t("room.author.you")})` }) : "",
        submitted.has(p.id) ? el("span", { class: "submitted", text: ` — ${t("room.submitted")}` }) : "",
      ),
    ),
  );
}

function renderRounds() {
  $("rounds").replaceChildren(
    ...view.rounds.map((r) => {
      const li = el("li", { class: `round-${r.status}` }, loc(r.title));
      if (r.status === "current") li.setAttribute("aria-current", "step");
      return li;
    }),
  );
}

let renderedRoundKey = "";
let openedCaseFor = -1;

function renderRound() {
  const index = view.current_round;
  const round = view.rounds[index];
  const def = round;
  $("round-step").textContent = t("room.step", { n: index + 1, total: view.rounds.length });
  $("round-title").textContent = loc(def.title);
  $("round-prompt").textContent = loc(def.prompt);
  const rule = $("round-rule");
  rule.hidden = !def.rule;
  rule.textContent = def.rule ? loc(def.rule) : "";
  const progress = $("round-progress");
  const hidden = def.reveal !== "immediate" && !round.revealed;
  if (view.progress && view.progress.round_index === index && hidden) {
    progress.hidden = false;
    progress.textContent = t("room.progress", view.progress);
  } else {
    progress.hidden = !hidden;
    progress.textContent = hidden ? t("room.hidden_until_reveal") : "";
  }
  const turn = $("round-turn");
  turn.hidden = !(view.turn && view.turn.round_index === index);
  if (!turn.hidden) turn.textContent = t("room.turn", { who: authorName(view.turn.holder) });
  // The moral question, from the step where it is written on, above the options.
  const questionRound = view.rounds.findIndex((r) => r.kind === "options");
  const question = view.moral_question ?? "";
  $("moral-question").hidden = !question || questionRound < 0 || index < questionRound;
  $("moral-question-text").textContent = question;
  const writesQuestion = index === questionRound && (you.role === "presenter" || you.role === "moderator");
  const moralForm = $("moral-form");
  if (moralForm.hidden === writesQuestion) {
    moralForm.hidden = !writesQuestion;
    if (writesQuestion) $("moral-text").value = question;
  }
  renderLookBack(def.kind === "look_back");
  // The shared screen shows nothing of a hidden round before the reveal — not even what the
  // person signed in on it wrote (the server already withholds everyone else's).
  const here = beamer && hidden ? [] : view.contributions.filter((c) => c.round_index === index);
  $("contributions").replaceChildren(
    ...renderResults(def.kind, here, { t, authorName, actions: beamer ? null : actionsFor, tally: round.tally }),
  );
  // The case is open while it is told, and folds away after (the reader can still open it).
  if (index !== openedCaseFor) {
    openedCaseFor = index;
    closeEditor();
    $("moderate-form").hidden = true;
    $("case").open = def.kind === "narrative" && def.contributors === "presenter_only";
  }
  $("one-each-help").hidden = !(def.one_each && hidden);
  // The form is rebuilt only when the round (or what one may do in it) changes, so typing
  // is never lost to a re-render.
  const form = $("contribute");
  const key = `${index}:${def.kind}:${you.may_contribute}:${you.may_answer}`;
  form.hidden = !you.may_contribute;
  const why = $("cannot-contribute");
  why.hidden = you.may_contribute || !you.refusal;
  why.textContent = you.refusal ? t(`live.error.${you.refusal}`) : "";
  if (key !== renderedRoundKey) {
    renderedRoundKey = key;
    $("contribute-fields").replaceChildren(...fieldsFor(def.kind, you.role, view.contributions, index, t));
  }
}

// The look-back step: last time's actions, what became of each, and (for the moderator) the
// buttons that record it. Rebuilt only when the recorded outcomes change, so a note being
// typed is not lost.
let renderedLookBack = "";

function renderLookBack(inLookBack) {
  const box = $("look-back");
  const actions = view.previous_actions ?? [];
  box.hidden = !inLookBack || actions.length === 0;
  if (box.hidden) {
    renderedLookBack = "";
    return;
  }
  const moderator = you.role === "moderator";
  const key = JSON.stringify([moderator, view.look_back ?? []]);
  if (key === renderedLookBack) return;
  renderedLookBack = key;
  const recorded = new Map((view.look_back ?? []).map((e) => [e.index, e]));
  $("look-back-list").replaceChildren(
    ...actions.map((a, index) => {
      const entry = recorded.get(index);
      const status = entry
        ? `${t(`room.look_back.${entry.outcome}`)}${entry.note ? `: ${entry.note}` : ""}`
        : t("room.look_back.not_recorded");
      const li = el(
        "li",
        { class: `look-back-item ${entry ? `outcome-${entry.outcome}` : "outcome-none"}` },
        el("strong", { text: a.what }),
        ` — ${a.who} · ${a.when} · `,
        el("span", { class: "outcome", text: status }),
      );
      li.dataset.index = String(index);
      if (moderator) {
        const note = el("input", { type: "text", class: "look-back-note", maxlength: "500" });
        note.setAttribute("aria-label", `${t("room.look_back.note")}: ${a.what}`);
        note.placeholder = t("room.look_back.note");
        const button = (outcome) => {
          const b = el("button", { type: "button", class: `look-back-${outcome}`, text: t(`room.look_back.${outcome}`) });
          b.addEventListener("click", () => {
            if (outcome === "dropped" && !note.value.trim()) {
              note.setAttribute("aria-invalid", "true");
              notice(t("room.look_back.reason_needed"));
              note.focus();
              return;
            }
            command({ type: "record_look_back", index, outcome, note: note.value.trim() });
          });
          return b;
        };
        li.append(el("div", { class: "look-back-controls" }, button("done"), button("still_open"), note, button("dropped")));
      }
      return li;
    }),
  );
}

function renderConclusion() {
  const box = $("conclusion");
  const c = view.conclusion;
  box.hidden = !c;
  if (!c) return;
  const parts = [el("p", { text: c.conclusion })];
  if (c.reasoning) parts.push(el("p", {}, el("strong", { text: `${t("room.f.reasoning")}: ` }), c.reasoning));
  if (c.dissent) parts.push(el("p", {}, el("strong", { text: `${t("room.f.dissent")}: ` }), c.dissent));
  if (c.actions?.length) {
    parts.push(el("ul", {}, ...c.actions.map((a) => el("li", { text: `${a.what} — ${a.who} — ${a.when}` }))));
  }
  $("conclusion-body").replaceChildren(...parts);
}

function renderConsole() {
  const moderator = you.role === "moderator";
  const phase = view.phase;
  // A closed session has nothing left to steer: no empty console.
  $("console").hidden = !moderator || phase === "closed" || beamer;
  if ($("console").hidden) return;
  const round = phase === "in_round" ? view.rounds[view.current_round] : null;
  $("cmd-start").hidden = phase !== "lobby";
  $("cmd-reveal").hidden = !(round && round.reveal !== "immediate" && !round.revealed);
  $("cmd-next").hidden = phase !== "in_round";
  $("cmd-previous").hidden = phase !== "in_round";
  $("cmd-extend").hidden = !(phase === "in_round" && view.deadline_ms);
  $("cmd-end").hidden = phase !== "concluding" && phase !== "in_round";
  const conclusionRound = round && round.kind === "conclusion";
  $("conclude").hidden = !(conclusionRound || phase === "concluding");
  renderRoleForm();
  // The invite link on every device the moderator uses: the one this browser holds, or a
  // fresh one of its own from the server (earlier links elsewhere keep working).
  const invite = localStorage.getItem(inviteKey(session));
  $("invite").hidden = !invite;
  if (invite && !$("invite-link").value) showInvite(invite);
  else if (!invite && !inviteAsked) {
    inviteAsked = true;
    freshInvite(true);
  }
}

let inviteAsked = false;
/** Codes found revoked once already: never ask again for the same one (no loop). */
const retriedInvites = new Set();

/** A new invite code from the server; `keepEarlier` false revokes every earlier link. */
async function freshInvite(keepEarlier) {
  if (!token) return false;
  const res = await fetch(`/api/v1/sessions/${session}/invite?lang=${lang}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...csrfHeaders() },
    body: JSON.stringify({ keep_earlier: keepEarlier }),
  }).catch(() => null);
  if (!res || !res.ok) {
    const body = res ? await res.json().catch(() => ({})) : {};
    notice(body.error?.message ?? t("room.invite_failed"));
    return false;
  }
  const body = await res.json();
  localStorage.setItem(inviteKey(session), body.invite_code);
  $("invite").hidden = false;
  await showInvite(body.invite_code);
  return true;
}

let renderedPeopleKey = "";

/** The moderator's role form: everyone present but the moderator. Rebuilt only when they change. */
function renderRoleForm() {
  const form = $("role-form");
  const people = view.participants.filter((p) => p.role !== "moderator");
  form.hidden = view.phase === "closed" || people.length === 0;
  const key = people.map((p) => `${p.id}:${p.role}:${p.display_name}`).join("|");
  if (key === renderedPeopleKey) return;
  renderedPeopleKey = key;
  const who = $("role-who");
  const chosen = who.value;
  who.replaceChildren(
    ...people.map((p) => el("option", { value: p.id, text: `${p.display_name || t("room.former_participant")} (${t(`room.role.${p.role}`)})` })),
  );
  if (people.some((p) => p.id === chosen)) who.value = chosen;
}

async function showInvite(code) {
  const link = `${location.origin}${root.dataset.joinPath}#${encodeURIComponent(code)}`;
  $("invite-link").value = link;
  try {
    const res = await fetch(`/api/v1/sessions/${session}/invite-qr`, { headers: { "X-Invite-Code": code } });
    if (res.ok) {
      const svg = new DOMParser().parseFromString(await res.text(), "image/svg+xml").documentElement;
      $("invite-qr").replaceChildren(document.importNode(svg, true));
    } else if (res.status === 404 && token) {
      // Revoked (a participant was removed, or the links were renewed on another device):
      // the server hands this console a fresh code, leaving the other devices' links alone.
      if (retriedInvites.has(code)) return;
      retriedInvites.add(code);
      localStorage.removeItem(inviteKey(session));
      await freshInvite(true);
    }
  } catch {
    // The link is there; the picture is a convenience.
  }
}

function renderPending() {
  const box = $("pending");
  box.hidden = pending.length === 0;
  $("pending-list").replaceChildren(...pending.map((p) => el("li", { text: p.label })));
}

function renderRefused() {
  $("not-sent").hidden = refused.length === 0;
  $("not-sent-list").replaceChildren(
    ...refused.map((r) => el("li", {}, el("strong", { text: r.message }), el("br"), r.label)),
  );
}

// --- changing what was written --------------------------------------------------------------

/** The fields of each content type an author may edit, with their labels. */
const EDITABLE = {
  text: [["text", "room.f.text", true]],
  question: [["text", "room.f.question", true]],
  answer: [["text", "room.f.answer", true]],
  evaluation: [["text", "room.f.evaluation", true]],
  option: [["label", "room.f.option"], ["damage", "room.f.damage", true]],
  matrix_row: [["stakeholder", "room.f.stakeholder"], ["perspective", "room.f.perspective"], ["value", "room.f.value"], ["norm", "room.f.norm"]],
  choice: [["option", "room.f.choice"], ["supporting_value", "room.f.supporting_value"], ["harmed_value", "room.f.harmed_value"], ["damage_limitation", "room.f.damage_limitation", true], ["needs", "room.f.needs", true]],
  action: [["what", "room.f.action_what"], ["who", "room.f.action_who"], ["when", "room.f.action_when"]],
};

/** The buttons beside a contribution: the author's edit and withdraw, the moderator's mark. */
function actionsFor(c) {
  const out = [];
  const button = (text, onClick, cls = "secondary small") => {
    const b = el("button", { type: "button", class: cls, text });
    b.addEventListener("click", onClick);
    return b;
  };
  if (c.editable && c.content && EDITABLE[c.content.type]) {
    out.push(button(t("room.edit"), () => openEditor(c)));
  }
  if (c.editable) out.push(button(t("room.withdraw"), () => withdraw(c)));
  if (you?.role === "moderator" && view.phase !== "closed") {
    out.push(button(t("room.moderate"), () => openModeration(c)));
  }
  return out;
}

let editing = null;

function openEditor(c) {
  editing = c;
  $("moderate-form").hidden = true;
  const fields = EDITABLE[c.content.type].map(([key, label, area]) => {
    const id = `edit-${key}`;
    const input = area ? el("textarea", { id, rows: "3" }) : el("input", { id, type: key === "when" ? "date" : "text" });
    input.value = c.content[key] ?? "";
    return el("div", { class: "field" }, el("label", { for: id, text: t(label) }), input);
  });
  $("edit-fields").replaceChildren(...fields);
  $("edit-form").hidden = false;
  $("edit-form").querySelector("input, textarea")?.focus();
}

function closeEditor() {
  editing = null;
  $("edit-form").hidden = true;
}

$("edit-cancel").addEventListener("click", closeEditor);
$("edit-form").addEventListener("submit", (e) => {
  e.preventDefault();
  if (!editing) return;
  const content = { ...editing.content };
  for (const [key] of EDITABLE[content.type]) content[key] = $(`edit-${key}`).value.trim();
  command(
    { type: "edit_contribution", contribution_id: editing.id, content },
    `${t("room.cmd.edit_contribution")}: ${describe(content, t)}`,
  );
  closeEditor();
});

async function withdraw(c) {
  const answer = await ask({
    title: t("room.dialog.withdraw_title"),
    body: t("room.dialog.withdraw_body"),
    choices: [{ value: "withdraw", label: t("room.dialog.withdraw_confirm"), danger: true }],
    cancel: t("room.dialog.cancel"),
  });
  if (answer === "withdraw") {
    command({ type: "withdraw_contribution", contribution_id: c.id }, t("room.cmd.withdraw_contribution"));
  }
}

let moderating = null;

function openModeration(c) {
  moderating = c;
  closeEditor();
  $("moderate-quote").textContent = c.content ? describe(c.content, t) : t("room.hidden_content");
  $("moderate-reason").value = c.moderation?.reason ?? "";
  $("moderate-reason").removeAttribute("aria-invalid");
  $("moderate-clear").hidden = !c.moderation;
  $("moderate-form").hidden = false;
  $("moderate-reason").focus();
}

$("moderate-cancel").addEventListener("click", () => {
  moderating = null;
  $("moderate-form").hidden = true;
});
$("moderate-form").addEventListener("submit", (e) => {
  e.preventDefault();
  if (!moderating) return;
  const action = e.submitter?.value ?? "mark";
  const reason = $("moderate-reason").value.trim();
  if (action !== "clear" && !reason) {
    $("moderate-reason").setAttribute("aria-invalid", "true");
    $("moderate-reason").focus();
    notice(t("room.f.fill_in", { field: t("room.f.reason") }));
    return;
  }
  notice("");
  command(
    { type: "moderate_contribution", contribution_id: moderating.id, action, reason: action === "clear" ? "" : reason },
    t(`room.moderate.${action}`),
  );
  moderating = null;
  $("moderate-form").hidden = true;
});

$("invite-revoke").addEventListener("click", async () => {
  // Links already shared stop working: ask first.
  const answer = await ask({
    title: t("room.dialog.revoke_title"),
    body: t("room.dialog.revoke_body"),
    choices: [{ value: "revoke", label: t("room.dialog.revoke_confirm"), danger: true }],
    cancel: t("room.dialog.cancel"),
  });
  if (answer === "revoke" && (await freshInvite(false))) {
    $("announce").textContent = t("room.invite_revoked");
    notice("");
    $("invite-status").textContent = t("room.invite_revoked");
  }
});

// --- the countdown ----------------------------------------------------------------------

setInterval(() => {
  const timer = $("round-timer");
  if (!view || !view.deadline_ms || view.phase !== "in_round") {
    timer.hidden = true;
    return;
  }
  timer.hidden = false;
  const left = Math.max(0, Math.round((view.deadline_ms - Date.now()) / 1000));
  const mm = String(Math.floor(left / 60));
  const ss = String(left % 60).padStart(2, "0");
  timer.textContent = left > 0 ? t("room.time_left", { time: `${mm}:${ss}` }) : t("room.time_up");
}, 1000);

// --- user actions ------------------------------------------------------------------------

$("contribute").addEventListener("submit", (e) => {
  e.preventDefault();
  const round = view.rounds[view.current_round];
  const result = contentOf(round.kind, e.currentTarget, t);
  if (result.error) {
    notice(result.error);
    return;
  }
  notice("");
  command({ type: "contribute", content: result.content }, describe(result.content, t));
  e.currentTarget.reset();
});

for (const button of document.querySelectorAll("#console [data-command]")) {
  button.addEventListener("click", async () => {
    const type = button.dataset.command;
    if (type === "extend") command({ type: "extend_timebox", by_ms: 5 * 60 * 1000 }, t("room.cmd.extend"));
    else if (type === "end") {
      // Ending cannot be undone: ask first.
      const answer = await ask({
        title: t("room.dialog.end_title"),
        body: t("room.dialog.end_body"),
        choices: [{ value: "end", label: t("room.dialog.end_confirm"), danger: true }],
        cancel: t("room.dialog.cancel"),
      });
      if (answer === "end") command({ type: "end" }, t("room.cmd.end"));
    } else if (type === "next_round" && unrevealedWriting()) {
      // Moving on never reveals silently: the moderator chooses what happens to the writing.
      const answer = await ask({
        title: t("room.dialog.next_title"),
        body: t("room.dialog.next_body"),
        choices: [
          { value: "reveal", label: t("room.dialog.next_reveal") },
          { value: "discard", label: t("room.dialog.next_discard"), danger: true },
        ],
        cancel: t("room.dialog.cancel"),
      });
      if (answer) command({ type: "next_round", unrevealed: answer }, t("room.cmd.next_round"));
    } else command({ type }, t(`room.cmd.${type}`));
  });
}

/** Whether the current round holds hidden writing nobody has seen yet. */
function unrevealedWriting() {
  if (!view || view.phase !== "in_round") return false;
  const round = view.rounds[view.current_round];
  return round.reveal !== "immediate" && !round.revealed && (view.progress?.submitted ?? 0) > 0;
}

$("moral-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("moral-text").value.trim();
  if (!text) {
    $("moral-text").setAttribute("aria-invalid", "true");
    $("moral-text").focus();
    notice(t("room.f.fill_in", { field: t("room.moral_question") }));
    return;
  }
  $("moral-text").removeAttribute("aria-invalid");
  notice("");
  command({ type: "set_moral_question", text }, `${t("room.moral_question")}: ${text}`);
});

$("role-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const who = $("role-who").value;
  if (!who) return;
  command({ type: "set_role", who, role: $("role-role").value }, t("room.cmd.set_role"));
});

$("conclude").addEventListener("submit", (e) => {
  e.preventDefault();
  const conclusion = $("c-conclusion").value.trim();
  if (!conclusion) {
    $("c-conclusion").setAttribute("aria-invalid", "true");
    notice(t("room.f.conclusion_needed"));
    return;
  }
  $("c-conclusion").removeAttribute("aria-invalid");
  const actions = view.contributions
    .filter((c) => c.content.type === "action")
    .map((c) => ({ what: c.content.what, who: c.content.who, when: c.content.when }));
  command(
    {
      type: "conclude",
      conclusion,
      reasoning: $("c-reasoning").value.trim(),
      dissent: $("c-dissent").value.trim(),
      actions,
    },
    t("room.cmd.conclude"),
  );
});

// An unexpected script error is shown, never swallowed: the user must know the room may be stale.
window.addEventListener("error", (e) => notice(`${t("room.script_error")} (${e.message})`));
window.addEventListener("unhandledrejection", (e) => notice(`${t("room.script_error")} (${e.reason})`));

// --- start ---------------------------------------------------------------------------------

/** A signed-in member of the session's team joins without an invite: one button. */
async function joinAsMember(role) {
  const res = await fetch(`/api/v1/sessions/${session}/join?lang=${lang}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...csrfHeaders() },
    body: JSON.stringify({ role }),
  }).catch(() => null);
  const body = res ? await res.json().catch(() => ({})) : {};
  if (!res || !res.ok) {
    notice(body.error?.message ?? t("room.no_token"));
    return;
  }
  localStorage.setItem(tokenKey(session), body.token);
  location.reload();
}

if (!token) {
  stopped = true;
  setConnection("no_token");
  const join = document.getElementById("member-join");
  if (join && root.dataset.present === "1") {
    // Already in the session (another device of the same person): just a token for this one.
    joinAsMember("participant");
  } else if (join) {
    // A member joins as participant, or asks to be the case presenter (refused with a clear
    // message when the session already has one; the moderator can change roles later).
    for (const button of [join, document.getElementById("member-join-presenter")]) {
      button.hidden = false;
      button.addEventListener("click", () => joinAsMember(button.dataset.role));
    }
  } else {
    notice(t("room.no_token"));
  }
} else {
  renderPending();
  connect();
}
