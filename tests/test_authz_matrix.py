"""The authorisation matrix: every route, tried as everyone who might try it.

HOW TO ADD A ROUTE (a new route without an entry fails `test_every_route_has_an_entry`):

1. Add an entry to ROUTES (HTTP) or SOCKETS (WebSocket), keyed by the URL name, saying what
   each of the five roles gets. Write the answer you intend, not the one you observe:
     200 / 400 / 404 / ...   that status;
     "→name"                 a redirect whose target resolves to URL name `name`
                              ("→login" also checks that `?next=` brings them back);
     True / False            (sockets) handshake accepted / refused.
   Helpers: signed_in(x) is "→login" for anonymous and x for the four signed-in roles;
   E(anonymous, outsider, former, partner, owner) spells out all five.
2. If the route takes parameters, give `args=lambda w: {...}` built from the World in
   tests/security_world.py (objects that belong to the owner's couple). Need a new kind of
   object? Add a builder to EXTRA_BUILDERS there and read it from `w.extra`.
3. POST-only routes: `method="POST"` (and `data=` for a meaningful body). Each request is
   rolled back, so a POST never changes what the next route sees.

The roles: anonymous; outsider (signed in, paired with someone else); former (the owner's
partner after leaving the couple: the world is rebuilt and the partner leaves first);
partner; owner (who made every object). For a 404 on a route with parameters, the same
route with parameters that match nothing must give the same page: a 404 never tells an
outsider that the thing exists.
"""

import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
from asgiref.sync import sync_to_async
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

from tests.security_world import World, build_world, former_world
from tests.ws import connect

ROLES = ("anonymous", "outsider", "former", "partner", "owner")


def E(anonymous, outsider, former, partner, owner) -> dict:
    return dict(zip(ROLES, (anonymous, outsider, former, partner, owner), strict=True))


def signed_in(answer) -> dict:
    """Anonymous visitors are sent to log in; every signed-in role gets `answer`."""
    return E("→login", answer, answer, answer, answer)


def everyone(answer) -> dict:
    return E(answer, answer, answer, answer, answer)


@dataclass
class Route:
    expect: dict
    method: str = "GET"
    args: object = None  # callable(World) -> kwargs for reverse()
    data: dict = field(default_factory=dict)
    json: bool = False  # POST `data` as a JSON body


LIVE = {"args": lambda w: {"token": w.live.token}}
ENDED = {"args": lambda w: {"token": w.ended.token}}
BOUNDARY = {"args": lambda w: {"pk": w.boundary.pk}}
RESULT = {"args": lambda w: {"pk": w.result.pk}}
MEMBERS_ONLY_404 = E("→login", 404, 404, 200, 200)
OWNER_ONLY_404 = E("→login", 404, 404, 404, 200)  # personal practice: not even the partner


def OWNER_POST(target: str) -> dict:
    return E("→login", 404, 404, 404, target)


def PERSONAL(key: str) -> dict:
    """Route args naming one of the owner's personal things (tests/personal_world.py)."""
    return {"args": lambda w: {"pk": w.extra[key].pk}}


ROUTES: dict[str, Route] = {
    # --- Pages and accounts ---------------------------------------------------------
    "home": Route(E(200, "→dashboard", "→dashboard", "→dashboard", "→dashboard")),
    "dashboard": Route(signed_in(200)),
    "support": Route(everyone(200)),
    "signup": Route(E(200, "→dashboard", "→dashboard", "→dashboard", "→dashboard")),
    "login": Route(E(200, "→dashboard", "→dashboard", "→dashboard", "→dashboard")),
    "logout": Route(everyone("→home"), method="POST"),
    "profile": Route(signed_in(200)),
    "password-change": Route(signed_in(200)),
    "password-change-done": Route(signed_in(200)),
    "password-reset": Route(everyone(200)),
    "password-reset-done": Route(everyone(200)),
    # The emailed link is the credential: whoever holds it may set the password (once).
    "password-reset-confirm": Route(
        everyone("→password-reset-confirm"),
        args=lambda w: {"uidb64": w.reset_uid, "token": w.reset_token()},
    ),
    "password-reset-complete": Route(everyone(200)),
    "account-export": Route(signed_in(200)),  # each signed-in user gets their own data
    "account-delete": Route(signed_in(200)),
    # --- Pairing ----------------------------------------------------------------------
    # The former partner has no couple now, so for them "new" makes one.
    "couple-create": Route(
        E("→login", "→dashboard", "→invite-link", "→dashboard", "→dashboard"), method="POST"
    ),
    "couple-leave": Route(E("→login", 200, "→dashboard", 200, 200)),
    "invite-link": Route(E("→login", 200, "→dashboard", 200, 200)),
    "invite-regenerate": Route(signed_in("→dashboard"), method="POST"),  # couples are full
    "invite-revoke": Route(signed_in("→dashboard"), method="POST"),
    # Opening a link only swaps the token for a session entry; the check comes next.
    "invite-open": Route(everyone("→invite-accept"), args=lambda w: {"token": w.invite_token}),
    "invite-accept": Route(signed_in(404)),  # no invite pending in this session
    # --- Attachment: the owner's result is theirs alone ---------------------------------
    "attachment": Route(signed_in(200)),
    "attachment-assessment": Route(signed_in(200)),
    "attachment-assessment-discard": Route(signed_in("→attachment"), method="POST"),
    "attachment-result": Route(E("→login", 404, 404, 404, 200), **RESULT),
    "attachment-sharing": Route(  # the owner's form comes back with its error
        E("→login", 404, 404, 404, 200), method="POST", data={"sharing": "everyone"}, **RESULT
    ),
    "attachment-note": Route(signed_in(200)),
    "attachment-couple": Route(signed_in(200)),
    # --- Check-ins ---------------------------------------------------------------------
    # Outsiders start (or are sent to) their own couple's room.
    "checkin-start": Route(
        E("→login", "→room", "→dashboard", "→room", "→room"),
        method="POST",
        data={"agenda": "weekly"},
    ),
    "history": Route(signed_in(200)),
    "room": Route(MEMBERS_ONLY_404, **LIVE),
    "checkin-resume": Route(
        E("→login", 404, 404, "→dashboard", "→dashboard"), method="POST", **ENDED
    ),
    "checkin-summary": Route(MEMBERS_ONLY_404, **ENDED),
    "coach": Route(  # reads no one's data
        E(401, 200, 200, 200, 200), method="POST", json=True, data={"text": "I feel heard."}
    ),
    # --- Ritual --------------------------------------------------------------------------
    "ritual": Route(signed_in(200)),  # outsiders and former partners see their own
    "ritual-now": Route(E("→login", 200, "→dashboard", "→room", "→room")),
    "ritual-start": Route(E("→login", "→room", 404, "→room", "→room"), method="POST"),
    "ritual-reminders": Route(E("→login", 404, 404, "→ritual", "→ritual"), method="POST"),
    "ritual-feed-regenerate": Route(E("→login", 404, 404, "→ritual", "→ritual"), method="POST"),
    # The feed URL is the credential (calendar apps can't log in). It dies with the couple.
    "ritual-feed": Route(E(200, 200, 404, 200, 200), args=lambda w: {"token": w.feed_token}),
    # --- Boundaries ------------------------------------------------------------------------
    "boundaries": Route(signed_in(200)),  # each sees their own couple's (or none)
    "boundary-propose": Route(E("→login", 400, 404, 400, 400), method="POST"),
    "boundaries-print": Route(E("→login", 200, 404, 200, 200)),
    "boundaries-export": Route(E("→login", 200, 404, 200, 200)),
    "boundary-detail": Route(MEMBERS_ONLY_404, **BOUNDARY),
    "boundary-act": Route(E("→login", 404, 404, 400, 400), method="POST", **BOUNDARY),
    # --- Personal practice: each user's own; anyone else's is a 404 ---------------------------
    "personal-home": Route(signed_in(200)),
    "personal-journal": Route(signed_in(200)),
    "personal-entry-new": Route(signed_in(200)),
    "personal-entry": Route(OWNER_ONLY_404, **PERSONAL("journal_entry")),
    "personal-entry-delete": Route(
        OWNER_POST("→personal-journal"), method="POST", **PERSONAL("journal_entry")
    ),
    "personal-entry-share": Route(OWNER_ONLY_404, **PERSONAL("journal_entry")),
    "personal-triggers": Route(signed_in(200)),
    "personal-trigger": Route(OWNER_ONLY_404, **PERSONAL("trigger")),
    "personal-trigger-delete": Route(
        OWNER_POST("→personal-triggers"), method="POST", **PERSONAL("trigger")
    ),
    "personal-toolkit": Route(signed_in(200)),
    "personal-breathing": Route(signed_in(200)),
    "personal-grounding": Route(signed_in(200)),
    "personal-strategy": Route(OWNER_ONLY_404, **PERSONAL("strategy")),
    "personal-strategy-delete": Route(
        OWNER_POST("→personal-toolkit"), method="POST", **PERSONAL("strategy")
    ),
    "personal-gratitude": Route(signed_in(200)),
    "personal-note-send": Route(OWNER_ONLY_404, **PERSONAL("note")),
    "personal-note-delete": Route(
        OWNER_POST("→personal-gratitude"), method="POST", **PERSONAL("note")
    ),
    "personal-shared-withdraw": Route(
        OWNER_POST("→personal-home"), method="POST", **PERSONAL("shared_item")
    ),
    "personal-goals": Route(signed_in(200)),
    "personal-goal": Route(OWNER_ONLY_404, **PERSONAL("goal")),
    "personal-goal-delete": Route(OWNER_POST("→personal-goals"), method="POST", **PERSONAL("goal")),
    "personal-goal-mark": Route(
        OWNER_POST("→personal-goal"), method="POST", data={"done": "1"}, **PERSONAL("goal")
    ),
    "personal-goal-step-add": Route(
        OWNER_POST("→personal-goal"), method="POST", data={"text": "One more"}, **PERSONAL("goal")
    ),
    "personal-goal-step-mark": Route(
        OWNER_POST("→personal-goal"),
        method="POST",
        data={"done": "1"},
        args=lambda w: {"pk": w.extra["goal"].pk, "step": w.extra["goal_step"].pk},
    ),
    "personal-self-checkin": Route(signed_in(200)),
    "personal-self-plan": Route(
        signed_in("→personal-self-checkin"), method="POST", data={"cadence": "monthly"}
    ),
    "personal-self-history": Route(signed_in(200)),
    # --- Questions: the daily question and the ladder; each acts on their own couple ---------
    "prompts-today": Route(signed_in(200)),  # no couple: a page that says how to begin
    "prompts-history": Route(signed_in(200)),
    "prompts-day": Route(MEMBERS_ONLY_404, args=lambda w: {"pk": w.extra["daily_question"].pk}),
    "prompts-ladder": Route(signed_in(200)),
    "prompts-ladder-comfortable": Route(
        signed_in("→prompts-ladder"),
        method="POST",
        data={"comfortable": "yes"},
        args=lambda w: {"theme": "dreams"},
    ),
    "prompts-ladder-step-down": Route(
        signed_in("→prompts-ladder"), method="POST", args=lambda w: {"theme": "dreams"}
    ),
    "prompts-ladder-talked": Route(
        signed_in("→prompts-ladder"), method="POST", data={"prompt": "daily-1-01"}
    ),
    # --- Admin -------------------------------------------------------------------------------
    "admin:login": Route(everyone(200)),
    # The admin sends logout to its index first, which then sends non-staff to log in.
    "admin:logout": Route(everyone("→admin:index")),
}

# Every other route under these namespaces: nobody here is staff, so all of them send
# everyone to the admin's own login page (the admin checks staff before it looks anything up).
NAMESPACES: dict[str, Route] = {"admin": Route(everyone("→admin:login"))}

SOCKETS: dict[str, Route] = {
    "ws-room": Route(E(False, False, False, True, True), **LIVE),
    "ws-me": Route(E(False, True, True, True, True)),  # one's own notices only
}


# --- Walking the URL conf ----------------------------------------------------------------


@dataclass
class Found:
    name: str | None  # namespaced, e.g. "admin:index"
    namespace: str
    pattern: object


def walk(patterns, namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Found(name, namespace.rstrip(":"), pattern)


def http_routes() -> list[Found]:
    return list(walk(get_resolver().url_patterns))


def socket_routes() -> list[Found]:
    from config.routing import websocket_urlpatterns

    return list(walk(websocket_urlpatterns()))


def entry_for(found: Found) -> Route | None:
    if found.name in ROUTES:
        return ROUTES[found.name]
    top = found.namespace.split(":")[0]
    return NAMESPACES.get(top) if top else None


def test_every_route_has_an_entry():
    missing = sorted(
        f.name or f"<unnamed {f.pattern.pattern}>" for f in http_routes() if entry_for(f) is None
    )
    assert not missing, (
        "These routes have no entry in the authorisation matrix. Add one to ROUTES in "
        "tests/test_authz_matrix.py saying what anonymous, outsider, former partner, partner "
        "and owner each get (see the instructions at the top of that file):\n  "
        + "\n  ".join(missing)
    )
    names = {f.name for f in http_routes()}
    stale = sorted(set(ROUTES) - names)
    assert not stale, f"ROUTES has entries for routes that no longer exist: {stale}"


def test_every_socket_route_has_an_entry():
    found = socket_routes()
    missing = sorted(
        f.name or f"<unnamed {f.pattern.pattern}>" for f in found if f.name not in SOCKETS
    )
    assert not missing, (
        "These socket routes (config/routing.py) have no entry in SOCKETS in "
        f"tests/test_authz_matrix.py: {missing}"
    )
    stale = sorted(set(SOCKETS) - {f.name for f in found})
    assert not stale, f"SOCKETS has entries for routes that no longer exist: {stale}"


# --- Building URLs -------------------------------------------------------------------------


def param_names(found: Found) -> list[str]:
    pattern = found.pattern.pattern
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


def admin_kwargs(world: World, names: list[str]) -> dict:
    # Real ids, though nothing is looked up for someone who isn't staff.
    sample = {
        "object_id": str(world.owner.pk),
        "id": str(world.owner.pk),
        "content_type_id": str(ContentType.objects.get_for_model(type(world.owner)).pk),
        "app_label": "couples",
    }
    return {name: sample[name] for name in names}


def url_of(found: Found, route: Route, world: World) -> str:
    names = param_names(found)
    if found.name is None:  # the admin's catch-all
        return "/admin/nothing-here/"
    if route.args is not None:
        return reverse(found.name, kwargs=route.args(world))
    if names and found.namespace == "admin":
        return reverse(found.name, kwargs=admin_kwargs(world, names))
    assert not names, f"{found.name} takes {names}: give its entry args=lambda w: {{...}}"
    return reverse(found.name)


def bogus_url(found: Found, route: Route, world: World) -> str:
    """The same route with parameters that match nothing of anyone's."""
    kwargs = route.args(world)
    fake = {
        k: (999_999 if isinstance(v, int) else secrets.token_urlsafe(24)) for k, v in kwargs.items()
    }
    return reverse(found.name, kwargs=fake)


# --- Asking ---------------------------------------------------------------------------------


def ask(world: World, role: str, route: Route, url: str, ip: str):
    client = Client(REMOTE_ADDR=ip)  # an address of its own: rate-limit counts stay private
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        if route.method == "GET":
            response = client.get(url)
        elif route.json:
            response = client.post(url, route.data, content_type="application/json")
        else:
            response = client.post(url, route.data)
        transaction.set_rollback(True)
    return response


def answer_of(response, url: str) -> tuple[object, str]:
    """(what the matrix calls this answer, detail for the failure message)."""
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"])
        try:
            match = resolve(target.path)
        except Exception:
            return f"→{target.path}", response["Location"]
        name = match.view_name
        if name in ("login", "admin:login") and parse_qs(target.query).get("next") != [
            urlsplit(url).path
        ]:
            return f"→{name} (without next)", response["Location"]
        return f"→{name}", response["Location"]
    return response.status_code, ""


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|csrftoken=[^;]+')


def page(response) -> bytes:
    return CSRF.sub(b"", response.content)


@pytest.fixture(params=ROLES)
def role_and_world(request, db):
    role = request.param
    return role, (former_world() if role == "former" else build_world())


def test_http_matrix(role_and_world):
    role, world = role_and_world
    ip = "10.{}.{}.{}".format(*secrets.token_bytes(3))
    wrong, checked = [], 0
    for found in http_routes():
        route = entry_for(found)
        if route is None:
            continue  # reported by test_every_route_has_an_entry
        expected = route.expect[role]
        url = url_of(found, route, world)
        response = ask(world, role, route, url, ip)
        got, detail = answer_of(response, url)
        checked += 1
        if got != expected:
            wrong.append(
                f"{found.name or url}: {route.method} {url} gave {got} {detail}, "
                f"expected {expected}"
            )
            continue
        if expected == 404 and route.args is not None:
            # Not yours and doesn't exist look the same.
            other = ask(world, role, route, bogus_url(found, route, world), ip)
            if other.status_code != 404 or page(other) != page(response):
                wrong.append(f"{found.name}: a 404 for a real object differs from one for nothing")
    assert checked > 60
    assert not wrong, f"As {role}:\n  " + "\n  ".join(wrong)


# --- Sockets -----------------------------------------------------------------------------------


def socket_path(found: Found, route: Route, world: World) -> str:
    path = "/" + str(found.pattern.pattern)
    kwargs = route.args(world) if route.args else {}
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), path)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
async def test_socket_matrix(role):
    world = await sync_to_async(former_world if role == "former" else build_world)()
    user = world.user(role)
    wrong = []
    for found in socket_routes():
        route = SOCKETS.get(found.name)
        if route is None:
            continue
        path = socket_path(found, route, world)
        communicator, connected = await connect(path, user, expect=False)
        if connected != route.expect[role]:
            wrong.append(f"{path}: {'accepted' if connected else 'refused'}")
        # Refused ones too: a consumer left running hangs the event loop's teardown.
        await communicator.disconnect()
    if "token" in str(socket_routes()[0].pattern.pattern):
        # An unknown room is refused exactly like a room that isn't yours.
        communicator, connected = await connect("/ws/c/no-such-room/", user, expect=False)
        await communicator.disconnect()
        if connected:
            wrong.append("/ws/c/no-such-room/: accepted")
    assert not wrong, f"As {role}:\n  " + "\n  ".join(wrong)
