"""My practice in a browser: every page on a phone and a desktop (axe-core, no sideways
scroll), the breathing pacer and grounding by keyboard, the pacer in the room's break
panel, and what was shared arriving in the partner's room.

Time in the pacer runs on Playwright's clock, so no test waits for real seconds.
"""

import pytest
from playwright.sync_api import expect

from tests.browser import steps
from tests.browser.conftest import DESKTOP, PHONE, in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def fill(alex, sam):
    """A little of everything for Alex, with long words to test wrapping; one topic shared."""
    from practice.personal import services as personal

    trigger = personal.trigger_save(
        user=alex,
        situation="When plans change at the last minute without a word",
        reaction="I go quiet and replay it",
        helps="A walk, then saying what I need",
    )
    entry = personal.entry_save(
        user=alex,
        body="Supercalifragilisticexpialidocious-evening " * 8,
        mood=2,
        tags="work, sleep",
        triggers=[trigger],
    )
    personal.strategy_save(user=alex, title="Cold water on my wrists")
    personal.note_create(user=alex, kind="gratitude", text="Sam made soup on a long day")
    goal = personal.goal_create(
        user=alex, title="Share one small feeling a day", steps=["Name it", "Say it"]
    )
    personal.goal_step_mark(user=alex, step=goal.steps.first(), done=True)
    personal.self_checkin_save(user=alex, answers={"went_well": "I paused"}, steadiness=3)
    personal.share_text(user=alex, kind="topic", text="How we plan our weekends", entry=entry)
    return {"entry": entry.pk, "goal": goal.pk, "trigger": trigger.pk}


PAGES = [
    ("practice", "/me/"),
    ("journal", "/me/journal/"),
    ("entry-new", "/me/journal/new/"),
    ("triggers", "/me/triggers/"),
    ("toolkit", "/me/toolkit/"),
    ("breathing", "/me/toolkit/breathing/"),
    ("grounding", "/me/toolkit/grounding/"),
    ("gratitude", "/me/gratitude/"),
    ("goals", "/me/goals/"),
    ("self-checkin", "/me/self-check-in/"),
    ("self-history", "/me/self-check-in/history/"),
]


@pytest.mark.parametrize(
    ("viewport", "scheme"),
    [
        pytest.param(PHONE, "light", id="phone-light"),
        pytest.param(DESKTOP, "dark", id="desktop-dark"),
    ],
)
def test_personal_pages(paired, a11y, shoot, viewport, scheme):
    alex, sam = paired
    alex.page.set_viewport_size(viewport)
    alex.page.emulate_media(color_scheme=scheme)
    ids = in_thread(fill, alex.user, sam.user)
    look = f"{'phone' if viewport == PHONE else 'desktop'}-{scheme}"
    pages = [
        *PAGES,
        ("entry", f"/me/journal/{ids['entry']}/"),
        ("entry-share", f"/me/journal/{ids['entry']}/share/"),
        ("goal", f"/me/goals/{ids['goal']}/"),
        ("trigger", f"/me/triggers/{ids['trigger']}/"),
    ]
    for name, url in pages:
        alex.page.goto(url)
        assert alex.page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways at {look}"
        a11y.check(alex.page, f"personal-{name}-{look}")
        shoot(alex.page, f"personal-{name}-{look}")
    # A form that fails keeps every word, and says what to fix.
    alex.page.goto("/me/journal/new/")
    alex.page.get_by_label("Tags (optional)").fill(", ".join(f"t{n}" for n in range(12)))
    alex.page.get_by_role("button", name="Save to my journal").click()
    expect(alex.page.get_by_text("Write something first, even one line.")).to_be_visible()
    expect(alex.page.get_by_label("Tags (optional)")).to_have_value(
        ", ".join(f"t{n}" for n in range(12))
    )
    a11y.check(alex.page, f"personal-entry-errors-{look}")


def test_write_an_entry_by_keyboard_and_share_a_topic_with_a_preview(paired):
    alex, sam = paired
    page = alex.page
    page.goto("/me/journal/new/")
    page.get_by_label("What's on your mind").fill("A long day. I snapped at Sam.")
    page.get_by_label("Tags (optional)").fill("work")
    page.get_by_label("2 · Low").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save to my journal").press("Enter")
    expect(page.get_by_text("Saved to your journal. Only you can see it.")).to_be_visible()
    page.get_by_role("link", name="Choose what to share").click()
    page.get_by_label("Topic for the next check-in").check()
    page.get_by_label("The words your partner will see").fill("Evenings after long days")
    page.get_by_role("button", name="See what Sam will see").click()
    expect(page.locator(".share-preview")).to_contain_text("Evenings after long days")
    page.get_by_role("button", name="Share it with Sam").click()
    expect(page.get_by_text("On its way to your next check-in")).to_be_visible()

    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "listen")
    sam.page.goto(checkin.get_absolute_url())
    steps.wait_connected(sam)
    topics = sam.page.locator(".brought-topics")
    expect(topics).to_contain_text("Alex: Evenings after long days")
    expect(sam.page.locator("#room")).not_to_contain_text("snapped at Sam")


def test_breathing_pacer_by_keyboard_and_with_reduced_motion(alex, new_partner):
    from tests.factories import make_user

    alex.user = in_thread(make_user, alex.email, alex.name)
    steps.log_in_by_cookie(alex)
    page = alex.page
    page.clock.install()
    page.goto("/me/toolkit/breathing/")
    phase = page.locator("[data-pacer-phase]")
    pacer = page.locator("[data-pacer]")
    start = page.get_by_role("button", name="Start breathing")
    start.focus()
    page.keyboard.press("Enter")
    expect(phase).to_have_text("Breathe in for 4")
    expect(pacer).to_have_attribute("data-phase", "in")
    # Reduced motion (the suite's default): the circle stays still, the words lead.
    circle = page.locator(".pacer-circle")
    assert circle.evaluate("el => getComputedStyle(el).transitionDuration") == "0s"
    page.clock.run_for(4000)
    expect(phase).to_have_text("Breathe out for 6")
    page.clock.run_for(6000)
    expect(phase).to_have_text("Breathe in for 4")
    # Without the preference, the circle eases over the phase's seconds.
    page.emulate_media(reduced_motion="no-preference")
    assert circle.evaluate("el => getComputedStyle(el).transitionDuration") == "4s"
    page.get_by_label("Box: 4 in, 4 hold, 4 out, 4 hold").check()
    page.clock.run_for(4000)
    expect(phase).to_have_text("Hold for 4")
    page.get_by_role("button", name="Pause").press("Enter")
    expect(pacer).to_have_attribute("data-phase", "idle")


def test_grounding_one_sense_at_a_time_by_keyboard(alex):
    from tests.factories import make_user

    alex.user = in_thread(make_user, alex.email, alex.name)
    steps.log_in_by_cookie(alex)
    page = alex.page
    page.goto("/me/toolkit/grounding/")
    expect(page.get_by_role("heading", name="5 things you can see")).to_be_visible()
    expect(page.get_by_role("heading", name="4 things you can touch")).to_be_hidden()
    for heading in ("4 things you can touch", "3 things you can hear", "2 things you can smell"):
        page.get_by_role("button", name="Next").locator("visible=true").press("Enter")
        expect(page.get_by_role("heading", name=heading)).to_be_focused()
    page.get_by_role("button", name="Next").locator("visible=true").press("Enter")
    page.get_by_role("button", name="Done").press("Enter")
    expect(page.locator("[data-grounding-done]")).to_be_focused()


def test_the_pacer_opens_in_the_rooms_break_without_leaving_it(paired):
    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "arrive")
    for p in (alex, sam):
        p.page.goto(checkin.get_absolute_url())
        steps.wait_connected(p)
    room_url = alex.page.url
    steps.call_break(alex, sam)
    alex.page.clock.install()
    alex.page.get_by_text("Breathe with a pacer").click()
    alex.page.get_by_role("button", name="Start breathing").click()
    expect(alex.page.locator("#break-panel [data-pacer-phase]")).to_have_text("Breathe in for 4")
    assert alex.page.url == room_url
    expect(alex.page.locator("#break-panel")).to_be_visible()
