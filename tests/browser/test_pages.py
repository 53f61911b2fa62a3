"""Every main page at phone and desktop size, light and dark: axe-core, layout, screenshots.

Screenshots land in test-artifacts/screenshots/<page>-<phone|desktop>-<light|dark>.png;
look at them after a change to the interface.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import steps
from tests.browser.conftest import DESKTOP, PHONE, in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOOKS = [
    pytest.param(PHONE, "light", id="phone-light"),
    pytest.param(PHONE, "dark", id="phone-dark"),
    pytest.param(DESKTOP, "light", id="desktop-light"),
    pytest.param(DESKTOP, "dark", id="desktop-dark"),
]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def make_people():
    from tests.factories import make_couple, make_user

    _, alex, sam = make_couple()
    solo = make_user("robin@example.com", "Robin")
    return alex, sam, solo


@pytest.mark.parametrize(("viewport", "scheme"), LOOKS)
def test_main_pages(new_partner, a11y, shoot, viewport, scheme):
    look = f"{'phone' if viewport == PHONE else 'desktop'}-{scheme}"
    visitor = new_partner("Visitor", viewport=viewport, color_scheme=scheme)
    alex = new_partner("Alex", viewport=viewport, color_scheme=scheme)
    robin = new_partner("Robin", viewport=viewport, color_scheme=scheme)
    alex.user, sam_user, robin.user = in_thread(make_people)
    steps.log_in_by_cookie(alex)
    steps.log_in_by_cookie(robin)

    def visit(p, name, url=None):
        if url:
            p.page.goto(url)
        assert p.page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways at {look}"
        a11y.check(p.page, f"{name}-{look}")
        shoot(p.page, f"{name}-{look}")

    # Before logging in.
    visit(visitor, "home", "/")
    visit(visitor, "login", "/accounts/login/")
    visitor.page.get_by_role("button", name="Log in").click()
    expect(visitor.page.locator(".form-errors, .error").first).to_be_visible()
    visit(visitor, "login-errors")
    visit(visitor, "signup", "/accounts/signup/")
    visitor.page.get_by_role("button", name="Sign up").click()
    expect(visitor.page.locator(".error").first).to_be_visible()
    visit(visitor, "signup-errors")
    visit(visitor, "password-reset", "/accounts/password/reset/")
    visit(visitor, "support", "/support/")
    visit(visitor, "not-found", "/no-such-page/")

    # Someone not paired yet, then with an invite link to send.
    visit(robin, "dashboard-unpaired", "/dashboard/")
    robin.page.get_by_role("button", name="Create our couple").click()
    visit(robin, "invite-link")

    # A paired partner's pages.
    visit(alex, "dashboard", "/dashboard/")
    if viewport == PHONE:
        alex.page.get_by_role("button", name="Menu").click()
        expect(alex.page.get_by_role("link", name="Profile")).to_be_visible()
        visit(alex, "menu-open")
    visit(alex, "profile", "/accounts/profile/")
    visit(alex, "password-change", "/accounts/password/")
    visit(alex, "leave", "/couple/leave/")
    visit(alex, "history-empty", "/checkins/")

    # The live room: its forms, a conversation, a break.
    checkin = in_thread(steps.checkin_at, alex.user, sam_user, "arrive")
    alex.page.goto(checkin.get_absolute_url())
    steps.wait_connected(alex)
    visit(alex, "room-arrive")
    in_thread(steps.checkin_at, alex.user, sam_user, "appreciations", checkin=checkin)
    in_thread(steps.act, checkin, sam_user, "appreciate", text="Thank you for the flowers.")
    alex.page.reload()
    steps.wait_connected(alex)
    expect(alex.page.get_by_role("button", name="Thank you — received")).to_be_visible()
    visit(alex, "room-appreciations")
    in_thread(steps.checkin_at, alex.user, sam_user, "listen", checkin=checkin)
    in_thread(steps.act, checkin, alex.user, "take_floor")
    in_thread(steps.act, checkin, alex.user, "share", text="I feel rushed in the mornings.")
    in_thread(steps.act, checkin, sam_user, "mirror", text="You want me to get up earlier.")
    in_thread(steps.act, checkin, alex.user, "clarify", text="No: just ten quiet minutes.")
    visit(alex, "dashboard-live", "/dashboard/")
    alex.page.goto(checkin.get_absolute_url())
    steps.wait_connected(alex)
    expect(alex.page.locator(".thread")).to_contain_text("ten quiet minutes")
    visit(alex, "room-floor")
    in_thread(steps.act, checkin, sam_user, "call_break")
    alex.page.reload()
    expect(alex.page.locator("#break-panel")).to_be_visible()
    visit(alex, "room-break")
    # The boundaries step with Sam's proposal waiting on Alex, every disclosure open.
    in_thread(steps.checkin_at, alex.user, sam_user, "boundaries", checkin=checkin)
    statement = "When I'm tired after work, I need a quiet hour first."
    in_thread(steps.act, checkin, sam_user, "propose", statement=statement, review_weeks=4)
    alex.page.reload()
    steps.wait_connected(alex)
    negotiation = alex.page.locator("article.negotiation", has_text=statement)
    for summary in negotiation.locator("summary").all():
        summary.click()
    expect(negotiation.get_by_label("Your question")).to_be_visible()
    visit(alex, "room-boundaries")
    in_thread(steps.act, checkin, alex.user, "accept", item=1, version=1)

    # Played to the end: the summary and the history.
    in_thread(steps.checkin_at, alex.user, sam_user, None, checkin=checkin)
    alex.page.reload()
    expect(alex.page).to_have_url(re.compile(r"/summary/$"))
    visit(alex, "summary")
    visit(alex, "history", "/checkins/")


def test_button_variants_keep_their_look(paired):
    """A quiet button is quiet and a danger button is red, whether <a> or <button>."""
    alex, _ = paired
    alex.page.goto("/couple/leave/")
    styles = alex.page.evaluate(
        """() => [...document.querySelectorAll("main .button")].map((el) => {
          const style = getComputedStyle(el);
          return [el.className, style.backgroundColor];
        })"""
    )
    assert dict(styles)["button button--quiet"] == "rgba(0, 0, 0, 0)", styles
    danger = dict(styles)["button button--danger"]
    accent = alex.page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--c-danger')"
    )
    assert danger == _rgb(accent), (danger, accent)


def _rgb(hex_colour: str) -> str:
    value = hex_colour.strip().lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"
