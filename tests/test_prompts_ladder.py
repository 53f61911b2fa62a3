"""The vulnerability ladder: step up only with both partners' consent; either steps down."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from practice.prompts import selectors, services
from practice.prompts.models import ComfortMark, LadderRung, PromptUse
from tests.factories import body, make_couple

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def level(couple, theme="attachment") -> int:
    return selectors.ladder_levels(couple)[theme]


def mark(client, theme="attachment", comfortable="yes"):
    return client.post(
        reverse("prompts-ladder-comfortable", args=[theme]), {"comfortable": comfortable}
    )


def step_down(client, theme="attachment"):
    return client.post(reverse("prompts-ladder-step-down", args=[theme]))


def test_every_theme_starts_at_the_light_level(couple):
    couple, alex, sam = couple
    assert set(selectors.ladder_levels(couple).values()) == {1}


def test_one_partner_alone_cannot_step_up(couple):
    couple, alex, sam = couple
    a = client_for(alex)
    assert mark(a).status_code == 302
    assert mark(a).status_code == 302  # saying it twice is still one partner
    assert level(couple) == 1
    # Nor through the service, however often.
    for _ in range(3):
        change = services.ladder_mark(user=alex, theme="attachment")
        assert not change.stepped_up
    assert level(couple) == 1


def test_both_partners_marking_the_level_steps_up_and_consent_starts_again(couple):
    couple, alex, sam = couple
    a, s = client_for(alex), client_for(sam)
    mark(a)
    response = mark(s)
    assert level(couple) == 2
    assert "stepped up" in body(s.get(response["Location"]))
    # Consent was for level 1: level 2 needs both to say so again.
    assert not ComfortMark.objects.exists()
    mark(s)
    assert level(couple) == 2
    mark(a)
    assert level(couple) == 3
    # Other themes are untouched.
    assert level(couple, "dreams") == 1


def test_a_mark_taken_back_no_longer_counts(couple):
    couple, alex, sam = couple
    a, s = client_for(alex), client_for(sam)
    mark(a)
    mark(a, comfortable="no")
    mark(s)
    assert level(couple) == 1


def test_either_partner_steps_down_in_one_click_without_a_reason(couple):
    couple, alex, sam = couple
    LadderRung.objects.create(couple=couple, theme="attachment", level=3)
    for user, expected in ((sam, 2), (alex, 1)):
        response = step_down(client_for(user))  # no fields at all: nothing is asked
        assert response.status_code == 302
        assert level(couple) == expected
    assert step_down(client_for(sam)).status_code == 302
    assert level(couple) == 1  # never below the first level


def test_the_step_down_form_asks_nothing_and_confirms_nothing(couple):
    couple, alex, sam = couple
    LadderRung.objects.create(couple=couple, theme="repair", level=2)
    page = client_for(alex).get(reverse("prompts-ladder")).content.decode()
    action = reverse("prompts-ladder-step-down", args=["repair"])
    form = re.search(rf'<form method="post" action="{action}"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None
    inner = form.group(1)
    assert re.findall(r"<(input|textarea|select)\b", inner) == ["input"]  # the CSRF token
    assert 'name="csrfmiddlewaretoken"' in inner
    assert "data-confirm" not in form.group(0)
    assert "why" not in inner.lower()


def test_stepping_down_clears_pending_marks(couple):
    couple, alex, sam = couple
    LadderRung.objects.create(couple=couple, theme="attachment", level=2)
    mark(client_for(alex))
    step_down(client_for(sam))
    mark(client_for(sam))
    assert level(couple) == 1  # Alex's earlier mark was for another level; it's gone


def test_the_partners_mark_is_not_shown(couple):
    couple, alex, sam = couple
    mark(client_for(alex))
    sam_page = body(client_for(sam).get(reverse("prompts-ladder")))
    alex_page = body(client_for(alex).get(reverse("prompts-ladder")))
    assert "You've said you're comfortable here" in alex_page
    assert "You've said you're comfortable here" not in sam_page
    assert sam_page.count("I'm comfortable at this level") == 8


def test_the_top_level_has_no_step_up(couple):
    couple, alex, sam = couple
    LadderRung.objects.create(couple=couple, theme="closeness", level=3)
    with pytest.raises(services.PromptError):
        services.ladder_mark(user=alex, theme="closeness")
    assert level(couple, "closeness") == 3


def test_suggestions_are_at_the_current_level_and_can_be_marked_as_talked_about(couple):
    couple, alex, sam = couple
    LadderRung.objects.create(couple=couple, theme="history", level=2)
    rung = next(r for r in selectors.ladder_overview(couple, alex) if r.theme == "history")
    assert rung.suggestions and all(p.depth == 2 for p in rung.suggestions)
    response = client_for(sam).post(
        reverse("prompts-ladder-talked"), {"prompt": rung.suggestions[0].key}
    )
    assert response.status_code == 302
    assert PromptUse.objects.filter(couple=couple, source="ladder").count() == 1
    # Deeper than the couple's level: not offered, so not accepted.
    response = client_for(sam).post(reverse("prompts-ladder-talked"), {"prompt": "history-3-01"})
    assert response.status_code == 404


def test_unknown_themes_and_other_couples(couple):
    couple, alex, sam = couple
    assert mark(client_for(alex), theme="astrology").status_code == 404
    assert step_down(client_for(alex), theme="astrology").status_code == 404
    _, pat, robin = make_couple(("pat@example.com", "Pat"), ("robin@example.com", "Robin"))
    mark(client_for(pat))
    mark(client_for(robin))
    assert level(couple) == 1  # their consent moves only their ladder
    mark(client_for(alex))
    assert level(couple) == 1


def test_ladder_pages_need_a_partner(db, client):
    from tests.factories import make_user

    client.force_login(make_user("lee@example.com", "Lee"))
    assert mark(client).status_code == 302
    assert not LadderRung.objects.exists()
    assert "Pair with your partner first" in body(client.get(reverse("prompts-ladder")))
