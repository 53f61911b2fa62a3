"""Accounts: sign up with consent, log in by email, password change and reset, profile."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from couples.models import User
from tests.factories import PASSWORD, body, make_user

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Robin@Example.com",
    "display_name": "Robin",
    "time_zone": "Europe/Berlin",
    "password1": "a-long-passphrase-9",
    "password2": "a-long-passphrase-9",
    "consent": "on",
}


def test_sign_up_logs_in_and_records_consent(client):
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = User.objects.get()
    assert user.email == "robin@example.com"
    assert user.time_zone == "Europe/Berlin"
    assert user.consented_at is not None
    assert "Hello, Robin" in body(client.get(reverse("dashboard")))


def test_sign_up_needs_explicit_consent_and_keeps_what_was_typed(client):
    response = client.post(reverse("signup"), {**SIGNUP, "consent": ""})
    assert response.status_code == 200
    text = body(response)
    assert "Please agree, so we may keep what you write." in text
    assert 'value="Robin"' in text  # nothing typed is lost
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"password2": "different-passphrase"}, "The two password fields didn"),
        ({"password1": "short", "password2": "short"}, "too short"),
        ({"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        ({"display_name": ""}, "This field is required."),
    ],
)
def test_sign_up_errors_are_clear(client, change, error):
    response = client.post(reverse("signup"), {**SIGNUP, **change})
    assert response.status_code == 200
    assert error in body(response)


def test_an_email_can_sign_up_once_whatever_its_case(client):
    make_user("robin@example.com", "Robin")
    response = client.post(reverse("signup"), SIGNUP)
    assert "An account with this email already exists" in body(response)


def test_log_in_by_email_case_insensitively_and_log_out(client):
    make_user("alex@example.com", "Alex")
    response = client.post(reverse("login"), {"username": "ALEX@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_wrong_password_says_so_plainly(client):
    make_user("alex@example.com", "Alex")
    response = client.post(reverse("login"), {"username": "alex@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "don't match an account" in body(response)


def test_password_change(client):
    user = make_user("alex@example.com", "Alex")
    client.force_login(user)
    response = client.post(
        reverse("password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-phrase-4",
            "new_password2": "another-long-phrase-4",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-phrase-4")


def test_password_reset_by_email(client):
    user = make_user("alex@example.com", "Alex")
    response = client.post(reverse("password-reset"), {"email": "alex@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Hearth password"
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", message.body).group(1)
    response = client.get(link, follow=True)
    assert "Set a new password" in body(response)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "fresh-long-phrase-7", "new_password2": "fresh-long-phrase-7"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh-long-phrase-7")
    # The link works once.
    assert "doesn't work" in body(client.get(link, follow=True))


def test_password_reset_does_not_reveal_whether_an_account_exists(client):
    response = client.post(reverse("password-reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_profile_edit_and_its_errors(client):
    user = make_user("alex@example.com", "Alex")
    make_user("sam@example.com", "Sam")
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {"display_name": "Alexandra", "email": "alex@example.com", "time_zone": "Asia/Tokyo"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Alexandra", "Asia/Tokyo")
    response = client.post(
        reverse("profile"),
        {"display_name": "Alexandra", "email": "SAM@example.com", "time_zone": "Asia/Tokyo"},
    )
    assert "Another account already uses this email." in body(response)


def test_times_are_shown_in_the_users_time_zone(client):
    from django.utils import timezone

    from couples.middleware import UserTimezoneMiddleware

    user = make_user("alex@example.com", "Alex", tz="Pacific/Auckland")
    seen = {}

    def view(request):
        seen["tz"] = timezone.get_current_timezone_name()
        return None

    class Request:
        pass

    request = Request()
    request.user = user
    UserTimezoneMiddleware(view)(request)
    assert seen["tz"] == "Pacific/Auckland"
