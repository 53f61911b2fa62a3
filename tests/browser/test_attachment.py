"""The attachment assessment in real browsers: by keyboard on a phone, saved part way and
resumed, its result shared and withdrawn; axe-core on every attachment page."""

import re

import pytest
from playwright.sync_api import expect

from couples.assessment import ITEMS
from tests.browser import steps
from tests.browser.conftest import PHONE, in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Raw answers that come out as anxiety 6 and avoidance 2 once the reversed items are flipped.
ANSWERS = {
    item.id: (
        (2 if item.reverse else 6) if item.dimension == "anxiety" else (6 if item.reverse else 2)
    )
    for item in ITEMS
}


def answer_by_keyboard(page, item_ids: list[str]) -> None:
    """Focus the first statement's first option, then answer each with arrows and Tab only."""
    page.locator(f'input[name="{item_ids[0]}"][value="1"]').focus()
    for n, item_id in enumerate(item_ids):
        if n:
            page.keyboard.press("Tab")
        # Tab lands on the group's first option; Space picks it, each arrow moves one up.
        expect(page.locator(f'input[name="{item_id}"][value="1"]')).to_be_focused()
        page.keyboard.press("Space")
        for _ in range(ANSWERS[item_id] - 1):
            page.keyboard.press("ArrowRight")
        expect(page.locator(f'input[name="{item_id}"][value="{ANSWERS[item_id]}"]')).to_be_checked()


def press(page, button_name: str) -> None:
    page.get_by_role("button", name=button_name).focus()
    page.keyboard.press("Enter")


def test_keyboard_assessment_save_resume_share_and_withdraw(new_partner, a11y, shoot):
    from tests.factories import make_couple

    alex = new_partner("Alex", viewport=PHONE)
    sam = new_partner("Sam")
    _, alex.user, sam.user = in_thread(make_couple, (alex.email, alex.name), (sam.email, sam.name))
    for partner in (alex, sam):
        steps.log_in_by_cookie(partner)
    page = alex.page

    page.goto("/attachment/")
    expect(page.get_by_role("heading", name="Your attachment style")).to_be_visible()
    expect(page.get_by_text("A reflection aid, not a diagnosis.")).to_be_visible()
    a11y.check(page, "attachment-intro")
    page.get_by_role("link", name="Begin").focus()
    page.keyboard.press("Enter")

    # Page 1 by keyboard alone; the progress bar follows the answers.
    expect(page.get_by_text("Page 1 of 4")).to_be_visible()
    a11y.check(page, "attachment-assessment")
    first = [item.id for item in ITEMS[:6]]
    answer_by_keyboard(page, first)
    expect(page.locator("[data-progress-text]")).to_contain_text("6 of 24 answered")
    press(page, "Next page")

    # Page 2: three answers, then leave.
    expect(page.get_by_text("Page 2 of 4")).to_be_visible()
    answer_by_keyboard(page, [item.id for item in ITEMS[6:9]])
    press(page, "Save and finish later")
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    expect(page.get_by_text("You've answered 9 of 24 statements so far.")).to_be_visible()

    # Resume where it was left, with the saved answers ticked.
    page.get_by_role("link", name="Carry on where you left off").click()
    expect(page.get_by_text("Page 2 of 4")).to_be_visible()
    for item in ITEMS[6:9]:
        expect(page.locator(f'input[name="{item.id}"][value="{ANSWERS[item.id]}"]')).to_be_checked()
    answer_by_keyboard(page, [item.id for item in ITEMS[9:12]])
    press(page, "Next page")
    for number, chunk in ((3, ITEMS[12:18]), (4, ITEMS[18:24])):
        expect(page.get_by_text(f"Page {number} of 4")).to_be_visible()
        answer_by_keyboard(page, [item.id for item in chunk])
        press(page, "See my result" if number == 4 else "Next page")

    # The result: plain words, the chart with its text equivalent, sharing controls.
    expect(page.get_by_role("heading", name="Anxious", exact=True)).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Your attachment result of"))
    expect(chart).to_be_visible()
    expect(page.locator("figcaption")).to_contain_text(
        "anxiety 6.00 and avoidance 2.00 out of 7, in the anxious region"
    )
    a11y.check(page, "attachment-result-phone")
    shoot(page, "attachment-result-phone")
    no_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_scroll, "the result page scrolls sideways on a phone"

    page.get_by_role("radio", name=re.compile("^Share my style$")).check()
    page.get_by_role("button", name="Save sharing choice").click()
    expect(
        page.get_by_text("Saved. Your partner sees your style, not your scores.")
    ).to_be_visible()

    # Sam sees the style, not the scores, and no guidance yet (Sam has no result).
    sam.page.goto("/attachment/us/")
    expect(sam.page.get_by_role("heading", name="Anxious", exact=True)).to_be_visible()
    expect(sam.page.get_by_text("6.00")).to_have_count(0)
    a11y.check(sam.page, "attachment-couple")

    # Alex withdraws it; Sam's next look shows nothing.
    page.get_by_role("radio", name="Keep it private").check()
    page.get_by_role("button", name="Save sharing choice").click()
    expect(page.get_by_text("Your result is private.")).to_be_visible()
    sam.page.reload()
    expect(sam.page.get_by_role("heading", name="Not shared")).to_be_visible()
    expect(sam.page.get_by_role("heading", name="Anxious", exact=True)).to_have_count(0)

    # The note page, and the result page in dark mode.
    page.goto("/attachment/note/")
    a11y.check(page, "attachment-note")
    dark = new_partner("Alex-dark", color_scheme="dark")
    dark.user = alex.user
    steps.log_in_by_cookie(dark)
    dark.page.goto("/attachment/")
    expect(dark.page.get_by_role("heading", name="Anxious", exact=True)).to_be_visible()
    a11y.check(dark.page, "attachment-result-dark")


def test_a_bad_answer_is_explained_and_nothing_is_lost(new_partner, a11y):
    from tests.factories import make_user

    kim = new_partner("Kim")
    kim.user = in_thread(make_user, kim.email, kim.name)
    steps.log_in_by_cookie(kim)
    page = kim.page
    page.goto("/attachment/assessment/?page=4")
    expect(page.get_by_text("Page 4 of 4")).to_be_visible()
    answer_by_keyboard(page, [item.id for item in ITEMS[18:21]])
    press(page, "See my result")
    errors = page.locator("#assessment-errors")
    expect(errors).to_be_focused()
    expect(errors).to_contain_text("still need an answer")
    a11y.check(page, "attachment-assessment-missing")
    for item in ITEMS[18:21]:
        expect(page.locator(f'input[name="{item.id}"][value="{ANSWERS[item.id]}"]')).to_be_checked()
