"""No prompt is put to a couple twice until its pool (theme and level) is used up."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from practice import services as room_services
from practice.models import CheckIn
from practice.prompts import selectors, services
from practice.prompts.models import LadderRung, Prompt, PromptUse
from tests.factories import make_couple

pytestmark = pytest.mark.django_db
DAY0 = datetime(2031, 5, 1, 9, 0, tzinfo=UTC)


def only_theme(theme: str):
    """Leave one theme in the library, so every draw comes from one pool."""
    Prompt.objects.exclude(theme=theme).update(active=False)


def daily_draws(user, days: int, start: int = 0) -> list[str]:
    return [
        services.daily_question_today(user=user, now=DAY0 + timedelta(days=start + n)).prompt.key
        for n in range(days)
    ]


def assert_no_repeat_before_exhaustion(sequence: list[str], pool: set[str]):
    """In every prefix, no prompt has been put twice while another is still unused."""
    counts = Counter()
    for key in sequence:
        assert key in pool
        counts[key] += 1
        used = [counts[k] for k in pool]
        assert max(used) - min(used) <= 1, f"{key} repeated before the pool was used up"


def test_the_daily_question_draws_the_whole_pool_before_repeating_then_cycles(couple):
    couple, alex, sam = couple
    only_theme("appreciation")
    pool = set(Prompt.objects.filter(theme="appreciation", depth=1).values_list("key", flat=True))
    n = len(pool)
    sequence = daily_draws(alex, 3 * n)
    assert set(sequence[:n]) == pool  # first cycle: each once
    assert set(sequence[n : 2 * n]) == pool  # then it starts again
    assert set(sequence[2 * n :]) == pool
    assert_no_repeat_before_exhaustion(sequence, pool)
    # A new cycle doesn't simply replay the last one's order.
    assert sequence[:n] != sequence[n : 2 * n]


def test_partners_on_the_same_day_share_one_question(couple):
    couple, alex, sam = couple
    assert services.daily_question_today(user=alex, now=DAY0) == services.daily_question_today(
        user=sam, now=DAY0 + timedelta(hours=3)
    )
    assert PromptUse.objects.filter(couple=couple).count() == 1


def test_the_pool_is_per_level_and_the_level_is_the_ladder(couple):
    couple, alex, sam = couple
    only_theme("dreams")
    LadderRung.objects.create(couple=couple, theme="dreams", level=2)
    pool = set(Prompt.objects.filter(theme="dreams", depth=2).values_list("key", flat=True))
    sequence = daily_draws(alex, len(pool) + 2)
    assert_no_repeat_before_exhaustion(sequence, pool)


def test_room_questions_and_daily_questions_share_the_rule(couple):
    couple, alex, sam = couple
    only_theme("history")
    pool = set(Prompt.objects.filter(theme="history", depth=1).values_list("key", flat=True))
    sequence = []
    for n in range(len(pool) * 2):
        if n % 2:
            checkin = room_services.checkin_start(user=alex, agenda="open_question")
            sequence.append(checkin.state["steps"]["open_question"]["question"]["id"])
            CheckIn.objects.filter(pk=checkin.pk).update(status=CheckIn.Status.ENDED)
        else:
            sequence += daily_draws(sam, 1, start=n)
    assert_no_repeat_before_exhaustion(sequence, pool)
    assert set(sequence[: len(pool)]) == pool
    sources = Counter(PromptUse.objects.values_list("source", flat=True))
    assert sources == {"daily": len(pool), "room": len(pool)}


def test_a_prompt_talked_about_from_the_ladder_counts_as_used(couple):
    couple, alex, sam = couple
    only_theme("closeness")
    suggested = selectors.draw_order(couple, "closeness", 1)[0]
    services.prompt_talked_about(user=sam, key=suggested.key)
    pool_size = Prompt.objects.filter(theme="closeness", depth=1).count()
    assert suggested.key not in daily_draws(alex, pool_size - 1)


def test_rotation_visits_every_theme_before_returning(couple):
    couple, alex, sam = couple
    themes = [
        services.daily_question_today(user=alex, now=DAY0 + timedelta(days=n)).theme
        for n in range(8)
    ]
    assert len(set(themes)) == 8


def test_inactive_prompts_are_never_drawn_and_new_ones_join_the_cycle(couple):
    couple, alex, sam = couple
    only_theme("boundaries")
    pool = list(Prompt.objects.filter(theme="boundaries", depth=1).order_by("key"))
    retired = pool[0]
    retired.active = False
    retired.save()
    first = daily_draws(alex, 2)
    added = Prompt.objects.create(key="boundaries-1-90", theme="boundaries", depth=1, text="New?")
    rest = daily_draws(alex, len(pool) - 2, start=2)
    sequence = first + rest
    assert retired.key not in sequence
    assert added.key in sequence
    assert len(set(sequence)) == len(sequence)  # one cycle of the current pool


def test_each_couple_has_its_own_rule(couple):
    couple, alex, sam = couple
    _, pat, _ = make_couple(("pat@example.com", "Pat"), ("robin@example.com", "Robin"))
    only_theme("daily")
    daily_draws(alex, 5)
    # Another couple starts with a fresh pool: all seven still to come.
    other = daily_draws(pat, 7)
    assert len(set(other)) == 7


def test_an_empty_library_is_said_plainly(couple, client):
    couple, alex, sam = couple
    Prompt.objects.update(active=False)
    with pytest.raises(services.PromptError):
        services.daily_question_today(user=alex)
    client.force_login(alex)
    assert "no questions" in client.get("/questions/").content.decode()
    # And a check-in still starts, with no question in the step.
    checkin = room_services.checkin_start(user=alex, agenda="open_question")
    assert "question" not in checkin.state["steps"]["open_question"]
