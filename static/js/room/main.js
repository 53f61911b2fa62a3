// The live room: one connection, one render from each snapshot.
import { renderBoundaries } from "./boundaries.js";
import { RoomConnection } from "./connection.js";
import { clear, h } from "./dom.js";
import { announcement, nameOf, renderStep, turnHint } from "./render.js";

const root = document.getElementById("room");
const $ = (id) => document.getElementById(id);
const draftStore = `drafts:${root.dataset.wsPath}`;

const ctx = {
  state: null,
  agenda: null,
  names: null,
  clockSkew: 0,
  pendingActions: new Map(), // action name -> client_id, while unacknowledged
  draftFor: new Map(), // client_id -> draft key, cleared once accepted
  drafts: new Map(Object.entries(JSON.parse(sessionStorage.getItem(draftStore) || "{}"))),
  partnerOf: (role) => (role === "a" ? "b" : "a"),
  renderBoundaries,
  extensions: [],
};

const connection = new RoomConnection(root.dataset.wsPath);

function saveDrafts() {
  sessionStorage.setItem(draftStore, JSON.stringify(Object.fromEntries(ctx.drafts)));
}
window.addEventListener("pagehide", saveDrafts);
document.addEventListener("input", (event) => {
  const key = event.target.dataset && event.target.dataset.draftKey;
  if (key) {
    ctx.drafts.set(key, event.target.value);
    saveDrafts();
  }
});

ctx.send = (action, data = {}, draftKey = null) => {
  hideError();
  const clientId = connection.send(action, data);
  ctx.pendingActions.set(action, clientId);
  if (draftKey) ctx.draftFor.set(clientId, draftKey);
  render();
};

function showError(message) {
  const box = $("room-error");
  box.textContent = message;
  box.hidden = false;
}
function hideError() {
  $("room-error").hidden = true;
}
ctx.showError = showError;

function settle(clientId, accepted) {
  for (const [action, id] of ctx.pendingActions) if (id === clientId) ctx.pendingActions.delete(action);
  const key = ctx.draftFor.get(clientId);
  ctx.draftFor.delete(clientId);
  if (accepted && key) {
    // A form's draft is its key, or several fields under "key:" (a scale, a word).
    for (const k of [...ctx.drafts.keys()]) if (k === key || k.startsWith(`${key}:`)) ctx.drafts.delete(k);
    saveDrafts();
  }
}

// --- Rendering ---------------------------------------------------------------------

function captureFocus() {
  const el = document.activeElement;
  if (!el || !root.contains(el)) return null;
  return {
    el,
    id: el.id,
    key: el.dataset.draftKey,
    action: el.closest("[data-action]") && el.closest("[data-action]").dataset.action,
    name: el.name,
    type: el.type,
    value: el.value,
    start: el.selectionStart,
    end: el.selectionEnd,
    tag: el.tagName,
  };
}

const focusable = (el) => el && !el.disabled && !el.closest("[hidden]") && el.getClientRects().length > 0;

// A re-render replaces the step's controls. Put focus back on the control that
// stands where the focused one was; if that is gone (the turn moved on), on the
// line that says what happens now, so a keyboard or screen-reader user is never
// thrown back to the top of the page.
function restoreFocus(saved) {
  // Still focused and still shown: leave it. (A control just hidden, like the break
  // panel when the break ends, keeps focus until the browser drops it to <body>.)
  if (!saved || (document.activeElement === saved.el && focusable(saved.el))) return;
  const q = (value) => CSS.escape(value || "");
  const candidates = [];
  if (saved.key) {
    candidates.push(saved.type === "radio"
      ? `[data-draft-key="${q(saved.key)}"][value="${q(saved.value)}"]`
      : `[data-draft-key="${q(saved.key)}"]`);
  }
  if (saved.id) candidates.push(`#${q(saved.id)}`);
  if (saved.action) {
    const scope = `[data-action="${q(saved.action)}"]`;
    if (saved.name) candidates.push(`${scope} [name="${q(saved.name)}"][value="${q(saved.value)}"]`, `${scope} [name="${q(saved.name)}"]`);
    if (saved.tag === "BUTTON") candidates.push(`button${scope}`, `${scope} button[type=submit]`);
    // The button is busy sending: stay in its form, ready for what comes next.
    candidates.push(`${scope} textarea, ${scope} input:not([type=radio]), ${scope} input:checked`);
  }
  let el = null;
  for (const selector of candidates) {
    el = [...root.querySelectorAll(selector)].find(focusable);
    if (el) break;
  }
  if (!el) {
    el = $("step-panel").hidden ? $("break-title") : $("turn-hint");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
  } else {
    el.focus({ preventScroll: true });
  }
  if (saved.start !== null && saved.start !== undefined && el.tagName === "TEXTAREA" && el.dataset.draftKey === saved.key) {
    el.setSelectionRange(saved.start, saved.end);
  }
}

function renderSteps() {
  const list = $("steps");
  clear(list);
  ctx.agenda.steps.forEach((step, index) => {
    const status = index < ctx.state.step ? "done" : index === ctx.state.step ? "current" : "todo";
    list.append(
      h("li", { class: `step step--${status}`, "aria-current": status === "current" ? "step" : false },
        h("span", { class: "visually-hidden" }, status === "done" ? "Done: " : status === "current" ? "Now: " : "Later: "),
        step.title),
    );
  });
}

function renderContinue() {
  const area = $("continue-area");
  clear(area);
  const { state } = ctx;
  if (!state.step_complete || state.break) return;
  if (state.ready[state.you]) {
    area.append(h("p", { class: "notice" }, `You're ready. Waiting for ${nameOf(ctx, state.partner)}…`));
  } else {
    const partnerReady = state.ready[state.partner];
    area.append(
      h("button", { type: "button", class: "button button--primary", "data-action": "next", disabled: ctx.pendingActions.has("next"), onclick: () => ctx.send("next") },
        partnerReady ? `Continue (${nameOf(ctx, state.partner)} is ready)` : "Continue to the next step"),
    );
  }
}

let breakTimer = null;
function renderBreak() {
  const panel = $("break-panel");
  const brk = ctx.state.break;
  const breakButton = $("break-button");
  breakButton.hidden = !!brk || !ctx.state.can.includes("call_break");
  clearInterval(breakTimer);
  if (!brk) {
    panel.hidden = true;
    $("step-panel").hidden = false;
    return;
  }
  panel.hidden = false;
  $("step-panel").hidden = true;
  $("break-who").textContent = brk.by === ctx.state.you ? "You called a break. That's a good call." : `${nameOf(ctx, brk.by)} called a break. Take this time for yourself too.`;
  const actions = $("break-actions");
  const tickClock = () => {
    const now = Date.now() / 1000 + ctx.clockSkew;
    const left = Math.max(0, brk.ends_at - now);
    const m = Math.floor(left / 60);
    const s = Math.floor(left % 60);
    $("break-remaining").textContent = `${m}:${String(s).padStart(2, "0")}`;
    const over = left <= 0;
    if (actions.dataset.over !== String(over) || actions.dataset.version !== String(connection.version)) {
      actions.dataset.over = String(over);
      actions.dataset.version = String(connection.version);
      clear(actions);
      if (!brk.ready[ctx.state.you]) {
        actions.append(
          h("button", { type: "button", class: "button", "data-action": "resume", disabled: ctx.pendingActions.has("resume"),
            onclick: () => ctx.send("resume", { early: !over }) },
            over ? "I'm ready to continue" : "I'm ready to end the break early"),
        );
      }
    }
  };
  const mine = brk.ready[ctx.state.you];
  const theirs = brk.ready[ctx.state.partner];
  $("break-ready-status").textContent = mine && !theirs ? `You're ready. Waiting for ${nameOf(ctx, ctx.state.partner)}.` : theirs && !mine ? `${nameOf(ctx, ctx.state.partner)} is ready when you are.` : "The room continues when you're both ready.";
  actions.dataset.version = "";
  tickClock();
  breakTimer = setInterval(tickClock, 1000);
}

function render(previous = null) {
  if (!ctx.state || !ctx.agenda) return;
  const { state } = ctx;
  const saved = captureFocus();
  const step = ctx.agenda.steps[state.step];
  if (state.status === "finished" || state.status === "ended") {
    window.location.assign(root.dataset.summaryUrl);
    return;
  }
  const titleChanged = $("step-title").textContent !== step.title;
  $("step-title").textContent = state.status === "paused" ? "Paused" : step.title;
  $("step-prompt").textContent = step.prompt;
  $("turn-hint").textContent = turnHint(ctx);
  renderSteps();
  renderBreak();
  const body = $("step-body");
  clear(body);
  if (state.status === "paused") {
    body.append(h("p", {}, "This check-in was paused after a long break. Resume when you're both here."),
      h("button", { type: "button", class: "button", "data-action": "reopen", onclick: () => ctx.send("reopen") }, "Resume the check-in"));
  } else {
    body.append(...renderStep(ctx));
  }
  renderContinue();
  $("end-button").disabled = !state.can.includes("end_early");
  for (const extension of ctx.extensions) extension(ctx);
  if (titleChanged && previous && previous.step !== state.step) {
    $("step-title").focus();
  } else {
    restoreFocus(saved);
  }
}

// --- Wiring ---------------------------------------------------------------------------

// A partner in the room answers our arrival at once; nobody answers when they're
// away, so no answer within this time means they're not here.
const PRESENCE_WAIT_MS = 1500;
let presenceTimer = null;

function showPresence(here) {
  clearTimeout(presenceTimer);
  const el = $("presence");
  el.dataset.here = String(here);
  const name = ctx.names ? nameOf({ ...ctx, state: ctx.state || { you: root.dataset.role } }, ctx.partnerOf(root.dataset.role)) : "Your partner";
  el.querySelector(".presence-text").textContent = here ? `${name} is here` : `${name} isn't in the room`;
}

connection.addEventListener("welcome", (event) => {
  ctx.agenda = event.detail.agenda;
  ctx.names = event.detail.names;
  clearTimeout(presenceTimer);
  presenceTimer = setTimeout(() => showPresence(false), PRESENCE_WAIT_MS);
});

// A live region is read out when its text changes, so words equal to the last ones
// (a second appreciation, say) would go unheard: empty it first, then set the words a
// moment later, when the emptying has reached the accessibility tree.
const ANNOUNCE_DELAY_MS = 100;
let announceTimer = null;
function announce(text) {
  const region = $("announcer");
  clearTimeout(announceTimer);
  region.textContent = "";
  announceTimer = setTimeout(() => {
    region.textContent = text;
  }, ANNOUNCE_DELAY_MS);
}

connection.addEventListener("state", (event) => {
  const previous = ctx.state;
  ctx.state = event.detail.state;
  ctx.clockSkew = event.detail.server_time - Date.now() / 1000;
  render(previous);
  const said = announcement(ctx, previous);
  if (said) announce(said);
});

connection.addEventListener("ack", (event) => {
  settle(event.detail.client_id, true);
  render();
  showConnection($("connection").dataset.state); // a retried save went through
});

connection.addEventListener("refused", (event) => {
  settle(event.detail.client_id, false);
  showConnection($("connection").dataset.state);
  showError(event.detail.message);
  render();
});

connection.addEventListener("retrying", () => {
  $("connection").textContent = "Saving… (retrying)";
});

connection.addEventListener("presence", (event) => showPresence(event.detail.partner_here));

function showConnection(state) {
  const el = $("connection");
  el.dataset.state = state;
  el.textContent = {
    connecting: "Connecting…",
    reconnecting: "Reconnecting…",
    open: "Connected",
    offline: "Offline — reconnecting soon. What you type is kept.",
    revoked: "You no longer have access to this room.",
  }[state];
}

connection.addEventListener("connection", (event) => {
  const { state } = event.detail;
  showConnection(state);
  if (state === "revoked") setTimeout(() => window.location.assign(root.dataset.dashboardUrl), 2500);
});

$("break-button").addEventListener("click", () => ctx.send("call_break"));
$("end-button").addEventListener("click", () => ctx.send("end_early"));

// Extensions (coaching, boundaries) register themselves on the context.
window.hearthRoom = ctx;
document.dispatchEvent(new CustomEvent("hearth:room-ready", { detail: ctx }));

connection.connect();
