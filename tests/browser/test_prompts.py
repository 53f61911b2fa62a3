"""The daily question, the ladder and the room's open question in real browsers: by keyboard
on a phone, axe-core on every page, and the partner's words absent until both answered."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import steps
from tests.browser.conftest import PHONE, in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALEX_WORDS = "The walk home under the plane trees, every single evening."
SAM_WORDS = "Pancakes on Saturday, with the radio on too loud."


def press(page, name: str) -> None:
    page.get_by_role("button", name=name).first.focus()
    page.keyboard.press("Enter")


def load_library():
    from practice.prompts import library
    from practice.prompts.models import Prompt

    # Transactional tests flush every table between tests, the data migration's too.
    library.load(Prompt)


@pytest.fixture
def couple_on_phones(new_partner):
    from tests.factories import make_couple

    in_thread(load_library)

    alex = new_partner("Alex", viewport=PHONE)
    sam = new_partner("Sam", viewport=PHONE, color_scheme="dark")
    _, alex.user, sam.user = in_thread(make_couple, (alex.email, alex.name), (sam.email, sam.name))
    for partner in (alex, sam):
        steps.log_in_by_cookie(partner)
    return alex, sam


def test_daily_question_answered_in_private_then_revealed_together(couple_on_phones, a11y, shoot):
    alex, sam = couple_on_phones
    page = alex.page
    page.goto("/questions/")
    question = page.locator("#question-heading").inner_text()
    a11y.check(page, "prompts-today")
    page.get_by_label("Your answer").focus()
    page.keyboard.type(ALEX_WORDS)
    press(page, "Save my answer")
    expect(page.get_by_text("It stays private until Sam answers too.")).to_be_visible()

    sam.page.goto("/questions/")
    expect(sam.page.locator("#question-heading")).to_have_text(question)
    expect(sam.page.get_by_text("Alex has answered.")).to_be_visible()
    assert "plane trees" not in sam.page.content()
    a11y.check(sam.page, "prompts-today-partner-answered-dark")
    shoot(sam.page, "prompts-today-waiting")
    sam.page.get_by_label("Your answer").fill(SAM_WORDS)
    press(sam.page, "Save my answer")
    expect(sam.page.get_by_text("You've both answered: here are both answers.")).to_be_visible()
    for p in (alex, sam):
        p.page.goto("/questions/")
        expect(p.page.get_by_text(ALEX_WORDS)).to_be_visible()
        expect(p.page.get_by_text(SAM_WORDS)).to_be_visible()
    a11y.check(page, "prompts-today-revealed")
    shoot(page, "prompts-today-revealed")

    page.goto("/questions/history/")
    expect(page.get_by_role("link", name=question)).to_be_visible()
    a11y.check(page, "prompts-history")
    page.goto("/dashboard/")
    expect(page.locator("#daily-card")).to_contain_text("You've both answered.")
    a11y.check(page, "dashboard-with-daily-card")


def test_ladder_steps_up_with_both_and_down_with_one_click(couple_on_phones, a11y, shoot):
    alex, sam = couple_on_phones
    alex.page.goto("/questions/ladder/")
    a11y.check(alex.page, "prompts-ladder")
    theme = alex.page.locator("#theme-dreams")
    theme.get_by_role("button", name="I'm comfortable at this level").focus()
    alex.page.keyboard.press("Enter")
    expect(alex.page.locator("#theme-dreams")).to_contain_text("You've said you're comfortable")
    expect(alex.page.locator("#theme-dreams [aria-current=step]")).to_have_text("1. Light")

    sam.page.goto("/questions/ladder/")
    expect(sam.page.locator("#theme-dreams")).not_to_contain_text("comfortable here")
    sam.page.locator("#theme-dreams").get_by_role(
        "button", name="I'm comfortable at this level"
    ).click()
    expect(sam.page.get_by_text("you've stepped up")).to_be_visible()
    expect(sam.page.locator("#theme-dreams [aria-current=step]")).to_have_text("2. Personal")
    shoot(sam.page, "prompts-ladder-stepped-up")

    alex.page.goto("/questions/ladder/")
    alex.page.locator("#theme-dreams").get_by_role("button", name="Step back down").focus()
    alex.page.keyboard.press("Enter")  # one key press: no dialog, no question
    expect(alex.page.locator("#theme-dreams [aria-current=step]")).to_have_text("1. Light")
    a11y.check(alex.page, "prompts-ladder-after-step-down")


def test_the_open_question_reaches_both_partners_in_the_room(couple_on_phones, a11y, shoot):
    alex, sam = couple_on_phones
    url = steps.start_checkin(alex, "Open question")
    steps.expect_step(alex, "Open question")
    question = alex.page.locator(".open-question-text")
    expect(question).to_be_visible()
    text = question.inner_text()
    assert re.search(r"\w", text)
    sam.page.goto(url)
    steps.wait_connected(sam)
    expect(sam.page.locator(".open-question-text")).to_have_text(text)
    a11y.check(sam.page, "room-open-question")
    shoot(sam.page, "room-open-question")
