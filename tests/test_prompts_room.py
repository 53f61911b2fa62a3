"""The live room's "open question": a question drawn at the couple's level, answered in
turn on the floor, and recorded so the no-repeat rule covers the room."""

import pytest

from practice import flow
from practice import services as room_services
from practice.models import CheckIn
from practice.prompts import selectors
from practice.prompts.models import LadderRung, PromptUse
from tests.flow_helpers import T0, Play

QUESTION = {
    "id": "dreams-2-04",
    "text": "What would you like to try that you've felt shy about mentioning?",
    "theme": "Dreams",
    "depth": 2,
    "depth_label": "Personal",
}
INPUTS = {"open_question": {"question": QUESTION}}


def test_the_agenda_is_an_open_question_floor_then_close():
    agenda = flow.AGENDAS["open_question"]
    assert [(s.key, s.kind) for s in agenda.steps] == [
        ("open_question", "floor"),
        ("close", "close"),
    ]


def test_the_floor_step_carries_the_drawn_question_to_both_partners():
    state = flow.new_state("open_question", now=T0, step_inputs=INPUTS)
    step = state["steps"]["open_question"]
    assert step["question"] == {
        "id": "dreams-2-04",
        "text": QUESTION["text"],
        "theme": "Dreams",
        "depth_label": "Personal",
    }
    for role in flow.ROLES:
        assert (
            flow.view(state, role, T0)["steps"]["open_question"]["question"]["text"]
            == (QUESTION["text"])
        )


@pytest.mark.parametrize(
    "bad",
    [None, "a string", {"text": 7}, {"text": "   "}, ["list"], {"id": "x"}],
)
def test_a_malformed_question_input_is_dropped(bad):
    state = flow.new_state(
        "open_question", now=T0, step_inputs={"open_question": {"question": bad}}
    )
    assert "question" not in state["steps"]["open_question"]


def test_only_the_words_and_labels_enter_the_step():
    noisy = {**QUESTION, "text": " x " * 2000, "pk": 12, "theme": ["not", "text"]}
    state = flow.new_state(
        "open_question", now=T0, step_inputs={"open_question": {"question": noisy}}
    )
    question = state["steps"]["open_question"]["question"]
    assert set(question) == {"id", "text", "depth_label"}
    assert len(question["text"]) <= 2000


def test_both_answer_speaker_listener_style_and_the_question_stays():
    play = Play("open_question", step_inputs=INPUTS)
    play.do("b", "take_floor").floor_round("b").floor_round("a")
    data = play.state["steps"]["open_question"]
    assert data["phase"] == "done"
    assert [h["speaker"] for h in data["history"]] == ["b", "a"]
    assert data["question"]["text"] == QUESTION["text"]
    play.both("next").close()
    assert play.state["status"] == flow.FINISHED


def test_other_agendas_ignore_the_question_input():
    state = flow.new_state("listening", now=T0, step_inputs=INPUTS)
    assert "question" not in state["steps"]["listen"]


@pytest.mark.django_db
def test_starting_an_open_question_draws_at_the_couples_level_and_records_it(couple):
    couple, alex, sam = couple
    for theme in ("daily", "history", "attachment", "appreciation"):
        LadderRung.objects.create(couple=couple, theme=theme, level=2)
    expected = selectors.next_prompt(couple)
    checkin = room_services.checkin_start(user=sam, agenda="open_question")
    question = checkin.state["steps"]["open_question"]["question"]
    assert question["id"] == expected.key
    assert question["text"] == expected.text
    assert expected.depth == selectors.ladder_levels(couple)[expected.theme]
    use = PromptUse.objects.get(couple=couple)
    assert (use.prompt_id, use.source, use.checkin_id) == (expected.pk, "room", checkin.pk)


@pytest.mark.django_db
def test_other_agendas_record_no_question(couple):
    couple, alex, sam = couple
    room_services.checkin_start(user=alex, agenda="weekly")
    assert not PromptUse.objects.exists()


@pytest.mark.django_db
def test_the_next_open_question_is_a_different_one(couple):
    couple, alex, sam = couple
    seen = []
    for _ in range(3):
        checkin = room_services.checkin_start(user=alex, agenda="open_question")
        seen.append(checkin.state["steps"]["open_question"]["question"]["id"])
        CheckIn.objects.filter(pk=checkin.pk).update(status=CheckIn.Status.FINISHED)
    assert len(set(seen)) == 3
