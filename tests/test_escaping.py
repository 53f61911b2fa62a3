"""Partner text is always inert: script payloads through every field a user writes.

Two partners write payloads everywhere: their display names (through the profile form),
the attachment note, every kind of room message in two whole check-ins (weekly and repair),
boundary proposals, questions, answers, counters and reasons on the boundaries page.
Then every page either of them can open is parsed: no script runs (no inline script, no
event-handler attribute, no javascript: link), and every payload is there as plain text.
Over the socket the payloads travel as JSON strings, unchanged; the room client renders
them with textContent only (checked statically below).
"""

import json
import re
import secrets
from html.parser import HTMLParser
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import reverse

from couples import services as couple_services
from couples.models import Couple, User
from practice import services
from practice.flow import current_step
from practice.models import Boundary, CheckIn
from tests.factories import make_user
from tests.security_world import act
from tests.test_authz_matrix import http_routes, param_names
from tests.ws import join

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "</textarea><script>alert(4)</script>",
    "<a href=javascript:alert(5)>x</a>",
    "{{ 7|add:1 }}{% debug %}",
]


def payload(n: int, tag: str) -> str:
    """A payload, tagged so a failure says which field it came through."""
    return f"{PAYLOADS[n % len(PAYLOADS)]}{tag}"


class Inert(HTMLParser):
    """Parses a page as a browser would; records anything that could run, and the text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.live = []
        self.text = []
        self.attrs = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "script" and "src" not in named and named.get("type") != "application/json":
            self.live.append(f"inline <script> {attrs}")
        if tag in ("img", "svg", "iframe", "object", "embed", "a") and (
            named.get("src") == "x" or "onload" in named or "onerror" in named
        ):
            self.live.append(f"injected <{tag}> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"{name}= on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.live.append(f"javascript: URL on <{tag}>")
            self.attrs.append(value or "")

    def handle_data(self, data):
        self.text.append(data)


def inspect(html: str) -> Inert:
    parser = Inert()
    parser.feed(html)
    parser.close()
    return parser


# --- Writing payloads everywhere --------------------------------------------------------


def client_for(user) -> Client:
    client = Client(REMOTE_ADDR="10.{}.{}.{}".format(*secrets.token_bytes(3)))
    client.force_login(user)
    return client


def play_through(checkin: CheckIn, people: dict, written: dict, tag: str) -> None:
    """Play a whole check-in, writing a payload into every text the room accepts."""
    n = 0

    def text(field, limit=300):
        nonlocal n
        n += 1
        value = payload(n, f" #{tag}-{field}")
        if len(value) > limit:  # the arrive word takes 40 characters
            value = f"{PAYLOADS[0]}{n}"
        written[f"{tag}-{field}"] = value
        return value

    a, b = people["a"], people["b"]
    for _ in range(200):
        checkin.refresh_from_db()
        state = checkin.state
        if state["status"] != "active":
            return
        step = current_step(state)
        data = state["steps"][step.key]
        if step.kind == "arrive":
            for user in (a, b):
                word = text("word", limit=40)
                act(checkin, user, "arrive", {"mood": 3, "connection": 4, "word": word})
        elif step.kind == "appreciations":
            for role, user in people.items():
                mine = [i for i in data["items"] if i["by"] == role]
                for _ in range(state["settings"]["appreciations"] - len(mine)):
                    act(checkin, user, "appreciate", {"text": text(f"appreciation-{role}")})
            checkin.refresh_from_db()
            for item in checkin.state["steps"][step.key]["items"]:
                if not item["acked"]:
                    user = b if item["by"] == "a" else a
                    act(checkin, user, "acknowledge", {"id": item["id"], "reply": text("reply")})
        elif step.kind == "floor":
            for speaker, listener in ((a, b), (b, a)):
                checkin.refresh_from_db()
                if checkin.state["steps"][step.key]["phase"] == "choose":
                    act(checkin, speaker, "take_floor")
                act(checkin, speaker, "share", {"text": text("share")})
                act(checkin, listener, "mirror", {"text": text("mirror")})
                act(checkin, speaker, "clarify", {"text": text("clarify")})
                act(checkin, listener, "mirror", {"text": text("mirror-again")})
                act(checkin, speaker, "confirm")
                act(checkin, speaker, "heard")
                act(checkin, listener, "validate", {"text": text("validate")})
                act(checkin, listener, "empathize", {"text": text("empathize")})
                act(checkin, speaker, "pass_floor")
        elif step.kind == "boundaries":
            draft = {"statement": text("statement"), "consequence": text("consequence")}
            act(checkin, a, "propose", {**draft, "review_weeks": 4})
            checkin.refresh_from_db()
            item = checkin.state["steps"][step.key]["items"][-1]
            act(checkin, b, "ask", {"item": item["id"], "text": text("question")})
            checkin.refresh_from_db()
            item = checkin.state["steps"][step.key]["items"][-1]
            question = item["questions"][-1]["id"]
            act(
                checkin,
                a,
                "answer",
                {"item": item["id"], "question": question, "text": text("answer")},
            )
            # Left for later: the negotiation, questions and all, goes on on the page.
            act(checkin, b, "park", {"item": item["id"]})
        elif step.kind == "respond":
            for user in (a, b):
                act(checkin, user, "respond", {"text": text(f"respond-{step.key}")})
        elif step.kind == "close":
            for user in (a, b):
                act(checkin, user, "rate", {"rating": 4, "word": text("rating-word")})
            continue
        for user in (a, b):
            act(checkin, user, "next")
    raise AssertionError("the check-in never finished")


def page_post(client, name, data, args=()):
    response = client.post(reverse(name, args=args), data)
    assert response.status_code in (200, 302), (name, response.status_code)
    return response


@pytest.fixture
def written():
    """Alex and Sam, and every payload they wrote, by field."""
    written: dict[str, str] = {}
    alex = make_user("alex@example.com", "Alex")
    sam = make_user("sam@example.com", "Sam")
    a, b = client_for(alex), client_for(sam)
    for n, (client, user) in enumerate(((a, alex), (b, sam))):
        name = payload(n, f" #name-{n}")[:60]
        written[f"name-{n}"] = name
        page_post(
            client, "profile", {"display_name": name, "email": user.email, "time_zone": "UTC"}
        )
    alex.refresh_from_db()
    sam.refresh_from_db()
    assert alex.display_name == written["name-0"]
    # The invite page shows the inviter's name to whoever opens the link.
    couple_services.couple_create(creator=alex)
    token = couple_services.invite_create(user=alex).token
    b.get(reverse("invite-open", args=[token]))
    invite_page = b.get(reverse("invite-accept"))
    page_post(b, "invite-accept", {})
    couple = Couple.objects.get()
    couple.appreciations_per_checkin = 1
    couple.save()
    # Attachment notes, shared.
    for n, client in enumerate((a, b)):
        written[f"note-{n}"] = payload(n + 2, f" #note-{n}")
        page_post(client, "attachment-note", {"text": written[f"note-{n}"], "shared": "on"})
    # Two whole check-ins through the room's services, every text a payload.
    for agenda in ("weekly", "repair"):
        checkin = services.checkin_start(user=alex, agenda=agenda)
        play_through(checkin, {"a": alex, "b": sam}, written, agenda)
        assert CheckIn.objects.get(pk=checkin.pk).status == "finished"
    # The boundaries page: a proposal asked about, answered, countered and agreed; one
    # declined with a reason; one proposed and left open.
    for key in ("page-statement", "page-consequence", "page-question", "page-answer"):
        written[key] = payload(len(written), f" #{key}")
    for key in ("page-counter", "page-reason", "page-open"):
        written[key] = payload(len(written), f" #{key}")
    # First: proposed and agreed as it stands.
    page_post(
        a,
        "boundary-propose",
        {
            "statement": written["page-statement"],
            "consequence": written["page-consequence"],
            "review_weeks": "4",
        },
    )
    first = Boundary.objects.latest("pk")
    page_post(b, "boundary-act", {"action": "accept", "version": "1"}, [first.pk])
    # Second: asked about, answered, countered, and still open.
    page_post(a, "boundary-propose", {"statement": written["page-open"], "review_weeks": "2"})
    second = Boundary.objects.latest("pk")
    page_post(b, "boundary-act", {"action": "ask", "text": written["page-question"]}, [second.pk])
    second.refresh_from_db()
    question = second.negotiation["questions"][-1]["id"]
    page_post(
        a,
        "boundary-act",
        {"action": "answer", "question": question, "text": written["page-answer"]},
        [second.pk],
    )
    page_post(
        b,
        "boundary-act",
        {"action": "counter", "statement": written["page-counter"], "review_weeks": "8"},
        [second.pk],
    )
    # Third: declined, with a reason.
    written["page-declined"] = payload(4, " #page-declined")
    page_post(a, "boundary-propose", {"statement": written["page-declined"], "review_weeks": "2"})
    third = Boundary.objects.latest("pk")
    page_post(
        b, "boundary-act", {"action": "decline", "reason": written["page-reason"]}, [third.pk]
    )
    assert set(Boundary.objects.values_list("status", flat=True)) == {
        "agreed",
        "proposed",
        "declined",
    }
    live = services.checkin_start(user=sam, agenda="listening")
    act(live, sam, "take_floor")
    written["live-share"] = payload(1, " #live-share")
    act(live, sam, "share", {"text": written["live-share"]})
    return {
        "alex": alex,
        "sam": sam,
        "clients": (a, b),
        "written": written,
        "invite_page": invite_page,
        "live": live,
    }


def pages_to_check(world) -> dict[str, str]:
    """Every page either partner can GET: all routes without parameters, and those with."""
    urls = []
    for found in http_routes():
        if found.name and not param_names(found) and not found.namespace:
            urls.append(reverse(found.name))
    for checkin in CheckIn.objects.all():
        urls.append(reverse("checkin-summary", args=[checkin.token]))
    urls.append(reverse("room", args=[world["live"].token]))
    for boundary in Boundary.objects.all():
        urls.append(reverse("boundary-detail", args=[boundary.pk]))
    for result in User.objects.get(pk=world["alex"].pk).assessment_results.all():
        urls.append(reverse("attachment-result", args=[result.pk]))
    pages = {}
    for who, client in zip(("alex", "sam"), world["clients"], strict=True):
        for url in urls:
            response = client.get(url)
            kind = response.get("Content-Type", "")
            if response.status_code == 200 and kind.startswith("text/html"):
                pages[f"{who} {url}"] = response.content.decode()
            elif response.status_code == 200:
                # Downloads (JSON, Markdown, calendar) are never HTML, and never sniffed.
                assert response["X-Content-Type-Options"] == "nosniff"
    pages["sam (invite)"] = world["invite_page"].content.decode()
    return pages


def test_every_payload_renders_as_text_on_every_page(written):
    pages = pages_to_check(written)
    assert len(pages) > 40
    shown = "\n".join(pages.values())
    texts = []
    for where, html in pages.items():
        found = inspect(html)
        assert not found.live, f"{where}: {found.live}"
        texts.append("".join(found.text) + "\n" + "\n".join(found.attrs))
    visible = "\n".join(texts)
    missing = [field for field, value in written["written"].items() if value not in visible]
    assert not missing, f"never shown (so never checked): {missing}"
    for bad in ("<script>alert", "<img src=x", "<svg onload"):
        assert bad not in shown  # not even as raw markup inside an attribute
    assert "8{% debug %}" not in visible  # template syntax in text is never evaluated
    # The invite page showed the inviter's name to whoever opened the link: as text.
    invite = written["invite_page"]
    assert invite.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in invite.content.decode()
    # Markdown and JSON downloads are never HTML (and nosniff keeps browsers from guessing).
    for name in ("boundaries-export", "account-export"):
        response = written["clients"][0].get(reverse(name))
        assert response.status_code == 200
        assert not response["Content-Type"].startswith("text/html")
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_socket_carries_payloads_as_plain_json_strings():
    alex = await sync_to_async(make_user)("alex@example.com", "Alex")
    sam = await sync_to_async(make_user)("sam@example.com", PAYLOADS[1])
    await sync_to_async(couple_services.couple_create)(creator=alex)
    new = await sync_to_async(couple_services.invite_create)(user=alex)
    from couples.tokens import hash_token

    await sync_to_async(couple_services.invite_accept)(token_hash=hash_token(new.token), user=sam)
    checkin = await sync_to_async(services.checkin_start)(user=alex, agenda="listening")
    a = await join(f"/ws/c/{checkin.token}/", alex)
    welcome = next(m for m in a.log if m["type"] == "welcome")
    assert welcome["names"]["b"] == PAYLOADS[1]  # unchanged: textContent makes it inert
    await a.reply_to(await a.act("take_floor"))
    await a.reply_to(await a.act("share", {"text": PAYLOADS[0]}))
    await a.wait_version(2)
    assert a.state["steps"]["listen"]["pieces"][0]["share"] == PAYLOADS[0]
    raw = json.dumps(a.state)
    assert "&lt;" not in raw  # not escaped twice: the client shows exactly what was written
    await a.ws.disconnect()


# --- The client never parses partner text as HTML --------------------------------------------

SINKS = re.compile(
    r"\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|DOMParser|"
    r"createContextualFragment|\beval\s*\(|new\s+Function\s*\(|srcdoc|"
    r"setTimeout\s*\(\s*['\"`]|setInterval\s*\(\s*['\"`]"
)


def test_no_script_uses_an_html_sink():
    """Every script builds the DOM with createElement/textContent (room/dom.js's h())."""
    found = []
    for path in sorted((ROOT / "static" / "js").rglob("*.js")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if SINKS.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "HTML sinks in static/js (use textContent or dom.js's h()):\n" + "\n".join(
        found
    )


def test_the_element_builder_never_turns_data_into_handlers():
    """h(tag, attrs, ...children): children become text nodes; on* attributes are only
    ever functions (addEventListener), never strings set as attributes."""
    source = (ROOT / "static" / "js" / "room" / "dom.js").read_text()
    assert "document.createTextNode(String(child))" in source
    assert 'key.startsWith("on") && typeof value === "function"' in source
    # Nowhere is an on* attribute set from a string.
    for path in (ROOT / "static" / "js").rglob("*.js"):
        text = path.read_text()
        assert not re.search(r"setAttribute\(\s*['\"]on", text), path
        assert not re.search(r"\bh\([^)]*\{[^}]*\bon\w+:\s*['\"`]", text), path
