// The contribution form of each round kind, the content it sends (docs/protocol.md §3), and a
// one-line description of a content for lists. Labels come from the locale strings.

const field = (id, label, { area = false, type = "text", required = true, options = null } = {}) => {
  const wrap = document.createElement("div");
  wrap.className = "field";
  const l = document.createElement("label");
  l.htmlFor = id;
  l.textContent = label;
  let input;
  if (options) {
    input = document.createElement("select");
    for (const [value, text] of options) {
      const o = document.createElement("option");
      o.value = value;
      o.textContent = text;
      input.append(o);
    }
  } else if (area) {
    input = document.createElement("textarea");
    input.rows = 3;
  } else {
    input = document.createElement("input");
    input.type = type;
  }
  input.id = id;
  input.name = id;
  if (required) input.required = true;
  wrap.append(l, input);
  return wrap;
};

/** The fields for a round of `kind`, for someone in `role`; `all` = every visible contribution. */
export function fieldsFor(kind, role, all, roundIndex, t) {
  const here = all.filter((c) => c.round_index === roundIndex);
  switch (kind) {
    case "questions":
      if (role === "presenter") {
        const open = here.filter(
          (c) => c.content.type === "question" && !here.some((a) => a.content.type === "answer" && a.content.question_id === c.id),
        );
        return [
          field("f-question", t("room.f.question_to_answer"), { options: open.map((q) => [q.id, q.content.text]) }),
          field("f-text", t("room.f.answer"), { area: true }),
        ];
      }
      return [field("f-text", t("room.f.question"), { area: true })];
    case "matrix":
      return [
        field("f-stakeholder", t("room.f.stakeholder")),
        field("f-perspective", t("room.f.perspective")),
        field("f-value", t("room.f.value")),
        field("f-norm", t("room.f.norm")),
      ];
    case "options":
      return [field("f-label", t("room.f.option")), field("f-damage", t("room.f.damage"), { area: true })];
    case "choice": {
      const options = all.filter((c) => c.content.type === "option").map((c) => [c.content.label, c.content.label]);
      return [
        options.length ? field("f-option", t("room.f.choice"), { options }) : field("f-option", t("room.f.choice")),
        field("f-supporting", t("room.f.supporting_value")),
        field("f-harmed", t("room.f.harmed_value")),
        field("f-limitation", t("room.f.damage_limitation"), { area: true }),
        field("f-needs", t("room.f.needs"), { area: true }),
      ];
    }
    case "selection": {
      const candidates = here.filter((c) => c.content.type === "text").map((c) => [c.id, c.content.text]);
      const out = [field("f-text", t("room.f.candidate"), { area: true, required: false })];
      if (candidates.length) {
        out.push(field("f-target", t("room.f.vote"), { options: [["", "—"], ...candidates], required: false }));
      }
      return out;
    }
    case "conclusion":
      return [
        field("f-what", t("room.f.action_what")),
        field("f-who", t("room.f.action_who")),
        field("f-when", t("room.f.action_when"), { type: "date" }),
      ];
    case "evaluation":
      return [field("f-text", t("room.f.evaluation"), { area: true })];
    default:
      return [field("f-text", t("room.f.text"), { area: true })];
  }
}

/** The content the form holds for a round of `kind`: `{content}` or `{error}`. */
export function contentOf(kind, form, t) {
  const v = (id) => (form.querySelector(`#${id}`)?.value ?? "").trim();
  const need = (...ids) => {
    for (const id of ids) {
      const input = form.querySelector(`#${id}`);
      if (input && !input.value.trim()) {
        input.setAttribute("aria-invalid", "true");
        input.focus();
        return t("room.f.fill_in", { field: form.querySelector(`label[for=${id}]`)?.textContent ?? id });
      }
      input?.removeAttribute("aria-invalid");
    }
    return null;
  };
  let error = null;
  let content = null;
  switch (kind) {
    case "questions":
      if (form.querySelector("#f-question")) {
        error = need("f-question", "f-text");
        content = { type: "answer", question_id: v("f-question"), text: v("f-text") };
      } else {
        error = need("f-text");
        content = { type: "question", text: v("f-text") };
      }
      break;
    case "matrix":
      error = need("f-stakeholder", "f-perspective", "f-value", "f-norm");
      content = {
        type: "matrix_row",
        stakeholder: v("f-stakeholder"),
        perspective: v("f-perspective"),
        value: v("f-value"),
        norm: v("f-norm"),
      };
      break;
    case "options":
      error = need("f-label", "f-damage");
      content = { type: "option", label: v("f-label"), damage: v("f-damage") };
      break;
    case "choice":
      error = need("f-option", "f-supporting", "f-harmed");
      content = {
        type: "choice",
        option: v("f-option"),
        supporting_value: v("f-supporting"),
        harmed_value: v("f-harmed"),
        damage_limitation: v("f-limitation"),
        needs: v("f-needs"),
      };
      break;
    case "selection":
      if (v("f-target")) content = { type: "selection", target: v("f-target") };
      else {
        error = need("f-text");
        content = { type: "text", text: v("f-text") };
      }
      break;
    case "conclusion":
      error = need("f-what", "f-who", "f-when");
      content = { type: "action", what: v("f-what"), who: v("f-who"), when: v("f-when") };
      break;
    case "evaluation":
      error = need("f-text");
      content = { type: "evaluation", text: v("f-text") };
      break;
    default:
      error = need("f-text");
      content = { type: "text", text: v("f-text") };
  }
  return error ? { error } : { content };
}

/** One line saying what a content holds. */
export function describe(c, t) {
  switch (c.type) {
    case "matrix_row":
      return `${c.stakeholder} — ${c.perspective} — ${c.value} — ${c.norm}`;
    case "option":
      return `${c.label} (${t("room.f.damage")}: ${c.damage})`;
    case "choice":
      return [
        `${t("room.f.choice")}: ${c.option}`,
        `${t("room.f.supporting_value")}: ${c.supporting_value}`,
        `${t("room.f.harmed_value")}: ${c.harmed_value}`,
        c.damage_limitation && `${t("room.f.damage_limitation")}: ${c.damage_limitation}`,
        c.needs && `${t("room.f.needs")}: ${c.needs}`,
      ]
        .filter(Boolean)
        .join(" · ");
    case "action":
      return `${c.what} — ${c.who} — ${c.when}`;
    case "answer":
      return `${t("room.f.answer")}: ${c.text}`;
    case "selection":
      return `${t("room.f.vote")}: ${c.target}`;
    default:
      return c.text ?? "";
  }
}
