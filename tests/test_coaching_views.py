"""Coaching in the app: the live endpoint, the review stored with each turn, the pages."""

import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from practice import services
from practice.models import CheckIn, Turn

URL = "/coach/"


@pytest.fixture(autouse=True)
def own_rate_window(monkeypatch):
    """Each test counts in its own rate-limit scope (the cache may be a shared Redis)."""
    from couples import ratelimit
    from practice.views import coaching

    scope = f"coach-test-{uuid.uuid4().hex}"
    monkeypatch.setattr(
        coaching, "hit", lambda _scope, ident, **kw: ratelimit.hit(scope, ident, **kw)
    )


def csrf_client(user) -> tuple[Client, str]:
    """A client that enforces CSRF like a browser, with the token a page would give it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("profile"))
    return client, client.cookies["csrftoken"].value


def post(client, token, body, **extra):
    return client.post(
        URL,
        data=json.dumps(body),
        content_type="application/json",
        headers={"x-csrftoken": token} if token else {},
        **extra,
    )


@pytest.mark.django_db
class TestEndpoint:
    def test_route(self):
        assert reverse("coach") == URL

    def test_login_required(self):
        response = Client().post(URL, data="{}", content_type="application/json")
        assert response.status_code == 401
        assert response.json()["error"] == "login_required"

    def test_csrf_required(self, user):
        client, _token = csrf_client(user)
        assert post(client, None, {"text": "You never listen."}).status_code == 403
        assert post(client, "wrong" * 8, {"text": "You never listen."}).status_code == 403

    def test_get_is_not_allowed(self, user):
        client, _token = csrf_client(user)
        assert client.get(URL).status_code == 405

    def test_statement_review(self, user):
        client, token = csrf_client(user)
        response = post(client, token, {"kind": "statement", "text": "You never listen to me."})
        assert response.status_code == 200
        body = response.json()
        assert body["type"] == "statement"
        assert body["kind"] == "blame"
        assert body["spans"][0] == {
            "start": 4,
            "end": 9,
            "reason": "absolute",
            "severity": "strong",
            "text": "never",
            "note": body["spans"][0]["note"],
        }
        assert body["suggestion"].startswith("I feel ")
        assert isinstance(body["message"], str) and body["message"]

    def test_kind_defaults_to_statement(self, user):
        client, token = csrf_client(user)
        body = post(client, token, {"text": "I miss you."}).json()
        assert body["type"] == "statement" and body["kind"] == "i_statement"

    def test_mirror_review(self, user):
        client, token = csrf_client(user)
        body = post(
            client,
            token,
            {
                "kind": "mirror",
                "original": "I felt lonely when you worked late all week.",
                "text": "You felt lonely, but I had a deadline.",
            },
        ).json()
        assert body["type"] == "mirror"
        assert body["verdict"] == "missed"
        assert {a["reason"] for a in body["added"]} >= {"but"}
        assert set(body) >= {"score", "missing", "added", "message"}

    def test_feelings(self, user):
        client, token = csrf_client(user)
        body = post(
            client, token, {"kind": "feelings", "original": "I felt ignored at the party."}
        ).json()
        assert body == {"type": "feelings", "feelings": body["feelings"]}
        assert body["feelings"][:2] == ["lonely", "hurt"]

    def test_size_cap(self, user):
        client, token = csrf_client(user)
        assert post(client, token, {"text": "a" * 2000}).status_code == 200
        response = post(client, token, {"text": "a" * 2001})
        assert response.status_code == 413
        assert response.json() == {
            "error": "too_long",
            "message": "The coach reads up to 2000 characters.",
            "limit": 2000,
        }
        huge = post(client, token, {"kind": "mirror", "text": "ok", "original": "a" * 20000})
        assert huge.status_code == 413

    @pytest.mark.parametrize(
        "body",
        ["not json", "[1, 2]", json.dumps({"kind": "poem"}), json.dumps({"text": 42})],
    )
    def test_bad_input_is_a_clear_400(self, user, body):
        client, token = csrf_client(user)
        response = client.post(
            URL, data=body, content_type="application/json", headers={"x-csrftoken": token}
        )
        assert response.status_code == 400
        assert response.json()["message"]

    def test_rate_limited_per_user(self, user, settings):
        settings.COACH_RATE_PER_MINUTE = 3
        client, token = csrf_client(user)
        statuses = [post(client, token, {"text": "Hello"}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = post(client, token, {"text": "Hello"})
        assert limited.json()["error"] == "rate_limited"
        assert limited["Retry-After"] == "60"


def act(checkin, user, action, data=None):
    result = services.checkin_act(
        checkin_id=checkin.pk, user=user, action=action, data=data or {}, client_id=uuid.uuid4()
    )
    assert isinstance(result, services.Accepted), result
    return result


def listening_round(couple):
    _, alex, sam = couple
    checkin = services.checkin_start(user=alex, agenda="listening")
    act(checkin, alex, "take_floor")
    act(checkin, alex, "share", {"text": "You never listen when I talk about work."})
    act(checkin, sam, "mirror", {"text": "You felt unheard, but I was tired."})
    act(checkin, alex, "clarify", {"text": "I felt lonely when I talked about work."})
    act(checkin, sam, "mirror", {"text": "You felt lonely when you talked about work."})
    return checkin, alex, sam


@pytest.mark.django_db
class TestStoredWithTheTurn:
    def test_each_text_turn_keeps_its_review(self, couple):
        checkin, alex, sam = listening_round(couple)
        turns = {t.seq: t for t in Turn.objects.filter(checkin=checkin)}
        share, first_mirror, clarify, second_mirror = (turns[n] for n in (2, 3, 4, 5))
        assert turns[1].coaching is None  # take_floor has no words
        assert share.coaching["type"] == "statement"
        assert share.coaching["kind"] == "blame"
        assert first_mirror.coaching["type"] == "mirror"
        assert first_mirror.coaching["verdict"] == "missed"
        assert clarify.coaching["kind"] == "i_statement"
        # The second mirror is held against the piece with its clarification.
        assert second_mirror.coaching["verdict"] in ("good", "partial")
        assert second_mirror.coaching["score"] > first_mirror.coaching["score"]

    def test_a_failing_coach_never_blocks_the_turn(self, couple, monkeypatch):
        from practice import hooks

        def broken(*args, **kwargs):
            raise RuntimeError("coach down")

        monkeypatch.setattr(hooks, "review_turn", broken)
        _, alex, _sam = couple
        checkin = services.checkin_start(user=alex, agenda="listening")
        act(checkin, alex, "take_floor")
        act(checkin, alex, "share", {"text": "I feel tired."})
        assert Turn.objects.get(checkin=checkin, action="share").coaching is None


@pytest.mark.django_db
class TestPages:
    def test_room_page_carries_styles_tips_and_the_coach_script(self, couple):
        _, alex, _sam = couple
        checkin = services.checkin_start(user=alex, agenda="listening")
        client = Client()
        client.force_login(alex)
        response = client.get(checkin.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="coach-data"' in html
        assert 'id="coach-script"' in html
        assert 'data-url="/coach/"' in html
        assert "js/room/coach.js" in html
        coach = response.context["coach"]
        assert coach["my_style"] is None and coach["partner_style"] is None
        assert coach["tips"]["floor:mirror:listener"][0]["about"] == "practice"

    def test_partner_style_reaches_the_room_only_when_shared(self, couple, monkeypatch):
        from practice import coaching_selectors

        _, alex, sam = couple
        shared = {alex.pk: {"style": "anxious"}, sam.pk: {"style": "avoidant"}}

        def fake(owner, viewer):
            # Sam shares with nobody; each sees their own.
            if owner.pk == viewer.pk or owner.pk == alex.pk:
                return shared[owner.pk]
            return None

        monkeypatch.setattr(coaching_selectors, "shared_attachment_style", fake)
        as_sam = coaching_selectors.room_coach_context(sam, alex)
        assert (as_sam["my_style"], as_sam["partner_style"]) == ("avoidant", "anxious")
        assert "promptly" in as_sam["tips"]["floor:mirror:listener"][0]["text"]
        as_alex = coaching_selectors.room_coach_context(alex, sam)
        assert (as_alex["my_style"], as_alex["partner_style"]) == ("anxious", None)

    def test_summary_shows_only_the_viewers_own_progress(self, couple):
        checkin, alex, sam = listening_round(couple)
        act(checkin, alex, "confirm")
        act(checkin, alex, "share", {"text": "I need us to talk at dinner."})
        CheckIn.objects.filter(pk=checkin.pk).update(status=CheckIn.Status.ENDED)
        client = Client()
        client.force_login(alex)
        response = client.get(reverse("checkin-summary", args=[checkin.token]))
        assert response.status_code == 200
        progress = response.context["coaching"]
        assert progress["this"]["statements"] == 3
        assert progress["this"]["i_statements"] == 2
        assert progress["this"]["mirrors"] == 0
        html = response.content.decode()
        assert "Your practice" in html
        assert "Only you see this" in html

        client.force_login(sam)
        theirs = client.get(reverse("checkin-summary", args=[checkin.token])).context["coaching"]
        assert theirs["this"]["statements"] == 0
        assert theirs["this"]["mirrors"] == 2
        assert theirs["this"]["good"] == 1
