"""Personal practice pages: what the owner can do, and that nothing typed is lost on an error."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from practice.personal import selectors
from practice.personal import services as personal
from practice.personal.models import (
    Goal,
    GratitudeNote,
    JournalEntry,
    SelfCheckIn,
    SharedItem,
    Strategy,
    Tag,
    Trigger,
)
from practice.personal.prompts import next_period_start, period_start
from tests.factories import body, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def alex_client(couple):
    _, alex, _ = couple
    client = Client()
    client.force_login(alex)
    return client


@pytest.fixture
def solo():
    """Someone with no partner: everything works except sharing."""
    user = make_user("robin@example.com", "Robin")
    client = Client()
    client.force_login(user)
    return user, client


def test_every_page_asks_for_a_login():
    for name in ("personal-home", "personal-journal", "personal-triggers", "personal-goals"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and "/login" in response["Location"]


def test_the_empty_pages_greet_a_new_user_warmly(solo):
    _, client = solo
    for name in (
        "personal-home",
        "personal-journal",
        "personal-entry-new",
        "personal-triggers",
        "personal-toolkit",
        "personal-breathing",
        "personal-grounding",
        "personal-gratitude",
        "personal-goals",
        "personal-self-checkin",
        "personal-self-history",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert "only you can see" in body(response).lower() or name in (
            "personal-breathing",
            "personal-grounding",
            "personal-toolkit",
        )


def test_nav_links_to_my_practice(alex_client):
    page = body(alex_client.get(reverse("dashboard")))
    assert f'href="{reverse("personal-home")}"' in page and "My practice" in page


# --- Journal and triggers -----------------------------------------------------


def test_write_an_entry_with_mood_tags_and_triggers_then_filter(couple, alex_client):
    _, alex, _ = couple
    sleep = personal.trigger_save(user=alex, situation="Phone silent at night")
    response = alex_client.post(
        reverse("personal-entry-new"),
        {
            "body": "Rough evening.",
            "mood": "2",
            "tags": "#Work, sleep, work",
            "triggers": [sleep.pk],
        },
    )
    entry = JournalEntry.objects.get(user=alex)
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert entry.mood == 2
    assert sorted(t.name for t in entry.tags.all()) == ["sleep", "work"]
    assert list(entry.triggers.all()) == [sleep]
    page = body(alex_client.get(reverse("personal-journal") + "?tag=work"))
    assert "Rough evening." in page
    assert "Rough evening." not in body(alex_client.get(reverse("personal-journal") + "?tag=x"))
    page = body(alex_client.get(reverse("personal-journal") + f"?trigger={sleep.pk}"))
    assert "Rough evening." in page and "set you off" in page
    triggers = body(alex_client.get(reverse("personal-triggers")))
    assert "Logged in your journal 1 time." in triggers


def test_the_trigger_count_counts_entries(couple):
    _, alex, _ = couple
    t = personal.trigger_save(user=alex, situation="Plans changed last minute")
    other = personal.trigger_save(user=alex, situation="Raised voices")
    for n in range(3):
        personal.entry_save(user=alex, body=f"Entry {n}", triggers=[t])
    personal.entry_save(user=alex, body="Both", triggers=[t, other])
    counts = {x.situation: x.logged for x in selectors.triggers_with_counts(alex)}
    assert counts == {"Plans changed last minute": 4, "Raised voices": 1}


def test_an_invalid_entry_keeps_every_word(couple, alex_client):
    long_tags = ", ".join(f"tag{n}" for n in range(12))
    response = alex_client.post(
        reverse("personal-entry-new"),
        {"body": "Words I don't want to lose", "mood": "9", "tags": long_tags},
    )
    assert response.status_code == 200
    page = body(response)
    assert "Words I don't want to lose" in page
    assert long_tags in page
    assert "Choose a mood from 1 to 5" in page and "Up to 10 tags" in page
    assert not JournalEntry.objects.exists()


def test_someone_elses_trigger_cannot_be_linked(couple, alex_client):
    _, _, sam = couple
    theirs = personal.trigger_save(user=sam, situation="Sam's own")
    response = alex_client.post(
        reverse("personal-entry-new"), {"body": "Trying", "triggers": [theirs.pk]}
    )
    assert response.status_code == 200
    assert "Choose from your own triggers" in body(response)
    assert "Sam's own" not in body(response)
    with pytest.raises(personal.PersonalError):
        personal.entry_save(user=couple[1], body="direct", triggers=[theirs])


def test_edit_and_delete_an_entry_tidies_unused_tags(couple, alex_client):
    _, alex, _ = couple
    entry = personal.entry_save(user=alex, body="First", tags="old")
    alex_client.post(reverse("personal-entry", args=[entry.pk]), {"body": "Second", "tags": "new"})
    entry.refresh_from_db()
    assert entry.body == "Second"
    assert list(Tag.objects.filter(user=alex).values_list("name", flat=True)) == ["new"]
    alex_client.post(reverse("personal-entry-delete", args=[entry.pk]))
    assert not JournalEntry.objects.exists() and not Tag.objects.exists()


def test_deleting_a_trigger_keeps_the_entries(couple, alex_client):
    _, alex, _ = couple
    t = personal.trigger_save(user=alex, situation="x")
    entry = personal.entry_save(user=alex, body="kept", triggers=[t])
    alex_client.post(reverse("personal-trigger-delete", args=[t.pk]))
    assert not Trigger.objects.exists()
    assert JournalEntry.objects.get(pk=entry.pk).triggers.count() == 0


# --- Sharing from an entry ----------------------------------------------------


def test_share_part_of_an_entry_previews_then_shares_only_those_words(couple, alex_client):
    _, alex, _ = couple
    entry = personal.entry_save(user=alex, body="The whole private story.", mood=1)
    url = reverse("personal-entry-share", args=[entry.pk])
    page = body(alex_client.get(url))
    assert "Sam will see only the words you write" in page
    preview = alex_client.post(
        url, {"kind": "topic", "text": "Weekends together", "action": "preview"}
    )
    assert "What Sam will see" in body(preview)
    assert not SharedItem.objects.exists()  # nothing shared by a preview
    edit = alex_client.post(url, {"kind": "topic", "text": "Weekends together", "action": "edit"})
    assert "Weekends together" in body(edit) and not SharedItem.objects.exists()
    done = alex_client.post(url, {"kind": "topic", "text": "Weekends together", "action": "share"})
    assert done.status_code == 302
    item = SharedItem.objects.get()
    assert (item.kind, item.text, item.entry, item.user) == (
        "topic",
        "Weekends together",
        entry,
        alex,
    )
    home = body(alex_client.get(reverse("personal-home")))
    assert "On its way to your next check-in" in home and "Weekends together" in home


def test_share_needs_words_and_a_partner(couple, alex_client, solo):
    _, alex, _ = couple
    entry = personal.entry_save(user=alex, body="story")
    url = reverse("personal-entry-share", args=[entry.pk])
    response = alex_client.post(url, {"kind": "topic", "text": "  ", "action": "share"})
    assert response.status_code == 200 and "Write what you'd like to share" in body(response)
    robin, client = solo
    own = personal.entry_save(user=robin, body="solo")
    page = body(client.get(reverse("personal-entry-share", args=[own.pk])))
    assert "Sharing opens once you and your partner are paired" in page
    client.post(
        reverse("personal-entry-share", args=[own.pk]),
        {"kind": "topic", "text": "x", "action": "share"},
    )
    assert not SharedItem.objects.exists()


def test_withdraw_from_my_practice(couple, alex_client):
    _, alex, _ = couple
    item = personal.share_text(user=alex, kind="topic", text="Maybe not")
    alex_client.post(reverse("personal-shared-withdraw", args=[item.pk]))
    assert not SharedItem.objects.exists()


def test_queue_is_capped_gently(couple):
    _, alex, _ = couple
    for n in range(personal.MAX_QUEUED):
        personal.share_text(user=alex, kind="topic", text=f"t{n}")
    with pytest.raises(personal.PersonalError) as error:
        personal.share_text(user=alex, kind="topic", text="one more")
    assert error.value.code == personal.PersonalError.Code.TOO_MANY
    personal.share_text(user=alex, kind="appreciation", text="still fine")


# --- Toolkit ------------------------------------------------------------------


def test_toolkit_strategies_and_guided_exercises(couple, alex_client):
    _, alex, _ = couple
    alex_client.post(reverse("personal-toolkit"), {"title": "Cold water", "how": "On my wrists"})
    s = Strategy.objects.get(user=alex)
    assert "Cold water" in body(alex_client.get(reverse("personal-toolkit")))
    alex_client.post(reverse("personal-strategy", args=[s.pk]), {"title": "Cold water, slowly"})
    s.refresh_from_db()
    assert s.title == "Cold water, slowly"
    breathing = body(alex_client.get(reverse("personal-breathing")))
    # The written rhythm stands alone (no JS, reduced motion); the module adds the pacer.
    assert "for a count of 4, then out slowly for a count of 6" in breathing
    assert "data-pacer" in breathing and "js/personal/pacer.js" in breathing
    grounding = body(alex_client.get(reverse("personal-grounding")))
    assert "5 things you can see" in grounding and "1 thing you can taste" in grounding
    alex_client.post(reverse("personal-strategy-delete", args=[s.pk]))
    assert not Strategy.objects.exists()


def test_the_room_break_panel_offers_the_pacer_without_leaving(couple, alex_client):
    from practice import services

    _, alex, _ = couple
    checkin = services.checkin_start(user=alex, agenda="listening")
    page = body(alex_client.get(reverse("room", args=[checkin.token])))
    panel = page.split('id="break-panel"')[1].split("</section>")[0]
    assert "<details" in panel and "Breathe with a pacer" in panel and "data-pacer" in panel
    assert "js/personal/pacer.js" in page


# --- Gratitude ----------------------------------------------------------------


def test_notes_and_sending_one_as_an_appreciation(couple, alex_client):
    _, alex, _ = couple
    alex_client.post(reverse("personal-gratitude"), {"kind": "gratitude", "text": "Sam made soup"})
    alex_client.post(reverse("personal-gratitude"), {"kind": "affirmation", "text": "I am enough"})
    note = GratitudeNote.objects.get(kind="gratitude")
    page = body(alex_client.get(reverse("personal-gratitude")))
    assert "Send to Sam as an appreciation" in page
    assert page.count("Send to Sam as an appreciation") == 1  # not for affirmations
    url = reverse("personal-note-send", args=[note.pk])
    assert "Sam made soup" in body(alex_client.get(url))  # starts from the note, editable
    alex_client.post(
        url, {"kind": "appreciation", "text": "Thank you for the soup.", "action": "share"}
    )
    item = SharedItem.objects.get()
    assert (item.kind, item.text, item.note) == ("appreciation", "Thank you for the soup.", note)
    assert "Sent: it will be in your next check-in." in body(
        alex_client.get(reverse("personal-gratitude"))
    )
    # A note can only be sent as an appreciation.
    alex_client.post(url, {"kind": "topic", "text": "sneaky", "action": "share"})
    assert SharedItem.objects.count() == 1


# --- Goals --------------------------------------------------------------------


def test_goal_steps_progress_and_warm_wins(couple, alex_client):
    _, alex, _ = couple
    response = alex_client.post(
        reverse("personal-goals"),
        {
            "title": "Practise vulnerability",
            "why": "So we feel closer",
            "steps": "Name one feeling to myself\n\nShare one with Sam\n",
        },
    )
    goal = Goal.objects.get(user=alex)
    assert response["Location"] == goal.get_absolute_url()
    first, second = goal.steps.all()
    response = alex_client.post(
        reverse("personal-goal-step-mark", args=[goal.pk, first.pk]), {"done": "1"}, follow=True
    )
    page = body(response)
    assert "A small win: “Name one feeling to myself”. That counts." in page
    assert "1 of 2 steps done" in page
    response = alex_client.post(
        reverse("personal-goal-step-mark", args=[goal.pk, second.pk]), {"done": "1"}, follow=True
    )
    assert "Every step of “Practise vulnerability” is done" in body(response)
    goal.refresh_from_db()
    assert goal.completed_at is not None
    # Unmarking a step, or adding one, opens the goal again: no penalty, no fuss.
    alex_client.post(reverse("personal-goal-step-mark", args=[goal.pk, second.pk]), {"done": "0"})
    goal.refresh_from_db()
    assert goal.completed_at is None
    alex_client.post(reverse("personal-goal-step-add", args=[goal.pk]), {"text": "Ask for a hug"})
    assert goal.steps.count() == 3


def test_goal_pages_keep_input_on_errors(couple, alex_client):
    _, alex, _ = couple
    response = alex_client.post(reverse("personal-goals"), {"title": "", "steps": "keep me"})
    assert response.status_code == 200 and "Name the goal." in body(response)
    assert "keep me" in body(response)
    goal = personal.goal_create(user=alex, title="G")
    response = alex_client.post(reverse("personal-goal-step-add", args=[goal.pk]), {"text": ""})
    assert response.status_code == 200 and "Describe the step." in body(response)


def test_a_step_of_another_goal_is_not_found(couple, alex_client):
    _, alex, _ = couple
    g1 = personal.goal_create(user=alex, title="One", steps=["a"])
    g2 = personal.goal_create(user=alex, title="Two", steps=["b"])
    step = g2.steps.get()
    response = alex_client.post(reverse("personal-goal-step-mark", args=[g1.pk, step.pk]))
    assert response.status_code == 404


# --- Self check-in ------------------------------------------------------------


def test_self_checkin_once_per_period_editable_and_over_time(couple, alex_client):
    _, alex, _ = couple
    url = reverse("personal-self-checkin")
    response = alex_client.post(url, {"went_well": "I paused before replying", "steadiness": "4"})
    assert response.status_code == 302
    alex_client.post(url, {"went_well": "I paused, then asked", "steadiness": "3"})
    checkin = SelfCheckIn.objects.get(user=alex)  # the same period: updated, not added
    assert checkin.answers == {"went_well": "I paused, then asked"} and checkin.steadiness == 3
    history = body(alex_client.get(reverse("personal-self-history")))
    assert "I paused, then asked" in history and "3 of 5" in history
    home = body(alex_client.get(reverse("personal-home")))
    assert "Done for this week" in home


def test_self_checkin_needs_something_and_keeps_what_was_typed(couple, alex_client):
    response = alex_client.post(reverse("personal-self-checkin"), {"hard": "  "})
    assert response.status_code == 200
    assert "Answer at least one prompt" in body(response)
    response = alex_client.post(reverse("personal-self-checkin"), {"hard": "x" * 2001})
    assert "x" * 2001 in body(response)


def test_choosing_monthly_changes_the_period(couple, alex_client):
    _, alex, _ = couple
    alex_client.post(reverse("personal-self-plan"), {"cadence": "monthly"})
    alex_client.post(reverse("personal-self-checkin"), {"next": "Rest more"})
    checkin = SelfCheckIn.objects.get(user=alex)
    assert checkin.cadence == "monthly" and checkin.period_start.day == 1
    response = alex_client.post(reverse("personal-self-plan"), {"cadence": "daily"}, follow=True)
    assert "Choose weekly or monthly." in body(response)


def test_periods():
    wed = date(2025, 1, 15)
    assert period_start("weekly", wed) == date(2025, 1, 13)
    assert period_start("monthly", wed) == date(2025, 1, 1)
    assert next_period_start("weekly", date(2025, 12, 29)) == date(2026, 1, 5)
    assert next_period_start("monthly", date(2025, 12, 1)) == date(2026, 1, 1)
    assert next_period_start("monthly", date(2024, 1, 1)) == date(2024, 2, 1)


def test_self_checkin_steadiness_chart_after_two(couple):
    _, alex, _ = couple
    for n, start in enumerate((date(2025, 1, 6), date(2025, 1, 13)), start=2):
        SelfCheckIn.objects.create(
            user=alex, cadence="weekly", period_start=start, answers={"hard": f"h{n}"}, steadiness=n
        )
    history = selectors.self_checkin_history(alex)
    assert history["chart"] is not None
    assert [a for _, a in history["by_prompt"][1]["answers"]] == ["h3", "h2"]


def test_a_long_journal_comes_in_pages_and_keeps_the_filter(couple, alex_client):
    _, alex, _ = couple
    for n in range(35):
        personal.entry_save(user=alex, body=f"Entry number {n:02d}", tags="daily")
    first = body(alex_client.get(reverse("personal-journal") + "?tag=daily"))
    assert "Entry number 34" in first and "Entry number 04" not in first
    assert "?tag=daily&page=2" in first and "Page 1 of 2" in first
    second = body(alex_client.get(reverse("personal-journal") + "?tag=daily&page=2"))
    assert "Entry number 04" in second and "Entry number 34" not in second
