"""A finished check-in's summary: the facts history pages and charts read."""

from . import flow


def build_summary(state: dict) -> dict:
    agenda = flow.AGENDAS[state["agenda"]]
    steps = state["steps"]
    summary: dict = {
        "status": state["status"],
        "arrive": {},
        "ratings": {},
        "commitments": {},
        "kept": {},
        "appreciations": 0,
        "rounds": 0,
        "breaks": len(state["breaks"]),
    }
    for step in agenda.steps:
        data = steps.get(step.key)
        if data is None:
            continue
        if step.kind == "arrive":
            for role, answer in data["answers"].items():
                summary["arrive"][role] = {
                    "mood": answer["mood"],
                    "connection": answer["connection"],
                }
                if "kept" in answer:
                    summary["kept"][role] = answer["kept"]
        elif step.kind == "appreciations":
            summary["appreciations"] += len(data["items"])
        elif step.kind == "floor":
            summary["rounds"] += data["rounds_done"]
        elif step.kind == "respond" and step.key in ("commitments", "next_time"):
            summary["commitments"].update(data["responses"])
        elif step.kind == "close":
            summary["ratings"] = {r: v["rating"] for r, v in data["ratings"].items()}
    return summary
