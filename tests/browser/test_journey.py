"""The whole journey in two browsers: sign up, pair, the attachment assessment shared both
ways, a weekly check-in with a boundary agreed in the room, its summary, the boundaries page.

axe-core checks every page on the way and the live room at each step. New steps slot in
as lines here, with their actions in steps.py.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up_and_pair(alex, sam, a11y):
    alex.page.goto("/")
    a11y.check(alex.page, "home")
    alex.page.get_by_role("link", name="Create your account").click()
    a11y.check(alex.page, "signup")
    steps.sign_up(alex)
    a11y.check(alex.page, "dashboard-unpaired")

    link = steps.create_couple(alex)
    a11y.check(alex.page, "invite-link")
    assert re.search(r"/invite/[\w-]{20,}/$", link)

    # Sam, logged out, opens the link: asked to log in or sign up, then back to the invite.
    steps.open_invite_logged_out(sam, link)
    a11y.check(sam.page, "invite-accept")
    steps.accept_invite(sam, alex)
    a11y.check(sam.page, "dashboard-paired")

    # Alex's dashboard learns of the pairing by itself.
    steps.open_dashboard(alex)
    expect(alex.page.get_by_role("heading", name="You and Sam")).to_be_visible()


def assessments_shared(alex, sam, a11y):
    # Each takes the assessment and shares their style; the other sees it on the couple page.
    steps.take_assessment(alex, steps.assessment_answers("anxious"))
    expect(alex.page.get_by_role("heading", name="Anxious", exact=True)).to_be_visible()
    a11y.check(alex.page, "attachment-result")
    steps.share_style(alex)
    steps.take_assessment(sam, steps.assessment_answers("secure"))
    expect(sam.page.get_by_role("heading", name="Secure", exact=True)).to_be_visible()
    steps.share_style(sam)
    steps.expect_partner_style(sam, alex, "Anxious")
    steps.expect_partner_style(alex, sam, "Secure")
    # Both shared: the couple page has ideas written for this pair of styles.
    expect(alex.page.locator("#pair-heading")).to_be_visible()
    a11y.check(alex.page, "attachment-couple")


def start_and_join(alex, sam, a11y, shoot):
    steps.open_dashboard(sam)
    expect(sam.page.locator("#live-notice")).to_be_empty()
    sam.page.evaluate("window.sameDocument = true")
    steps.start_checkin(alex)
    expect(sam.page.locator("#live-notice").get_by_role("link", name="Join")).to_be_visible()
    assert sam.page.evaluate("window.sameDocument === true"), "the dashboard reloaded"
    a11y.check(sam.page, "dashboard-join-notice")
    shoot(sam.page, "dashboard-join-notice-desktop-light")
    steps.join_from_notice(sam, alex)
    steps.expect_step(alex, "Arrive")
    steps.expect_step(sam, "Arrive")
    expect(alex.page.locator("#presence")).to_contain_text("Sam is here")
    expect(sam.page.locator("#presence")).to_contain_text("Alex is here")
    a11y.check(alex.page, "room-arrive")


def arrive(alex, sam, a11y):
    steps.arrive(alex, mood=4, connection=3, word="hopeful")
    # Alex's answer stays hidden from Sam until Sam has answered too.
    expect(alex.page.locator(".waiting")).to_contain_text("Waiting for Sam")
    expect(sam.page.locator(".reveal")).to_have_count(0)
    a11y.check(alex.page, "room-arrive-waiting")
    steps.arrive(sam, mood=2, connection=4)
    for p in (alex, sam):
        steps.expect_arrivals_revealed(p, "Mood 4 of 5 · Connection 3 of 5", "hopeful")
        steps.expect_arrivals_revealed(p, "Mood 2 of 5 · Connection 4 of 5")
    a11y.check(sam.page, "room-arrive-revealed")
    steps.continue_both(alex, sam, "Appreciations")


def appreciations(alex, sam, a11y):
    for n in range(1, 4):
        steps.appreciate(alex, f"Alex thanks Sam, number {n}.")
        steps.appreciate(sam, f"Sam thanks Alex, number {n}.")
        if n == 1:
            a11y.check(alex.page, "room-appreciations")
        steps.acknowledge(sam, f"Alex thanks Sam, number {n}.")
        steps.acknowledge(alex, f"Sam thanks Alex, number {n}.")
    expect(alex.page.locator("#continue-area")).to_be_visible()
    steps.continue_both(sam, alex, "Speaker and listener")


def listening_with_clarified_mirror(alex, sam, a11y):
    steps.take_floor(alex)
    expect(sam.page.locator(".floor-holder")).to_have_text("Alex holds the floor. You listen.")
    a11y.check(sam.page, "room-floor-listener")
    steps.share(alex, "I feel rushed in the mornings and I need ten quiet minutes.")
    steps.mirror(sam, "You want me to get up earlier.")
    a11y.check(alex.page, "room-floor-confirm")
    steps.clarify(alex, "Not earlier: just ten quiet minutes before we talk.")
    steps.mirror(sam, "You'd like ten quiet minutes before we talk in the morning.")
    steps.confirm(alex)
    steps.heard(alex)
    steps.validate(sam, "It makes sense, the mornings are loud.")
    steps.empathize(sam, "I imagine you feel crowded.")
    steps.pass_floor(alex)
    expect(sam.page.locator(".floor-holder")).to_have_text("You hold the floor.")


def take_a_break(alex, sam, a11y):
    steps.call_break(sam, alex)
    expect(alex.page.locator("#break-who")).to_have_text(
        "Sam called a break. Take this time for yourself too."
    )
    a11y.check(alex.page, "room-break")
    steps.resume_early(alex)
    expect(sam.page.locator("#break-ready-status")).to_have_text("Alex is ready when you are.")
    steps.resume_early(sam)
    for p in (alex, sam):
        expect(p.page.locator("#break-panel")).to_be_hidden()
        expect(p.page.locator("#step-panel")).to_be_visible()


def second_round_with_reload(alex, sam, a11y):
    # Sam types a draft, reloads mid-round: the room and the draft are as they were.
    draft = "I feel tired on Sundays and I need a slow start."
    sam.page.get_by_label("Share a piece").fill(draft)
    sam.page.reload()
    steps.wait_connected(sam)
    steps.expect_step(sam, "Speaker and listener")
    expect(sam.page.locator(".floor-holder")).to_have_text("You hold the floor.")
    expect(sam.page.get_by_label("Share a piece")).to_have_value(draft)
    sam.page.locator("form[data-action=share]").get_by_role("button", name="Share").click()
    expect(alex.page.locator(".thread")).to_contain_text(draft)
    steps.mirror(alex, "Sundays, you need a slow start.")
    steps.confirm(sam)
    steps.heard(sam)
    steps.validate(alex, "That makes sense after a long week.")
    steps.empathize(alex, "I imagine you feel worn out.")
    steps.pass_floor(sam)
    expect(alex.page.locator("#step-body")).to_contain_text("You've both had the floor.")
    steps.continue_both(alex, sam, "Boundaries")


BOUNDARY = "When I'm on a work call, I need us to wait until it ends to talk."
CONSEQUENCE = "We pause and talk after the call."


def boundaries(alex, sam, a11y, shoot):
    # Nothing due and nothing proposed: the step is complete as it opens.
    steps.expect_step(alex, "Boundaries")
    expect(alex.page.locator("#continue-area").get_by_role("button")).to_be_visible()
    a11y.check(alex.page, "room-boundaries")

    # Alex proposes; the step waits on the open negotiation.
    steps.propose_boundary(alex, BOUNDARY, CONSEQUENCE, review_weeks=8)
    proposal = sam.page.locator("article.negotiation", has_text=BOUNDARY)
    expect(proposal).to_contain_text("Alex proposed")
    expect(proposal).to_contain_text(f"If it's crossed: {CONSEQUENCE}")
    expect(proposal).to_contain_text("Your turn: accept, ask, suggest an edit, or decline.")
    for p in (alex, sam):
        expect(p.page.locator("#continue-area")).to_be_empty()
    # axe-core on both sides of an open negotiation, every disclosure of Sam's open.
    for summary in proposal.locator("summary").all():
        summary.click()
    a11y.check(sam.page, "room-boundaries-negotiation")
    shoot(sam.page, "room-boundaries-negotiation-desktop-light")
    a11y.check(alex.page, "room-boundaries-proposed")

    # Sam asks, Alex answers, Sam accepts: agreed for both.
    steps.ask_about(sam, BOUNDARY, "Does that include short calls?")
    # Sam starts an edited version; Alex's answer redraws Sam's room, and the open form
    # stays open, with Sam's words and Sam's focus in it.
    steps.open_disclosure(proposal, "Suggest an edited version")
    edit = proposal.locator("form[data-action=counter]").get_by_label("The boundary")
    expect(edit).to_have_value(BOUNDARY)
    edit.fill(f"{BOUNDARY} Unless it's urgent.")
    steps.answer_question(alex, BOUNDARY, sam, "Yes, any call: a wave is enough.")
    expect(proposal).to_contain_text("Answer: Yes, any call: a wave is enough.")
    expect(edit).to_be_visible()
    expect(edit).to_have_value(f"{BOUNDARY} Unless it's urgent.")
    expect(edit).to_be_focused()
    a11y.check(alex.page, "room-boundaries-answered")
    steps.accept_boundary(sam, BOUNDARY)
    expect(alex.page.locator("article.negotiation", has_text=BOUNDARY)).to_contain_text(
        "Agreed by you both."
    )
    a11y.check(sam.page, "room-boundaries-agreed")
    steps.continue_both(sam, alex, "Commitments")


def commitments(alex, sam, a11y):
    steps.respond(alex, "Make Sam's coffee on Sunday.")
    steps.respond(sam, "Ten quiet minutes for Alex each morning.")
    expect(alex.page.locator(".thread")).to_contain_text("Ten quiet minutes for Alex")
    a11y.check(sam.page, "room-commitments")
    steps.continue_both(alex, sam, "Close")


def close_and_summary(alex, sam, a11y):
    a11y.check(alex.page, "room-close")
    steps.rate(alex, 4, "Lighter.")
    expect(alex.page.locator(".waiting")).to_contain_text("Waiting for Sam to finish")
    steps.rate(sam, 5)
    for p in (alex, sam):
        steps.expect_summary(p)
    main = alex.page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("You talked, and you listened")
    expect(main).to_contain_text("Make Sam's coffee on Sunday.")
    expect(main).to_contain_text("Alex rated the talk 4 of 5 · Lighter.")
    expect(main).to_contain_text("You took 1 break along the way.")
    # The mirror, the clarification and the second mirror, in the order they were said.
    floor = main.locator(
        "section", has=alex.page.get_by_role("heading", name="Speaker and listener")
    )
    expect(floor.locator(".bubble-text")).to_contain_text(
        [
            "I feel rushed in the mornings",
            "You want me to get up earlier.",
            "Not earlier: just ten quiet minutes",
            "You'd like ten quiet minutes",
        ]
    )
    # The boundary agreed in the room, linked to its page.
    boundaries_section = main.locator(
        "section", has=alex.page.get_by_role("heading", name="Boundaries")
    )
    expect(boundaries_section.get_by_role("listitem")).to_have_text([f"{BOUNDARY} — Agreed"])
    expect(boundaries_section.get_by_role("link", name=BOUNDARY)).to_have_attribute(
        "href", re.compile(r"^/boundaries/\d+/$")
    )
    a11y.check(alex.page, "summary")
    alex.page.get_by_role("link", name="All past check-ins").click()
    expect(alex.page.get_by_role("link", name=re.compile("^Weekly check-in"))).to_be_visible()
    a11y.check(alex.page, "history")


def boundary_on_its_pages(alex, sam, a11y):
    # The boundaries page lists it as agreed, for both; its page says who accepted it.
    sam.page.goto("/boundaries/")
    agreed = sam.page.locator("section", has=sam.page.get_by_role("heading", name="Agreed"))
    row = agreed.locator(".boundary-row", has_text=BOUNDARY)
    expect(row).to_contain_text("Agreed · version 1 · next review")
    a11y.check(sam.page, "boundaries")
    row.get_by_role("link", name=BOUNDARY).click()
    expect(sam.page).to_have_url(re.compile(r"/boundaries/\d+/$"))
    acceptances = sam.page.locator(".acceptances")
    expect(acceptances).to_contain_text("Accepted by Alex")
    expect(acceptances).to_contain_text("Accepted by Sam")
    expect(sam.page.locator("main")).to_contain_text(CONSEQUENCE)
    a11y.check(sam.page, "boundary-detail")


def log_out_and_back_in(alex, sam, a11y):
    steps.log_out(alex)
    alex.page.goto("/accounts/login/")
    a11y.check(alex.page, "login")
    steps.log_in(alex)
    expect(alex.page.locator("#checkin-card")).to_contain_text("Weekly check-in")


def test_sign_up_pair_and_weekly_checkin(alex, sam, a11y, shoot):
    sign_up_and_pair(alex, sam, a11y)
    assessments_shared(alex, sam, a11y)
    start_and_join(alex, sam, a11y, shoot)
    arrive(alex, sam, a11y)
    appreciations(alex, sam, a11y)
    listening_with_clarified_mirror(alex, sam, a11y)
    take_a_break(alex, sam, a11y)
    second_round_with_reload(alex, sam, a11y)
    boundaries(alex, sam, a11y, shoot)
    commitments(alex, sam, a11y)
    close_and_summary(alex, sam, a11y)
    boundary_on_its_pages(alex, sam, a11y)
    log_out_and_back_in(alex, sam, a11y)
