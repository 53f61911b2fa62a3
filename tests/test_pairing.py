"""Pairing through an invite link: every path, and no leak to anyone outside."""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from couples import services
from couples.models import Couple, Invite, Membership
from couples.selectors import active_couple, partner_of
from couples.tokens import hash_token
from tests.factories import PASSWORD, body, make_user

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r'value="(https?://[^"]+/invite/([A-Za-z0-9_-]+)/)"')


def login(client, user):
    client.force_login(user)
    return client


def create_couple_and_link(client, user) -> str:
    """Through the UI: create the couple, read the link shown once. Returns the token."""
    login(client, user)
    response = client.post(reverse("couple-create"), follow=True)
    match = LINK_RE.search(body(response))
    assert match, "the invite page shows the link"
    return match.group(2)


@pytest.fixture
def alex():
    return make_user("alex@example.com", "Alex")


@pytest.fixture
def sam():
    return make_user("sam@example.com", "Sam")


@pytest.fixture
def eve():
    return make_user("eve@example.com", "Eve")


# --- The happy path --------------------------------------------


def test_anonymous_partner_is_sent_to_log_in_and_back_then_pairs(client, alex, sam):
    from django.test import Client

    token = create_couple_and_link(Client(), alex)
    # Opening the link swaps the token for a session entry and a token-free URL.
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 302
    assert response["Location"] == "/invite/"
    assert token not in str(client.session.items())
    assert client.session["pending_invite"] == hash_token(token)
    # Logged out: to the login page, and back to the acceptance page afterwards.
    response = client.get("/invite/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/invite/"
    page = client.get(response["Location"])
    assert "You've been invited to pair" in body(page)
    response = client.post(
        "/accounts/login/?next=/invite/",
        {"username": "SAM@example.com", "password": PASSWORD, "next": "/invite/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/invite/"
    page = client.get("/invite/")
    assert page.status_code == 200
    assert "Alex invites you to pair" in body(page)
    response = client.post("/invite/", {"accept": "1"}, follow=True)
    assert "You're paired with Alex" in body(response)
    assert partner_of(sam) == alex
    assert partner_of(alex) == sam
    # Both see each other on the dashboard.
    assert "You and Alex" in body(client.get("/dashboard/"))
    from django.test import Client as C

    assert "You and Sam" in body(login(C(), alex).get("/dashboard/"))


def test_a_new_user_can_sign_up_from_the_invite_and_come_back(client, alex):
    from django.test import Client

    token = create_couple_and_link(Client(), alex)
    client.get(f"/invite/{token}/")
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "display_name": "Robin",
            "time_zone": "Europe/Paris",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
            "consent": "on",
            "next": "/invite/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/invite/"
    assert "Alex invites you" in body(client.get("/invite/"))


def test_the_link_is_shown_once_and_only_its_hash_is_kept(client, alex):
    token = create_couple_and_link(client, alex)
    assert len(token) >= 43  # 32 random bytes, url-safe base64: 256 bits
    invite = Invite.objects.get()
    assert invite.token_hash == hash_token(token)
    assert token not in invite.token_hash
    page = body(client.get(reverse("invite-link")))
    assert token not in page
    assert "We only show an invite link once" in page


def test_referrer_policy_keeps_the_token_out_of_referrers(client, alex):
    token = create_couple_and_link(client, alex)
    response = client.get(f"/invite/{token}/")
    assert response["Referrer-Policy"] == "same-origin"


# --- Every failure has its own page, and none names anyone ------------


def open_and_view(client, token, user=None):
    if user is not None:
        login(client, user)
    client.get(f"/invite/{token}/")
    return client.get("/invite/")


def assert_failure(response, status, code, *, absent=("Alex", "alex@example.com")):
    assert response.status_code == status
    text = body(response)
    assert f'data-invite-failure="{code}"' in text
    for word in absent:
        assert word not in text.split("<main", 1)[1], f"{word!r} leaked on the {code} page"


def test_unknown_token(client, eve):
    assert_failure(open_and_view(client, "x" * 43, eve), 404, "unknown")


def test_expired_link(client, alex, eve):
    from django.test import Client

    token = create_couple_and_link(Client(), alex)
    Invite.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = open_and_view(client, token, eve)
    assert_failure(response, 410, "expired")
    assert "expired" in body(response)


def test_link_expires_after_seven_days(alex):
    services.couple_create(creator=alex)
    new = services.invite_create(user=alex)
    assert new.invite.expires_at - new.invite.created_at == timedelta(days=7)


def test_a_third_user_holding_a_used_link_is_refused_without_a_leak(client, alex, sam, eve):
    from django.test import Client

    token = create_couple_and_link(Client(), alex)
    sams_browser = Client()
    assert open_and_view(sams_browser, token, sam).status_code == 200
    sams_browser.post("/invite/", {"accept": "1"})
    assert partner_of(sam) == alex
    # The link was used; Eve got hold of it.
    response = open_and_view(client, token, eve)
    assert_failure(response, 410, "used", absent=("Alex", "Sam", "alex@example.com", "sam@"))
    assert "already been used" in body(response)
    assert client.post("/invite/", {"accept": "1"}).status_code == 410
    assert active_couple(eve) is None
    assert Membership.objects.filter(left_at__isnull=True).count() == 2


def test_revoked_and_regenerated_links_stop_working(client, alex, eve):
    from django.test import Client

    owner = Client()
    token = create_couple_and_link(owner, alex)
    owner.post(reverse("invite-regenerate"))
    assert_failure(open_and_view(client, token, eve), 410, "revoked")
    newer = Invite.objects.filter(revoked_at__isnull=True).get()
    owner.post(reverse("invite-revoke"))
    newer.refresh_from_db()
    assert newer.revoked_at is not None


def test_your_own_link(client, alex):
    token = create_couple_and_link(client, alex)
    assert_failure(open_and_view(client, token), 409, "own_link", absent=())


def test_already_in_a_couple(client, alex, sam, eve):
    from django.test import Client

    token = create_couple_and_link(Client(), alex)
    services.couple_create(creator=eve)
    response = open_and_view(client, token, eve)
    assert_failure(response, 409, "already_in_couple")


def test_no_invite_in_the_session(client, eve):
    login(client, eve)
    response = client.get("/invite/")
    assert response.status_code == 404
    assert "No invite open" in body(response)


def test_declining_changes_nothing(client, alex, sam):
    from django.test import Client

    token = create_couple_and_link(Client(), alex)
    open_and_view(client, token, sam)
    response = client.post("/invite/", {"decline": "1"}, follow=True)
    assert "declined" in body(response)
    assert active_couple(sam) is None
    assert Invite.objects.get().used_at is None


def test_two_people_accepting_one_link_get_one_winner(alex, sam, eve):
    services.couple_create(creator=alex)
    token_hash = hash_token(services.invite_create(user=alex).token)
    services.invite_accept(token_hash=token_hash, user=sam)
    with pytest.raises(services.PairingError) as error:
        services.invite_accept(token_hash=token_hash, user=eve)
    assert error.value.code == services.PairingError.Code.USED


# --- Invariants --------------------------------------------


def test_a_user_belongs_to_at_most_one_active_couple(alex):
    services.couple_create(creator=alex)
    with pytest.raises(services.PairingError):
        services.couple_create(creator=alex)
    other = Couple.objects.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(couple=other, user=alex)


def test_creating_a_couple_twice_from_the_dashboard_is_harmless(client, alex):
    login(client, alex)
    client.post(reverse("couple-create"))
    response = client.post(reverse("couple-create"), follow=True)
    assert "already in a couple" in body(response)
    assert Couple.objects.count() == 1


# --- Leaving --------------------------------------------


def test_leaving_asks_for_confirmation_then_ends_the_couple(client, alex, sam):
    from django.test import Client

    token = create_couple_and_link(Client(), alex)
    open_and_view(client, token, sam)
    client.post("/invite/", {"accept": "1"})
    page = client.get(reverse("couple-leave"))
    assert "Leave your couple?" in body(page)
    response = client.post(reverse("couple-leave"), {})
    assert response.status_code == 200
    assert "Please" in body(response) or "required" in body(response)
    assert active_couple(sam) is not None
    client.post(reverse("couple-leave"), {"confirm": "on"})
    assert active_couple(sam) is None
    assert active_couple(alex) is None
    leaver = Membership.objects.get(user=sam)
    stayer = Membership.objects.get(user=alex)
    assert leaver.departed and not stayer.departed
    assert Couple.objects.get().ended_at is not None
    # Each may pair again.
    services.couple_create(creator=sam)


def test_leaving_revokes_open_invites(alex):
    services.couple_create(creator=alex)
    services.invite_create(user=alex)
    services.couple_leave(user=alex)
    assert Invite.objects.get().revoked_at is not None


# --- Pages need a login --------------------------------------------


@pytest.mark.parametrize(
    "url", ["/dashboard/", "/invite/", "/couple/invite/", "/couple/leave/", "/accounts/profile/"]
)
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
