// Renders one partner's view of the room from a state snapshot.
// Every step is drawn from the snapshot alone, so a reload or a resync lands
// exactly where the room is.
import { h } from "./dom.js";

const SCALE = [1, 2, 3, 4, 5];

export function nameOf(ctx, role) {
  return (ctx.names && ctx.names[role]) || (role === ctx.state.you ? "You" : "Your partner");
}

function can(ctx, action) {
  return ctx.state.can && ctx.state.can.includes(action);
}

// A textarea bound to a draft that survives re-renders and reloads.
export function textBox(ctx, { key, label, placeholder = "", rows = 3, max = 2000, coach = false }) {
  const id = `f-${key.replace(/[^a-z0-9]/gi, "-")}`;
  const area = h("textarea", {
    id,
    name: "text",
    rows,
    maxlength: max,
    placeholder,
    "data-draft-key": key,
    "aria-describedby": coach ? `${id}-count ${id}-coach` : `${id}-count`,
  });
  area.value = ctx.drafts.get(key) || "";
  const counter = h("p", { class: "help counter", id: `${id}-count` }, `${area.value.length} / ${max}`);
  area.addEventListener("input", () => {
    ctx.drafts.set(key, area.value);
    counter.textContent = `${area.value.length} / ${max}`;
  });
  const parts = [h("label", { for: id }, label), area, counter];
  if (coach) parts.push(h("div", { class: "coach", id: `${id}-coach`, "data-coach-for": key, "aria-live": "polite" }));
  return parts;
}

function actionForm(ctx, action, { fields, submit, data = () => ({}), draftKey = null, className = "" }) {
  const pending = ctx.pendingActions.has(action);
  const form = h(
    "form",
    { class: `action-form ${className}`, "data-action": action, novalidate: true },
    fields,
    h("button", { type: "submit", class: "button", disabled: pending }, pending ? "Sending…" : submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const payload = data(form);
    if (payload === null) return;
    ctx.send(action, payload, draftKey);
  });
  return form;
}

function actionButton(ctx, action, label, { data = {}, quiet = false } = {}) {
  const pending = ctx.pendingActions.has(action);
  return h(
    "button",
    {
      type: "button",
      class: quiet ? "button button--quiet" : "button",
      "data-action": action,
      disabled: pending,
      onclick: () => ctx.send(action, data),
    },
    pending ? "Sending…" : label,
  );
}

function textData(key, ctx) {
  return (form) => {
    const value = form.querySelector("textarea").value.trim();
    if (!value) {
      ctx.showError("Write something first.");
      return null;
    }
    return { text: value };
  };
}

// Unsent choices and words are drafts too: the partner's turn redraws the form,
// and a reload rebuilds it, without losing them.
function draftInput(ctx, key, attrs) {
  const input = h("input", { ...attrs, "data-draft-key": key });
  if (ctx.drafts.has(key)) input.value = ctx.drafts.get(key);
  return input;
}

function choices(ctx, name, legend, key, values) {
  return h(
    "fieldset",
    { class: "scale" },
    h("legend", {}, legend),
    values.map((v) =>
      h(
        "label",
        { class: "scale-option" },
        h("input", { type: "radio", name, value: v, checked: ctx.drafts.get(key) === String(v), required: true, "data-draft-key": key }),
        h("span", {}, String(v)),
      ),
    ),
  );
}

function scale(ctx, name, legend, key) {
  return choices(ctx, name, legend, key, SCALE);
}

// --- Steps -------------------------------------------------------------------

function renderArrive(ctx, data) {
  const { you, partner } = ctx.state;
  const mine = data.answers[you];
  const theirs = data.answers[partner];
  const revealed = mine && theirs && !theirs.hidden;
  const out = [];
  if (!mine && can(ctx, "arrive")) {
    const key = `${ctx.state.step_key}:arrive`;
    const fields = [
      scale(ctx, "mood", "Mood (1 low, 5 great)", `${key}:mood`),
      scale(ctx, "connection", "How connected you feel (1 distant, 5 close)", `${key}:connection`),
      h("label", { for: "arrive-word" }, "A word for how you're arriving (optional)"),
      draftInput(ctx, `${key}:word`, { id: "arrive-word", name: "word", maxlength: 40, type: "text", autocomplete: "off" }),
    ];
    if (ctx.state.last_commitment) {
      fields.push(
        choices(ctx, "kept", `Last week you committed: “${ctx.state.last_commitment}”. Did you keep it?`, `${key}:kept`, ["yes", "partly", "no"]),
      );
    }
    out.push(
      actionForm(ctx, "arrive", {
        fields,
        draftKey: key,
        submit: "Share when we've both answered",
        data: (form) => {
          const mood = form.querySelector("input[name=mood]:checked");
          const connection = form.querySelector("input[name=connection]:checked");
          const kept = form.querySelector("input[name=kept]:checked");
          if (!mood || !connection) {
            ctx.showError("Choose your mood and your sense of connection, 1 to 5.");
            return null;
          }
          if (ctx.state.last_commitment && !kept) {
            ctx.showError("Say whether you kept last week's commitment.");
            return null;
          }
          const payload = { mood: Number(mood.value), connection: Number(connection.value), word: form.querySelector("[name=word]").value };
          if (kept) payload.kept = kept.value;
          return payload;
        },
      }),
    );
  } else if (!revealed) {
    out.push(h("p", { class: "waiting" }, theirs ? "Both answered." : `Thanks. Waiting for ${nameOf(ctx, partner)} to answer — you'll see each other's answers together.`));
  }
  if (revealed) {
    out.push(
      h(
        "div",
        { class: "reveal" },
        [you, partner].map((role) => {
          const a = data.answers[role];
          return h(
            "article",
            { class: "reveal-card" },
            h("h2", {}, nameOf(ctx, role)), // under the step's h1: no level skipped
            h("p", {}, `Mood ${a.mood} of 5 · Connection ${a.connection} of 5`),
            a.word ? h("p", { class: "quote" }, a.word) : null,
            a.kept ? h("p", { class: "help" }, `Kept last week's commitment: ${a.kept}`) : null,
          );
        }),
      ),
    );
  }
  return out;
}

function renderAppreciations(ctx, data) {
  const { you, partner } = ctx.state;
  const n = ctx.state.settings.appreciations;
  const mineCount = data.items.filter((i) => i.by === you).length;
  const out = [];
  const list = h(
    "ul",
    { class: "thread" },
    data.items.map((item) =>
      h(
        "li",
        { class: `bubble bubble--${item.by === you ? "mine" : "theirs"}` },
        h("p", { class: "bubble-who" }, `${nameOf(ctx, item.by)} appreciates ${item.by === you ? nameOf(ctx, partner) : "you"}`),
        h("p", { class: "bubble-text" }, item.text),
        item.sent_ahead ? h("p", { class: "help" }, item.by === you ? "You sent this ahead, before the talk." : "Sent ahead, before the talk.") : null,
        item.acked
          ? h("p", { class: "help" }, item.by === you ? `${nameOf(ctx, partner)} received this.` : "You acknowledged this.")
          : item.by !== you
            ? actionButton(ctx, "acknowledge", "Thank you — received", { data: { id: item.id } })
            : h("p", { class: "help" }, "Waiting to be acknowledged."),
      ),
    ),
  );
  if (data.items.length) out.push(list);
  if (mineCount < n && can(ctx, "appreciate")) {
    out.push(
      actionForm(ctx, "appreciate", {
        fields: textBox(ctx, {
          key: `${ctx.state.step_key}:appreciate`,
          label: `Appreciation ${mineCount + 1} of ${n}`,
          placeholder: "I appreciated it when you…, it made me feel…",
          max: 2000,
          coach: true,
        }),
        submit: "Share appreciation",
        data: textData("appreciate", ctx),
        draftKey: `${ctx.state.step_key}:appreciate`,
      }),
    );
  } else if (mineCount >= n) {
    out.push(h("p", { class: "help" }, `You've shared your ${n}.`));
  }
  return out;
}

const PHASE_TEXT = {
  share: ["Share a short piece, as an I-statement.", "Listen. You'll mirror back what you hear."],
  mirror: ["Your partner is mirroring what you said.", "Mirror back what you heard, in your own words. No rebuttal — just what they said."],
  confirm: ["Did they get it? Confirm, or clarify what they missed.", "Waiting: is that what they meant?"],
  validate: ["Your partner is validating.", "Validate: “It makes sense that you feel … because …”"],
  empathy: ["Your partner is guessing how you feel.", "Guess a feeling: “I imagine you might feel …”"],
  pass: ["When you're ready, pass the floor.", "Waiting for the floor to pass to you."],
};

// The open question a floor step was given (drawn from the couple's ladder level).
function openQuestion(question) {
  const label = ["Your question", question.theme, question.depth_label].filter(Boolean).join(" · ");
  return h("div", { class: "open-question" }, h("p", { class: "eyebrow" }, label), h("p", { class: "open-question-text" }, question.text));
}

// Topics the partners brought from their personal practice: only the words they shared.
function broughtTopics(ctx, topics) {
  return h(
    "aside",
    { class: "brought-topics", "aria-label": "Brought to this talk" },
    h("p", { class: "eyebrow" }, "Brought to this talk"),
    h("ul", {}, topics.map((t) => h("li", {}, h("span", { class: "brought-by" }, `${t.by === ctx.state.you ? "You" : nameOf(ctx, t.by)}: `), t.text))),
  );
}

function renderFloor(ctx, data) {
  const { you, partner } = ctx.state;
  const out = [];
  if (data.question) out.push(openQuestion(data.question));
  if (data.topics && data.topics.length) out.push(broughtTopics(ctx, data.topics));
  out.push(h("p", { class: "help" }, `Round ${Math.min(data.rounds_done + 1, data.rounds)} of ${data.rounds}`));
  if (data.phase === "choose") {
    out.push(h("p", {}, "Who would like to speak first?"));
    if (can(ctx, "take_floor")) out.push(actionButton(ctx, "take_floor", "I'll speak first"));
    return out;
  }
  if (data.phase === "done") {
    out.push(h("p", { class: "notice" }, "You've both had the floor. Well listened."));
    return out;
  }
  const speaking = data.speaker === you;
  out.push(
    h(
      "p",
      { class: `floor-holder floor-holder--${speaking ? "you" : "partner"}` },
      speaking ? "You hold the floor." : `${nameOf(ctx, partner)} holds the floor. You listen.`,
    ),
  );
  const thread = h("ol", { class: "thread" });
  for (const piece of data.pieces) {
    thread.append(h("li", { class: `bubble bubble--${speaking ? "mine" : "theirs"}` }, h("p", { class: "bubble-who" }, `${nameOf(ctx, data.speaker)} shared`), h("p", { class: "bubble-text" }, piece.share)));
    const rounds = Math.max(piece.mirrors.length, piece.clarifications.length);
    for (let i = 0; i < rounds; i += 1) {
      if (piece.mirrors[i] !== undefined) {
        thread.append(h("li", { class: `bubble bubble--${speaking ? "theirs" : "mine"} bubble--mirror` }, h("p", { class: "bubble-who" }, `${nameOf(ctx, ctx.partnerOf(data.speaker))} mirrored`), h("p", { class: "bubble-text" }, piece.mirrors[i])));
      }
      if (piece.clarifications[i] !== undefined) {
        thread.append(h("li", { class: `bubble bubble--${speaking ? "mine" : "theirs"}` }, h("p", { class: "bubble-who" }, `${nameOf(ctx, data.speaker)} clarified`), h("p", { class: "bubble-text" }, piece.clarifications[i])));
      }
    }
    if (piece.confirmed) thread.append(h("li", { class: "thread-note" }, "✓ That's it — heard."));
  }
  if (data.validation) thread.append(h("li", { class: `bubble bubble--${speaking ? "theirs" : "mine"}` }, h("p", { class: "bubble-who" }, "Validation"), h("p", { class: "bubble-text" }, data.validation)));
  if (data.empathy) thread.append(h("li", { class: `bubble bubble--${speaking ? "theirs" : "mine"}` }, h("p", { class: "bubble-who" }, "Feeling guessed"), h("p", { class: "bubble-text" }, data.empathy)));
  if (thread.children.length) out.push(thread);

  const key = (a) => `${ctx.state.step_key}:${a}`;
  if (can(ctx, "share")) {
    out.push(actionForm(ctx, "share", { fields: textBox(ctx, { key: key("share"), label: data.pieces.length ? "Share another piece (or say you feel heard)" : "Share a piece", placeholder: "I feel … when … and I need …", coach: true }), submit: "Share", data: textData("share", ctx), draftKey: key("share") }));
    if (can(ctx, "heard")) out.push(actionButton(ctx, "heard", "I feel heard", { quiet: true }));
  }
  if (can(ctx, "mirror")) {
    out.push(actionForm(ctx, "mirror", { fields: textBox(ctx, { key: key("mirror"), label: "Mirror it back", placeholder: "What I hear you saying is…", coach: true }), submit: "Mirror", data: textData("mirror", ctx), draftKey: key("mirror") }));
  }
  if (can(ctx, "confirm")) {
    out.push(h("div", { class: "button-row" }, actionButton(ctx, "confirm", "That's it")));
    out.push(actionForm(ctx, "clarify", { fields: textBox(ctx, { key: key("clarify"), label: "Or clarify what was missed", placeholder: "Almost — what I meant was…" }), submit: "Clarify", data: textData("clarify", ctx), draftKey: key("clarify"), className: "secondary-form" }));
  }
  if (can(ctx, "validate")) {
    out.push(actionForm(ctx, "validate", { fields: textBox(ctx, { key: key("validate"), label: "Validate", placeholder: "It makes sense that you feel … because …" }), submit: "Validate", data: textData("validate", ctx), draftKey: key("validate") }));
  }
  if (can(ctx, "empathize")) {
    out.push(actionForm(ctx, "empathize", { fields: textBox(ctx, { key: key("empathize"), label: "Guess a feeling", placeholder: "I imagine you might feel…", max: 300, rows: 2 }), submit: "Offer", data: textData("empathize", ctx), draftKey: key("empathize") }));
    out.push(h("div", { class: "feeling-suggestions", "data-feelings-for": key("empathize") }));
  }
  if (can(ctx, "pass_floor")) out.push(actionButton(ctx, "pass_floor", "Pass the floor"));
  return out;
}

function renderRespond(ctx, data, step) {
  const { you, partner } = ctx.state;
  const out = [];
  const mine = data.responses[you];
  const theirs = data.responses[partner];
  if (mine === undefined && can(ctx, "respond")) {
    const key = `${step.key}:respond`;
    out.push(actionForm(ctx, "respond", { fields: textBox(ctx, { key, label: "Your answer", max: step.params.max_chars || 2000, coach: true }), submit: "Share", data: textData("respond", ctx), draftKey: key }));
  }
  const shown = [];
  if (mine !== undefined) shown.push([you, mine]);
  if (theirs !== undefined && !(theirs && theirs.hidden)) shown.push([partner, theirs]);
  if (shown.length) {
    out.push(h("ul", { class: "thread" }, shown.map(([role, text]) => h("li", { class: `bubble bubble--${role === you ? "mine" : "theirs"}` }, h("p", { class: "bubble-who" }, nameOf(ctx, role)), h("p", { class: "bubble-text" }, text)))));
  }
  if (mine !== undefined && (theirs === undefined || (theirs && theirs.hidden))) {
    out.push(h("p", { class: "waiting" }, step.params.reveal === "together" ? `Waiting for ${nameOf(ctx, partner)}. You'll see each other's answers together.` : `Waiting for ${nameOf(ctx, partner)}.`));
  }
  return out;
}

function renderBoundaries(ctx, data) {
  if (ctx.renderBoundaries) return ctx.renderBoundaries(ctx, data);
  return [h("p", {}, "Nothing to discuss this time. Continue when you're both ready.")];
}

function renderClose(ctx, data) {
  const { you, partner } = ctx.state;
  const out = [];
  if (!data.ratings[you] && can(ctx, "rate")) {
    const key = `${ctx.state.step_key}:rate`;
    out.push(
      actionForm(ctx, "rate", {
        fields: [
          scale(ctx, "rating", "How was this talk for you? (1 hard, 5 good)", `${key}:rating`),
          h("label", { for: "rate-word" }, "Anything to add (optional)"),
          draftInput(ctx, `${key}:word`, { id: "rate-word", name: "word", maxlength: 300, type: "text" }),
        ],
        draftKey: key,
        submit: "Finish",
        data: (form) => {
          const rating = form.querySelector("input[name=rating]:checked");
          if (!rating) {
            ctx.showError("Choose a rating from 1 to 5.");
            return null;
          }
          return { rating: Number(rating.value), word: form.querySelector("[name=word]").value };
        },
      }),
    );
  } else if (data.ratings[you] && !data.ratings[partner]) {
    out.push(h("p", { class: "waiting" }, `Thank you. Waiting for ${nameOf(ctx, partner)} to finish.`));
  }
  return out;
}

const STEP_RENDERERS = {
  arrive: renderArrive,
  appreciations: renderAppreciations,
  floor: renderFloor,
  respond: renderRespond,
  boundaries: renderBoundaries,
  close: renderClose,
};

export function renderStep(ctx) {
  const { state } = ctx;
  const step = ctx.agenda.steps[state.step];
  const data = state.steps[step.key];
  return STEP_RENDERERS[step.kind](ctx, data, step);
}

// What to do now, in one sentence, for the turn hint and the live region.
export function turnHint(ctx) {
  const { state } = ctx;
  if (state.status === "finished") return "This check-in is finished.";
  if (state.status === "ended") return "This check-in was ended.";
  if (state.status === "paused") return "This check-in is paused. Resume it when you're both ready.";
  if (state.break) return "You're on a break.";
  const step = ctx.agenda.steps[state.step];
  const data = state.steps[step.key];
  if (state.step_complete) {
    return state.ready[state.you] ? `Waiting for ${nameOf(ctx, state.partner)} to continue.` : "This step is done. Continue when you're ready.";
  }
  if (step.kind === "floor" && data.phase !== "choose" && data.phase !== "done") {
    const text = PHASE_TEXT[data.phase];
    return data.speaker === state.you ? text[0] : text[1];
  }
  if (step.kind === "appreciations" && state.can.includes("acknowledge")) return `${nameOf(ctx, state.partner)} shared an appreciation. Acknowledge it when you've taken it in.`;
  return state.can.filter((a) => !["call_break", "end_early"].includes(a)).length ? "Your turn." : `Waiting for ${nameOf(ctx, state.partner)}.`;
}

const VERBS = {
  arrive: "answered",
  appreciate: "shared an appreciation",
  acknowledge: "acknowledged your appreciation",
  take_floor: "took the floor",
  share: "shared",
  mirror: "mirrored what you said",
  confirm: "confirmed your mirror",
  clarify: "clarified",
  heard: "feels heard",
  validate: "validated",
  empathize: "guessed a feeling",
  pass_floor: "passed the floor",
  respond: "answered",
  rate: "rated the talk",
  next: "is ready to continue",
  call_break: "called a break",
  resume: "is ready to resume",
  reopen: "resumed the check-in",
  end_early: "ended the check-in",
  propose: "proposed a boundary",
  ask: "asked a question",
  answer: "answered your question",
  counter: "suggested a new version",
  accept: "accepted",
  decline: "declined",
  review: "made a review decision",
};

export function announcement(ctx, previous) {
  const last = ctx.state.last;
  if (!last || last.by !== ctx.state.partner) return "";
  if (previous && previous.last && previous.last.at === last.at && previous.last.action === last.action) return "";
  const said = `${nameOf(ctx, last.by)} ${VERBS[last.action] || "acted"}.`;
  const hint = turnHint(ctx);
  return hint.startsWith(said) ? hint : `${said} ${hint}`; // the hint may already say it
}
