"""Personal practice is private: the partner sees nothing of it unless the owner shared one
item, and then exactly that item's words and nothing else.

Alex fills every part of personal practice with marked words and shares two things (a
topic out of a journal entry, an appreciation out of a note). Then Sam opens every page
of the site, the room's snapshot, and Alex's own URLs; an outsider and a former partner
try the same.
"""

import html
import json

import pytest
from asgiref.sync import sync_to_async
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from couples import privacy
from couples import services as couple_services
from practice import services
from practice.models import CheckIn
from practice.personal import services as personal
from practice.personal.models import (
    Goal,
    GoalStep,
    GratitudeNote,
    JournalEntry,
    SelfCheckIn,
    SharedItem,
    Strategy,
    Tag,
    Trigger,
)
from tests.factories import make_user
from tests.test_personal_handoff import act, arrive, finish_appreciations
from tests.ws import join

SHARED_TOPIC = "SHARED-TOPIC how we plan weekends"
SHARED_THANKS = "SHARED-THANKS thank you for the soup"
SECRETS = (
    "SECRET-BODY",
    "secret-tag",
    "SECRET-SITUATION",
    "SECRET-REACTION",
    "SECRET-HELPS",
    "SECRET-STRATEGY",
    "SECRET-GRATITUDE",
    "SECRET-AFFIRMATION",
    "SECRET-GOAL",
    "SECRET-WHY",
    "SECRET-STEP",
    "SECRET-SELF",
    "Mood 1 of 5",
)
PERSONAL_MODELS = (
    Trigger,
    Tag,
    JournalEntry,
    Strategy,
    GratitudeNote,
    Goal,
    SelfCheckIn,
    SharedItem,
)


def fill(alex):
    """Everything of Alex's, marked; two items shared. Returns the objects by URL name."""
    trigger = personal.trigger_save(
        user=alex, situation="SECRET-SITUATION", reaction="SECRET-REACTION", helps="SECRET-HELPS"
    )
    entry = personal.entry_save(
        user=alex, body="SECRET-BODY I felt small", mood=1, tags="secret-tag", triggers=[trigger]
    )
    strategy = personal.strategy_save(user=alex, title="SECRET-STRATEGY")
    note = personal.note_create(user=alex, kind="gratitude", text="SECRET-GRATITUDE soup")
    personal.note_create(user=alex, kind="affirmation", text="SECRET-AFFIRMATION")
    goal = personal.goal_create(
        user=alex, title="SECRET-GOAL", why="SECRET-WHY", steps=["SECRET-STEP"]
    )
    personal.self_checkin_save(user=alex, answers={"hard": "SECRET-SELF"}, steadiness=2)
    topic = personal.share_text(user=alex, kind="topic", text=SHARED_TOPIC, entry=entry)
    thanks = personal.share_text(user=alex, kind="appreciation", text=SHARED_THANKS, note=note)
    return {
        "entry": entry,
        "trigger": trigger,
        "strategy": strategy,
        "note": note,
        "goal": goal,
        "step": goal.steps.get(),
        "shared": topic,
        "thanks": thanks,
    }


@pytest.fixture
def world(couple):
    """Alex's private practice, and a weekly check-in at the speaker-listener step."""
    _, alex, sam = couple
    objects = fill(alex)
    checkin = services.checkin_start(user=alex, agenda="weekly")
    arrive(checkin, alex, sam)
    finish_appreciations(checkin, alex, sam)
    return alex, sam, objects, checkin


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_private(text: str, where: str) -> None:
    for seen in (text, html.unescape(text)):
        for secret in SECRETS:
            assert secret not in seen, f"{secret!r} leaked in {where}"


# Which of Alex's objects a personal route's <pk> (and <step>) names.
PK_OF = {
    "personal-entry": "entry",
    "personal-entry-delete": "entry",
    "personal-entry-share": "entry",
    "personal-trigger": "trigger",
    "personal-trigger-delete": "trigger",
    "personal-strategy": "strategy",
    "personal-strategy-delete": "strategy",
    "personal-note-send": "note",
    "personal-note-delete": "note",
    "personal-shared-withdraw": "shared",
    "personal-goal": "goal",
    "personal-goal-delete": "goal",
    "personal-goal-mark": "goal",
    "personal-goal-step-add": "goal",
    "personal-goal-step-mark": "goal",
}


def routes():
    """Every named route of the site with its parameter names (the admin aside)."""
    found = []

    def walk(patterns, params):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    continue
                walk(p.url_patterns, params + list(getattr(p.pattern, "converters", {})))
            elif isinstance(p, URLPattern) and p.name:
                found.append((p.name, params + list(getattr(p.pattern, "converters", {}))))

    walk(get_resolver().url_patterns, [])
    return found


def urls_to_try(objects, checkin):
    """Each route, filled in with Alex's ids (personal routes) or the room's token."""
    all_pks = sorted({o.pk for o in objects.values()})
    for name, params in routes():
        if not params:
            yield name, reverse(name)
            continue
        if name in PK_OF:
            kwargs = {"pk": objects[PK_OF[name]].pk}
            if "step" in params:
                kwargs["step"] = objects["step"].pk
            yield name, reverse(name, kwargs=kwargs)
            continue
        for pk in all_pks:
            kwargs = {}
            for param in params:
                if param in ("pk", "step"):
                    kwargs[param] = pk
                elif param == "token":
                    kwargs[param] = checkin.token
                else:
                    kwargs[param] = "x"
            yield name, reverse(name, kwargs=kwargs)


pytestmark = pytest.mark.django_db


def test_every_page_the_partner_can_open_holds_nothing_personal(world):
    _, sam, objects, checkin = world
    client = client_for(sam)
    opened = 0
    for name, url in urls_to_try(objects, checkin):
        response = client.get(url)
        assert response.status_code in (200, 302, 404, 405), (name, response.status_code)
        if name.startswith("personal-") and "pk" in url_params(name):
            assert response.status_code in (404, 405), f"{name} answered Sam"
        assert_private(response.content.decode(), f"{name} ({url})")
        opened += response.status_code == 200
    assert opened >= 30  # the site's pages really were read, Sam's own My practice included


def url_params(name):
    return dict(routes())[name]


def test_alexs_things_are_not_found_for_anyone_else(world, django_user_model):
    alex, sam, objects, checkin = world
    eve = make_user("eve@example.com", "Eve")
    before = {m.__name__: m.objects.count() for m in PERSONAL_MODELS}
    steps_done = GoalStep.objects.filter(done_at__isnull=False).count()
    for user in (sam, eve):
        client = client_for(user)
        for name, key in PK_OF.items():
            kwargs = {"pk": objects[key].pk}
            if "step" in url_params(name):
                kwargs["step"] = objects["step"].pk
            url = reverse(name, kwargs=kwargs)
            for method in (client.get, client.post):
                response = method(
                    url, {"text": "x", "kind": "topic", "action": "share", "done": "1"}
                )
                assert response.status_code in (404, 405), (user, name, method)
        journal = client.get(reverse("personal-journal") + f"?trigger={objects['trigger'].pk}")
        assert journal.status_code == 404
    assert {m.__name__: m.objects.count() for m in PERSONAL_MODELS} == before
    assert GoalStep.objects.filter(done_at__isnull=False).count() == steps_done


def test_a_former_partner_sees_nothing_either(world):
    alex, sam, objects, checkin = world
    couple_services.couple_leave(user=sam)
    client = client_for(sam)
    for name, url in urls_to_try(objects, checkin):
        response = client.get(url)
        assert_private(response.content.decode(), f"{name} for the former partner")
        if name in PK_OF:
            assert response.status_code in (404, 405)


def test_the_partner_sees_the_shared_words_and_nothing_else_of_the_entry(world):
    alex, sam, objects, checkin = world
    from practice import flow

    state = CheckIn.objects.get(pk=checkin.pk).state
    for user in (sam, alex):
        seen = flow.view(state, checkin.role_of(user), 0)
        raw = json.dumps(seen)
        assert seen["steps"]["listen"]["topics"] == [{"by": "a", "text": SHARED_TOPIC}]
        items = seen["steps"]["appreciations"]["items"]
        assert [i["text"] for i in items if i.get("sent_ahead")] == [SHARED_THANKS]
        assert_private(raw, f"the room as {user}")
    # Sharing one item shared that item only: the entry's other text, mood, tags and
    # triggers, and every other note, stay Alex's.
    assert SharedItem.objects.filter(user=alex).count() == 2


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_room_snapshot_over_the_socket_holds_only_the_shared_words(couple):
    _, alex, sam = couple
    objects = await sync_to_async(fill)(alex)

    def start():
        checkin = services.checkin_start(user=alex, agenda="weekly")
        arrive(checkin, alex, sam)
        return checkin

    checkin = await sync_to_async(start)()
    b = await join(f"/ws/c/{checkin.token}/", sam)
    raw = json.dumps(b.log)
    assert SHARED_THANKS in raw and SHARED_TOPIC not in raw  # the topic waits for its step
    assert_private(raw, "Sam's snapshot at appreciations")
    await sync_to_async(finish_appreciations)(checkin, alex, sam)
    # Those actions went through the services, not this socket: ask for a fresh snapshot.
    await b.ws.send_to(text_data=json.dumps({"type": "sync", "version": b.version}))
    await b.recv_until("state")
    raw = json.dumps(b.log)
    assert b.state["steps"]["listen"]["topics"] == [{"by": "a", "text": SHARED_TOPIC}]
    assert_private(raw, "Sam's snapshots at the floor")
    assert "ref" not in json.dumps(b.state["steps"])
    assert objects["entry"].body not in raw
    await b.ws.disconnect()


def test_the_summary_and_history_after_the_talk_hold_only_what_was_shared(world):
    alex, sam, objects, checkin = world
    act(checkin, sam, "end_early")
    for user in (sam, alex):
        client = client_for(user)
        summary = client.get(reverse("checkin-summary", args=[checkin.token]))
        assert SHARED_THANKS in html.unescape(summary.content.decode())
        assert_private(summary.content.decode(), "the summary")
        assert_private(client.get(reverse("history")).content.decode(), "history")


# --- Export and deletion -------------------------------------------------------


def export_text(user) -> str:
    return json.dumps(privacy.account_export(user=user), cls=DjangoJSONEncoder)


def test_the_export_carries_personal_practice_to_its_owner_only(world):
    alex, sam, objects, _ = world
    mine = privacy.account_export(user=alex)
    section = mine["personal_practice"]
    assert section["journal"][0]["tags"] == ["secret-tag"]
    assert section["journal"][0]["what_triggered_me"] == ["SECRET-SITUATION"]
    assert section["goals"][0]["steps"][0]["text"] == "SECRET-STEP"
    assert {s["text"] for s in section["shared_with_partner"]} == {SHARED_TOPIC, SHARED_THANKS}
    text = export_text(alex)
    for secret in SECRETS[:-1]:  # the mood is a number in an export, not a phrase
        assert secret in text
    theirs = export_text(sam)
    assert_private(theirs, "Sam's export")
    assert SHARED_TOPIC in theirs  # it was shown in their check-in


def test_deleting_the_account_deletes_all_personal_practice_and_unshown_words(couple):
    _, alex, sam = couple
    fill(alex)
    late = personal.share_text(user=alex, kind="appreciation", text="UNSHOWN-WORDS for later")
    checkin = services.checkin_start(user=alex, agenda="weekly")
    late.refresh_from_db()
    assert late.claimed_by == checkin  # held by a room that never reaches its step
    privacy.account_delete(user=alex)
    for model in PERSONAL_MODELS:
        assert not model.objects.exists(), model.__name__
    assert not GoalStep.objects.exists()
    state = json.dumps(CheckIn.objects.get(pk=checkin.pk).state)
    assert "UNSHOWN-WORDS" not in state and SHARED_THANKS not in state
    assert_private(state, "the check-in kept for Sam")


def test_a_talk_ended_before_the_step_keeps_no_copy_of_the_words(couple):
    _, alex, sam = couple
    personal.share_text(user=alex, kind="topic", text="TAKE-IT-BACK later")
    checkin = services.checkin_start(user=alex, agenda="weekly")
    assert "TAKE-IT-BACK" in json.dumps(CheckIn.objects.get(pk=checkin.pk).state["inputs"])
    act(checkin, sam, "end_early")
    assert "TAKE-IT-BACK" not in json.dumps(CheckIn.objects.get(pk=checkin.pk).state)
    item = SharedItem.objects.get()
    assert item.is_queued  # back in the queue, and the owner can still take it back
    personal.shared_withdraw(user=alex, item=item)
