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

    def respond(self):
        return self.both("respond").both("next")

    def close(self):
        return self.do("a", "rate").do("b", "rate")
