"""Attachment pages and the sharing rules: who sees what, through the seam and the pages."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from couples import attachment_services, selectors
from couples import services as couple_services
from couples.assessment import ITEMS, STYLE_GUIDES
from couples.attachment_services import AttachmentError
from couples.models import AssessmentDraft, AssessmentResult, TriggerNote
from couples.views.attachment import PAGES
from tests.factories import PASSWORD, make_couple, make_user

pytestmark = pytest.mark.django_db

PRIVATE = AssessmentResult.Sharing.PRIVATE
STYLE = AssessmentResult.Sharing.STYLE
FULL = AssessmentResult.Sharing.STYLE_AND_SCORES

ANXIOUS_IN_SHORT = STYLE_GUIDES["anxious"].in_short


def answers_with(anxiety: list[int], avoidance: list[int]) -> dict[str, int]:
    """Answers whose keyed values (after reversing) are the given lists, in item order."""
    keyed = {"anxiety": iter(anxiety), "avoidance": iter(avoidance)}
    answers = {}
    for item in ITEMS:
        value = next(keyed[item.dimension])
        answers[item.id] = 8 - value if item.reverse else value
    return answers


# Anxiety 5.75, avoidance 2.25: anxious, with scores distinctive enough to find in a page.
ANXIOUS_ANSWERS = answers_with([6] * 9 + [5] * 3, [2] * 9 + [3] * 3)


def complete(user, answers=ANXIOUS_ANSWERS) -> AssessmentResult:
    attachment_services.draft_save(user=user, answers=answers)
    return attachment_services.assessment_complete(user=user).result


def share(user, result, level):
    return attachment_services.result_set_sharing(user=user, result_id=result.pk, sharing=level)


def login(client, user):
    assert client.login(username=user.email, password=PASSWORD)
    return client


@pytest.fixture
def pair(couple):
    _, alex, sam = couple
    return alex, sam


@pytest.fixture
def outsider(db):
    return make_user("kim@example.com", "Kim")


class TestSeam:
    """selectors.shared_attachment_style: what the live room's coaching relies on."""

    def test_owner_sees_own_current_result(self, pair):
        alex, _ = pair
        assert selectors.shared_attachment_style(alex, alex) is None
        complete(alex)
        assert selectors.shared_attachment_style(alex, alex) == {
            "style": "anxious",
            "anxiety": 5.75,
            "avoidance": 2.25,
        }

    def test_partner_sees_exactly_what_was_shared_at_each_level(self, pair):
        alex, sam = pair
        result = complete(alex)
        assert selectors.shared_attachment_style(alex, sam) is None  # private by default
        share(alex, result, STYLE)
        assert selectors.shared_attachment_style(alex, sam) == {"style": "anxious"}
        share(alex, result, FULL)
        assert selectors.shared_attachment_style(alex, sam) == {
            "style": "anxious",
            "anxiety": 5.75,
            "avoidance": 2.25,
        }
        share(alex, result, PRIVATE)
        assert selectors.shared_attachment_style(alex, sam) is None

    def test_an_outsider_sees_nothing_at_any_level(self, pair, outsider):
        alex, _ = pair
        result = complete(alex)
        _, kim, lee = make_couple(("kim@example.com", "Kim"), ("lee@example.com", "Lee"))
        for level in (PRIVATE, STYLE, FULL):
            share(alex, result, level)
            assert selectors.shared_attachment_style(alex, kim) is None
            assert selectors.shared_attachment_style(alex, lee) is None

    def test_an_anonymous_viewer_sees_nothing(self, pair):
        from django.contrib.auth.models import AnonymousUser

        alex, _ = pair
        share(alex, complete(alex), FULL)
        assert selectors.shared_attachment_style(alex, AnonymousUser()) is None
        assert selectors.shared_trigger_note(alex, AnonymousUser()) is None

    def test_a_former_partner_sees_nothing_after_leaving(self, pair):
        alex, sam = pair
        share(alex, complete(alex), FULL)
        attachment_services.trigger_note_save(user=alex, text="Stay close.", shared=True)
        couple_services.couple_leave(user=sam)
        assert selectors.shared_attachment_style(alex, sam) is None
        assert selectors.shared_trigger_note(alex, sam) is None
        # The owner still has their own.
        assert selectors.shared_attachment_style(alex, alex)["style"] == "anxious"

    def test_sharing_does_not_follow_the_owner_into_a_new_couple(self, pair, outsider):
        alex, _ = pair
        share(alex, complete(alex), FULL)
        attachment_services.trigger_note_save(user=alex, text="Stay close.", shared=True)
        couple_services.couple_leave(user=alex)
        _, alex, kim = make_couple(("alex@example.com", "Alex"), ("kim@example.com", "Kim"))
        assert selectors.shared_attachment_style(alex, kim) is None
        assert selectors.shared_trigger_note(alex, kim) is None

    def test_a_new_result_starts_private_and_earlier_ones_go_private(self, pair):
        alex, sam = pair
        first = complete(alex)
        share(alex, first, FULL)
        second = complete(alex, answers_with([2] * 12, [2] * 12))
        assert selectors.shared_attachment_style(alex, sam) is None
        first.refresh_from_db()
        assert (first.sharing, first.shared_couple_id) == (PRIVATE, None)
        assert selectors.current_attachment_result(alex) == second
        with pytest.raises(AttachmentError, match="Only your current result"):
            share(alex, first, STYLE)

    def test_only_style_and_scores_ever_cross(self, pair):
        alex, sam = pair
        attachment_services.draft_save(user=alex, answers={"anx01": 7})  # a retake in progress
        result = complete(alex)
        attachment_services.draft_save(user=alex, answers={"anx01": 1, "avd01": 7})
        share(alex, result, FULL)
        assert set(selectors.shared_attachment_style(alex, sam)) == {
            "style",
            "anxiety",
            "avoidance",
        }

    def test_trigger_note_follows_the_same_rules(self, pair, outsider):
        alex, sam = pair
        assert selectors.shared_trigger_note(alex, alex) is None
        attachment_services.trigger_note_save(user=alex, text="Hold my hand.", shared=False)
        assert selectors.shared_trigger_note(alex, alex) == "Hold my hand."
        assert selectors.shared_trigger_note(alex, sam) is None
        attachment_services.trigger_note_save(user=alex, text="Hold my hand.", shared=True)
        assert selectors.shared_trigger_note(alex, sam) == "Hold my hand."
        assert selectors.shared_trigger_note(alex, outsider) is None
        attachment_services.trigger_note_save(user=alex, text="Hold my hand.", shared=False)
        assert selectors.shared_trigger_note(alex, sam) is None

    def test_sharing_needs_a_couple(self, user):
        result = complete(user)
        with pytest.raises(AttachmentError) as error:
            share(user, result, STYLE)
        assert error.value.code == AttachmentError.Code.NOT_IN_COUPLE
        result.refresh_from_db()
        assert result.sharing == PRIVATE
        with pytest.raises(AttachmentError):
            attachment_services.trigger_note_save(user=user, text="x", shared=True)
        # Privately is fine.
        attachment_services.trigger_note_save(user=user, text="x", shared=False)

    def test_everything_goes_with_the_account(self, pair):
        alex, _ = pair
        share(alex, complete(alex), STYLE)
        attachment_services.draft_save(user=alex, answers={"anx01": 3})
        attachment_services.trigger_note_save(user=alex, text="Hold my hand.", shared=True)
        alex.delete()
        assert not AssessmentResult.objects.exists()
        assert not AssessmentDraft.objects.exists()
        assert not TriggerNote.objects.exists()


class TestAccess:
    URLS = (
        ("get", "attachment", ()),
        ("get", "attachment-assessment", ()),
        ("post", "attachment-assessment", ()),
        ("post", "attachment-assessment-discard", ()),
        ("get", "attachment-note", ()),
        ("get", "attachment-couple", ()),
        ("get", "attachment-result", (1,)),
        ("post", "attachment-sharing", (1,)),
    )

    @pytest.mark.parametrize(("method", "name", "args"), URLS)
    def test_anonymous_users_are_sent_to_log_in(self, client, method, name, args):
        response = getattr(client, method)(reverse(name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_someone_elses_result_is_a_404(self, client, pair, outsider):
        alex, sam = pair
        result = complete(alex)
        share(alex, result, FULL)
        for viewer in (outsider, sam):  # not even the partner sees the result page itself
            login(client, viewer)
            assert client.get(result.get_absolute_url()).status_code == 404
            response = client.post(
                reverse("attachment-sharing", args=[result.pk]), {"sharing": "private"}
            )
            assert response.status_code == 404
        result.refresh_from_db()
        assert result.sharing == FULL

    def test_an_outsider_sees_nothing_of_the_couple(self, client, pair, outsider):
        alex, _ = pair
        share(alex, complete(alex), FULL)
        attachment_services.trigger_note_save(user=alex, text="Hold my hand.", shared=True)
        login(client, outsider)
        for name in ("attachment", "attachment-couple", "attachment-note"):
            html = client.get(reverse(name)).content.decode()
            assert ANXIOUS_IN_SHORT not in html
            assert "Hold my hand." not in html
            assert "5.75" not in html


class TestCouplePage:
    def page(self, client, user):
        response = login(client, user).get(reverse("attachment-couple"))
        assert response.status_code == 200
        return response.content.decode()

    def test_partner_sees_exactly_what_was_shared(self, client, pair):
        alex, sam = pair
        result = complete(alex)

        html = self.page(client, sam)
        assert "Alex hasn't shared an attachment style with you" in html
        assert ANXIOUS_IN_SHORT not in html and "5.75" not in html

        share(alex, result, STYLE)
        html = self.page(client, sam)
        assert ANXIOUS_IN_SHORT in html
        assert "5.75" not in html and "2.25" not in html

        share(alex, result, FULL)
        html = self.page(client, sam)
        assert ANXIOUS_IN_SHORT in html
        assert "5.75" in html and "2.25" in html
        assert 'class="chart chart--attachment"' in html

    def test_withdrawing_hides_it_at_once(self, client, pair):
        alex, sam = pair
        result = complete(alex)
        share(alex, result, FULL)
        assert ANXIOUS_IN_SHORT in self.page(client, sam)
        login(client, alex)
        response = client.post(
            reverse("attachment-sharing", args=[result.pk]), {"sharing": "private"}
        )
        assert response.status_code == 302
        html = self.page(client, sam)
        assert ANXIOUS_IN_SHORT not in html and "5.75" not in html

    def test_never_raw_answers(self, client, pair):
        alex, sam = pair
        result = complete(alex)
        share(alex, result, FULL)
        attachment_services.draft_save(user=alex, answers={"anx01": 7, "avd01": 1})
        html = self.page(client, sam)
        for item in ITEMS:
            assert item.text not in html
        # Sam's own assessment page shows Sam's (empty) answers, not Alex's draft.
        html = client.get(reverse("attachment-assessment") + "?page=1").content.decode()
        assert " checked" not in html

    def test_pair_guidance_for_both_shared_styles(self, client, pair):
        alex, sam = pair
        share(alex, complete(alex), STYLE)
        share(sam, complete(sam, answers_with([2] * 12, [6] * 12)), STYLE)
        html = self.page(client, sam)
        assert "The pursue-withdraw dance" in html
        assert "What you can do for Alex" in html and "What Alex can do for you" in html
        # Sam (avoidant) is shown the avoidant partner's offers as their own.
        mine = html.split("What you can do for Alex")[1].split("What Alex can do")[0]
        assert "Come back when you said you would" in mine

    def test_no_pair_guidance_when_the_partner_keeps_private(self, client, pair):
        alex, sam = pair
        complete(alex)
        share(sam, complete(sam, answers_with([2] * 12, [6] * 12)), FULL)
        html = self.page(client, sam)
        assert "The pursue-withdraw dance" not in html
        # ...and nothing about whether Alex took it at all.
        assert "hasn't shared an attachment style" in html

    def test_shared_note_and_withdrawn_note(self, client, pair):
        alex, sam = pair
        attachment_services.trigger_note_save(user=alex, text="Say you'll stay.", shared=True)
        assert "Say you&#x27;ll stay." in self.page(client, sam)
        attachment_services.trigger_note_save(user=alex, text="Say you'll stay.", shared=False)
        html = self.page(client, sam)
        assert "Say you&#x27;ll stay." not in html and "Alex hasn't shared a note." in html

    def test_a_former_partner_sees_nothing(self, client, pair):
        alex, sam = pair
        share(alex, complete(alex), FULL)
        attachment_services.trigger_note_save(user=alex, text="Say you'll stay.", shared=True)
        couple_services.couple_leave(user=alex)
        html = self.page(client, sam)
        assert ANXIOUS_IN_SHORT not in html and "stay" not in html
        assert "Once you've paired" in html


def svg_of(html: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no chart in the page"
    return ET.fromstring(match.group(0))  # noqa: S314 (our own markup, parsed to check it)


class TestResultPage:
    def test_chart_renders_with_title_and_text_equivalent(self, client, user):
        result = complete(user)
        html = login(client, user).get(reverse("attachment")).content.decode()
        svg = svg_of(html)
        title, desc = svg.find("title"), svg.find("desc")
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby") == title.get("id")
        assert svg.get("aria-describedby") == desc.get("id")
        assert "anxiety 5.75 and avoidance 2.25" in desc.text
        labels = {t.text for t in svg.iter() if t.tag.endswith("text")}
        assert {"Secure", "Anxious", "Avoidant", "Disorganized"} <= labels
        circles = [c for c in svg.iter() if c.tag.endswith("circle")]
        assert len(circles) == 1
        # Avoidance 2.25 is in the left half, anxiety 5.75 in the upper half.
        assert float(circles[0].get("cx")) < 176 and float(circles[0].get("cy")) < 132
        # The visible text equivalent.
        caption = html.split("<figcaption")[1].split("</figcaption>")[0]
        assert "anxiety 5.75 and avoidance 2.25 out of 7, in the anxious region" in caption
        # The result's own page draws the same chart.
        assert svg_of(client.get(result.get_absolute_url()).content.decode()) is not None

    def test_result_page_teaches_and_keeps_history(self, client, user):
        first = complete(user)
        second = complete(user, answers_with([2] * 12, [2] * 12))
        html = login(client, user).get(reverse("attachment")).content.decode()
        guide = STYLE_GUIDES["secure"]
        for text in (guide.name, "How it shows up", "Where it often comes from",
                     "Growing toward security" if guide.key != "secure" else "Staying secure",
                     "A reflection aid, not a diagnosis"):  # fmt: skip
            assert text in html
        assert first.get_absolute_url() in html  # the history links to the earlier one
        earlier = client.get(first.get_absolute_url()).content.decode()
        assert "This is an earlier result" in earlier
        assert STYLE_GUIDES["anxious"].roots.split(":")[0] in earlier
        assert second.get_absolute_url() in earlier  # and links back to the current one

    def test_bad_sharing_choice_gets_a_clear_error(self, client, pair):
        alex, _ = pair
        result = complete(alex)
        login(client, alex)
        url = reverse("attachment-sharing", args=[result.pk])
        response = client.post(url, {"sharing": "everything"})
        assert response.status_code == 200
        assert "Choose one of the sharing options offered." in response.content.decode()
        result.refresh_from_db()
        assert result.sharing == PRIVATE

    def test_sharing_when_not_paired_is_refused_clearly(self, client, user):
        result = complete(user)
        login(client, user)
        response = client.post(reverse("attachment-sharing", args=[result.pk]), {"sharing": FULL})
        assert response.status_code == 200
        assert "pair with them first" in response.content.decode()

    def test_no_inline_styles_or_scripts(self, client, pair):
        alex, sam = pair
        share(alex, complete(alex), FULL)
        share(sam, complete(sam, answers_with([6] * 12, [6] * 12)), FULL)
        login(client, alex)
        for url in (
            reverse("attachment"),
            reverse("attachment-couple"),
            reverse("attachment-note"),
            reverse("attachment-assessment"),
        ):
            html = client.get(url).content.decode()
            assert "style=" not in html
            assert not re.search(r"<script(?![^>]*\bsrc=)", html)


class TestAssessmentFlow:
    def post(self, client, page, go, answers):
        data = {"page": page, "go": go, **answers}
        return client.post(reverse("attachment-assessment"), data)

    def test_intro_then_pages_then_result(self, client, user):
        login(client, user)
        html = client.get(reverse("attachment")).content.decode()
        assert "A reflection aid, not a diagnosis" in html and "Begin" in html
        for number, page in enumerate(PAGES, start=1):
            page_html = client.get(reverse("attachment-assessment") + f"?page={number}")
            assert f"Page {number} of {len(PAGES)}" in page_html.content.decode()
            go = "finish" if number == len(PAGES) else "next"
            response = self.post(client, number, go, {i.id: ANXIOUS_ANSWERS[i.id] for i in page})
            assert response.status_code == 302
        result = AssessmentResult.objects.get(user=user)
        assert response["Location"] == result.get_absolute_url()
        assert (result.style, float(result.anxiety), result.sharing) == ("anxious", 5.75, PRIVATE)
        assert not AssessmentDraft.objects.filter(user=user).exists()

    def test_save_and_resume(self, client, user):
        login(client, user)
        first = PAGES[0]
        partial = {i.id: 3 for i in first[:3]}
        response = self.post(client, 1, "save", partial)
        assert response.status_code == 302 and response["Location"] == reverse("attachment")
        assert AssessmentDraft.objects.get(user=user).answers == partial
        html = client.get(reverse("attachment")).content.decode()
        assert "answered 3 of 24" in html and "Carry on where you left off" in html
        # Resuming lands on the first page with something left, with the answers ticked.
        html = client.get(reverse("attachment-assessment")).content.decode()
        assert "Page 1 of 4" in html
        for item_id in partial:
            assert re.search(rf'name="{item_id}" value="3" checked', html)
        assert "3 of 24 answered" in html
        # Finish page one, save from page two: resuming goes to page two.
        self.post(client, 1, "next", {i.id: 4 for i in first[3:]})
        self.post(client, 2, "save", {PAGES[1][0].id: 5})
        assert "Page 2 of 4" in client.get(reverse("attachment-assessment")).content.decode()
        # Going back keeps what was on the page.
        self.post(client, 2, "back", {PAGES[1][1].id: 6})
        answers = AssessmentDraft.objects.get(user=user).answers
        assert answers[PAGES[1][0].id] == 5 and answers[PAGES[1][1].id] == 6

    def test_finishing_early_lists_what_is_missing_and_loses_nothing(self, client, user):
        login(client, user)
        for number, page in enumerate(PAGES[:-1], start=1):
            self.post(client, number, "next", {i.id: 4 for i in page})
        last = PAGES[-1]
        response = self.post(client, len(PAGES), "finish", {i.id: 4 for i in last[:-2]})
        assert response.status_code == 200
        html = response.content.decode()
        assert "2 statements still need an answer" in html
        assert last[-1].text.replace("'", "&#x27;") in html
        assert f"#item-{last[-1].id}" in html
        assert len(AssessmentDraft.objects.get(user=user).answers) == len(ITEMS) - 2
        assert not AssessmentResult.objects.exists()

    def test_out_of_range_answer_is_refused_and_the_rest_kept(self, client, user):
        login(client, user)
        page = PAGES[0]
        response = self.post(
            client, 1, "next", {page[0].id: "9", page[1].id: "abc", page[2].id: "5"}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("Choose a number from 1 to 7 for this statement.") == 2
        assert f'aria-describedby="item-{page[0].id}-error"' in html
        assert AssessmentDraft.objects.get(user=user).answers == {page[2].id: 5}
        assert re.search(rf'name="{page[2].id}" value="5" checked', html)

    def test_unknown_page_and_action_are_harmless(self, client, user):
        login(client, user)
        assert client.get(reverse("attachment-assessment") + "?page=99").status_code == 200
        response = self.post(client, "x", "explode", {PAGES[0][0].id: 2})
        assert response.status_code == 302
        assert AssessmentDraft.objects.get(user=user).answers == {PAGES[0][0].id: 2}

    def test_discarding_a_draft(self, client, user):
        login(client, user)
        self.post(client, 1, "save", {PAGES[0][0].id: 2})
        client.post(reverse("attachment-assessment-discard"))
        assert not AssessmentDraft.objects.filter(user=user).exists()

    def test_a_retake_tells_that_the_new_result_is_private(self, client, pair):
        alex, _ = pair
        share(alex, complete(alex), STYLE)
        login(client, alex)
        for number, page in enumerate(PAGES, start=1):
            go = "finish" if number == len(PAGES) else "next"
            response = self.post(client, number, go, {i.id: 4 for i in page})
        html = client.get(response["Location"]).content.decode()
        assert "This new one is private until you choose" in html


class TestNotePage:
    def test_save_share_and_too_long(self, client, pair):
        alex, sam = pair
        login(client, alex)
        url = reverse("attachment-note")
        response = client.post(url, {"text": "Give me a minute.", "shared": "on"})
        assert response.status_code == 302
        assert selectors.shared_trigger_note(alex, sam) == "Give me a minute."
        long_text = "x" * (TriggerNote.MAX_CHARS + 1)
        response = client.post(url, {"text": long_text})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Please keep the note to 2000 characters (it has 2001)." in html
        assert long_text in html  # nothing the user wrote is lost
        assert selectors.shared_trigger_note(alex, sam) == "Give me a minute."

    def test_shared_box_is_refused_when_unpaired_and_text_kept(self, client, user):
        login(client, user)
        response = client.post(reverse("attachment-note"), {"text": "Hug me.", "shared": "on"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "pair with them first" in html and "Hug me." in html
        assert not TriggerNote.objects.exists()


def test_nav_links_to_attachment(client, user):
    html = login(client, user).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("attachment")}"' in html
    assert f'href="{reverse("history")}"' in html
