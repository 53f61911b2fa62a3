"""Attacks on the front door, tried for real: brute force, spoofed addresses, forged requests,
framing, hijacked sockets, floods. Each test is one attack and what stops it.

Rate-limit counters live in Django's cache, which under REDIS_URL other test runs share:
every test here comes from addresses and accounts of its own and never clears the cache.
"""

import json
import re
import secrets
import subprocess
import sys
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.core import mail
from django.test import Client
from django.urls import reverse

from practice import services
from tests.factories import PASSWORD, body, make_couple, make_user
from tests.ws import connect, join

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def fresh_ip() -> str:
    """An address no other test (or test run) has used: counters start at zero."""
    return "10.{}.{}.{}".format(*secrets.token_bytes(3))


def fresh_email(name: str = "target") -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@example.com"


def assert_429_page(response):
    assert response.status_code == 429
    text = body(response)
    assert "Too many attempts" in text
    assert "wait and try again" in text
    assert "<main" in text and "Traceback" not in text  # the site's own calm page


# --- Brute force on log in ---------------------------------------------------------------


def test_password_guessing_from_one_address_is_stopped_after_ten_tries():
    user = make_user(fresh_email(), "Target")
    client = Client(REMOTE_ADDR=fresh_ip())
    for _ in range(10):
        response = client.post(reverse("login"), {"username": user.email, "password": "guess"})
        assert response.status_code == 200
        assert "don't match an account" in body(response)
    # The 11th try is refused before the password is even checked: the right one too.
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert_429_page(response)
    assert "_auth_user_id" not in client.session


def test_password_guessing_on_one_account_from_many_addresses_is_stopped_too():
    user = make_user(fresh_email(), "Target")
    for _ in range(10):
        response = Client(REMOTE_ADDR=fresh_ip()).post(
            reverse("login"), {"username": user.email.upper(), "password": "guess"}
        )
        assert response.status_code == 200
    response = Client(REMOTE_ADDR=fresh_ip()).post(
        reverse("login"), {"username": f"  {user.email} ", "password": "guess"}
    )
    assert_429_page(response)  # case and spaces don't make a new account to count against


def test_guessing_many_accounts_from_one_address_is_stopped():
    client = Client(REMOTE_ADDR=fresh_ip())
    for _ in range(10):
        client.post(reverse("login"), {"username": fresh_email(), "password": "guess"})
    response = client.post(reverse("login"), {"username": fresh_email(), "password": "guess"})
    assert_429_page(response)


def test_a_spoofed_x_forwarded_for_does_not_reset_the_count(settings):
    """Behind the proxy (TRUST_X_FORWARDED_FOR), the client's own X-Forwarded-For entries
    come first and the proxy's last: only the last one counts."""
    settings.TRUST_X_FORWARDED_FOR = True
    proxy = fresh_ip()
    real_client = fresh_ip()
    for _ in range(10):
        spoofed = f"{fresh_ip()}, {real_client}"  # what the proxy forwards: theirs, then ours
        Client(REMOTE_ADDR=proxy).post(
            reverse("login"),
            {"username": fresh_email(), "password": "guess"},
            HTTP_X_FORWARDED_FOR=spoofed,
        )
    response = Client(REMOTE_ADDR=proxy).post(
        reverse("login"),
        {"username": fresh_email(), "password": "guess"},
        HTTP_X_FORWARDED_FOR=f"{fresh_ip()}, {real_client}",
    )
    assert_429_page(response)
    # Someone else behind the same proxy is not locked out by the attacker.
    response = Client(REMOTE_ADDR=proxy).post(
        reverse("login"),
        {"username": fresh_email(), "password": "guess"},
        HTTP_X_FORWARDED_FOR=fresh_ip(),
    )
    assert response.status_code == 200


def test_x_forwarded_for_is_ignored_unless_trusted(settings):
    settings.TRUST_X_FORWARDED_FOR = False
    client = Client(REMOTE_ADDR=fresh_ip())
    for _ in range(10):
        client.post(
            reverse("login"),
            {"username": fresh_email(), "password": "guess"},
            HTTP_X_FORWARDED_FOR=fresh_ip(),
        )
    response = client.post(
        reverse("login"),
        {"username": fresh_email(), "password": "guess"},
        HTTP_X_FORWARDED_FOR=fresh_ip(),
    )
    assert_429_page(response)


# --- Sign up, password reset, invites ------------------------------------------------------


def test_mass_sign_up_from_one_address_is_stopped():
    client = Client(REMOTE_ADDR=fresh_ip())
    form = {
        "display_name": "Bot",
        "time_zone": "UTC",
        "password1": "a-long-passphrase-9",
        "password2": "a-long-passphrase-9",
        "consent": "on",
    }
    for _ in range(10):
        response = client.post(reverse("signup"), {**form, "email": fresh_email("bot")})
        assert response.status_code == 302  # signed up (and logged in)
        client.post(reverse("logout"))
    response = client.post(reverse("signup"), {**form, "email": fresh_email("bot")})
    assert_429_page(response)


def test_password_reset_flooding_is_stopped_and_sends_nothing_more():
    user = make_user(fresh_email(), "Target")
    client = Client(REMOTE_ADDR=fresh_ip())
    for _ in range(5):
        response = client.post(reverse("password-reset"), {"email": user.email})
        assert response.status_code == 302
    sent = len(mail.outbox)
    assert sent == 5
    response = client.post(reverse("password-reset"), {"email": user.email})
    assert_429_page(response)
    assert len(mail.outbox) == sent
    # From another address, the same mailbox is still protected (counted per email).
    response = Client(REMOTE_ADDR=fresh_ip()).post(reverse("password-reset"), {"email": user.email})
    assert_429_page(response)


def test_guessing_invite_tokens_finds_nothing_and_is_stopped():
    make_couple((fresh_email("a"), "A"), (fresh_email("b"), "B"))  # real invites exist
    guesser = make_user(fresh_email("guesser"), "Guesser")
    client = Client(REMOTE_ADDR=fresh_ip())
    client.force_login(guesser)
    for _ in range(30):
        response = client.get(reverse("invite-open", args=[secrets.token_urlsafe(32)]), follow=True)
        assert response.status_code == 404
        assert "This invite link doesn't work" in body(response)
    response = client.get(reverse("invite-open", args=[secrets.token_urlsafe(32)]))
    assert_429_page(response)
    response = client.post(reverse("invite-accept"))  # accepting shares the same count
    assert_429_page(response)


def test_invite_and_room_tokens_are_long_random_and_only_hashes_are_kept():
    from couples import services as couple_services
    from couples.models import Invite

    couple, alex, sam = make_couple((fresh_email("a"), "A"), (fresh_email("b"), "B"))
    couple_services.couple_leave(user=sam)
    other = make_user(fresh_email("c"), "C")
    couple_services.couple_create(creator=other)
    first = couple_services.invite_create(user=other)
    second = couple_services.invite_create(user=other)
    for new in (first, second):
        assert len(new.token) >= 43  # 32 bytes from the CSPRNG
        assert new.token not in {i.token_hash for i in Invite.objects.all()}
    assert first.token != second.token
    assert len(services.new_room_token()) >= 32  # 24 bytes


# --- Forged requests, framing, headers ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("couple-leave", {"confirm": "on"}),
        ("account-delete", {"confirm": "on", "password": PASSWORD}),
        ("boundary-propose", {"statement": "When x, I need y.", "review_weeks": "4"}),
        ("profile", {"display_name": "Mallory", "email": "m@example.com", "time_zone": "UTC"}),
        ("attachment-note", {"text": "forged"}),
    ],
)
def test_a_forged_cross_site_post_is_refused(name, data):
    _, alex, _ = make_couple((fresh_email("a"), "A"), (fresh_email("b"), "B"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(alex)
    response = client.post(reverse(name), data)
    assert response.status_code == 403
    alex.refresh_from_db()
    assert alex.display_name == "A"


def test_every_page_is_served_with_the_security_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in csp.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]  # no inline script, no eval
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, handlers, style attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append(f"<script> without src: {attrs}")
        for name, _ in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{name}= on <{tag}>")
        href = (names.get("href") or "").strip().lower()
        if href.startswith("javascript:"):
            self.found.append(f"javascript: link on <{tag}>")


def test_no_template_has_inline_script_handlers_or_style_attributes():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        source = path.read_text()
        source = re.sub(r"{%.*?%}|{{.*?}}", "", source, flags=re.S)  # template tags out
        parser = InlineCode()
        parser.feed(source)
        found += [f"{path.relative_to(ROOT)}: {what}" for what in parser.found]
    assert not found, "The CSP forbids these:\n" + "\n".join(found)


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({k: getattr(s, k) for k in (
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY", "DEBUG")}))
"""


def test_production_settings_send_cookies_over_https_only_with_hsts():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "hearth.example",
    }
    out = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(out.stdout)
    assert found["DEBUG"] is False
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"]
    assert found["SESSION_COOKIE_HTTPONLY"]
    assert found["SECURE_SSL_REDIRECT"]
    assert found["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert found["X_FRAME_OPTIONS"] == "DENY"
    assert found["SECURE_REFERRER_POLICY"] == "same-origin"


# --- Sockets: hijacking and floods ----------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "origin",
    [
        (b"origin", b"https://evil.example"),
        (b"origin", b"http://testserver.evil.example"),
        (b"origin", b"null"),
        None,
    ],
    ids=["foreign", "lookalike", "null", "missing"],
)
async def test_cross_site_websocket_hijacking_is_refused(couple, origin):
    """A page on another site can open a socket with the partner's cookies attached;
    the origin allow-list refuses it before the consumer runs."""
    _, alex, _ = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="listening")
    for path in (f"/ws/c/{checkin.token}/", "/ws/me/"):
        communicator, connected = await connect(path, alex, origin=origin, expect=False)
        await communicator.disconnect()
        assert not connected, path


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_partner_flooding_the_room_is_slowed_and_the_other_is_unaffected(couple, settings):
    settings.ROOM_RATE_PER_SECOND = 2
    settings.ROOM_RATE_BURST = 5
    _, alex, sam = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="listening")
    path = f"/ws/c/{checkin.token}/"
    a = await join(path, alex)
    b = await join(path, sam)
    flood = [await a.act("share", {"text": f"flood {i}"}) for i in range(40)]
    replies = [await a.reply_to(client_id) for client_id in flood]
    codes = [r.get("code", r["type"]) for r in replies]
    assert codes.count("rate_limited") >= 30
    assert "ack" not in codes  # (share before take_floor is refused anyway: nothing stored)
    # The partner has a bucket of their own: their action goes through at once.
    reply = await b.reply_to(await b.act("take_floor"))
    assert reply["type"] == "ack" and reply["version"] == 1
    await a.ws.disconnect()
    await b.ws.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_oversized_frame_is_refused_unread_and_changes_nothing(couple):
    _, alex, _ = couple
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="listening")
    a = await join(f"/ws/c/{checkin.token}/", alex)
    client_id = str(uuid.uuid4())
    huge = json.dumps(
        {"type": "action", "action": "take_floor", "client_id": client_id, "pad": "é" * 9000},
        ensure_ascii=False,
    )  # 9,000 characters but 18,000 bytes: the cap counts bytes
    assert len(huge) < 16_384 < len(huge.encode())
    await a.ws.send_to(text_data=huge)
    reply = await a.reply_to(client_id)
    assert reply["code"] == "too_large"
    version = await sync_to_async(services.checkin_version)(checkin_id=checkin.pk)
    assert version == 0
    await a.ws.disconnect()


# --- At rest in Redis ---------------------------------------------------------------------


@pytest.mark.services
@pytest.mark.asyncio
async def test_room_payloads_are_encrypted_at_rest_in_redis(redis_url):
    """With CHANNEL_LAYER_ENCRYPTION_KEYS (passed as symmetric_encryption_keys, see
    tests/test_settings_env.py), what sits in Redis is ciphertext."""
    import redis.asyncio as aioredis
    from channels_redis.core import RedisChannelLayer

    prefix = f"enc-test-{uuid.uuid4().hex[:8]}"
    layer = RedisChannelLayer(
        hosts=[redis_url], prefix=prefix, symmetric_encryption_keys=["a-key-for-this-test"]
    )
    secret = "I feel unseen when you look at your phone"
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "room.state", "text": secret})
    raw = aioredis.Redis.from_url(redis_url)
    try:
        stored = b""
        async for key in raw.scan_iter(match=f"{prefix}*"):
            if await raw.type(key) == b"zset":  # a channel's queue
                stored += b"".join(await raw.zrange(key, 0, -1))
        assert stored, "nothing found in Redis to inspect"
        assert secret.encode() not in stored and b"room.state" not in stored
        assert (await layer.receive(channel))["text"] == secret  # and the key reads it back
    finally:
        for k in [k async for k in raw.scan_iter(match=f"{prefix}*")]:
            await raw.delete(k)
        await raw.aclose()
        await layer.flush()
