"""From personal practice to the next check-in: appreciations sent ahead, topics brought.

Through the real services: share, start a check-in, play it, end it; then look at what
each partner's view of the room holds and at the queue afterwards.
"""

import json
import uuid

import pytest

from couples import services as couple_services
from practice import flow, services
from practice.models import CheckIn
from practice.personal import services as personal
from practice.personal.models import SharedItem
from practice.personal.services import PersonalError
from tests.factories import make_couple, make_user
from tests.flow_helpers import valid_data

pytestmark = pytest.mark.django_db


def act(checkin, user, name, data=None):
    state = CheckIn.objects.get(pk=checkin.pk).state
    if data is None:
        data = valid_data(state, checkin.role_of(user), name)
    result = services.checkin_act(
        checkin_id=checkin.pk, user=user, action=name, data=data, client_id=uuid.uuid4()
    )
    assert isinstance(result, services.Accepted), result
    return result


def state_of(checkin) -> dict:
    return CheckIn.objects.get(pk=checkin.pk).state


def view_of(checkin, user) -> dict:
    return flow.view(state_of(checkin), checkin.role_of(user), 0)


def arrive(checkin, a, b):
    for user in (a, b):
        act(checkin, user, "arrive")
    for user in (a, b):
        act(checkin, user, "next")


def finish_appreciations(checkin, a, b):
    n = state_of(checkin)["settings"]["appreciations"]
    for user in (a, b):
        role = checkin.role_of(user)
        mine = [i for i in state_of(checkin)["steps"]["appreciations"]["items"] if i["by"] == role]
        for _ in range(n - len(mine)):
            act(checkin, user, "appreciate")
    for user in (a, b):
        role = checkin.role_of(user)
        for item in state_of(checkin)["steps"]["appreciations"]["items"]:
            if item["by"] != role and not item["acked"]:
                act(checkin, user, "acknowledge", {"id": item["id"]})
    for user in (a, b):
        act(checkin, user, "next")


def end_early(checkin, user):
    act(checkin, user, "end_early")


@pytest.fixture
def shared(couple):
    """Alex sends a gratitude note ahead; Sam brings a topic out of a private journal entry."""
    _, alex, sam = couple
    note = personal.note_create(user=alex, kind="gratitude", text="Grateful for Sam's patience")
    thanks = personal.share_text(
        user=alex, kind="appreciation", text="Thank you for waiting up for me.", note=note
    )
    trigger = personal.trigger_save(user=sam, situation="Late replies at night")
    entry = personal.entry_save(
        user=sam,
        body="PRIVATE-BODY I felt abandoned when the phone stayed dark.",
        mood=2,
        tags="PRIVATE-TAG",
        triggers=[trigger],
    )
    topic = personal.share_text(
        user=sam, kind="topic", text="How we stay in touch on late nights", entry=entry
    )
    return alex, sam, thanks, topic


def test_a_sent_appreciation_arrives_shared_in_the_next_checkin(shared):
    alex, sam, thanks, _ = shared
    checkin = services.checkin_start(user=alex, agenda="weekly")
    thanks.refresh_from_db()
    assert thanks.claimed_by == checkin and thanks.delivered_at is None
    arrive(checkin, alex, sam)
    items = view_of(checkin, sam)["steps"]["appreciations"]["items"]
    assert [(i["by"], i["text"], i["sent_ahead"]) for i in items] == [
        ("a", "Thank you for waiting up for me.", True)
    ]
    # It counts toward Alex's number: two more to share, not three.
    for _ in range(2):
        act(checkin, alex, "appreciate")
    refused = services.checkin_act(
        checkin_id=checkin.pk,
        user=alex,
        action="appreciate",
        data={"text": "one too many"},
        client_id=uuid.uuid4(),
    )
    assert isinstance(refused, services.Refused)
    act(checkin, sam, "acknowledge", {"id": items[0]["id"]})


def test_delivered_once_the_checkin_reached_its_step_and_never_shown_again(shared):
    alex, sam, thanks, _ = shared
    first = services.checkin_start(user=alex, agenda="weekly")
    arrive(first, alex, sam)
    end_early(first, sam)
    thanks.refresh_from_db()
    assert thanks.delivered_in == first and thanks.delivered_at is not None
    assert thanks.claimed_by is None
    second = services.checkin_start(user=sam, agenda="weekly")
    arrive(second, sam, alex)
    assert state_of(second)["steps"]["appreciations"]["items"] == []


def test_a_checkin_ended_before_the_step_hands_it_back_to_the_queue(shared):
    alex, sam, thanks, topic = shared
    first = services.checkin_start(user=alex, agenda="weekly")
    end_early(first, alex)  # still on "arrive": nobody saw anything
    for item in (thanks, topic):
        item.refresh_from_db()
        assert item.claimed_by is None and item.delivered_at is None
    second = services.checkin_start(user=sam, agenda="weekly")
    # Sam started this one, so Alex is partner "b" now: roles follow the people.
    arrive(second, sam, alex)
    items = state_of(second)["steps"]["appreciations"]["items"]
    assert [(i["by"], i["text"]) for i in items] == [("b", "Thank you for waiting up for me.")]


def test_topics_show_at_the_listening_step_to_both_with_only_the_shared_words(shared):
    alex, sam, _, topic = shared
    checkin = services.checkin_start(user=alex, agenda="weekly")
    arrive(checkin, alex, sam)
    finish_appreciations(checkin, alex, sam)
    for user in (alex, sam):
        seen = view_of(checkin, user)
        assert seen["steps"]["listen"]["topics"] == [
            {"by": "b", "text": "How we stay in touch on late nights"}
        ]
        raw = json.dumps(seen)
        for secret in ("PRIVATE-BODY", "PRIVATE-TAG", "Late replies", "Grateful for Sam"):
            assert secret not in raw
    end_early(checkin, alex)
    topic.refresh_from_db()
    assert topic.delivered_in == checkin


def test_a_listening_talk_takes_topics_and_leaves_appreciations_queued(shared):
    alex, sam, thanks, topic = shared
    checkin = services.checkin_start(user=alex, agenda="listening")
    assert state_of(checkin)["steps"]["listen"]["topics"][0]["text"].startswith("How we stay")
    thanks.refresh_from_db()
    topic.refresh_from_db()
    assert thanks.claimed_by is None and topic.claimed_by == checkin
    end_early(checkin, sam)
    topic.refresh_from_db()
    assert topic.delivered_at is not None
    thanks.refresh_from_db()
    assert thanks.is_queued


def test_no_more_than_the_couples_number_at_once_the_rest_wait(couple):
    c, alex, sam = couple
    sent = [
        personal.share_text(user=alex, kind="appreciation", text=f"Thanks number {n}")
        for n in range(5)
    ]
    checkin = services.checkin_start(user=alex, agenda="weekly")
    arrive(checkin, alex, sam)
    texts = [i["text"] for i in state_of(checkin)["steps"]["appreciations"]["items"]]
    assert texts == [f"Thanks number {n}" for n in range(c.appreciations_per_checkin)]
    end_early(checkin, alex)
    waiting = SharedItem.objects.filter(delivered_at__isnull=True).order_by("pk")
    assert [s.text for s in waiting] == [s.text for s in sent[c.appreciations_per_checkin :]]


def test_sharing_needs_a_partner_and_a_new_couple_never_gets_an_old_couples_items(couple):
    _, alex, sam = couple
    personal.share_text(user=alex, kind="topic", text="Old couple's topic")
    couple_services.couple_leave(user=sam)
    with pytest.raises(PersonalError) as error:
        personal.share_text(user=alex, kind="topic", text="Nobody to share with")
    assert error.value.code == PersonalError.Code.NOT_PAIRED
    # Alex pairs again, with someone else: the old topic stays out of their room.
    robin = make_user("robin@example.com", "Robin")
    make_couple(("alex@example.com", "Alex"), ("robin@example.com", "Robin"))
    checkin = services.checkin_start(user=alex, agenda="listening")
    assert state_of(checkin)["steps"]["listen"]["topics"] == []
    assert checkin.role_of(robin) == "b"


def test_withdraw_while_queued_but_not_once_a_checkin_holds_it(shared):
    alex, sam, thanks, topic = shared
    personal.shared_withdraw(user=sam, item=topic)
    assert not SharedItem.objects.filter(pk=topic.pk).exists()
    services.checkin_start(user=alex, agenda="weekly")
    thanks.refresh_from_db()
    with pytest.raises(PersonalError) as error:
        personal.shared_withdraw(user=alex, item=thanks)
    assert error.value.code == PersonalError.Code.ALREADY_USED
    with pytest.raises(PersonalError) as error:
        personal.shared_withdraw(user=sam, item=thanks)  # not Sam's
    assert error.value.code == PersonalError.Code.NOT_FOUND
