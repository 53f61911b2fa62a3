"""The steps a journey through the app is made of, one small function each.

Each step does what a person would do (through labels and roles, as a screen
reader would find them) and waits until the page shows the result, so a test
reads as a sequence of steps. A feature that adds a step (the assessment, a
boundary negotiation) adds a function here and a line to the journey.

Room steps take a `Partner` (see conftest.py); `expect` waits up to 15 s.
"""

import re

from playwright.sync_api import expect

# --- Accounts ---------------------------------------------------------------------


def sign_up(p, *, time_zone: str = "Europe/London") -> None:
    """Fill in the sign-up form on the current page (or open it) and submit."""
    page = p.page
    if "/accounts/signup/" not in page.url:
        page.goto("/accounts/signup/")
    page.get_by_label("Email address").fill(p.email)
    page.get_by_label("Display name").fill(p.name)
    page.get_by_label("Time zone").select_option(time_zone)
    page.get_by_label("Password", exact=True).fill(p.password)
    page.get_by_label("Password confirmation").fill(p.password)
    page.get_by_label(re.compile("^I agree that Hearth stores")).check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text(f"Welcome, {p.name}.")).to_be_visible()


def log_in(p) -> None:
    page = p.page
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(p.email)
    page.get_by_label("Password").fill(p.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_attached()


def log_in_by_cookie(p) -> None:
    """Log in without the form (the login form is rate-limited per address)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(p.user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    p.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": p.base_url}]
    )


def log_out(p) -> None:
    page = p.page
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation", name="Account")).to_be_visible()


# --- Pairing ----------------------------------------------------------------------


def create_couple(p) -> str:
    """From the dashboard: create the couple and return the invite link shown once."""
    page = p.page
    page.goto("/dashboard/")
    page.get_by_role("button", name="Create our couple").click()
    expect(page.get_by_role("heading", name="Send this link to your partner")).to_be_visible()
    return page.get_by_label("Invite link").input_value()


def open_invite_logged_out(p, link: str) -> None:
    """A logged-out partner opens the link, is asked to log in or sign up, and signs up."""
    page = p.page
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/invite/$"))
    expect(page.get_by_text("You've been invited to pair")).to_be_visible()
    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    sign_up(p)
    expect(page).to_have_url(re.compile(r"/invite/$"))


def accept_invite(p, inviter) -> None:
    page = p.page
    expect(page.get_by_role("heading", name=f"{inviter.name} invites you to pair")).to_be_visible()
    page.get_by_role("button", name="Accept and pair").click()
    expect(page.get_by_text(f"You're paired with {inviter.name}")).to_be_visible()


# --- The attachment assessment ---------------------------------------------------------


def assessment_answers(style: str) -> dict[str, int]:
    """Raw answers (1-7) that score as `style`: "anxious" (anxiety high, avoidance low) or
    "secure" (both low). Reverse-keyed statements get the mirrored answer."""
    from couples.assessment import ITEMS

    high = {"anxious": {"anxiety"}, "secure": set()}[style]
    return {item.id: (6 if (item.dimension in high) != item.reverse else 2) for item in ITEMS}


def take_assessment(p, answers: dict[str, int]) -> None:
    """From the attachment page: all four pages of statements, by clicks, to the result."""
    from couples.assessment import ITEMS

    page = p.page
    page.goto("/attachment/")
    page.get_by_role("link", name="Begin").click()
    pages = [ITEMS[i : i + 6] for i in range(0, len(ITEMS), 6)]
    for number, items in enumerate(pages, start=1):
        expect(page.get_by_text(f"Page {number} of {len(pages)}")).to_be_visible()
        for item in items:
            page.locator(f"#item-{item.id}").get_by_role(
                "radio", name=re.compile(f"^{answers[item.id]} ")
            ).check()
        last = number == len(pages)
        page.get_by_role("button", name="See my result" if last else "Next page").click()
    expect(page.get_by_role("heading", name="Your two scores")).to_be_visible()


def share_style(p) -> None:
    """On the result page: share the style (not the scores) with the partner."""
    page = p.page
    page.get_by_role("radio", name=re.compile("^Share my style$")).check()
    page.get_by_role("button", name="Save sharing choice").click()
    expect(
        page.get_by_text("Saved. Your partner sees your style, not your scores.")
    ).to_be_visible()


def expect_partner_style(p, partner, style_name: str) -> None:
    """The couple page shows the style the partner shared, and no scores."""
    page = p.page
    page.goto("/attachment/us/")
    card = page.locator("section[aria-labelledby=theirs-heading]")
    expect(card.locator(".eyebrow")).to_have_text(partner.name)
    expect(card.get_by_role("heading", name=style_name, exact=True)).to_be_visible()
    expect(card).not_to_contain_text("out of 7")


# --- Dashboard and starting a check-in ----------------------------------------------------


def open_dashboard(p) -> None:
    """The dashboard, with its live line connected (so a started check-in shows at once)."""
    p.page.goto("/dashboard/")
    expect(p.page.locator("#live-notice")).to_have_attribute("data-live", "open")


def start_checkin(p, agenda: str = "Weekly check-in") -> str:
    """Start a check-in from the dashboard; returns the room's URL."""
    page = p.page
    page.goto("/dashboard/")
    page.get_by_role("radio", name=re.compile(agenda)).check()
    page.get_by_role("button", name="Start a check-in").click()
    expect(page).to_have_url(re.compile(r"/c/[^/]+/$"))
    wait_connected(p)
    return page.url


def join_from_notice(p, starter) -> None:
    """The partner's dashboard shows "Join" without a reload; follow it into the room."""
    page = p.page
    notice = page.locator("#live-notice")
    expect(notice).to_contain_text(f"{starter.name} started a weekly check-in")
    notice.get_by_role("link", name="Join").click()
    expect(page).to_have_url(re.compile(r"/c/[^/]+/$"))
    wait_connected(p)


# --- The live room ----------------------------------------------------------------------


def wait_connected(p) -> None:
    """The room's socket is open and its first state drawn. If not, the failure says how
    far each socket of this tab got (in milliseconds), any script error (a room module
    that failed to load never opens a socket), and what the server logged."""
    from tests.browser.conftest import server_log_tail, socket_entries

    try:
        expect(p.page.locator("#connection")).to_have_attribute("data-state", "open")
        expect(p.page.locator("#step-title")).not_to_have_text("Connecting…")
    except AssertionError as error:
        sockets = "\n".join(f"  {entry}" for entry in socket_entries(p.page))
        errors = "\n".join(f"  {error}" for error in p.errors)
        raise AssertionError(
            f"{p.name}'s room did not connect.\n{p.name}'s sockets:\n{sockets or '  none'}"
            f"\nJavaScript errors:\n{errors or '  none'}\nServer log:\n{server_log_tail()}"
        ) from error


def expect_step(p, title: str) -> None:
    expect(p.page.locator("#step-title")).to_have_text(title)


def expect_your_turn_hint(p, text) -> None:
    expect(p.page.locator("#turn-hint")).to_have_text(text)


def continue_both(first, second, next_title: str) -> None:
    """Both say they're ready; the room moves on to `next_title`."""
    for p in (first, second):
        p.page.locator("#continue-area").get_by_role("button", name=re.compile("^Continue")).click()
    expect_step(first, next_title)
    expect_step(second, next_title)


def _pick(page, group: str, value) -> None:
    page.get_by_role("group", name=re.compile(group)).get_by_role(
        "radio", name=str(value), exact=True
    ).check()


def arrive(p, *, mood: int, connection: int, word: str = "") -> None:
    page = p.page
    form = page.locator("form[data-action=arrive]")
    _pick(form, "^Mood", mood)
    _pick(form, "^How connected", connection)
    if word:
        form.get_by_label("A word for how you're arriving").fill(word)
    form.get_by_role("button", name="Share when we've both answered").click()
    expect(form).to_have_count(0)


def expect_arrivals_revealed(p, *answers: str) -> None:
    reveal = p.page.locator(".reveal")
    for text in answers:
        expect(reveal).to_contain_text(text)


def _submit_text(p, action: str, label, text: str, button: str) -> None:
    form = p.page.locator(f"form[data-action={action}]")
    form.get_by_label(label).fill(text)
    form.get_by_role("button", name=button).click()
    expect(p.page.locator(".thread").get_by_text(text, exact=True).first).to_be_visible()


def appreciate(p, text: str) -> None:
    _submit_text(p, "appreciate", re.compile(r"^Appreciation \d of \d"), text, "Share appreciation")


def acknowledge(p, text: str) -> None:
    """Acknowledge the partner's appreciation that says `text`."""
    item = p.page.locator(".bubble", has_text=text)
    item.get_by_role("button", name="Thank you — received").click()
    expect(item).to_contain_text("You acknowledged this.")


def take_floor(p) -> None:
    p.page.get_by_role("button", name="I'll speak first").click()
    expect(p.page.locator(".floor-holder")).to_have_text("You hold the floor.")


def share(p, text: str) -> None:
    _submit_text(p, "share", re.compile("^Share (a|another) piece"), text, "Share")


def mirror(p, text: str) -> None:
    _submit_text(p, "mirror", "Mirror it back", text, "Mirror")


def clarify(p, text: str) -> None:
    _submit_text(p, "clarify", "Or clarify what was missed", text, "Clarify")


def confirm(p) -> None:
    p.page.get_by_role("button", name="That's it").click()
    expect(p.page.locator(".thread-note").last).to_have_text("✓ That's it — heard.")


def heard(p) -> None:
    p.page.get_by_role("button", name="I feel heard").click()
    expect(p.page.locator("form[data-action=share]")).to_have_count(0)


def validate(p, text: str) -> None:
    _submit_text(p, "validate", "Validate", text, "Validate")


def empathize(p, text: str) -> None:
    _submit_text(p, "empathize", "Guess a feeling", text, "Offer")


def pass_floor(p) -> None:
    p.page.get_by_role("button", name="Pass the floor").click()
    expect(p.page.get_by_role("button", name="Pass the floor")).to_have_count(0)


def listening_round(speaker, listener, *, piece: str, mirror_text: str) -> None:
    """One plain round: one piece, mirrored and confirmed, then validate, empathy, pass."""
    share(speaker, piece)
    mirror(listener, mirror_text)
    confirm(speaker)
    heard(speaker)
    validate(listener, "It makes sense that you feel that way.")
    empathize(listener, "I imagine you might feel relieved.")
    pass_floor(speaker)


def call_break(p, partner) -> None:
    p.page.get_by_role("button", name="I need a break").click()
    for who in (p, partner):
        expect(who.page.locator("#break-panel")).to_be_visible()
        expect(who.page.locator("#step-panel")).to_be_hidden()


def resume_early(p) -> None:
    p.page.get_by_role("button", name="I'm ready to end the break early").click()


def _negotiation(p, statement: str):
    return p.page.locator("article.negotiation", has_text=statement)


def open_disclosure(scope, summary: str) -> None:
    """Open a <details> by its summary (a click on an open one would close it)."""
    details = scope.locator("details", has=scope.page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details).to_have_attribute("open", "")


def propose_boundary(p, statement: str, consequence: str = "", review_weeks: int = 4) -> None:
    """Open "Propose a boundary", fill in the form and send it; it shows as a proposal."""
    page = p.page
    open_disclosure(page.locator("#step-body"), "Propose a boundary")
    form = page.locator("form[data-action=propose]")
    form.get_by_label("The boundary").fill(statement)
    if consequence:
        form.get_by_label("If it's crossed (optional)").fill(consequence)
    form.get_by_label("Review it").select_option(str(review_weeks))
    form.get_by_role("button", name="Propose").click()
    expect(_negotiation(p, statement)).to_contain_text("You proposed")


def ask_about(p, statement: str, question: str) -> None:
    item = _negotiation(p, statement)
    open_disclosure(item, "Ask a clarifying question")
    form = item.locator("form[data-action=ask]")
    form.get_by_label("Your question").fill(question)
    form.get_by_role("button", name="Ask").click()
    expect(item.locator(".bubble", has_text=question)).to_contain_text("You asked")


def answer_question(p, statement: str, asker, answer: str) -> None:
    item = _negotiation(p, statement)
    form = item.locator("form[data-action=answer]")
    form.get_by_label(f"Answer {asker.name}'s question").fill(answer)
    form.get_by_role("button", name="Answer").click()
    expect(item).to_contain_text(f"Answer: {answer}")


def accept_boundary(p, statement: str, version: int = 1) -> None:
    item = _negotiation(p, statement)
    item.get_by_role("button", name=f"Accept version {version}").click()
    expect(item).to_contain_text("Agreed by you both.")


def respond(p, text: str) -> None:
    _submit_text(p, "respond", "Your answer", text, "Share")


def rate(p, rating: int, word: str = "") -> None:
    form = p.page.locator("form[data-action=rate]")
    _pick(form, "^How was this talk", rating)
    if word:
        form.get_by_label("Anything to add").fill(word)
    form.get_by_role("button", name="Finish").click()


def expect_summary(p) -> None:
    expect(p.page).to_have_url(re.compile(r"/c/[^/]+/summary/$"))


# --- Shortcuts for tests about one step ---------------------------------------------------

# The order in which a fast-forward prefers actions, so that each step completes.
_PROGRESS = (
    "resume",
    "next",
    "arrive",
    "acknowledge",
    "appreciate",
    "take_floor",
    "heard",
    "share",
    "mirror",
    "confirm",
    "validate",
    "empathize",
    "pass_floor",
    "respond",
    "rate",
)


def checkin_at(a_user, b_user, step_key: str | None, agenda: str = "weekly", checkin=None):
    """Start a check-in through the services and play it, server-side, up to `step_key`
    (None: to the end). Or go on with `checkin`.

    Call through conftest.in_thread. For tests about one step: the journey test
    covers the way there through the page. Returns the check-in.
    """
    from practice import flow, services
    from tests.flow_helpers import valid_data

    if checkin is None:
        checkin = services.checkin_start(user=a_user, agenda=agenda)
    users = {"a": a_user, "b": b_user}
    for _ in range(200):
        checkin.refresh_from_db()
        state = checkin.state
        if state["status"] != "active" or flow.current_step(state).key == step_key:
            return checkin
        now = services.now_ts()
        moved = False
        for role in flow.ROLES:
            can = flow.allowed(state, role, now)
            action = next((a for a in _PROGRESS if a in can), None)
            if action is None:
                continue
            result = services.checkin_act(
                checkin_id=checkin.pk,
                user=users[role],
                action=action,
                data=valid_data(state, role, action),
                client_id=None,
            )
            assert not isinstance(result, services.Refused), (action, result)
            moved = True
            break
        assert moved, f"stuck before {step_key}: {state}"
    raise AssertionError(f"never reached {step_key}")


def act(checkin, user, action: str, **data):
    """One action through the services (no broadcast: open or reload the page after)."""
    from practice import services

    result = services.checkin_act(
        checkin_id=checkin.pk, user=user, action=action, data=data, client_id=None
    )
    assert not isinstance(result, services.Refused), (action, result)
    return result
