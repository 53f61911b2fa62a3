// The room's boundaries step: due reviews, proposals under negotiation, a new proposal.
// Drawn from the snapshot alone, like every step.
import { h } from "./dom.js";
import { nameOf, textBox } from "./render.js";

const WEEKS = [2, 4, 8, 12];

function who(ctx, party) {
  return party === ctx.state.you ? "You" : nameOf(ctx, party);
}

function button(ctx, label, action, data, { quiet = false, draftKey = null } = {}) {
  return h(
    "button",
    {
      type: "button",
      class: `button button--small${quiet ? " button--quiet" : ""}`,
      "data-action": action,
      disabled: ctx.pendingActions.has(action),
      onclick: () => ctx.send(action, data, draftKey),
    },
    label,
  );
}

// Each snapshot redraws the step. A disclosure keeps its open state across redraws
// (keyed like the form inside it), so the partner's turn doesn't fold away a form
// someone is typing in, and focus on its summary comes back by id. Once the form is
// answered it folds if accepted (its draft cleared) and stays open if refused.
function disclosure(ctx, key, summary, content) {
  const sent = ctx.sentDisclosures.get(key);
  if (sent && !ctx.pendingActions.has(sent)) {
    ctx.sentDisclosures.delete(key);
    const drafted = [...ctx.drafts.keys()].some((k) => k === key || k.startsWith(`${key}:`));
    if (!drafted) ctx.openDisclosures.delete(key);
  }
  const details = h(
    "details",
    { class: "disclosure", open: ctx.openDisclosures.has(key) },
    h("summary", { id: `sum-${key}`.replace(/[^a-z0-9-]/gi, "-") }, summary),
    content,
  );
  details.addEventListener("toggle", () => {
    if (!details.isConnected) return; // a redrawn one's late event
    if (details.open) ctx.openDisclosures.add(key);
    else ctx.openDisclosures.delete(key);
  });
  return details;
}

// Statement, consequence and review cadence, as one form.
function draftForm(ctx, { key, action, submit, extra = {}, initial = null }) {
  if (initial && !ctx.drafts.has(`${key}:statement`)) {
    ctx.drafts.set(`${key}:statement`, initial.statement);
    ctx.drafts.set(`${key}:consequence`, initial.consequence || "");
  }
  const select = h(
    "select",
    { id: `${key}-weeks`.replace(/[^a-z0-9-]/gi, "-"), name: "review_weeks" },
    WEEKS.map((w) => h("option", { value: w, selected: w === ((initial && initial.review_weeks) || 4) }, `Every ${w} weeks`)),
  );
  const form = h(
    "form",
    { class: "action-form boundary-form", "data-action": action, novalidate: true },
    textBox(ctx, { key: `${key}:statement`, label: "The boundary", placeholder: "When …, I need …", max: 500, rows: 2, coach: true }),
    textBox(ctx, { key: `${key}:consequence`, label: "If it's crossed (optional)", placeholder: "We pause and come back in an hour.", max: 300, rows: 2 }),
    h("label", { for: select.id }, "Review it"),
    select,
    h("button", { type: "submit", class: "button", disabled: ctx.pendingActions.has(action) }, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const [statement, consequence] = form.querySelectorAll("textarea");
    if (!statement.value.trim()) {
      ctx.showError("Write the boundary first: “When …, I need …”.");
      return;
    }
    ctx.sentDisclosures.set(key, action);
    ctx.send(
      action,
      { ...extra, statement: statement.value, consequence: consequence.value, review_weeks: Number(select.value) },
      key, // clears key:statement and key:consequence once accepted
    );
  });
  return form;
}

function smallTextForm(ctx, { key, label, action, data, submit, required = true, max = 500, quiet = false }) {
  const form = h(
    "form",
    { class: "action-form", "data-action": action, novalidate: true },
    textBox(ctx, { key, label, max, rows: 2 }),
    h(
      "button",
      { type: "submit", class: `button button--small${quiet ? " button--quiet" : ""}`, disabled: ctx.pendingActions.has(action) },
      submit,
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = form.querySelector("textarea").value;
    if (required && !text.trim()) {
      ctx.showError("Write something first.");
      return;
    }
    ctx.sentDisclosures.set(key, action);
    ctx.send(action, { ...data, text, reason: text }, key);
  });
  return form;
}

function renderItem(ctx, item) {
  const { you } = ctx.state;
  const latest = item.drafts[item.drafts.length - 1];
  const open = item.status === "open";
  const mine = latest.by === you;
  const base = `${ctx.state.step_key}:item${item.id}`;
  const thread = h(
    "ol",
    { class: "thread" },
    item.drafts.map((d, i) =>
      h(
        "li",
        { class: `bubble bubble--${d.by === you ? "mine" : "theirs"}` },
        h("p", { class: "bubble-who" }, i === 0 ? `${who(ctx, d.by)} proposed` : `${who(ctx, d.by)} suggested version ${d.n}`),
        h("p", { class: "bubble-text" }, d.statement),
        d.consequence ? h("p", { class: "help" }, `If it's crossed: ${d.consequence}`) : null,
        h("p", { class: "help" }, `Review every ${d.review_weeks} weeks`),
      ),
    ),
    item.questions.map((q) =>
      h(
        "li",
        { class: `bubble bubble--${q.by === you ? "mine" : "theirs"}` },
        h("p", { class: "bubble-who" }, `${who(ctx, q.by)} asked`),
        h("p", { class: "bubble-text" }, q.text),
        q.answer ? h("p", { class: "help" }, `Answer: ${q.answer}`) : null,
      ),
    ),
  );
  const status = {
    open: mine ? `Waiting for ${nameOf(ctx, ctx.state.partner)}.` : "Your turn: accept, ask, suggest an edit, or decline.",
    agreed: "Agreed by you both.",
    declined: "Not agreed.",
    withdrawn: "Withdrawn.",
    parked: "Left for later: it continues on the boundaries page.",
  }[item.status];
  const parts = [
    // h2: the step's title is the room's h1, so no heading level is skipped.
    h("h2", { class: "room-subhead" }, item.kind === "amend" ? "A change to a boundary" : "A proposal"),
    thread,
    h("p", { class: `notice${item.status === "agreed" ? " notice--agreed" : ""}` }, status),
  ];
  if (open) {
    for (const q of item.questions) {
      if (q.by !== you && q.answer === null) {
        parts.push(smallTextForm(ctx, { key: `${base}:answer${q.id}`, label: `Answer ${nameOf(ctx, q.by)}'s question`, action: "answer", data: { item: item.id, question: q.id }, submit: "Answer" }));
      }
    }
    if (!mine) {
      parts.push(h("div", { class: "button-row" }, button(ctx, `Accept version ${latest.n}`, "accept", { item: item.id, version: latest.n })));
      parts.push(disclosure(ctx, `${base}:ask`, "Ask a clarifying question",
        smallTextForm(ctx, { key: `${base}:ask`, label: "Your question", action: "ask", data: { item: item.id }, submit: "Ask" })));
      parts.push(disclosure(ctx, `${base}:counter`, "Suggest an edited version",
        draftForm(ctx, { key: `${base}:counter`, action: "counter", submit: "Suggest this version", extra: { item: item.id }, initial: latest })));
      parts.push(disclosure(ctx, `${base}:decline`, "Decline",
        smallTextForm(ctx, { key: `${base}:decline`, label: "Why, in a sentence (optional)", action: "decline", data: { item: item.id }, submit: "Decline", required: false, max: 300, quiet: true })));
    } else {
      parts.push(h("div", { class: "button-row" }, button(ctx, "Withdraw my version", "withdraw", { item: item.id }, { quiet: true })));
    }
    parts.push(h("div", { class: "button-row" }, button(ctx, "Leave it for later", "park", { item: item.id }, { quiet: true })));
  }
  return h("article", { class: "negotiation", "data-item": item.id }, parts);
}

function renderDue(ctx, due) {
  const { you } = ctx.state;
  const base = `${ctx.state.step_key}:due${due.boundary_id}`;
  const parts = [
    h("p", { class: "eyebrow" }, `Due for review · version ${due.version}`),
    h("p", { class: "boundary-statement" }, due.statement),
    due.consequence ? h("p", { class: "help" }, `If it's crossed: ${due.consequence}`) : null,
  ];
  if (due.decision) {
    const text = { keep: "Kept: the next review is set.", retire: "Retired.", amend: "A new version is being negotiated below.", later: "Left for another time." }[due.decision];
    parts.push(h("p", { class: "notice" }, text));
    return h("article", { class: "due-review", "data-boundary": due.boundary_id }, parts);
  }
  const pending = due.pending;
  if (pending) {
    parts.push(h("p", { class: "notice" }, pending.by === you ? `You proposed to ${pending.decision} it. Waiting for ${nameOf(ctx, ctx.state.partner)} to confirm.` : `${nameOf(ctx, pending.by)} proposes to ${pending.decision} it${pending.reason ? `: “${pending.reason}”` : ""}.`));
  }
  const keepLabel = pending && pending.by !== you && pending.decision === "keep" ? "Confirm: keep it" : "Keep it";
  parts.push(h("div", { class: "button-row" }, button(ctx, keepLabel, "review", { boundary: due.boundary_id, decision: "keep" }), button(ctx, "Not today", "review", { boundary: due.boundary_id, decision: "later" }, { quiet: true })));
  parts.push(disclosure(ctx, `${base}:amend`, "Change it",
    draftForm(ctx, { key: `${base}:amend`, action: "review", submit: "Propose this version", extra: { boundary: due.boundary_id, decision: "amend" }, initial: due })));
  const retireLabel = pending && pending.by !== you && pending.decision === "retire" ? "Confirm: retire it" : "Retire it";
  parts.push(disclosure(ctx, `${base}:retire`, retireLabel,
    smallTextForm(ctx, { key: `${base}:retire`, label: "Why it's no longer needed", action: "review", data: { boundary: due.boundary_id, decision: "retire" }, submit: retireLabel, required: !(pending && pending.decision === "retire" && pending.by !== you), max: 300 })));
  return h("article", { class: "due-review", "data-boundary": due.boundary_id }, parts);
}

export function renderBoundaries(ctx, data) {
  ctx.openDisclosures ||= new Set();
  ctx.sentDisclosures ||= new Map(); // disclosure key -> action, until answered
  const out = [];
  if (data.due.length) {
    out.push(h("h2", { class: "room-subhead" }, "Due for review"), ...data.due.map((due) => renderDue(ctx, due)));
  }
  out.push(...data.items.map((item) => renderItem(ctx, item)));
  if (data.waiting) {
    out.push(h("p", { class: "help" }, `${data.waiting} proposal${data.waiting === 1 ? " is" : "s are"} waiting on the boundaries page.`));
  }
  if (!data.due.length && !data.items.length) {
    out.push(h("p", {}, "Nothing due for review. Propose a boundary if there's one you need, or continue when you're both ready."));
  }
  const propose = `${ctx.state.step_key}:propose`;
  out.push(disclosure(ctx, propose, "Propose a boundary", draftForm(ctx, { key: propose, action: "propose", submit: "Propose" })));
  return out;
}
