"""Boundaries outside the room: the page, history diffs, reviews, and the room's hand-over."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from couples import services as couple_services
from practice import boundaries as svc
from practice import services
from practice.models import Boundary, BoundaryAcceptance, BoundaryVersion, CheckIn
from tests.factories import body, make_couple, make_user

pytestmark = pytest.mark.django_db

DRAFT = {
    "statement": "When I'm on a work call, I need you not to start a conversation.",
    "consequence": "We write a note instead.",
    "review_weeks": "4",
}


@pytest.fixture
def pair():
    couple, alex, sam = make_couple()
    a, b = Client(), Client()
    a.force_login(alex)
    b.force_login(sam)
    return couple, alex, sam, a, b


def post(client, pk, **data):
    return client.post(reverse("boundary-act", args=[pk]), data)


def agree(a, b, statement="When I'm tired, I need to say so and rest first.") -> Boundary:
    a.post(reverse("boundary-propose"), {**DRAFT, "statement": statement})
    boundary = Boundary.objects.latest("pk")
    post(b, boundary.pk, action="accept", version="1")
    boundary.refresh_from_db()
    return boundary


def test_propose_clarify_counter_and_agree_on_the_page(pair):
    couple, alex, sam, a, b = pair
    response = a.post(reverse("boundary-propose"), DRAFT)
    boundary = Boundary.objects.get()
    assert response["Location"] == boundary.get_absolute_url()
    assert boundary.status == Boundary.Status.PROPOSED
    # Sam sees it waiting for them.
    page = body(b.get(reverse("boundaries")))
    assert "Waiting for you" in page and DRAFT["statement"] in page
    assert "Waiting for Sam" in body(a.get(reverse("boundaries")))
    assert "1 waiting for you" in body(b.get(reverse("dashboard")))
    assert "Boundaries</a>:" not in body(a.get(reverse("dashboard")))
    # Sam asks; Alex answers; Sam counters; Alex accepts the counter.
    post(b, boundary.pk, action="ask", text="Does that include messages?")
    assert "Your answer" in body(a.get(boundary.get_absolute_url()))
    post(a, boundary.pk, action="answer", question="1", text="Messages are fine.")
    post(
        b,
        boundary.pk,
        action="counter",
        statement="When you're on a work call, I won't start a conversation; messages are fine.",
        consequence="We write a note instead.",
        review_weeks="8",
    )
    assert not BoundaryVersion.objects.exists()  # nothing agreed yet
    response = post(a, boundary.pk, action="accept", version="2")
    assert response.status_code == 302
    boundary.refresh_from_db()
    assert boundary.status == Boundary.Status.AGREED
    assert boundary.review_weeks == 8
    assert boundary.next_review_on == svc.couple_today(couple) + timedelta(weeks=8)
    version = BoundaryVersion.objects.get()
    assert version.statement.startswith("When you're on a work call")
    assert version.proposed_by == sam
    assert set(version.acceptances.values_list("user__email", flat=True)) == {
        "alex@example.com",
        "sam@example.com",
    }
    assert version.transcript["questions"][0]["answer"] == "Messages are fine."
    detail = body(a.get(boundary.get_absolute_url()))
    assert "Accepted by Alex" in detail and "Accepted by Sam" in detail


def test_no_version_on_one_partners_word(pair):
    _, _, _, a, _ = pair
    a.post(reverse("boundary-propose"), DRAFT)
    boundary = Boundary.objects.get()
    response = post(a, boundary.pk, action="accept", version="1")
    assert response.status_code == 409
    assert "you wrote this version" in body(response)
    assert not BoundaryVersion.objects.exists()
    assert not BoundaryAcceptance.objects.exists()
    boundary.refresh_from_db()
    assert boundary.status == Boundary.Status.PROPOSED


def test_record_agreement_refuses_a_one_sided_negotiation(pair):
    couple, alex, sam, a, _ = pair
    a.post(reverse("boundary-propose"), DRAFT)
    boundary = Boundary.objects.get()
    with pytest.raises(svc.BoundaryError):
        svc._record_agreement(boundary, boundary.negotiation, checkin=None, now=0)


def test_decline_and_withdraw(pair):
    _, _, _, a, b = pair
    a.post(reverse("boundary-propose"), DRAFT)
    first = Boundary.objects.get()
    post(b, first.pk, action="decline", reason="Not in this form.")
    first.refresh_from_db()
    assert first.status == Boundary.Status.DECLINED
    a.post(reverse("boundary-propose"), {**DRAFT, "statement": "Another one"})
    second = Boundary.objects.latest("pk")
    assert post(b, second.pk, action="withdraw").status_code == 409  # not Sam's to withdraw
    post(a, second.pk, action="withdraw")
    second.refresh_from_db()
    assert second.status == Boundary.Status.WITHDRAWN
    page = body(a.get(reverse("boundaries")))
    assert "Retired and not agreed" in page


def test_bad_input_is_refused_and_kept(pair):
    _, _, _, a, _ = pair
    response = a.post(
        reverse("boundary-propose"), {**DRAFT, "statement": "x" * 501, "review_weeks": "3"}
    )
    assert response.status_code == 400
    text = body(response)
    assert "Select a valid choice" in text
    assert "x" * 501 in text  # what was typed is still there
    assert not Boundary.objects.exists()


def test_review_keep_retire_and_amend_with_a_readable_diff(pair):
    couple, alex, sam, a, b = pair
    boundary = agree(a, b, "When I come home, I need ten quiet minutes.")
    # Keep: proposed by one, confirmed by the other; the review date moves.
    Boundary.objects.filter(pk=boundary.pk).update(next_review_on=svc.couple_today(couple))
    post(a, boundary.pk, action="keep")
    boundary.refresh_from_db()
    assert boundary.pending_review["decision"] == "keep"
    assert boundary.next_review_on == svc.couple_today(couple)
    post(b, boundary.pk, action="keep")
    boundary.refresh_from_db()
    assert boundary.pending_review is None
    assert boundary.next_review_on == svc.couple_today(couple) + timedelta(weeks=4)
    # Amend: a new version, negotiated like a proposal, with a diff in the history.
    post(
        b,
        boundary.pk,
        action="amend",
        statement="When I come home, I need twenty quiet minutes.",
        consequence="",
        review_weeks="4",
    )
    post(a, boundary.pk, action="accept", version="1")
    assert list(boundary.versions.values_list("number", flat=True)) == [1, 2]
    detail = body(a.get(boundary.get_absolute_url()))
    assert "<del>ten</del>" in detail and "<ins>twenty</ins>" in detail
    # Retire needs a reason and both partners.
    assert post(a, boundary.pk, action="retire").status_code == 409
    post(a, boundary.pk, action="retire", reason="We don't need it any more.")
    boundary.refresh_from_db()
    assert boundary.status == Boundary.Status.AGREED
    post(b, boundary.pk, action="retire", reason="")
    boundary.refresh_from_db()
    assert boundary.status == Boundary.Status.RETIRED
    assert boundary.retired_reason == "We don't need it any more."


def test_due_for_review_comes_first_and_is_highlighted(pair):
    couple, _, _, a, b = pair
    later = agree(a, b, "Later one")
    due = agree(a, b, "Due one")
    Boundary.objects.filter(pk=due.pk).update(
        next_review_on=svc.couple_today(couple) - timedelta(days=1)
    )
    page = body(a.get(reverse("boundaries")))
    assert page.index("Due one") < page.index("Later one")
    assert "Due for review" in page
    assert "1 due for review" in page
    assert later.next_review_on > svc.couple_today(couple)


def test_an_outsider_and_a_former_partner_see_nothing(pair):
    couple, alex, sam, a, b = pair
    boundary = agree(a, b)
    eve = make_user("eve@example.com", "Eve")
    outsider = Client()
    outsider.force_login(eve)
    for url in (
        boundary.get_absolute_url(),
        reverse("boundaries-print"),
        reverse("boundaries-export"),
    ):
        assert outsider.get(url).status_code == 404
    assert "Pair with your partner first" in body(outsider.get(reverse("boundaries")))
    assert (
        outsider.post(reverse("boundary-act", args=[boundary.pk]), {"action": "keep"}).status_code
        == 404
    )
    assert Client().get(boundary.get_absolute_url()).status_code == 302  # anonymous: log in
    couple_services.couple_leave(user=sam)
    assert b.get(boundary.get_absolute_url()).status_code == 404
    assert (
        b.post(reverse("boundary-act", args=[boundary.pk]), {"action": "keep"}).status_code == 404
    )


def test_print_and_markdown_export(pair):
    _, _, _, a, b = pair
    agree(a, b, "When we disagree about money, we pause and pick a time to talk.")
    printed = body(a.get(reverse("boundaries-print")))
    assert "When we disagree about money" in printed
    export = a.get(reverse("boundaries-export"))
    assert export["Content-Type"].startswith("text/markdown")
    assert "attachment" in export["Content-Disposition"]
    text = export.content.decode()
    assert text.startswith("# Our boundaries")
    assert "## 1. When we disagree about money, we pause and pick a time to talk." in text


def test_the_boundaries_page_runs_a_fixed_number_of_queries(pair):
    couple, _, _, a, b = pair

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert a.get(reverse("boundaries")).status_code == 200
        return len(ctx.captured_queries)

    agree(a, b)
    few = count()
    for i in range(100):
        agree(a, b, f"Boundary number {i}")
    assert count() == few
    assert Boundary.objects.count() == 101


# --- The room and the page ----------------------------------------------------------------------


def room_act(checkin, user, action, data=None):
    result = services.checkin_act(
        checkin_id=checkin.pk, user=user, action=action, data=data or {}, client_id=uuid.uuid4()
    )
    assert isinstance(result, services.Accepted), getattr(result, "refusal", result)
    return result


def to_boundaries_step(checkin, alex, sam):
    for user, data in ((alex, {"mood": 3, "connection": 3}), (sam, {"mood": 4, "connection": 4})):
        room_act(checkin, user, "arrive", data)
    for user in (alex, sam):
        room_act(checkin, user, "next")
    for i in range(3):
        room_act(checkin, alex, "appreciate", {"text": f"a{i}"})
        room_act(checkin, sam, "appreciate", {"text": f"s{i}"})
    items = CheckIn.objects.get(pk=checkin.pk).state["steps"]["appreciations"]["items"]
    for item in items:
        room_act(checkin, sam if item["by"] == "a" else alex, "acknowledge", {"id": item["id"]})
    for user in (alex, sam):
        room_act(checkin, user, "next")
    room_act(checkin, alex, "take_floor")
    for speaker, listener in ((alex, sam), (sam, alex)):
        room_act(checkin, speaker, "share", {"text": "x"})
        room_act(checkin, listener, "mirror", {"text": "y"})
        room_act(checkin, speaker, "confirm")
        room_act(checkin, speaker, "heard")
        room_act(checkin, listener, "validate", {"text": "v"})
        room_act(checkin, listener, "empathize", {"text": "e"})
        room_act(checkin, speaker, "pass_floor")
    for user in (alex, sam):
        room_act(checkin, user, "next")
    assert CheckIn.objects.get(pk=checkin.pk).state["step"] == 3


def test_a_boundary_agreed_in_the_room_is_stored_with_its_checkin(pair):
    couple, alex, sam, a, b = pair
    checkin = services.checkin_start(user=alex, agenda="weekly")
    to_boundaries_step(checkin, alex, sam)
    room_act(checkin, sam, "propose", {**DRAFT, "review_weeks": 2})
    boundary = Boundary.objects.get()
    assert boundary.origin_checkin_id == checkin.pk
    assert boundary.status == Boundary.Status.PROPOSED
    assert boundary.live_checkin_id == checkin.pk
    assert "In your check-in" in body(a.get(reverse("boundaries")))
    # The page defers to the live room.
    response = post(a, boundary.pk, action="accept", version="1")
    assert response.status_code == 409
    assert "Continue there" in body(response)
    room_act(checkin, alex, "ask", {"item": 1, "text": "During lunch too?"})
    room_act(checkin, sam, "answer", {"item": 1, "question": 1, "text": "Only calls."})
    room_act(checkin, alex, "accept", {"item": 1, "version": 1})
    boundary.refresh_from_db()
    assert boundary.status == Boundary.Status.AGREED
    assert boundary.live_checkin_id is None
    version = boundary.versions.get()
    assert version.checkin_id == checkin.pk
    assert version.proposed_by == sam
    assert {x.user for x in version.acceptances.all()} == {alex, sam}
    assert all(x.checkin_id == checkin.pk for x in version.acceptances.all())
    assert "check-in of" in body(a.get(boundary.get_absolute_url()))
    summary = body(a.get(reverse("checkin-summary", args=[checkin.token])))
    link = f'<a href="{boundary.get_absolute_url()}">{DRAFT["statement"]}</a>'
    assert f"{link} — <strong>Agreed</strong>" in summary


def test_due_boundaries_are_reviewed_in_the_room_and_parked_ones_continue_on_the_page(pair):
    couple, alex, sam, a, b = pair
    boundary = agree(a, b, "When we argue at night, we stop at eleven.")
    Boundary.objects.filter(pk=boundary.pk).update(next_review_on=svc.couple_today(couple))
    checkin = services.checkin_start(user=sam, agenda="weekly")
    due = checkin.state["inputs"]["boundaries"]["due"]
    assert [d["boundary_id"] for d in due] == [boundary.pk]
    boundary.refresh_from_db()
    assert boundary.live_checkin_id == checkin.pk
    to_boundaries_step(checkin, sam, alex)
    room_act(checkin, alex, "review", {"boundary": boundary.pk, "decision": "keep"})
    room_act(checkin, sam, "review", {"boundary": boundary.pk, "decision": "keep"})
    boundary.refresh_from_db()
    assert boundary.next_review_on == svc.couple_today(couple) + timedelta(weeks=4)
    assert boundary.events.filter(kind="kept", checkin=checkin).exists()
    # A new proposal, left for later, continues on the page once the room is over.
    room_act(checkin, alex, "propose", DRAFT)
    room_act(checkin, sam, "park", {"item": 1})
    parked = Boundary.objects.get(origin_checkin=checkin)
    assert parked.live_checkin_id is None
    assert parked.negotiation["status"] == "open"
    assert set(parked.negotiation["parties"]) == {str(alex.pk), str(sam.pk)}
    assert parked.negotiation["drafts"][0]["by"] == str(alex.pk)
    room_act(checkin, sam, "end_early")
    boundary.refresh_from_db()
    assert boundary.live_checkin_id is None
    post(b, parked.pk, action="accept", version="1")
    parked.refresh_from_db()
    assert parked.status == Boundary.Status.AGREED


def test_a_checkin_without_a_boundaries_step_leaves_due_boundaries_alone(pair):
    couple, alex, sam, a, b = pair
    boundary = agree(a, b)
    Boundary.objects.filter(pk=boundary.pk).update(next_review_on=svc.couple_today(couple))
    checkin = services.checkin_start(user=alex, agenda="listening")
    assert "boundaries" not in checkin.state["inputs"]
    boundary.refresh_from_db()
    assert boundary.live_checkin_id is None
    assert post(a, boundary.pk, action="keep").status_code == 302  # the page still works
