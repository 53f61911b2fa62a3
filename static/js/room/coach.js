// Live coaching while a partner types: a debounced review from the server's coach,
// shown under the textarea before anything is sent. It never blocks sending, and
// everything it shows goes in as text (textContent), never as HTML.
import { h, clear } from "./dom.js";

const script = document.getElementById("coach-script");
const dataEl = document.getElementById("coach-data");
const config = dataEl ? JSON.parse(dataEl.textContent) : { tips: {} };
const URL_ = script && script.dataset.url;
const CSRF = script && script.dataset.csrf;
const DEBOUNCE_MS = 400;
const MAX_CHARS = 2000;
// Fields coached though render.js gives them no coach box.
const EXTRA_COACHED = [":clarify", ":validate", ":empathize"];

const reviews = new Map(); // draft key -> { text, review }
const timers = new Map(); // draft key -> timeout id
const latest = new Map(); // draft key -> request number, so a slow answer never wins
const feelings = new Map(); // speaker's text -> suggested feelings
let requests = 0;
let pausedUntil = 0;

async function ask(body) {
  if (!URL_ || Date.now() < pausedUntil) return null;
  try {
    const response = await fetch(URL_, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": CSRF },
      body: JSON.stringify(body),
    });
    if (response.status === 429) {
      pausedUntil = Date.now() + 60_000; // the coach rests; writing goes on
      return null;
    }
    return response.ok ? await response.json() : null;
  } catch {
    return null; // offline: coaching is a help, never a gate
  }
}

function stepKeyOf(key) {
  return key.slice(0, key.lastIndexOf(":"));
}

function mirroredText(ctx, key) {
  const step = ctx.state && ctx.state.steps[stepKeyOf(key)];
  const pieces = (step && step.pieces) || [];
  const last = pieces[pieces.length - 1];
  return last ? [last.share, ...(last.clarifications || [])].join(" ") : "";
}

function speakerText(ctx, key) {
  const step = ctx.state && ctx.state.steps[stepKeyOf(key)];
  const pieces = (step && step.pieces) || [];
  return pieces.map((p) => [p.share, ...(p.clarifications || [])].join(" ")).join(" ");
}

// --- Showing a review ----------------------------------------------------------

const STATEMENT_LABEL = { i_statement: "I-statement", blame: "May land as blame", neutral: "Neutral" };
const MIRROR_LABEL = { good: "Good mirror", partial: "Partly there", missed: "Not a mirror yet" };

function statementCard(review) {
  const label = review.warm ? "Warm" : STATEMENT_LABEL[review.kind] || "";
  const card = h("div", { class: `coach-card coach-card--${review.warm ? "warm" : review.kind}`, "data-kind": review.kind },
    h("p", { class: "coach-verdict" }, h("span", { class: "coach-badge" }, label), " ", review.message));
  const flags = review.spans.filter((s) => s.severity === "strong").concat(review.spans.filter((s) => s.severity !== "strong")).slice(0, 3);
  if (flags.length) {
    card.append(h("ul", { class: "coach-flags" }, flags.map((s) => h("li", {}, h("mark", { class: "coach-flag" }, s.text), ": ", s.note))));
  }
  if (review.suggestion) {
    card.append(h("p", { class: "coach-suggestion" }, review.kind === "i_statement" ? "" : "Try: ", h("q", {}, review.suggestion)));
  }
  return card;
}

function mirrorCard(review) {
  const card = h("div", { class: `coach-card coach-card--${review.verdict}`, "data-verdict": review.verdict },
    h("p", { class: "coach-verdict" }, h("span", { class: "coach-badge" }, MIRROR_LABEL[review.verdict]), " ", review.message));
  const items = [];
  for (const added of review.added.slice(0, 2)) items.push(h("li", {}, h("mark", { class: "coach-flag" }, added.text), ": ", added.note));
  for (const missing of review.missing.slice(0, 2)) items.push(h("li", {}, "Not yet in your mirror: ", h("q", {}, missing)));
  if (items.length) card.append(h("ul", { class: "coach-flags" }, items));
  return card;
}

function paint(box, entry) {
  const signature = entry ? JSON.stringify(entry.review) : "";
  if (box.dataset.signature === signature) return;
  box.dataset.signature = signature;
  clear(box);
  if (!entry) return;
  box.append(entry.review.type === "mirror" ? mirrorCard(entry.review) : statementCard(entry.review));
}

// --- Watching the textareas ----------------------------------------------------

function boxFor(root, area) {
  const key = area.dataset.draftKey;
  let box = root.querySelector(`[data-coach-for="${CSS.escape(key)}"]`);
  if (!box && EXTRA_COACHED.some((suffix) => key.endsWith(suffix))) {
    const counter = document.getElementById(`${area.id}-count`) || area;
    box = h("div", { class: "coach", id: `${area.id}-coach`, "data-coach-for": key, "aria-live": "polite" });
    counter.after(box);
    area.setAttribute("aria-describedby", `${area.getAttribute("aria-describedby") || ""} ${box.id}`.trim());
  }
  return box;
}

function schedule(ctx, area, box) {
  const key = area.dataset.draftKey;
  clearTimeout(timers.get(key));
  timers.set(key, setTimeout(() => run(ctx, key), DEBOUNCE_MS));
  if (!area.value.trim()) {
    reviews.delete(key);
    paint(box, null);
  }
}

async function run(ctx, key) {
  const area = document.querySelector(`textarea[data-draft-key="${CSS.escape(key)}"]`);
  if (!area) return;
  const text = area.value.slice(0, MAX_CHARS);
  if (!text.trim()) return;
  const mirror = key.endsWith(":mirror");
  const number = ++requests;
  latest.set(key, number);
  const review = await ask(mirror ? { kind: "mirror", text, original: mirroredText(ctx, key) } : { kind: "statement", text });
  if (!review || latest.get(key) !== number) return;
  reviews.set(key, { text, review });
  // The room may have re-rendered meanwhile: paint into whichever box is there now.
  const now = document.querySelector(`textarea[data-draft-key="${CSS.escape(key)}"]`);
  const box = now && boxFor(document, now);
  if (box && now.value.slice(0, MAX_CHARS) === text) paint(box, reviews.get(key));
}

function watch(ctx, root) {
  for (const area of root.querySelectorAll("textarea[data-draft-key]")) {
    const box = boxFor(root, area);
    if (!box) continue;
    const key = area.dataset.draftKey;
    if (area.dataset.coachBound !== "1") {
      area.dataset.coachBound = "1";
      area.addEventListener("input", () => schedule(ctx, area, box));
    }
    const entry = reviews.get(key);
    if (entry && entry.text === area.value.slice(0, MAX_CHARS)) {
      paint(box, entry);
    } else if (area.value.trim()) {
      schedule(ctx, area, box); // a draft restored after a reload gets its review too
    }
  }
}

// --- Feelings to guess (empathy step) ------------------------------------------

function insertFeeling(area, word) {
  const value = area.value.trimEnd();
  area.value = value ? `${value}${/[,.;:!?]$/.test(value) ? " " : ", "}${word}` : `I imagine you might feel ${word}`;
  area.dispatchEvent(new Event("input", { bubbles: true }));
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
}

async function suggest(ctx, root) {
  for (const box of root.querySelectorAll("[data-feelings-for]")) {
    const key = box.dataset.feelingsFor;
    const original = speakerText(ctx, key);
    if (!original) continue;
    if (!feelings.has(original)) {
      feelings.set(original, []);
      const answer = await ask({ kind: "feelings", original });
      feelings.set(original, (answer && answer.feelings) || []);
    }
    const words = feelings.get(original);
    const live = document.querySelector(`[data-feelings-for="${CSS.escape(key)}"]`);
    if (!live || live.dataset.words === words.join(",")) continue;
    live.dataset.words = words.join(",");
    clear(live);
    if (!words.length) continue;
    live.append(
      h("p", { class: "help", id: `${key}-feelings-label` }, "Feelings you might guess (adds the word to your answer):"),
      h("ul", { class: "feeling-list", "aria-labelledby": `${key}-feelings-label` },
        words.map((word) => h("li", {}, h("button", {
          type: "button",
          class: "feeling-chip",
          onclick: () => {
            const area = document.querySelector(`textarea[data-draft-key="${CSS.escape(key)}"]`);
            if (area) insertFeeling(area, word);
          },
        }, word)))),
    );
  }
}

// --- A tip for this moment -------------------------------------------------------

function momentKey(ctx) {
  const { state, agenda } = ctx;
  if (!state || !agenda || state.status !== "active" || state.break) return null;
  const step = agenda.steps[state.step];
  const data = state.steps[step.key] || {};
  const can = (a) => state.can && state.can.includes(a);
  if (step.kind === "floor") {
    if (!data.speaker || data.phase === "done" || data.phase === "choose") return null;
    return `floor:${data.phase}:${data.speaker === state.you ? "speaker" : "listener"}`;
  }
  if (step.kind === "appreciations") return `appreciations::${can("appreciate") ? "speaker" : "listener"}`;
  if (step.kind === "boundaries") return `boundaries::${can("propose") || can("counter") ? "speaker" : "listener"}`;
  if (step.kind === "respond") return "respond::speaker";
  return null;
}

function showTip(ctx) {
  const hint = document.getElementById("turn-hint");
  if (!hint) return;
  let tip = document.getElementById("coach-tip");
  if (!tip) {
    tip = h("aside", { id: "coach-tip", class: "coach-tip", "aria-label": "A tip for this moment", hidden: true },
      h("p", { class: "coach-tip-text" }));
    hint.after(tip);
  }
  const key = momentKey(ctx);
  const tips = (key && config.tips[key]) || [];
  const text = tips.map((t) => t.text).join(" ");
  tip.hidden = !text;
  const p = tip.querySelector(".coach-tip-text");
  if (p.textContent !== text) p.textContent = text;
  tip.dataset.moment = key || "";
}

// --- Wiring --------------------------------------------------------------------

function onRender(ctx) {
  const root = document.getElementById("room");
  if (!root || !ctx.state) return;
  watch(ctx, root);
  suggest(ctx, root);
  showTip(ctx);
}

function start(ctx) {
  if (ctx.coachStarted) return;
  ctx.coachStarted = true;
  ctx.extensions.push(onRender);
  onRender(ctx);
}

if (window.hearthRoom) start(window.hearthRoom);
else document.addEventListener("hearth:room-ready", (event) => start(event.detail), { once: true });
