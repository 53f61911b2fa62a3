"""The check-in state machine: pure Python, no Django, no I/O, no clock.

    apply(state, actor, action, data, now) -> Outcome | Refusal
    tick(state, now) -> Outcome | None          (time-driven transitions)
    view(state, role) -> dict                   (what one partner may see)
    allowed(state, role, now) -> list[str]      (what that partner may do now)

The state is a JSON-ready dict; `apply` never mutates its input. Partners are
roles "a" (who started the check-in) and "b". Time is seconds since the epoch,
always given by the caller, so the server's clock is the only clock.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .agendas import AGENDAS, Agenda, Step
from .errors import ErrorCode, Refusal

ROLES = ("a", "b")
SCHEMA = 1
MAX_TEXT = 2000
MAX_WORD = 40
BREAK_PAUSE_AFTER = 24 * 60 * 60  # a break not resumed within a day pauses the check-in
ACTIVE, FINISHED, ENDED, PAUSED = "active", "finished", "ended", "paused"
KEPT_CHOICES = ("yes", "partly", "no")

State = dict[str, Any]


def other(role: str) -> str:
    return "b" if role == "a" else "a"


@dataclass(frozen=True)
class Turn:
    """One accepted action, as the turn log records it."""

    action: str
    actor: str | None  # None for a transition the clock made
    step: str
    text: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    state: State
    turn: Turn
    # Facts for the service to act on beyond storing the state (e.g. a boundary
    # was agreed). Plain dicts with a "kind".
    events: tuple[dict, ...] = ()


# --- State construction -------------------------------------------------------


def new_state(
    agenda_key: str,
    *,
    now: float,
    appreciations: int = 3,
    break_minutes: int = 20,
    last_commitments: dict[str, str | None] | None = None,
    step_inputs: dict[str, dict] | None = None,
) -> State:
    """A fresh check-in on the first step of the agenda.

    `step_inputs` carries facts the engine can't look up itself, keyed by step
    key (e.g. the boundaries due for review), copied into that step on entry.
    """
    agenda = AGENDAS[agenda_key]
    state: State = {
        "schema": SCHEMA,
        "agenda": agenda_key,
        "status": ACTIVE,
        "step": 0,
        "started_at": now,
        "ended_at": None,
        "ended_by": None,
        "settings": {
            "appreciations": int(appreciations),
            "break_minutes": int(break_minutes),
            "last_commitments": dict(last_commitments or {}),
        },
        "inputs": copy.deepcopy(step_inputs or {}),
        "ready": {"a": False, "b": False},
        "break": None,
        "breaks": [],
        "steps": {},
        "last": None,
    }
    _enter_step(state, agenda.steps[0])
    return state


def agenda_of(state: State) -> Agenda:
    return AGENDAS[state["agenda"]]


def current_step(state: State) -> Step:
    return agenda_of(state).steps[state["step"]]


def _step_data(state: State) -> dict:
    return state["steps"][current_step(state).key]


def _enter_step(state: State, step: Step) -> None:
    inputs = state["inputs"].get(step.key, {})
    if step.kind == "arrive":
        data = {"answers": {}}
    elif step.kind == "appreciations":
        # Appreciations a partner sent ahead (from their gratitude notes) arrive already
        # shared: they count toward that partner's number and wait to be acknowledged.
        items = _sent_ahead(inputs.get("queued", []), state["settings"]["appreciations"])
        data = {"items": items, "next_id": len(items) + 1}
    elif step.kind == "floor":
        data = {
            "rounds": int(step.params.get("rounds", 2)),
            "rounds_done": 0,
            "speaker": None,
            "phase": "choose",
            "pieces": [],
            "validation": None,
            "empathy": None,
            "history": [],
            # Topics the partners brought to this talk: only the words they chose to share.
            "topics": _brought(inputs.get("topics", [])),
        }
        question = _question(inputs.get("question"))
        if question is not None:
            # An open question drawn for this step: both partners answer it in turn.
            data["question"] = question
    elif step.kind == "boundaries":
        due = [
            {**d, "decision": None, "pending": None, "amend_item": None}
            for d in copy.deepcopy(inputs.get("due", []))
        ]
        data = {"due": due, "items": [], "next_id": 1, "waiting": inputs.get("waiting", 0)}
    elif step.kind == "respond":
        data = {"responses": {}}
    else:  # close
        data = {"ratings": {}}
    state["steps"][step.key] = data
    state["ready"] = {"a": False, "b": False}


def _question(entry) -> dict | None:
    """A drawn question's words and labels ({"id", "text", "theme", "depth_label"}), or None."""
    if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
        return None
    text = entry["text"].strip()[:MAX_TEXT]
    if not text:
        return None
    fields = ("id", "theme", "depth_label")
    return {"text": text, **{k: entry[k] for k in fields if isinstance(entry.get(k), str)}}


def _brought(entries) -> list[dict]:
    """Well-formed {"by", "text"} inputs; anything else is dropped, never trusted."""
    if not isinstance(entries, list):
        return []
    return [
        {"by": e["by"], "text": e["text"].strip()}
        for e in entries
        if isinstance(e, dict)
        and e.get("by") in ROLES
        and isinstance(e.get("text"), str)
        and 0 < len(e["text"].strip()) <= MAX_TEXT
    ]


def _sent_ahead(entries, per_role: int) -> list[dict]:
    items: list[dict] = []
    for entry in _brought(entries):
        if sum(1 for i in items if i["by"] == entry["by"]) < per_role:
            items.append({"id": len(items) + 1, **entry, "acked": False, "sent_ahead": True})
    return items


# --- Data parsing -------------------------------------------------------------


def _text(data: dict, key: str = "text", *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refusal(ErrorCode.INVALID, f"“{key}” must be text.")
    value = value.strip()
    if required and not value:
        raise Refusal(ErrorCode.INVALID, "Write something first.")
    if len(value) > limit:
        raise Refusal(
            ErrorCode.TOO_LONG, f"That's {len(value)} characters; the limit here is {limit}."
        )
    return value


def _rating(data: dict, key: str, label: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise Refusal(ErrorCode.INVALID, f"Choose your {label} from 1 to 5.")
    return value


# --- Step completion ----------------------------------------------------------


def step_complete(state: State) -> bool:
    step = current_step(state)
    data = state["steps"][step.key]
    if step.kind in ("arrive", "respond"):
        key = "answers" if step.kind == "arrive" else "responses"
        return all(r in data[key] for r in ROLES)
    if step.kind == "appreciations":
        n = state["settings"]["appreciations"]
        items = data["items"]
        return all(sum(1 for i in items if i["by"] == r) >= n for r in ROLES) and all(
            i["acked"] for i in items
        )
    if step.kind == "floor":
        return data["phase"] == "done"
    if step.kind == "boundaries":
        return boundaries_settled(data)
    return False  # close ends the check-in by itself


def boundaries_settled(data: dict) -> bool:
    """Nothing open: every proposal agreed or declined, every due review decided."""
    open_items = any(i["status"] == "open" for i in data["items"])
    open_reviews = any(d.get("decision") is None for d in data["due"])
    return not open_items and not open_reviews


# --- Actions ------------------------------------------------------------------

Guard = Callable[[State, str, float], None]
Perform = Callable[[State, str, dict, float], Turn | tuple[Turn, tuple[dict, ...]]]


@dataclass(frozen=True)
class Action:
    name: str
    kinds: frozenset[str] | None  # step kinds where it applies; None = any step
    guard: Guard
    perform: Perform
    during_break: bool = False
    when_paused: bool = False


ACTIONS: dict[str, Action] = {}


def action(name: str, kinds=None, *, during_break=False, when_paused=False):
    def register(guard_and_perform: tuple[Guard, Perform]):
        guard, perform = guard_and_perform
        ACTIONS[name] = Action(
            name,
            frozenset(kinds) if kinds else None,
            guard,
            perform,
            during_break=during_break,
            when_paused=when_paused,
        )
        return guard_and_perform

    return register


def _no_guard(state, role, now):
    return None


def _turn(state: State, action_name: str, actor, text: str = "", **data) -> Turn:
    return Turn(action_name, actor, current_step(state).key, text, data)


# Moving on: both partners say they're ready once the step is complete.


def _guard_next(state, role, now):
    step = current_step(state)
    if step.kind == "close":
        raise Refusal(ErrorCode.WRONG_STEP, "The last step ends when you've both rated the talk.")
    if not step_complete(state):
        raise Refusal(ErrorCode.STEP_INCOMPLETE)
    if state["ready"][role]:
        raise Refusal(ErrorCode.ALREADY_DONE, "You're ready; waiting for your partner.")


def _perform_next(state, role, data, now):
    state["ready"][role] = True
    turn = _turn(state, "next", role)
    if all(state["ready"].values()):
        state["step"] += 1
        _enter_step(state, current_step(state))
    return turn


action("next")((_guard_next, _perform_next))


# Breaks: either partner, any time; both say when they're ready again.


def _guard_call_break(state, role, now):
    return None  # on_break is refused before guards run


def _perform_call_break(state, role, data, now):
    minutes = state["settings"]["break_minutes"]
    state["break"] = {
        "by": role,
        "started_at": now,
        "ends_at": now + minutes * 60,
        "ready": {"a": False, "b": False},
    }
    return _turn(state, "call_break", role)


action("call_break")((_guard_call_break, _perform_call_break))


def _guard_resume(state, role, now):
    brk = state["break"]
    if brk is None:
        raise Refusal(ErrorCode.NOT_ON_BREAK)
    if brk["ready"][role]:
        raise Refusal(ErrorCode.ALREADY_DONE, "You're ready; waiting for your partner.")


def _perform_resume(state, role, data, now):
    brk = state["break"]
    early = bool(data.get("early", False))
    if now < brk["ends_at"] and not early:
        minutes = max(1, round((brk["ends_at"] - now) / 60))
        raise Refusal(
            ErrorCode.BREAK_NOT_OVER,
            f"The cool-down has about {minutes} minute{'s' if minutes != 1 else ''} left. "
            "You can both agree to end it early.",
        )
    brk["ready"][role] = True
    turn = _turn(state, "resume", role, early=now < brk["ends_at"])
    if all(brk["ready"].values()):
        state["breaks"].append({"by": brk["by"], "started_at": brk["started_at"], "ended_at": now})
        state["break"] = None
    return turn


action("resume", during_break=True)((_guard_resume, _perform_resume))


def _guard_reopen(state, role, now):
    if state["status"] != PAUSED:
        raise Refusal(ErrorCode.INVALID, "This check-in isn't paused.")


def _perform_reopen(state, role, data, now):
    state["status"] = ACTIVE
    state["paused_at"] = None
    return _turn(state, "reopen", role)


action("reopen", when_paused=True)((_guard_reopen, _perform_reopen))


def _perform_end_early(state, role, data, now):
    if state["break"] is not None:
        brk = state["break"]
        state["breaks"].append({"by": brk["by"], "started_at": brk["started_at"], "ended_at": now})
        state["break"] = None
    state["status"] = ENDED
    state["ended_at"] = now
    state["ended_by"] = role
    return _turn(state, "end_early", role)


action("end_early", during_break=True, when_paused=True)((_no_guard, _perform_end_early))


# Arrive: answers hidden from the other until both have answered.


def _guard_arrive(state, role, now):
    if role in _step_data(state)["answers"]:
        raise Refusal(ErrorCode.ALREADY_DONE, "You've already answered.")


def _perform_arrive(state, role, data, now):
    answer = {
        "mood": _rating(data, "mood", "mood"),
        "connection": _rating(data, "connection", "sense of connection"),
        "word": _text(data, "word", required=False, limit=MAX_WORD),
    }
    if state["settings"]["last_commitments"].get(role):
        kept = data.get("kept")
        if kept not in KEPT_CHOICES:
            raise Refusal(
                ErrorCode.INVALID, "Say whether you kept last week's commitment: yes, partly or no."
            )
        answer["kept"] = kept
    _step_data(state)["answers"][role] = answer
    return _turn(state, "arrive", role, answer["word"], **answer)


action("arrive", {"arrive"})((_guard_arrive, _perform_arrive))


# Appreciations: each shares N; the other acknowledges each one.


def _guard_appreciate(state, role, now):
    n = state["settings"]["appreciations"]
    if sum(1 for i in _step_data(state)["items"] if i["by"] == role) >= n:
        raise Refusal(ErrorCode.ALREADY_DONE, f"You've shared all {n} appreciations.")


def _perform_appreciate(state, role, data, now):
    text = _text(data)
    step = _step_data(state)
    item = {"id": step["next_id"], "by": role, "text": text, "acked": False}
    step["next_id"] += 1
    step["items"].append(item)
    return _turn(state, "appreciate", role, text, id=item["id"])


action("appreciate", {"appreciations"})((_guard_appreciate, _perform_appreciate))


def _guard_acknowledge(state, role, now):
    if not any(i["by"] != role and not i["acked"] for i in _step_data(state)["items"]):
        raise Refusal(
            ErrorCode.NOT_YOUR_TURN, "There's no appreciation from your partner to acknowledge."
        )


def _perform_acknowledge(state, role, data, now):
    item_id = data.get("id")
    items = _step_data(state)["items"]
    item = next((i for i in items if i["id"] == item_id and not isinstance(item_id, bool)), None)
    if item is None:
        raise Refusal(ErrorCode.INVALID, "That appreciation doesn't exist.")
    if item["by"] == role:
        raise Refusal(ErrorCode.NOT_YOUR_TURN, "Your partner acknowledges your appreciations.")
    if item["acked"]:
        raise Refusal(ErrorCode.ALREADY_DONE, "You've already acknowledged that one.")
    item["acked"] = True
    reply = _text(data, "reply", required=False, limit=300)
    if reply:
        item["reply"] = reply
    return _turn(state, "acknowledge", role, reply, id=item_id)


action("acknowledge", {"appreciations"})((_guard_acknowledge, _perform_acknowledge))


# The floor: speaker shares, listener mirrors, speaker confirms or clarifies;
# once heard, the listener validates and guesses a feeling; the floor passes.


def _floor_guard(phase: str | tuple[str, ...], who: str):
    phases = (phase,) if isinstance(phase, str) else phase

    def guard(state, role, now):
        floor = _step_data(state)
        if floor["phase"] == "done":
            raise Refusal(ErrorCode.ALREADY_DONE, ROUNDS_DONE)
        if floor["phase"] == "choose":
            raise Refusal(ErrorCode.NOT_YOUR_TURN, "First, one of you takes the floor.")
        holder = floor["speaker"] if who == "speaker" else other(floor["speaker"])
        if role != holder:
            if who == "speaker":
                raise Refusal(ErrorCode.NOT_YOUR_TURN, "Your partner holds the floor; you listen.")
            raise Refusal(ErrorCode.NOT_YOUR_TURN, "You hold the floor; your partner does this.")
        if floor["phase"] not in phases:
            raise Refusal(ErrorCode.NOT_YOUR_TURN, _PHASE_HINT[floor["phase"]])

    return guard


_PHASE_HINT = {
    "share": "Waiting for the speaker to share.",
    "mirror": "Waiting for the listener to mirror what was said.",
    "confirm": "Waiting for the speaker to confirm or clarify the mirror.",
    "validate": "Waiting for the listener to validate.",
    "empathy": "Waiting for the listener to guess a feeling.",
    "pass": "Waiting for the speaker to pass the floor.",
}


ROUNDS_DONE = "You've both had the floor. Continue when you're ready."


def _guard_take_floor(state, role, now):
    phase = _step_data(state)["phase"]
    if phase == "done":
        raise Refusal(ErrorCode.ALREADY_DONE, ROUNDS_DONE)
    if phase != "choose":
        raise Refusal(ErrorCode.NOT_YOUR_TURN, "Someone already holds the floor.")


def _perform_take_floor(state, role, data, now):
    floor = _step_data(state)
    floor["speaker"] = role
    floor["phase"] = "share"
    return _turn(state, "take_floor", role)


action("take_floor", {"floor"})((_guard_take_floor, _perform_take_floor))


def _perform_share(state, role, data, now):
    text = _text(data)
    floor = _step_data(state)
    floor["pieces"].append({"share": text, "mirrors": [], "clarifications": [], "confirmed": False})
    floor["phase"] = "mirror"
    return _turn(state, "share", role, text, piece=len(floor["pieces"]))


action("share", {"floor"})((_floor_guard("share", "speaker"), _perform_share))


def _perform_mirror(state, role, data, now):
    text = _text(data)
    floor = _step_data(state)
    floor["pieces"][-1]["mirrors"].append(text)
    floor["phase"] = "confirm"
    return _turn(state, "mirror", role, text, piece=len(floor["pieces"]))


action("mirror", {"floor"})((_floor_guard("mirror", "listener"), _perform_mirror))


def _perform_confirm(state, role, data, now):
    floor = _step_data(state)
    floor["pieces"][-1]["confirmed"] = True
    floor["phase"] = "share"
    return _turn(state, "confirm", role, piece=len(floor["pieces"]))


action("confirm", {"floor"})((_floor_guard("confirm", "speaker"), _perform_confirm))


def _perform_clarify(state, role, data, now):
    text = _text(data)
    floor = _step_data(state)
    floor["pieces"][-1]["clarifications"].append(text)
    floor["phase"] = "mirror"
    return _turn(state, "clarify", role, text, piece=len(floor["pieces"]))


action("clarify", {"floor"})((_floor_guard("confirm", "speaker"), _perform_clarify))


def _guard_heard(state, role, now):
    _floor_guard("share", "speaker")(state, role, now)
    if not _step_data(state)["pieces"]:
        raise Refusal(
            ErrorCode.NOT_YOUR_TURN, "Share something first, then say when you feel heard."
        )


def _perform_heard(state, role, data, now):
    _step_data(state)["phase"] = "validate"
    return _turn(state, "heard", role)


action("heard", {"floor"})((_guard_heard, _perform_heard))


def _perform_validate(state, role, data, now):
    text = _text(data)
    floor = _step_data(state)
    floor["validation"] = text
    floor["phase"] = "empathy"
    return _turn(state, "validate", role, text)


action("validate", {"floor"})((_floor_guard("validate", "listener"), _perform_validate))


def _perform_empathize(state, role, data, now):
    text = _text(data, limit=300)
    floor = _step_data(state)
    floor["empathy"] = text
    floor["phase"] = "pass"
    return _turn(state, "empathize", role, text)


action("empathize", {"floor"})((_floor_guard("empathy", "listener"), _perform_empathize))


def _perform_pass_floor(state, role, data, now):
    floor = _step_data(state)
    floor["history"].append(
        {
            "speaker": role,
            "pieces": len(floor["pieces"]),
            "clarifications": sum(len(p["clarifications"]) for p in floor["pieces"]),
        }
    )
    floor["rounds_done"] += 1
    floor["pieces"] = []
    floor["validation"] = None
    floor["empathy"] = None
    if floor["rounds_done"] >= floor["rounds"]:
        floor["phase"] = "done"
        floor["speaker"] = None
    else:
        floor["speaker"] = other(role)
        floor["phase"] = "share"
    return _turn(state, "pass_floor", role)


action("pass_floor", {"floor"})((_floor_guard("pass", "speaker"), _perform_pass_floor))


# Respond: each answers the prompt once.


def _guard_respond(state, role, now):
    if role in _step_data(state)["responses"]:
        raise Refusal(ErrorCode.ALREADY_DONE, "You've already answered this one.")


def _perform_respond(state, role, data, now):
    limit = int(current_step(state).params.get("max_chars", MAX_TEXT))
    text = _text(data, limit=limit)
    _step_data(state)["responses"][role] = text
    return _turn(state, "respond", role, text)


action("respond", {"respond"})((_guard_respond, _perform_respond))


# Close: both rate the talk, then the check-in is finished.


def _guard_rate(state, role, now):
    if role in _step_data(state)["ratings"]:
        raise Refusal(ErrorCode.ALREADY_DONE, "You've already rated this talk.")


def _perform_rate(state, role, data, now):
    rating = {
        "rating": _rating(data, "rating", "rating"),
        "word": _text(data, "word", required=False, limit=300),
    }
    ratings = _step_data(state)["ratings"]
    ratings[role] = rating
    turn = _turn(state, "rate", role, rating["word"], rating=rating["rating"])
    if all(r in ratings for r in ROLES):
        state["status"] = FINISHED
        state["ended_at"] = now
    return turn


action("rate", {"close"})((_guard_rate, _perform_rate))


# --- Boundaries (the negotiation lives in boundaries.py) -----------------------

from . import boundaries as _boundaries  # noqa: E402  (registers its actions)

_boundaries.register(action, _step_data, _text, _turn)


# --- Applying -----------------------------------------------------------------


def _check(state: State, actor: str, act: Action, now: float) -> None:
    """Everything that decides whether `actor` may do `act` now, data aside."""
    status = state["status"]
    if status in (FINISHED, ENDED):
        raise Refusal(ErrorCode.FINISHED)
    if status == PAUSED and not act.when_paused:
        raise Refusal(ErrorCode.PAUSED)
    if state["break"] is not None and not act.during_break:
        raise Refusal(ErrorCode.ON_BREAK)
    if act.kinds is not None and current_step(state).kind not in act.kinds:
        raise Refusal(ErrorCode.WRONG_STEP)
    act.guard(state, actor, now)


def apply(
    state: State, actor: str, action_name: str, data: dict | None, now: float
) -> Outcome | Refusal:
    """Apply one partner's action: the outcome, or the refusal. Never raises for bad input."""
    if actor not in ROLES:
        return Refusal(ErrorCode.FORBIDDEN)
    act = ACTIONS.get(action_name) if isinstance(action_name, str) else None
    if act is None:
        return Refusal(ErrorCode.UNKNOWN_ACTION)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Refusal(ErrorCode.INVALID, "“data” must be an object.")
    try:
        _check(state, actor, act, now)
        new = copy.deepcopy(state)
        result = act.perform(new, actor, data, now)
    except Refusal as refusal:
        return refusal
    turn, events = result if isinstance(result, tuple) else (result, ())
    new["last"] = {"by": actor, "action": action_name, "at": now}
    return Outcome(new, turn, tuple(events))


def tick(state: State, now: float) -> Outcome | None:
    """The clock's own transitions: a break left for a day pauses the check-in."""
    brk = state["break"]
    if state["status"] == ACTIVE and brk and now - brk["started_at"] >= BREAK_PAUSE_AFTER:
        new = copy.deepcopy(state)
        new["breaks"].append({"by": brk["by"], "started_at": brk["started_at"], "ended_at": now})
        new["break"] = None
        new["status"] = PAUSED
        new["paused_at"] = now
        new["last"] = {"by": None, "action": "pause", "at": now}
        return Outcome(new, Turn("pause", None, current_step(state).key))
    return None


def allowed(state: State, role: str, now: float) -> list[str]:
    """The actions `role` may send now (their data still has to be valid)."""
    names = []
    for name, act in ACTIONS.items():
        try:
            _check(state, role, act, now)
        except Refusal:
            continue
        names.append(name)
    return names


# --- Views --------------------------------------------------------------------


def view(state: State, role: str, now: float | None = None) -> State:
    """The state as `role` may see it: what is still hidden is absent, not masked."""
    seen = copy.deepcopy(state)
    partner = other(role)
    agenda = agenda_of(state)
    for step in agenda.steps:
        data = seen["steps"].get(step.key)
        if data is None:
            continue
        hidden_key = None
        if step.kind == "arrive":
            hidden_key = "answers"
        elif step.kind == "respond" and step.params.get("reveal") == "together":
            hidden_key = "responses"
        if hidden_key and not all(r in data[hidden_key] for r in ROLES):
            answers = data[hidden_key]
            if partner in answers:
                answers[partner] = {"hidden": True}
    seen["settings"].pop("last_commitments", None)
    seen["inputs"] = {}
    seen["last_commitment"] = state["settings"]["last_commitments"].get(role)
    seen["you"] = role
    seen["partner"] = partner
    seen["step_key"] = current_step(state).key
    seen["step_kind"] = current_step(state).kind
    seen["step_complete"] = state["status"] == ACTIVE and step_complete(state)
    if now is not None:
        seen["can"] = allowed(state, role, now)
    return seen
