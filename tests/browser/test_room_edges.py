"""The room's less travelled paths: a save retried, a refusal, ending early, losing access."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser import steps
from tests.browser.conftest import in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def enter(p, checkin) -> None:
    p.page.goto(checkin.get_absolute_url())
    steps.wait_connected(p)


def test_a_save_the_server_could_not_make_is_retried_and_the_status_recovers(paired):
    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "appreciations")
    answered = []

    def through(ws):
        """Alex's socket, where the server's first acknowledgement becomes 'unavailable'."""
        server = ws.connect_to_server()

        def to_page(message):
            data = json.loads(message)
            if data.get("type") == "ack" and not answered:
                answered.append(data)
                data = {
                    "type": "error",
                    "code": "unavailable",
                    "message": "The room couldn't save that just now. It will be retried.",
                    "client_id": data["client_id"],
                }
            ws.send(json.dumps(data))

        server.on_message(to_page)

    alex.page.route_web_socket("**/ws/c/**", through)
    enter(alex, checkin)
    enter(sam, checkin)
    steps.appreciate(alex, "Thank you for fixing the bike.")
    expect(alex.page.locator("#connection")).to_have_text("Saving… (retrying)")
    # The retry goes with the same client_id: the server acknowledges it as a duplicate.
    expect(alex.page.locator("#connection")).to_have_text("Connected")
    expect(alex.page.get_by_label("Appreciation 2 of 3")).to_be_visible()
    expect(sam.page.locator(".bubble", has_text="fixing the bike")).to_have_count(1)


def test_a_refused_action_is_explained_and_nothing_stays_pending(paired):
    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "appreciations")
    enter(alex, checkin)
    enter(sam, checkin)
    # Empty text never leaves the page.
    alex.page.get_by_role("button", name="Share appreciation").click()
    error = alex.page.locator("#room-error")
    expect(error).to_have_text("Write something first.")
    expect(error).to_have_attribute("role", "alert")
    # An action the server refuses (nothing to acknowledge yet): said, and the button comes back.
    alex.page.evaluate("window.hearthRoom.send('acknowledge', {id: 1})")
    expect(error).to_have_text("There's no appreciation from your partner to acknowledge.")
    steps.appreciate(alex, "Thank you for the walk.")
    expect(error).to_be_hidden()


def test_ending_early_takes_both_to_the_summary(paired):
    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "listen")
    enter(alex, checkin)
    enter(sam, checkin)
    sam.page.get_by_text("End this check-in early").click()
    sam.page.get_by_role("button", name="End for both of us").click()
    for p in (alex, sam):
        steps.expect_summary(p)
        expect(p.page.get_by_role("heading", level=1)).to_have_text("This check-in ended early")


def test_a_partner_who_leaves_the_couple_closes_the_room_for_both(paired):
    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "arrive")
    enter(alex, checkin)
    sam.page.goto("/couple/leave/")
    sam.page.get_by_label("Yes, I understand").check()
    sam.page.get_by_role("button", name="Leave the couple").click()
    expect(sam.page.get_by_text("You've left the couple.")).to_be_visible()
    expect(alex.page.locator("#connection")).to_have_text("You no longer have access to this room.")
    expect(alex.page).to_have_url(re.compile(r"/dashboard/$"))
