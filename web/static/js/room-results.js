// A round's contributions laid out for discussion (issue 13.9), the same in the room and on the
// beamer: options as a table with their harm; judgements as a tally (how many chose each
// option, which values were named most) drawn as bars inside a table, so the numbers are text
// and the bars only show them; perspectives as the stakeholder × perspective × value × norm
// table; questions with their answers beneath; actions as a table; everything else as a list.
// Each contribution carries its author, "bewerkt", the moderator's mark with its reason, and
// the buttons the caller adds (edit, withdraw, moderate). Text only via textContent.

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== ""));
  return node;
};

/**
 * The layout of `list` (the visible contributions of one round) for a round of `kind`.
 * `ctx`: { t, authorName(author), actions(c) → nodes, tally (the round's selection tally) }.
 * Returns the nodes to put in the results container.
 */
export function renderResults(kind, list, ctx) {
  switch (kind) {
    case "options":
      return [...table(ctx, list.filter(isType("option")), [["label", "room.f.option"], ["damage", "room.f.damage"]], "room.results.options"), ...items(ctx, list.filter(notType("option")))];
    case "matrix":
      return table(ctx, list, [
        ["stakeholder", "room.f.stakeholder"],
        ["perspective", "room.f.perspective"],
        ["value", "room.f.value"],
        ["norm", "room.f.norm"],
      ], "room.results.matrix");
    case "choice":
      return judgements(ctx, list);
    case "questions":
      return questions(ctx, list);
    case "selection":
      return selection(ctx, list);
    case "conclusion":
      return [
        ...table(ctx, list.filter(isType("action")), [["what", "room.f.action_what"], ["who", "room.f.action_who"], ["when", "room.f.action_when"]], "room.results.actions"),
        ...items(ctx, list.filter(notType("action"))),
      ];
    default:
      return items(ctx, list);
  }
}

const isType = (type) => (c) => c.content?.type === type;
const notType = (type) => (c) => !c.content || c.content.type !== type;

/** Author, "bewerkt", the moderator's mark and the caller's buttons. */
function meta(ctx, c) {
  const { t } = ctx;
  const wrap = el("span", { class: "meta" });
  wrap.append(el("span", { class: "author", text: ctx.authorName(c.author) }));
  if (c.edited) wrap.append(" ", el("span", { class: "edited", text: `(${t("room.edited")})` }));
  if (c.revised) wrap.append(" ", el("span", { class: "revised", text: `(${t("room.revised")})` }));
  const out = [wrap];
  if (c.moderation) {
    const key = c.moderation.kind === "hidden" ? "room.mark.hidden" : "room.mark.marked";
    out.push(el("p", { class: `mark mark-${c.moderation.kind}`, role: "note", text: t(key, { reason: c.moderation.reason }) }));
  }
  const actions = ctx.actions ? ctx.actions(c) : [];
  if (actions.length) out.push(el("span", { class: "contribution-actions" }, ...actions));
  return out;
}

/** What a contribution says in one line, or that it was hidden. */
function textOf(ctx, c) {
  if (!c.content) return ctx.t("room.hidden_content");
  const x = c.content;
  return x.text ?? x.label ?? x.stakeholder ?? x.option ?? x.what ?? "";
}

/** A plain list: one item per contribution. */
function items(ctx, list) {
  if (!list.length) return [];
  return [
    el(
      "ol",
      { class: "contributions-list" },
      ...list.map((c) =>
        el("li", { class: `contribution${c.moderation ? ` moderated-${c.moderation.kind}` : ""}`, "data-id": c.id },
          el("p", { class: "contribution-text", text: textOf(ctx, c) }),
          ...meta(ctx, c)),
      ),
    ),
  ];
}

/** A table with a column per field and a last column for who wrote it. */
function table(ctx, list, columns, captionKey) {
  if (!list.length) return [];
  const { t } = ctx;
  const head = el("tr", {}, ...columns.map(([, label]) => el("th", { scope: "col", text: t(label) })), el("th", { scope: "col", text: t("room.results.by") }));
  const rows = list.map((c) => {
    const cells = c.content
      ? columns.map(([key, label]) => el("td", { "data-label": t(label), text: c.content[key] ?? "" }))
      : [el("td", { colspan: String(columns.length), class: "hidden-content", text: t("room.hidden_content") })];
    return el("tr", { class: `contribution${c.moderation ? ` moderated-${c.moderation.kind}` : ""}`, "data-id": c.id },
      ...cells, el("td", { class: "by", "data-label": t("room.results.by") }, ...meta(ctx, c)));
  });
  return [
    el("div", { class: "table-wrap" },
      el("table", { class: "results-table" }, el("caption", { text: t(captionKey) }), el("thead", {}, head), el("tbody", {}, ...rows))),
  ];
}

/** Counts of `values` (trimmed, case folded; shown as first written), most first. */
function count(values) {
  const counts = new Map();
  for (const v of values) {
    const text = (v ?? "").trim();
    if (!text) continue;
    const key = text.toLocaleLowerCase("nl");
    const entry = counts.get(key) ?? { label: text, n: 0 };
    entry.n += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n || a.label.localeCompare(b.label, "nl"));
}

/** A bar chart as a table: label, number, and a bar (aria-hidden: the number says it). */
function chart(ctx, captionKey, headKey, entries, total) {
  const { t } = ctx;
  const max = Math.max(1, ...entries.map((e) => e.n));
  const rows = entries.map((e) => {
    const bar = el("span", { class: "bar", "aria-hidden": "true" });
    // CSSOM, not a style attribute: allowed by the page's content security policy.
    bar.style.width = `${Math.round((e.n / max) * 100)}%`;
    return el("tr", {},
      el("th", { scope: "row", text: e.label }),
      el("td", { class: "count", text: t("room.results.count", { n: e.n, total }) }),
      el("td", { class: "bar-cell" }, bar));
  });
  return el("div", { class: "table-wrap" },
    el("table", { class: "chart" },
      el("caption", { text: t(captionKey) }),
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: t(headKey) }),
        el("th", { scope: "col", text: t("room.results.number") }),
        el("th", { scope: "col", class: "bar-head" }, el("span", { class: "visually-hidden", text: t("room.results.chart") })))),
      el("tbody", {}, ...rows)));
}

/** The individual judgements: the tally, the values named most, then each judgement. */
function judgements(ctx, list) {
  const { t } = ctx;
  const shown = list.filter((c) => c.content?.type === "choice");
  const rest = list.filter((c) => !c.content || c.content.type !== "choice");
  if (!shown.length) return items(ctx, rest);
  const total = shown.length;
  const out = [
    el("div", { class: "charts" },
      chart(ctx, "room.results.tally", "room.f.choice", count(shown.map((c) => c.content.option)), total),
      chart(ctx, "room.results.values_supporting", "room.f.value", count(shown.map((c) => c.content.supporting_value)).slice(0, 5), total),
      chart(ctx, "room.results.values_harmed", "room.f.value", count(shown.map((c) => c.content.harmed_value)).slice(0, 5), total)),
  ];
  const fields = [
    ["option", "room.f.choice"],
    ["supporting_value", "room.f.supporting_value"],
    ["harmed_value", "room.f.harmed_value"],
    ["damage_limitation", "room.f.damage_limitation"],
    ["needs", "room.f.needs"],
  ];
  out.push(
    el("ol", { class: "judgements" },
      ...shown.map((c) =>
        el("li", { class: `contribution judgement${c.moderation ? ` moderated-${c.moderation.kind}` : ""}`, "data-id": c.id },
          el("dl", {}, ...fields.filter(([k]) => c.content[k]).flatMap(([k, label]) => [el("dt", { text: t(label) }), el("dd", { text: c.content[k] })])),
          ...meta(ctx, c)))),
  );
  return [...out, ...items(ctx, rest)];
}

/** Questions, each with its answer beneath. */
function questions(ctx, list) {
  const { t } = ctx;
  const answers = list.filter((c) => c.content?.type === "answer");
  const asked = list.filter((c) => c.content?.type !== "answer");
  const byQuestion = (q) => answers.filter((a) => a.content.question_id === q.id);
  const orphans = answers.filter((a) => !asked.some((q) => q.id === a.content.question_id));
  if (!list.length) return [];
  return [
    el("ol", { class: "contributions-list questions" },
      ...asked.map((q) =>
        el("li", { class: `contribution${q.moderation ? ` moderated-${q.moderation.kind}` : ""}`, "data-id": q.id },
          el("p", { class: "contribution-text", text: textOf(ctx, q) }),
          ...meta(ctx, q),
          ...byQuestion(q).map((a) =>
            el("div", { class: "answer", "data-id": a.id },
              el("p", {}, el("strong", { text: `${t("room.f.answer")}: ` }), textOf(ctx, a)),
              ...meta(ctx, a))))),
      ...orphans.map((a) =>
        el("li", { class: "contribution", "data-id": a.id },
          el("p", {}, el("strong", { text: `${t("room.f.answer")}: ` }), textOf(ctx, a)), ...meta(ctx, a)))),
  ];
}

/** Proposals with their votes; one's own vote is named, others only counted. */
function selection(ctx, list) {
  const { t } = ctx;
  const proposals = list.filter((c) => !c.content || c.content.type === "text");
  const votes = new Map((ctx.tally ?? []).map((e) => [e.target, e.votes]));
  const mine = list.filter((c) => c.content?.type === "selection" && c.author?.kind === "you").pop();
  const out = [];
  if (proposals.length) {
    out.push(
      el("ol", { class: "contributions-list proposals" },
        ...proposals.map((c) =>
          el("li", { class: `contribution${c.moderation ? ` moderated-${c.moderation.kind}` : ""}`, "data-id": c.id },
            el("p", { class: "contribution-text", text: textOf(ctx, c) }),
            el("p", { class: "votes", text: t("room.results.votes", { n: votes.get(c.id) ?? 0 }) }),
            ...meta(ctx, c)))),
    );
  }
  if (mine) {
    const target = proposals.find((p) => p.id === mine.content.target);
    out.push(el("p", { class: "your-vote", text: t("room.results.your_vote", { text: target ? textOf(ctx, target) : "—" }) }));
  }
  return out;
}
