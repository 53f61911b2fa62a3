"""The room keeps what a partner has done or begun: across the other's turns, reloads, drops."""

import pytest
from playwright.sync_api import expect

from tests.browser import steps
from tests.browser.conftest import in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def enter(p, checkin) -> None:
    p.page.goto(checkin.get_absolute_url())
    steps.wait_connected(p)


def checked(page, group: str) -> str | None:
    return page.evaluate(
        """(group) => {
          const el = document.querySelector(`#step-body input[name=${group}]:checked`);
          return el ? el.value : null;
        }""",
        group,
    )


def test_unsent_answers_survive_the_partners_turn_and_a_reload(paired):
    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "arrive")
    enter(alex, checkin)
    enter(sam, checkin)
    form = alex.page.locator("form[data-action=arrive]")
    form.get_by_role("group", name="Mood (1 low, 5 great)").get_by_role("radio", name="3").check()
    form.get_by_role("group", name="How connected").get_by_role("radio", name="2").check()
    form.get_by_label("A word for how you're arriving").fill("slow")

    # Sam answers first: Alex's page redraws, and keeps what Alex chose but hasn't sent.
    steps.arrive(sam, mood=5, connection=5)
    expect(alex.page.locator("#announcer")).to_contain_text("Sam answered.")
    assert checked(alex.page, "mood") == "3"
    assert checked(alex.page, "connection") == "2"
    expect(form.get_by_label("A word for how you're arriving")).to_have_value("slow")

    alex.page.reload()
    steps.wait_connected(alex)
    assert checked(alex.page, "mood") == "3"
    expect(alex.page.get_by_label("A word for how you're arriving")).to_have_value("slow")
    alex.page.get_by_role("button", name="Share when we've both answered").click()
    steps.expect_arrivals_revealed(sam, "Mood 3 of 5 · Connection 2 of 5", "slow")


def test_unsent_rating_survives_the_partners_rating(paired):
    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "close")
    enter(alex, checkin)
    enter(sam, checkin)
    form = alex.page.locator("form[data-action=rate]")
    form.get_by_role("group", name="How was this talk").get_by_role("radio", name="2").check()
    form.get_by_label("Anything to add").fill("Hard, but useful.")
    steps.rate(sam, 4)
    expect(alex.page.locator("#announcer")).to_contain_text("Sam rated the talk.")
    assert checked(alex.page, "rating") == "2"
    expect(form.get_by_label("Anything to add")).to_have_value("Hard, but useful.")
    form.get_by_role("button", name="Finish").click()
    steps.expect_summary(alex)
    expect(alex.page.locator("main")).to_contain_text(
        "Alex rated the talk 2 of 5 · Hard, but useful."
    )


class FlakyLink:
    """Alex's room socket through Playwright: it can lose messages and drop, like a train tunnel."""

    def __init__(self, page):
        self.online = True
        self.lose_outgoing = False
        self.routes = []
        page.route_web_socket("**/ws/c/**", self._connect)

    def _connect(self, ws):
        if not self.online:
            ws.close(code=1006, reason="offline")
            return
        server = ws.connect_to_server()
        ws.on_message(lambda message: None if self.lose_outgoing else server.send(message))
        self.routes.append(ws)

    def drop(self):
        self.online = False
        for ws in self.routes:
            ws.close(code=1006, reason="dropped")
        self.routes.clear()


def test_an_action_lost_in_a_dropped_connection_is_sent_again_once(paired):
    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "appreciations")
    link = FlakyLink(alex.page)
    enter(alex, checkin)
    enter(sam, checkin)

    # Sent into a connection that is silently failing: no acknowledgement comes back.
    link.lose_outgoing = True
    form = alex.page.locator("form[data-action=appreciate]")
    form.get_by_label("Appreciation 1 of 3").fill("Thank you for waiting up for me.")
    form.get_by_role("button", name="Share appreciation").click()
    expect(form.get_by_role("button", name="Sending…")).to_be_disabled()

    link.drop()
    expect(alex.page.locator("#connection")).to_have_attribute("data-state", "offline")
    expect(alex.page.locator("#connection")).to_contain_text("What you type is kept.")
    # Typing goes on while offline.
    form.get_by_label("Appreciation 1 of 3").press("End")

    link.lose_outgoing = False
    link.online = True
    # The room reconnects by itself and sends the appreciation again, with the same id.
    steps.wait_connected(alex)
    theirs = sam.page.locator(".bubble", has_text="Thank you for waiting up for me.")
    expect(theirs).to_have_count(1)
    expect(alex.page.get_by_label("Appreciation 2 of 3")).to_have_value("")
    expect(alex.page.locator(".bubble", has_text="Thank you for waiting up")).to_have_count(1)


def test_presence_follows_the_partner(paired):
    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "arrive")
    presence = alex.page.locator("#presence")
    enter(alex, checkin)
    # Alone in the room: said plainly, not "checking" for ever.
    expect(presence).to_have_text("Sam isn't in the room")
    expect(presence).to_have_attribute("data-here", "false")
    enter(sam, checkin)
    expect(presence).to_have_text("Sam is here")
    expect(sam.page.locator("#presence")).to_have_text("Alex is here")
    sam.page.goto("/dashboard/")
    expect(presence).to_have_text("Sam isn't in the room")
