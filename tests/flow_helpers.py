"""Drive the pure engine through named situations, for the engine's tests."""

from practice import flow
from practice.flow import Refusal

T0 = 1_700_000_000.0


def valid_data(state: dict, role: str, action: str) -> dict:
    """Data that would be valid for `action` if it were allowed."""
    if action == "arrive":
        data = {"mood": 3, "connection": 4, "word": "tired"}
        if state["settings"]["last_commitments"].get(role):
            data["kept"] = "partly"
        return data
    if action == "acknowledge":
        step = state["steps"].get("appreciations", {"items": []})
        pending = [i for i in step["items"] if i["by"] != role and not i["acked"]]
        return {"id": pending[0]["id"] if pending else 999}
    if action in BOUNDARY_ACTIONS:
        return boundary_data(state, role, action)
    if action == "rate":
        return {"rating": 4, "word": "good"}
    if action == "resume":
        return {"early": True}
    if action in {
        "appreciate",
        "share",
        "mirror",
        "clarify",
        "validate",
        "empathize",
        "respond",
    }:
        return {"text": f"{action} by {role}"}
    return {}


BOUNDARY_ACTIONS = {
    "propose",
    "ask",
    "answer",
    "counter",
    "accept",
    "decline",
    "withdraw",
    "park",
    "review",
}
DRAFT = {
    "statement": "When I get home, I need ten quiet minutes.",
    "consequence": "",
    "review_weeks": 4,
}


def boundary_data(state: dict, role: str, action: str) -> dict:
    from practice.flow import negotiation as neg

    if action == "propose":
        return dict(DRAFT)
    step = state["steps"].get("boundaries", {"items": [], "due": []})
    items = step["items"]
    respondable = [i for i in items if neg.can_respond(i, role)]
    own = [i for i in items if i["status"] == "open" and neg.latest(i)["by"] == role]
    open_items = [i for i in items if i["status"] == "open"]
    if action in ("ask", "counter", "accept", "decline"):
        item = respondable[0] if respondable else {"id": 999, "drafts": [{"n": 1, **DRAFT}]}
        latest = item["drafts"][-1]
        return {
            "ask": {"item": item["id"], "text": "What counts as quiet?"},
            "counter": {
                "item": item["id"],
                "statement": latest["statement"] + " Twenty would be better.",
                "review_weeks": 8,
            },
            "accept": {"item": item["id"], "version": latest["n"]},
            "decline": {"item": item["id"], "reason": "Not like this"},
        }[action]
    if action == "answer":
        for item in items:
            for q in item["questions"]:
                if q["by"] != role and q["answer"] is None:
                    return {"item": item["id"], "question": q["id"], "text": "No phone, no chores."}
        return {"item": 999, "question": 1, "text": "?"}
    if action == "withdraw":
        return {"item": own[0]["id"] if own else 999}
    if action == "park":
        return {"item": open_items[0]["id"] if open_items else 999}
    # review
    due = next((d for d in step["due"] if d["decision"] is None), None)
    if due is None:
        return {"boundary": 999, "decision": "keep"}
    pending = due.get("pending")
    if pending and pending["by"] != role:
        return {"boundary": due["boundary_id"], "decision": pending["decision"], "reason": "ok"}
    if pending:
        return {"boundary": due["boundary_id"], "decision": "later"}
    return {"boundary": due["boundary_id"], "decision": "keep"}


DUE = {
    "boundaries": {
        "due": [
            {
                "boundary_id": 7,
                "statement": "When we argue at night, we stop at 11 and sleep on it.",
                "consequence": "",
                "review_weeks": 4,
                "version": 1,
            }
        ]
    }
}


class Play:
    """A check-in being played: every step must be accepted."""

    def __init__(self, agenda: str = "weekly", now: float = T0, **kwargs):
        self.now = now
        self.state = flow.new_state(agenda, now=now, **kwargs)
        self.turns: list[flow.Turn] = []

    def do(self, role: str, action: str, data: dict | None = None, *, at: float | None = None):
        if at is not None:
            self.now = at
        else:
            self.now += 1
        if data is None:
            data = valid_data(self.state, role, action)
        result = flow.apply(self.state, role, action, data, self.now)
        assert not isinstance(result, Refusal), f"{role} {action} refused: {result}"
        self.state = result.state
        self.turns.append(result.turn)
        return self

    def try_(self, role: str, action: str, data: dict | None = None):
        if data is None:
            data = valid_data(self.state, role, action)
        return flow.apply(self.state, role, action, data, self.now + 1)

    def both(self, action: str, data: dict | None = None):
        return self.do("a", action, data).do("b", action, data)

    @property
    def step(self) -> str:
        return flow.current_step(self.state).key

    def phase(self) -> str:
        return self.state["steps"][self.step]["phase"]

    # Complete steps ---------------------------------------------------------

    def arrive(self):
        return self.both("arrive").both("next")

    def appreciations(self):
        n = self.state["settings"]["appreciations"]
        for _ in range(n):
            self.both("appreciate")
        for _ in range(n):
            self.both("acknowledge")
        return self.both("next")

    def floor_round(self, speaker: str, *, clarify: bool = False):
        listener = flow.other(speaker)
        self.do(speaker, "share").do(listener, "mirror")
        if clarify:
            self.do(speaker, "clarify").do(listener, "mirror")
        self.do(speaker, "confirm").do(speaker, "heard")
        self.do(listener, "validate").do(listener, "empathize").do(speaker, "pass_floor")
        return self

    def floor(self, first: str = "a"):
        self.do(first, "take_floor")
        self.floor_round(first).floor_round(flow.other(first))
        return self.both("next")

    def boundaries(self):
        return self.both("next")

    def respond(self):
        return self.both("respond").both("next")

    def close(self):
        return self.do("a", "rate").do("b", "rate")
