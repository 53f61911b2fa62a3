"""The item bank and scoring: plain Python, no database."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from couples import assessment
from couples.assessment import (
    CUTOFF,
    ITEMS,
    STYLE_GUIDES,
    STYLES,
    AssessmentError,
    classify,
    pair_guide,
    score,
)

ANXIETY = [item for item in ITEMS if item.dimension == "anxiety"]
AVOIDANCE = [item for item in ITEMS if item.dimension == "avoidance"]


def answers_for(anxiety_agree: int, avoidance_agree: int) -> dict[str, int]:
    """Answers whose keyed agreement is the given level on every item of each dimension."""
    answers = {}
    for item in ITEMS:
        level = anxiety_agree if item.dimension == "anxiety" else avoidance_agree
        answers[item.id] = 8 - level if item.reverse else level
    return answers


class TestItemBank:
    def test_shape(self):
        assert len(ITEMS) >= 24
        assert len(ANXIETY) == len(AVOIDANCE) == len(ITEMS) // 2
        assert sum(item.reverse for item in ITEMS) * 3 >= len(ITEMS)
        # Reversed items on both dimensions, so neither score rides on one keying.
        assert any(i.reverse for i in ANXIETY) and any(not i.reverse for i in ANXIETY)
        assert any(i.reverse for i in AVOIDANCE) and any(not i.reverse for i in AVOIDANCE)

    def test_ids_are_unique_and_stable_looking(self):
        ids = [item.id for item in ITEMS]
        assert len(set(ids)) == len(ids)
        for item in ITEMS:
            prefix = {"anxiety": "anx", "avoidance": "avd"}[item.dimension]
            assert item.id.startswith(prefix) and item.id[3:].isdigit()
            assert item.text.strip() and item.text[0].isupper()

    def test_texts_are_distinct(self):
        texts = [item.text.lower() for item in ITEMS]
        assert len(set(texts)) == len(texts)

    def test_pages_of_consecutive_items_mix_both_dimensions(self):
        for start in range(0, len(ITEMS), 6):
            page = ITEMS[start : start + 6]
            assert {item.dimension for item in page} == {"anxiety", "avoidance"}


class TestReversing:
    def test_keyed_flips_reverse_items_only(self):
        forward = next(i for i in ITEMS if not i.reverse)
        reverse = next(i for i in ITEMS if i.reverse)
        assert [assessment.keyed(forward, v) for v in range(1, 8)] == [1, 2, 3, 4, 5, 6, 7]
        assert [assessment.keyed(reverse, v) for v in range(1, 8)] == [7, 6, 5, 4, 3, 2, 1]

    def test_agreeing_with_everything_is_not_high_on_everything(self):
        # Someone who answers 7 to all statements agrees with both keyings: the reversed
        # items pull the means back toward the middle instead of to the top.
        result = score({item.id: 7 for item in ITEMS})
        reversed_share = sum(i.reverse for i in ANXIETY) / len(ANXIETY)
        assert result.anxiety == pytest.approx(7 - 6 * reversed_share)
        assert result.anxiety < 7

    def test_a_reversed_answer_moves_the_score_the_other_way(self):
        base = answers_for(4, 4)
        reverse = next(i for i in ANXIETY if i.reverse)
        forward = next(i for i in ANXIETY if not i.reverse)
        assert score({**base, reverse.id: 7}).anxiety < score(base).anxiety
        assert score({**base, forward.id: 7}).anxiety > score(base).anxiety
        # The other dimension is untouched.
        assert score({**base, reverse.id: 7}).avoidance == score(base).avoidance

    def test_means_are_on_the_scale(self):
        assert score(answers_for(1, 1)) == assessment.Result(1.0, 1.0, "secure")
        assert score(answers_for(7, 7)) == assessment.Result(7.0, 7.0, "disorganized")

    @given(st.lists(st.integers(1, 7), min_size=len(ITEMS), max_size=len(ITEMS)))
    def test_any_complete_answer_set_scores_within_1_to_7(self, values):
        result = score(dict(zip((i.id for i in ITEMS), values, strict=True)))
        assert 1 <= result.anxiety <= 7 and 1 <= result.avoidance <= 7
        assert result.style == classify(result.anxiety, result.avoidance)


class TestRegions:
    @pytest.mark.parametrize(
        ("anxiety", "avoidance", "style"),
        [
            (2, 2, "secure"),
            (6, 2, "anxious"),
            (2, 6, "avoidant"),
            (6, 6, "disorganized"),
        ],
    )
    def test_the_four_regions(self, anxiety, avoidance, style):
        result = score(answers_for(anxiety, avoidance))
        assert (result.anxiety, result.avoidance, result.style) == (anxiety, avoidance, style)


class TestCutOff:
    def test_the_cutoff_is_the_scale_midpoint(self):
        assert CUTOFF == (assessment.SCALE_MIN + assessment.SCALE_MAX) / 2 == 4

    @pytest.mark.parametrize(
        ("anxiety", "avoidance", "style"),
        [
            (4.0, 4.0, "secure"),  # exactly on the line is low on both
            (4.0 + 1 / 12, 4.0, "anxious"),  # the smallest step above it, one item up
            (4.0, 4.0 + 1 / 12, "avoidant"),
            (4.0 + 1 / 12, 4.0 + 1 / 12, "disorganized"),
            (4.0 - 1 / 12, 4.0 - 1 / 12, "secure"),
        ],
    )
    def test_classify_at_the_boundary(self, anxiety, avoidance, style):
        assert classify(anxiety, avoidance) == style

    def test_all_neutral_answers_are_secure(self):
        result = score({item.id: 4 for item in ITEMS})
        assert (result.anxiety, result.avoidance, result.style) == (4.0, 4.0, "secure")

    def test_one_answer_one_step_up_crosses_the_line(self):
        base = {item.id: 4 for item in ITEMS}
        forward_anx = next(i for i in ANXIETY if not i.reverse)
        reverse_avd = next(i for i in AVOIDANCE if i.reverse)
        assert score({**base, forward_anx.id: 5}).style == "anxious"
        # For a reversed avoidance item, disagreeing one step is agreeing with avoidance.
        assert score({**base, reverse_avd.id: 3}).style == "avoidant"
        assert score({**base, reverse_avd.id: 5}).style == "secure"

    def test_near_the_line_is_reported(self):
        assert score({item.id: 4 for item in ITEMS}).near_line == ("anxiety", "avoidance")
        assert score(answers_for(6, 2)).near_line == ()
        assert assessment.Result(4.5, 3.4, "anxious").near_line == ("anxiety",)


class TestRefusals:
    def test_incomplete_answers_are_refused_with_the_missing_ids(self):
        answers = answers_for(3, 3)
        del answers["anx05"], answers["avd11"]
        with pytest.raises(AssessmentError) as error:
            score(answers)
        assert error.value.missing == ("anx05", "avd11")
        assert "2 of 24 statements have no answer yet" in str(error.value)

    def test_empty_answers_are_refused(self):
        with pytest.raises(AssessmentError) as error:
            score({})
        assert len(error.value.missing) == len(ITEMS)

    @pytest.mark.parametrize("bad", [0, 8, -1, 4.5, "4", None, True])
    def test_out_of_range_or_wrong_type_is_refused(self, bad):
        answers = {**answers_for(3, 3), "avd03": bad}
        with pytest.raises(AssessmentError, match="whole numbers from 1 to 7") as error:
            score(answers)
        assert error.value.invalid == {"avd03": bad}
        assert f"avd03={bad!r}" in str(error.value)

    def test_unknown_ids_are_refused(self):
        with pytest.raises(AssessmentError, match="Unknown statement ids") as error:
            score({**answers_for(3, 3), "anx99": 4})
        assert error.value.unknown == ("anx99",)

    def test_assessment_error_is_a_value_error(self):
        assert issubclass(AssessmentError, ValueError)

    def test_partial_check_accepts_a_subset(self):
        assert assessment.check_answers({"avd02": 3, "anx01": 5}, complete=False) == {
            "anx01": 5,
            "avd02": 3,
        }
        with pytest.raises(AssessmentError):
            assessment.check_answers({"anx01": 9}, complete=False)


class TestContent:
    def test_every_style_has_its_teaching(self):
        assert set(STYLE_GUIDES) == set(STYLES)
        for key, guide in STYLE_GUIDES.items():
            assert guide.key == key
            assert guide.shows_up and guide.roots and guide.in_short
            assert len(guide.signs) >= 3 and len(guide.growth) >= 3 and guide.strengths

    def test_all_ten_pairs_have_guidance_for_both_partners(self):
        pairs = list(itertools.combinations_with_replacement(STYLES, 2))
        assert len(pairs) == 10
        assert len(assessment.PAIR_GUIDES) == 10
        for a, b in pairs:
            guide = pair_guide(a, b)
            assert guide is pair_guide(b, a)
            assert guide.title and guide.pattern and guide.strengths
            assert guide.offers(a) and guide.offers(b)

    def test_anxious_and_avoidant_is_the_pursue_withdraw_cycle(self):
        assert "pursue" in pair_guide("avoidant", "anxious").title.lower()
