"""Live coaching in the room: the coach's review shows while a partner types, before sending."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import steps
from tests.browser.conftest import in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_live_coaching_shows_before_sending(paired, a11y, shoot):
    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "listen", agenda="listening")
    for partner in (alex, sam):
        partner.page.goto(f"/c/{checkin.token}/")
        steps.wait_connected(partner)
    steps.take_floor(alex)

    # Alex types a blaming piece: the coach flags it under the box, nothing is sent yet.
    share_box = alex.page.locator("form[data-action=share]").get_by_label(
        re.compile("^Share a piece")
    )
    share_box.fill("You never listen to me.")
    coach = alex.page.locator('[data-coach-for="listen:share"]')
    expect(coach).to_have_attribute("aria-live", "polite")
    expect(coach.locator(".coach-card")).to_have_attribute("data-kind", "blame")
    expect(coach).to_contain_text("May land as blame")
    expect(coach.locator("mark.coach-flag").first).to_have_text("never")
    expect(coach.locator(".coach-suggestion")).to_contain_text("I feel")
    expect(sam.page.locator(".thread")).to_have_count(0)
    shoot(alex.page, "coach-blame-while-typing")

    # Rewritten as an I-statement, the review follows the words.
    share_box.fill("I feel lonely when we eat in silence, and I need us to talk at dinner.")
    expect(coach.locator(".coach-card")).to_have_attribute("data-kind", "i_statement")
    expect(coach).to_contain_text("I-statement")
    steps.share(alex, "I feel lonely when we eat in silence, and I need us to talk at dinner.")

    # Sam, listening, gets a tip for this moment and a live review of the mirror.
    expect(sam.page.locator("#coach-tip")).to_be_visible()
    expect(sam.page.locator("#coach-tip")).to_contain_text("your own words")
    sam.page.locator("form[data-action=mirror]").get_by_label("Mirror it back").fill(
        "You feel lonely at dinner, but I'm tired after work."
    )
    mirror_coach = sam.page.locator('[data-coach-for="listen:mirror"]')
    expect(mirror_coach.locator(".coach-card")).to_have_attribute("data-verdict", "missed")
    expect(mirror_coach).to_contain_text("Not a mirror yet")
    a11y.check(sam.page, "room with live coaching")
    shoot(sam.page, "coach-defensive-mirror")

    # Coaching never blocks sending: the defensive mirror still goes through.
    steps.mirror(sam, "You feel lonely at dinner, but I'm tired after work.")
