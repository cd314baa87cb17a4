// Consistency hints: while a case (or conclusion) is written, the most similar adopted
// precedents appear beside it. A panel `[data-source="ID ..."]` follows the fields with those
// ids (e.g. the title and the case); after a pause in typing it asks
// POST /api/v1/precedents/similar and lists title, citation, shortened conclusion and a link. Text holding a BSN or IBAN is refused by the server; the
// refusal is shown instead of results. No inline script (CSP); text only via textContent.

import { csrfHeaders } from "./session-keys.js";

const DEBOUNCE_MS = 700;
const MIN_CHARS = 40;
const lang = document.documentElement.lang || "nl";

for (const panel of document.querySelectorAll("[data-source]")) {
  const sources = panel.dataset.source.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean);
  if (sources.length === 0) continue;
  const textOf = () => sources.map((s) => s.value.trim()).filter(Boolean).join("\n");
  const status = panel.querySelector(".similar-status");
  const list = panel.querySelector(".similar-list");
  const say = (key, vars = {}) => {
    status.textContent = (panel.dataset[key] ?? "").replace(/\{(\w+)\}/g, (_, n) => String(vars[n] ?? ""));
  };
  let timer = null;
  let controller = null;
  let lastText = null;

  async function refresh() {
    const text = textOf();
    if (text === lastText) return;
    lastText = text;
    controller?.abort();
    if (text.length < MIN_CHARS) {
      list.replaceChildren();
      say("idle");
      return;
    }
    controller = new AbortController();
    say("searching");
    try {
      const res = await fetch(`/api/v1/precedents/similar?lang=${lang}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...csrfHeaders() },
        body: JSON.stringify({ text }),
        signal: controller.signal,
      });
      const body = await res.json();
      if (!res.ok) {
        list.replaceChildren();
        status.textContent = body.error?.message ?? panel.dataset.failed;
        return;
      }
      render(body.results ?? []);
    } catch (e) {
      if (e.name === "AbortError") return;
      lastText = null; // try again on the next change
      list.replaceChildren();
      say("failed");
    }
  }

  function render(results) {
    list.replaceChildren();
    if (results.length === 0) {
      say("none");
      return;
    }
    // "1 vergelijkbaar precedent", "2 vergelijkbare precedenten": singular and plural apart.
    say(results.length === 1 ? "foundOne" : "found", { count: results.length });
    for (const r of results) {
      const li = document.createElement("li");
      li.className = "similar-item";
      const title = document.createElement("a");
      title.href = r.url;
      title.textContent = r.title;
      const heading = document.createElement("h3");
      heading.append(title);
      li.append(heading);
      const reference = r.citation_id ?? r.ref;
      if (reference) {
        const cite = document.createElement("p");
        cite.className = "citation";
        cite.textContent = r.decided_on ? `${reference} · ${r.decided_on}` : reference;
        li.append(cite);
      }
      if (r.conclusion) {
        const conclusion = document.createElement("p");
        const label = document.createElement("strong");
        label.textContent = `${panel.dataset.conclusion} `;
        conclusion.append(label, r.conclusion);
        li.append(conclusion);
      }
      if (r.shared?.length) {
        const shared = document.createElement("p");
        shared.className = "help";
        shared.textContent = panel.dataset.shared.replace("{words}", r.shared.join(", "));
        li.append(shared);
      }
      list.append(li);
    }
  }

  for (const source of sources) {
    source.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, DEBOUNCE_MS);
    });
  }
  if (textOf()) refresh();
}
