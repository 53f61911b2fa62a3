"""The daily question: private answers, revealed together, never before (issue 12)."""

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import reverse

from practice import services as room_services
from practice.models import Ritual
from practice.prompts import library, selectors, services
from practice.prompts.models import DailyAnswer, DailyQuestion, Prompt
from tests.factories import body, make_couple, make_user
from tests.ws import join

ALEX_SECRET = "Zephyr-marmalade-4711 is what I think about at night"
SAM_SECRET = "Quokka-lantern-9902 was my answer"

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fragments(text: str) -> list[str]:
    """The secret as the page could carry it: raw, HTML-escaped, JSON-escaped, in pieces."""
    import html

    words = text.split()
    return [text, html.escape(text), json.dumps(text)[1:-1], words[0], words[-2] + " " + words[-1]]


def assert_absent(content: bytes, secret: str, where: str):
    raw = content.decode()
    for fragment in fragments(secret):
        assert fragment not in raw, f"{fragment!r} leaked in {where}"


def prompt_get_urls(question) -> list[str]:
    """Every GET page of the prompts app, plus the pages that embed its cards."""
    return [
        reverse("prompts-today"),
        reverse("prompts-history"),
        reverse("prompts-day", args=[question.pk]),
        reverse("prompts-ladder"),
        reverse("dashboard"),
        reverse("prompts-history") + "?page=2",
    ]


@pytest.fixture
def pair(couple):
    couple, alex, sam = couple
    question = services.daily_question_today(user=alex)
    return couple, alex, sam, question


def answer(client, question, text):
    return client.post(reverse("prompts-day", args=[question.pk]), {"text": text})


def test_nothing_of_an_answer_reaches_the_partner_before_they_answer(pair):
    couple, alex, sam, question = pair
    a, s = client_for(alex), client_for(sam)
    assert answer(a, question, ALEX_SECRET).status_code == 302

    # The author sees their own words (so the check below can fail).
    assert ALEX_SECRET in body(a.get(reverse("prompts-today")))
    for url in prompt_get_urls(question):
        response = s.get(url)
        assert response.status_code == 200, url
        assert_absent(response.content, ALEX_SECRET, url)
    # The partner learns only that there is an answer waiting.
    assert "Alex has answered" in body(s.get(reverse("prompts-today")))


def test_both_answers_are_revealed_together_once_both_answered(pair):
    couple, alex, sam, question = pair
    a, s = client_for(alex), client_for(sam)
    answer(a, question, ALEX_SECRET)
    question.refresh_from_db()
    assert question.revealed_at is None
    answer(s, question, SAM_SECRET)
    question.refresh_from_db()
    assert question.revealed_at is not None
    for client in (a, s):
        for url in (reverse("prompts-today"), reverse("prompts-history")):
            page = body(client.get(url))
            assert ALEX_SECRET in page and SAM_SECRET in page, url


def test_the_partner_page_carries_no_hidden_copy_even_after_an_edit(pair):
    couple, alex, sam, question = pair
    a, s = client_for(alex), client_for(sam)
    answer(a, question, "first thought, Pelican-orchard-3131 today")
    answer(a, question, ALEX_SECRET)  # changed before Sam answered
    assert DailyAnswer.objects.get(user=alex).text == ALEX_SECRET
    response = s.get(reverse("prompts-day", args=[question.pk]))
    assert_absent(response.content, ALEX_SECRET, "day page")
    assert b"Pelican-orchard-3131" not in response.content
    # The form Sam sees starts empty: nothing prefilled from someone else's answer.
    assert response.context["form"].initial == {"text": ""}


def test_the_view_model_withholds_the_partner_text_until_revealed(pair):
    couple, alex, sam, question = pair
    services.daily_answer_save(user=alex, question_id=question.pk, text=ALEX_SECRET)
    view = selectors.day_view(question, sam)
    assert view.partner_answered and view.partner_text is None and view.mine is None
    services.daily_answer_save(user=sam, question_id=question.pk, text=SAM_SECRET)
    question.refresh_from_db()
    assert selectors.day_view(question, sam).partner_text == ALEX_SECRET
    assert selectors.day_view(question, alex).partner_text == SAM_SECRET


def test_after_the_reveal_answers_are_kept_as_they_were(pair):
    couple, alex, sam, question = pair
    services.daily_answer_save(user=alex, question_id=question.pk, text=ALEX_SECRET)
    services.daily_answer_save(user=sam, question_id=question.pk, text=SAM_SECRET)
    response = answer(client_for(alex), question, "Something else entirely")
    assert response.status_code == 200
    assert "stays as it was" in body(response)
    assert "Something else entirely" in body(response)  # shown back, not lost
    assert DailyAnswer.objects.get(user=alex).text == ALEX_SECRET


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_room_socket_never_carries_a_daily_answer():
    # Transactional tests flush every table between tests, the data migration's too.
    await sync_to_async(library.load)(Prompt)
    couple, alex, sam = await sync_to_async(make_couple)()
    question = await sync_to_async(services.daily_question_today)(user=alex)
    await sync_to_async(services.daily_answer_save)(
        user=alex, question_id=question.pk, text=ALEX_SECRET
    )
    checkin = await sync_to_async(room_services.checkin_start)(user=alex, agenda="open_question")
    path = f"/ws/c/{checkin.token}/"
    partner = await join(path, sam)
    try:
        await partner.act("take_floor")
        await partner.drain()
        assert partner.state["steps"]["open_question"]["question"]["text"]
        for message in partner.log:
            for fragment in fragments(ALEX_SECRET):
                assert fragment not in json.dumps(message)
    finally:
        await partner.ws.disconnect()


def test_invalid_answers_keep_every_word(pair):
    couple, alex, sam, question = pair
    a = client_for(alex)
    long_text = "I keep thinking. " * 200  # over 2000 characters
    response = answer(a, question, long_text)
    assert response.status_code == 200
    assert long_text.strip() in body(response)
    assert "at most 2000" in body(response) or "2000" in body(response)
    response = answer(a, question, "   ")
    assert response.status_code == 200
    assert "Write your answer first." in body(response)
    assert not DailyAnswer.objects.exists()


def test_another_couple_gets_404_for_a_question_that_isnt_theirs(pair):
    couple, alex, sam, question = pair
    services.daily_answer_save(user=alex, question_id=question.pk, text=ALEX_SECRET)
    _, pat, _ = make_couple(("pat@example.com", "Pat"), ("robin@example.com", "Robin"))
    outsider = client_for(pat)
    url = reverse("prompts-day", args=[question.pk])
    assert outsider.get(url).status_code == 404
    response = outsider.post(url, {"text": "let me in"})
    assert response.status_code == 404
    assert_absent(response.content, ALEX_SECRET, "404 page")
    assert not DailyAnswer.objects.filter(text="let me in").exists()
    with pytest.raises(services.NotYours):
        services.daily_answer_save(user=pat, question_id=question.pk, text="let me in")


def test_pages_need_a_login_and_a_partner(db):
    anonymous = Client()
    for name in ("prompts-today", "prompts-history", "prompts-ladder"):
        response = anonymous.get(reverse(name))
        assert response.status_code == 302 and "/login" in response["Location"]
    loner = client_for(make_user("lee@example.com", "Lee"))
    response = loner.get(reverse("prompts-today"))
    assert response.status_code == 200
    assert "Pair with your partner first" in body(response)
    assert not DailyQuestion.objects.exists()


def test_the_day_is_the_couples_day_in_their_time_zone(pair):
    couple, alex, sam, _ = pair
    Ritual.objects.create(
        couple=couple, weekday=6, local_time=time(19, 0), time_zone="Pacific/Auckland"
    )
    # 12:00 UTC on 1 January is already 2 January in Auckland.
    noon_utc = datetime(2031, 1, 1, 12, 0, tzinfo=UTC)
    question = services.daily_question_today(user=alex, now=noon_utc)
    assert question.on_date.isoformat() == "2031-01-02"
    # Sam asking a few hours later, still 2 January in Auckland, gets the same question.
    assert services.daily_question_today(user=sam, now=noon_utc + timedelta(hours=5)) == question


def test_skipped_days_leave_no_trace_in_the_history(pair):
    couple, alex, sam, today = pair
    start = datetime(2031, 3, 1, 9, 0, tzinfo=UTC)
    skipped = services.daily_question_today(user=alex, now=start)
    answered = services.daily_question_today(user=alex, now=start + timedelta(days=3))
    services.daily_answer_save(user=sam, question_id=answered.pk, text=SAM_SECRET)
    days = [v.question for v in selectors.day_views(selectors.answered_days(couple), alex)]
    assert days == [answered]
    assert skipped not in days
    page = body(client_for(alex).get(reverse("prompts-history")))
    assert skipped.text not in page
    assert "Sam has answered" in page
    assert "streak" not in page.lower()


def test_an_earlier_day_can_still_be_answered_and_then_reveals(pair):
    couple, alex, sam, _ = pair
    earlier = services.daily_question_today(user=alex, now=datetime(2031, 3, 1, tzinfo=UTC))
    services.daily_answer_save(user=sam, question_id=earlier.pk, text=SAM_SECRET)
    response = answer(client_for(alex), earlier, ALEX_SECRET)
    assert response.status_code == 302
    assert response["Location"] == reverse("prompts-day", args=[earlier.pk])
    earlier.refresh_from_db()
    assert earlier.is_revealed
