"""Privacy: the data export holds all of yours and nothing private of your partner's;
deleting an account leaves nothing private behind, and the partner keeps what you shared."""

import json
import secrets
from datetime import time

import pytest
from asgiref.sync import sync_to_async
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse

from couples import assessment, attachment_services
from couples.models import AssessmentResult, Couple, User
from practice import boundaries, rituals, services
from practice.models import CheckIn, Turn
from tests.factories import PASSWORD, body, make_couple, make_user
from tests.security_world import act
from tests.ws import join

pytestmark = pytest.mark.django_db

# Words only one person ever wrote, to look for afterwards.
ALEX_SHARED_NOTE = "ALEXNOTE tell me we're okay"
SAM_PRIVATE_NOTE = "SAMNOTE give me an hour alone"
SAM_SHARE = "SAMSHARE I felt unseen at dinner."
ALEX_MIRROR = "ALEXMIRROR You felt unseen at dinner."
SAM_HIDDEN_WORD = "SAMHIDDEN"
SAM_BOUNDARY = "When I'm cooking, SAMBOUNDARY I need the kitchen to myself."


def client_for(user) -> Client:
    client = Client(REMOTE_ADDR="10.{}.{}.{}".format(*secrets.token_bytes(3)))
    client.force_login(user)
    return client


def complete_assessment(user, answer: int):
    attachment_services.draft_save(
        user=user, answers={item.id: answer for item in assessment.ITEMS}
    )
    return attachment_services.assessment_complete(user=user).result


@pytest.fixture
def lives():
    """Alex and Sam, with private and shared things of each."""
    couple, alex, sam = make_couple(("alex@example.com", "Alex"), ("sam@example.com", "Samwise"))
    # Attachment: Alex shares style only; Sam keeps everything private and has a draft.
    alex_result = complete_assessment(alex, 3)
    attachment_services.result_set_sharing(user=alex, result_id=alex_result.pk, sharing="style")
    complete_assessment(sam, 6)
    attachment_services.draft_save(user=sam, answers={assessment.ITEMS[0].id: 2})
    attachment_services.trigger_note_save(user=alex, text=ALEX_SHARED_NOTE, shared=True)
    attachment_services.trigger_note_save(user=sam, text=SAM_PRIVATE_NOTE, shared=False)
    # A listening check-in, ended early: shared words of both, coached.
    talk = services.checkin_start(user=sam, agenda="listening")
    act(talk, sam, "take_floor")
    act(talk, sam, "share", {"text": SAM_SHARE})
    act(talk, alex, "mirror", {"text": ALEX_MIRROR})
    act(talk, sam, "end_early")
    # A live weekly check-in where Sam has arrived and Alex hasn't: Sam's word is hidden.
    live = services.checkin_start(user=alex, agenda="weekly")
    act(live, sam, "arrive", {"mood": 2, "connection": 4, "word": SAM_HIDDEN_WORD})
    boundaries.boundary_propose(
        user=sam, data={"statement": SAM_BOUNDARY, "consequence": "", "review_weeks": 4}
    )
    ritual = rituals.ritual_save(
        couple=couple,
        data={
            "weekday": 2,
            "local_time": time(20, 0),
            "time_zone": "Europe/Paris",
            "duration_minutes": 30,
            "agenda": "weekly",
            "appreciations": 2,
            "reminder_minutes": 60,
        },
    )
    feed_token = rituals.feed_regenerate(ritual=ritual)
    return couple, alex, sam, talk, live, feed_token


def export_of(user) -> tuple[dict, str]:
    response = client_for(user).get(reverse("account-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="hearth-data-')
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    return json.loads(text), text


# --- Export ---------------------------------------------------------------------------


def test_the_profile_page_links_to_the_export_and_to_deletion():
    user = make_user("robin@example.com", "Robin")
    page = body(client_for(user).get(reverse("profile")))
    assert reverse("account-export") in page
    assert reverse("account-delete") in page
    assert "Download all your data" in page and "Delete your account" in page


def test_the_export_has_everything_of_mine_and_what_we_share(lives):
    couple, alex, sam, talk, live, feed_token = lives
    data, text = export_of(alex)
    assert data["account"]["email"] == "alex@example.com"
    assert data["account"]["consented_at"]
    records = data["records"]
    assert records["couples.TriggerNote"][0]["text"] == ALEX_SHARED_NOTE
    assert len(records["couples.AssessmentResult"]) == 1
    [together] = data["couples"]
    assert together["partner"] == "Samwise"
    # What Sam shares with Alex is nothing (all private); the shared history is all there.
    assert together["partner_shares_with_you"] == {"attachment": None, "what_helps_note": None}
    assert together["ritual"]["time_zone"] == "Europe/Paris"
    assert {c["agenda"] for c in together["checkins"]} == {"listening", "weekly"}
    assert SAM_SHARE in text and ALEX_MIRROR in text and SAM_BOUNDARY in text
    mine = next(c for c in together["checkins"] if c["agenda"] == "listening")["your_turns"]
    assert [t["text"] for t in mine] == [ALEX_MIRROR]
    assert mine[0]["coaching"] is not None  # the coach's notes on my own words are mine


def test_the_export_has_nothing_private_of_my_partners(lives):
    couple, alex, sam, talk, live, feed_token = lives
    data, text = export_of(alex)
    assert SAM_PRIVATE_NOTE not in text
    assert SAM_HIDDEN_WORD not in text  # the room still hides it from Alex
    weekly = next(c for c in data["couples"][0]["checkins"] if c["agenda"] == "weekly")
    assert weekly["room"]["steps"]["arrive"]["answers"] == {"b": {"hidden": True}}
    assert "sam@example.com" not in text
    # Sam's scores (as the export writes decimals: quoted strings). A bare "6.00" could
    # turn up inside any float timestamp, so look for the values as they would be written.
    mine, sams = (AssessmentResult.objects.get(user=u) for u in (alex, sam))
    assert f'"{mine.anxiety}"' in text  # the form is right: my own scores are there
    assert all(f'"{score}"' not in text for score in (sams.anxiety, sams.avoidance))
    listening = next(c for c in data["couples"][0]["checkins"] if c["agenda"] == "listening")
    assert all(t["seq"] != 2 for t in listening["your_turns"])  # not Sam's coached share
    # Nor any secret: password hash, calendar feed token or its hash, invite hashes.
    assert alex.password not in text
    assert feed_token not in text and "feed_token_hash" not in text
    assert "token_hash" not in text


def test_the_partner_export_has_their_own_private_things_and_what_alex_shared(lives):
    couple, alex, sam, talk, live, feed_token = lives
    data, text = export_of(sam)
    assert SAM_PRIVATE_NOTE in text and SAM_HIDDEN_WORD in text
    assert data["records"]["couples.AssessmentDraft"][0]["answers"] == {assessment.ITEMS[0].id: 2}
    shares = data["couples"][0]["partner_shares_with_you"]
    assert shares["what_helps_note"] == ALEX_SHARED_NOTE
    assert shares["attachment"] == {"style": alex.assessment_results.get().style}  # no scores


def test_whoever_left_exports_the_fact_but_not_the_history(lives):
    couple, alex, sam, *_ = lives
    client_for(sam).post(reverse("couple-leave"), {"confirm": "on"})
    data, text = export_of(sam)
    [left] = data["couples"]
    assert left["you_left"] is True and "checkins" not in left
    assert SAM_SHARE not in text  # their words live on with Alex, not in Sam's export
    data, text = export_of(alex)  # Alex, who stayed, keeps it all
    assert SAM_SHARE in text


# --- Deletion -----------------------------------------------------------------------------


def test_the_confirmation_page_says_what_happens_before_the_button(lives):
    couple, alex, sam, *_ = lives
    page = body(client_for(sam).get(reverse("account-delete")))
    main = page.split('<main id="main"', 1)[1]
    before_form = main.split("<form", 1)[0]
    assert "can't be undone" in before_form
    assert "Alex keeps the check-ins you shared" in before_form
    assert "“Former partner”" in before_form
    assert "attachment results" in before_form and "note" in before_form
    assert reverse("account-export") in before_form  # take your data first


@pytest.mark.parametrize(
    "form",
    [{"confirm": "on", "password": "not-it"}, {"password": PASSWORD}, {}],
    ids=["wrong-password", "not-confirmed", "empty"],
)
def test_nothing_is_deleted_without_the_password_and_the_confirmation(lives, form):
    couple, alex, sam, *_ = lives
    response = client_for(sam).post(reverse("account-delete"), form)
    assert response.status_code == 200
    assert "Nothing was deleted" in body(response) or "Nothing is deleted" in body(response)
    assert User.objects.filter(pk=sam.pk).exists()
    assert Couple.objects.get(pk=couple.pk).ended_at is None


def private_text_columns():
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if fields:
            yield model, fields


def rows_mentioning(marker: str) -> list[str]:
    found = []
    for model, fields in private_text_columns():
        for obj in model._default_manager.all():
            for field in fields:
                if marker in json.dumps(getattr(obj, field.attname), default=str):
                    found.append(f"{model._meta.label}.{field.name} #{obj.pk}")
    return found


def test_deleting_an_account_leaves_nothing_private_and_the_partner_keeps_the_shared_talk(
    lives,
):
    couple, alex, sam, talk, live, feed_token = lives
    sam_id = sam.pk
    sam_turns = list(Turn.objects.filter(author=sam).values_list("pk", flat=True))
    assert Turn.objects.filter(pk__in=sam_turns, coaching__isnull=False).exists()
    client = client_for(sam)
    response = client.post(reverse("account-delete"), {"confirm": "on", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))
    assert not User.objects.filter(pk=sam_id).exists()

    # No row anywhere still points at Sam.
    pointing = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is User
                and model._default_manager.filter(**{field.attname: sam_id}).exists()
            ):
                pointing.append(f"{model._meta.label}.{field.name}")
    assert not pointing
    # Nothing only Sam could see remains in any text or JSON column of any model.
    for private in (SAM_PRIVATE_NOTE, SAM_HIDDEN_WORD):
        assert not rows_mentioning(private), private
    assert not Turn.objects.filter(pk__in=sam_turns, coaching__isnull=False).exists()

    # Alex keeps the shared talk, Sam's words in it, shown as "Former partner".
    summary = body(client_for(alex).get(reverse("checkin-summary", args=[talk.token])))
    assert SAM_SHARE in summary and ALEX_MIRROR in summary
    assert "Former partner held the floor" in summary
    assert "Samwise" not in summary
    history = body(client_for(alex).get(reverse("history")))
    assert reverse("checkin-summary", args=[talk.token]) in history
    assert "Samwise" not in history
    # The couple is over; Alex's own private things are untouched.
    assert Couple.objects.get(pk=couple.pk).ended_at is not None
    assert alex.trigger_note.text == ALEX_SHARED_NOTE
    assert alex.assessment_results.count() == 1
    # The email can be used again.
    assert make_user("sam@example.com", "Sam again").pk != sam_id


def test_deleting_the_partner_who_stayed_deletes_the_history_no_one_can_read(lives):
    couple, alex, sam, talk, live, _ = lives
    client_for(sam).post(reverse("couple-leave"), {"confirm": "on"})  # Sam leaves: Alex stays
    client_for(alex).post(reverse("account-delete"), {"confirm": "on", "password": PASSWORD})
    # Sam left, so Sam can't read it; Alex is gone: the couple's history goes whole.
    assert not Couple.objects.filter(pk=couple.pk).exists()
    assert not CheckIn.objects.filter(pk__in=[talk.pk, live.pk]).exists()
    assert not rows_mentioning(SAM_SHARE)
    assert User.objects.filter(pk=sam.pk).exists()
    assert sam.trigger_note.text == SAM_PRIVATE_NOTE


def test_deleting_an_account_alone_in_a_couple_withdraws_its_invite():
    from couples import services as couple_services
    from couples.models import Invite

    robin = make_user("robin@example.com", "Robin")
    couple = couple_services.couple_create(creator=robin)
    couple_services.invite_create(user=robin)
    client_for(robin).post(reverse("account-delete"), {"confirm": "on", "password": PASSWORD})
    assert not Couple.objects.filter(pk=couple.pk).exists()
    assert not Invite.objects.exists()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_deleting_an_account_closes_both_partners_live_sockets(couple):
    from couples.privacy import account_delete

    _, alex, sam = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="listening")
    path = f"/ws/c/{checkin.token}/"
    a = await join(path, alex)
    b = await join(path, sam)
    await sync_to_async(account_delete)(user=sam)
    for client in (a, b):
        assert (await client.recv_until("error"))["code"] == "forbidden"
        closed = await client.ws.receive_output(timeout=3)
        while closed["type"] != "websocket.close":
            closed = await client.ws.receive_output(timeout=3)
        assert closed["code"] == 4403
