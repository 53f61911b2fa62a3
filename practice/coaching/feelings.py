"""Finding feelings in what a partner said, and guessing the ones they didn't name.

Used by the statement review (which feelings the speaker owns), the mirror
review (a feeling counts as heard when the mirror names one of its family),
and the empathy step (feelings the listener might guess).
"""

import functools
import re

from . import text as tx
from .vocabulary import FEELING_GROUPS, SITUATION_CUES, THOUGHT_WORDS, FeelingGroup, feeling_index

# Feeling words that are everyday words too; they count only right after "I feel", "I'm"...
_AMBIGUOUS = tx.wordset(
    """
    down low light still easy cut sure close small apart lost beat flat held heard seen sore
    sorry cold raw tender responsible stuck blue heavy strong special wanted cross warm
    spent buried thrown shaken touched moved alive present separate included accepted
    valued appreciated understood stress worry fear anger joy pride relief panic shame guilt
    regret grief sorrow despair dread anxiety sadness frustration disappointment jealousy
    loneliness heartache crying bothered interested concerned
    """
)

_OWNER = (
    r"(?:\bi(?:'m| am| was| have been|'ve been| had been| feel| felt| get| got| start| started|"
    r" grow| grew| find myself| keep| kept| end up| ended up| become| became)?|"
    r"\b(?:makes|made|leaves|left|keeps|kept|gets|got) me(?: feel(?:ing)?)?|"
    r"\bme (?:feel|feeling)|\bfeeling|\bi'd (?:be|feel))"
)
_BETWEEN = (
    r"(?:\s+(?:feeling|getting|so|really|a bit|a little|very|quite|pretty|kind of|kinda|"
    r"sort of|deeply|incredibly|super|too|more|less|still|just|honestly|totally|completely|"
    r"utterly|bit|little|rather|somewhat|all|even|also|both|and|or|a|an|lot|of|overly|"
    r"extremely|most|mostly|slightly|genuinely|truly|[a-z]+ly),?)*"
)


@functools.cache
def _feeling_re() -> re.Pattern:
    return tx.phrase_pattern(feeling_index().keys())


@functools.cache
def _thought_re() -> re.Pattern:
    return tx.phrase_pattern(THOUGHT_WORDS.keys())


@functools.cache
def _owned_re() -> re.Pattern:
    return re.compile(rf"{_OWNER}{_BETWEEN}\s+$")


def feeling_mentions(norm: str, start: int = 0, end: int | None = None, *, anyone=False):
    """Every feeling word in the text: (word, group, start, end).

    Everyday words that are feelings too ("down", "close") count only when someone
    is said to have them: the speaker ("I'm down"), or with `anyone`, also "you" or "we".
    """
    end = len(norm) if end is None else end
    found = []
    for m in _feeling_re().finditer(norm, start, end):
        word = m.group()
        owned = _is_owned(norm, m.start(), anyone=anyone)
        if word in _AMBIGUOUS and not owned:
            continue
        found.append((word, feeling_index()[word], m.start(), m.end()))
    return found


def _is_owned(norm: str, at: int, *, anyone: bool = False) -> bool:
    before = norm[max(0, at - 60) : at]
    if anyone:
        before = re.sub(r"\b(?:you|we|they|he|she)\b", "i", before)
        before = re.sub(r"\b(?:you're|we're|they're)\b", "i'm", before)
        before = re.sub(r"\b(?:were|are|is)\b", "was", before)
        before = re.sub(r"\b(?:feels)\b", "feel", before)
        before = re.sub(r"\b(?:you|them|us|him|her)\b", "me", before)
    return _owned_re().search(before) is not None


@functools.cache
def feeling_stems() -> dict[str, FeelingGroup]:
    """Single feeling words by stem ("overwhelming" finds "overwhelmed"), plain words only."""
    out: dict[str, FeelingGroup] = {}
    for word, group in feeling_index().items():
        if " " not in word and word not in _AMBIGUOUS:
            out.setdefault(tx.stem(word), group)
    return out


def owned_feelings(norm: str) -> list[str]:
    """Feeling words the speaker says they have ("I'm worried", "it made me sad")."""
    out: list[str] = []
    for word, _group, start, _end in feeling_mentions(norm):
        if _is_owned(norm, start) and word not in out:
            out.append(word)
    return out


def feeling_groups_in(norm: str) -> dict[str, FeelingGroup]:
    """Groups of every feeling word mentioned, owned or not (for comparing mirrors)."""
    groups = {group.key: group for _w, group, _s, _e in feeling_mentions(norm)}
    for word, start, _end in thought_words_in(norm):
        if _is_owned(norm, start):
            for feeling in THOUGHT_WORDS[word]:
                group = feeling_index().get(feeling)
                if group:
                    groups.setdefault(group.key, group)
    return groups


def thought_words_in(norm: str, start: int = 0, end: int | None = None):
    end = len(norm) if end is None else end
    return [(m.group(), m.start(), m.end()) for m in _thought_re().finditer(norm, start, end)]


@functools.cache
def _cue_res() -> tuple[tuple[re.Pattern, tuple[str, ...]], ...]:
    return tuple(
        (re.compile(rf"(?<![a-z]){re.escape(cue)}"), feelings) for cue, feelings in SITUATION_CUES
    )


def suggest_feelings(text: str, limit: int = 6) -> list[str]:
    """Feelings a listener might guess from what the speaker said, most likely first.

    Named feelings come first (the speaker's own word), then what a thought-word
    often covers ("ignored": lonely, hurt), then feelings that the situation
    commonly brings ("waited", "late": worried, frustrated).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    norm = tx.normalise(text)
    out: list[str] = []

    def add(word: str) -> None:
        if word not in out:
            out.append(word)

    named = owned_feelings(norm)
    for word in named:
        add(word)
    for word, _start, _end in thought_words_in(norm):
        for feeling in THOUGHT_WORDS[word]:
            add(feeling)
    for pattern, feelings in _cue_res():
        if pattern.search(norm):
            for feeling in feelings:
                add(feeling)
    # A close cousin of a named feeling is a good second guess.
    for word in named:
        group = feeling_index()[word]
        for cousin in _cousins(group):
            if cousin != word:
                add(cousin)
                break
    return out[:limit]


def _cousins(group: FeelingGroup) -> tuple[str, ...]:
    return tuple(w for w in group.words if " " not in w and w not in _AMBIGUOUS)[:3]


def group_label(word: str) -> str | None:
    group = feeling_index().get(word)
    return group.label if group else None


ALL_GROUPS = FEELING_GROUPS
