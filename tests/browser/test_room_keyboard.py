"""The live room by keyboard alone: focus order, visible focus, and what a screen reader hears."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What has focus, described well enough to assert on, and whether a sighted
# keyboard user can see it (an outline on the element, or on the pill a visually
# hidden radio draws).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body"};
  const visible = (node) => {
    const style = getComputedStyle(node);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  };
  const pill = el.matches(".scale-option input") ? el.nextElementSibling : null;
  const label = el.labels && el.labels[0] ? el.labels[0].textContent.trim() : "";
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    type: el.type || "",
    name: el.name || "",
    value: el.value || "",
    label,
    text: (el.textContent || "").trim().slice(0, 80),
    action: el.closest("[data-action]") ? el.closest("[data-action]").dataset.action : "",
    visible: visible(el) || (pill !== null && visible(pill)),
  };
}"""


# Every text the live region takes from now on, in order (an emptying included).
RECORD_ANNOUNCEMENTS = """() => {
  window.announced = [];
  const region = document.getElementById("announcer");
  new MutationObserver(() => window.announced.push(region.textContent)).observe(region, {
    childList: true, characterData: true, subtree: true,
  });
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab(page, times: int = 1, *, shift: bool = False) -> dict:
    for _ in range(times):
        page.keyboard.press("Shift+Tab" if shift else "Tab")
    return focused(page)


def tab_until(page, predicate, limit: int = 40) -> dict:
    """Tab forward until `predicate(focused)` holds; every stop must show its focus."""
    seen = []
    for _ in range(limit):
        info = tab(page)
        seen.append(info)
        if info["tag"] != "body":
            assert info["visible"], f"focus is invisible on {info}"
        if predicate(info):
            return info
    raise AssertionError(f"never reached the target; focus went through {seen}")


def test_room_by_keyboard_with_announcements(paired, a11y):
    alex, sam = paired
    steps.start_checkin(alex)
    sam.page.goto(alex.page.url)
    steps.wait_connected(sam)
    page = alex.page

    # From the top of the page: the skip link comes first and is visible when focused.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to content" and first["visible"], first
    page.keyboard.press("Enter")

    # Arrive, by keyboard: the mood scale, the connection scale, the word, the button.
    info = tab_until(page, lambda f: f["name"] == "mood")
    page.keyboard.press("ArrowRight")  # 1 -> 2
    page.keyboard.press("ArrowRight")  # 2 -> 3
    assert focused(page)["value"] == "3"
    info = tab(page)
    assert info["name"] == "connection", info
    page.keyboard.press("Space")
    info = tab(page)
    assert info["label"].startswith("A word for how you're arriving"), info
    page.keyboard.type("curious")
    info = tab(page)
    assert info["tag"] == "button" and info["action"] == "arrive", info
    page.keyboard.press("Enter")
    expect(page.locator(".waiting")).to_contain_text("Waiting for Sam")
    # Focus stays in the room, not thrown back to the top of the page.
    assert focused(page)["tag"] != "body", focused(page)

    # Sam answers: Alex's live region says so, and what to do now.
    steps.arrive(sam, mood=4, connection=4)
    announcer = page.locator("#announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text(re.compile(r"^Sam answered\. "))
    a11y.check(page, "room-keyboard-arrive-revealed")

    # Continue by keyboard; the new step's title takes focus, so it is read out.
    info = tab_until(page, lambda f: f["action"] == "next")
    page.keyboard.press("Enter")
    sam.page.locator("#continue-area").get_by_role("button").click()
    steps.expect_step(alex, "Appreciations")
    expect(page.locator("#step-title")).to_be_focused()

    # Appreciations: type, send with the keyboard, and the next box is ready to type in.
    info = tab_until(page, lambda f: f["tag"] == "textarea")
    page.keyboard.type("Thank you for the soup on Tuesday.")
    tab(page)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Appreciation 2 of 3")).to_be_visible()
    # Sam hears of it in Sam's live region and acknowledges by keyboard.
    expect(sam.page.locator("#announcer")).to_have_text(
        re.compile(r"^Alex shared an appreciation\. ")
    )
    # A second appreciation is told in the same words. A region set to the text it already
    # holds is not read again, so it must empty first and then take the words anew.
    said = sam.page.locator("#announcer").text_content()
    assert said.count("shared an appreciation") == 1, said
    sam.page.evaluate(RECORD_ANNOUNCEMENTS)
    page.keyboard.type("And for the walk on Sunday.")
    tab(page)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Appreciation 3 of 3")).to_be_visible()
    sam.page.wait_for_function("() => window.announced.some((text) => text !== '')")
    assert sam.page.evaluate("window.announced") == ["", said], said
    sam.page.locator("#step-title").focus()
    info = tab_until(sam.page, lambda f: f["action"] == "acknowledge")
    sam.page.keyboard.press("Enter")
    expect(sam.page.locator(".bubble").first).to_contain_text("You acknowledged this.")
    expect(page.locator("#announcer")).to_have_text(
        re.compile(r"^Sam acknowledged your appreciation\. ")
    )


def announced(p, pattern: str) -> None:
    expect(p.page.locator("#announcer")).to_have_text(re.compile(pattern))


def test_a_listening_round_by_keyboard(paired):
    """After each action the next Tab reaches the next control; the partner hears each turn."""
    from tests.browser.conftest import in_thread

    alex, sam = paired
    checkin = in_thread(steps.checkin_at, alex.user, sam.user, "listen")
    for p in (alex, sam):
        p.page.goto(checkin.get_absolute_url())
        steps.wait_connected(p)
        p.page.locator("#step-title").focus()
    a, s = alex.page, sam.page

    tab_until(a, lambda f: f["action"] == "take_floor")
    a.keyboard.press("Enter")
    announced(sam, r"^Alex took the floor\. Listen\. You'll mirror back what you hear\.$")
    # The button is gone: focus waits on the hint, and the next stop is the new box.
    expect(a.locator("#turn-hint")).to_be_focused()
    assert tab(a)["action"] == "share"
    a.keyboard.type("I feel alone when dinner is on our phones.")
    tab_until(a, lambda f: f["tag"] == "button" and f["action"] == "share")
    a.keyboard.press("Enter")

    announced(sam, r"^Alex shared\. Mirror back what you heard")
    tab_until(s, lambda f: f["tag"] == "textarea" and f["action"] == "mirror")
    s.keyboard.type("You feel alone when we're on our phones at dinner.")
    tab_until(s, lambda f: f["tag"] == "button" and f["action"] == "mirror")
    s.keyboard.press("Enter")

    announced(alex, r"^Sam mirrored what you said\. Did they get it\?")
    info = tab(a)
    assert info["text"] == "That's it" and info["visible"], info
    a.keyboard.press("Enter")
    announced(sam, r"^Alex confirmed your mirror\. ")
    tab_until(a, lambda f: f["action"] == "heard")
    a.keyboard.press("Enter")

    announced(sam, r"^Alex feels heard\. Validate")
    tab_until(s, lambda f: f["tag"] == "textarea" and f["action"] == "validate")
    s.keyboard.type("That makes sense; dinner is our time.")
    s.keyboard.press("Tab")
    tab_until(s, lambda f: f["tag"] == "button" and f["action"] == "validate")
    s.keyboard.press("Enter")
    announced(alex, r"^Sam validated\. ")
    # The empathy box follows at once, for Sam: the next Tab from the hint reaches it.
    expect(s.get_by_label("Guess a feeling")).to_be_visible()
    expect(s.locator("#turn-hint")).to_be_focused()
    assert tab(s)["action"] == "empathize"
    s.keyboard.type("I imagine you feel lonely.")
    tab_until(s, lambda f: f["tag"] == "button" and f["action"] == "empathize")
    s.keyboard.press("Enter")

    announced(alex, r"^Sam guessed a feeling\. When you're ready, pass the floor\.$")
    tab_until(a, lambda f: f["action"] == "pass_floor")
    a.keyboard.press("Enter")
    announced(sam, r"^Alex passed the floor\. Share a short piece, as an I-statement\.$")

    # A break by keyboard: focus moves into the break panel, and out of it afterwards.
    tab_until(s, lambda f: f["id"] == "break-button")
    s.keyboard.press("Enter")
    expect(s.locator("#break-title")).to_be_focused()
    announced(alex, r"^Sam called a break\. You're on a break\.$")
    tab_until(s, lambda f: f["action"] == "resume")
    s.keyboard.press("Enter")
    announced(alex, r"^Sam is ready to resume\. ")
    alex.page.get_by_role("button", name="I'm ready to end the break early").click()
    expect(s.locator("#break-panel")).to_be_hidden()
    expect(s.locator("#turn-hint")).to_be_focused()
