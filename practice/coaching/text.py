"""Small text tools the coach shares: normalising, words with offsets, stems, phrases.

Offsets always refer to the text as the partner typed it: normalising keeps the
length (curly quotes become straight ones, letters become lower case).
"""

import functools
import itertools
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import snowballstemmer

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "`": "'"})

WORD_RE = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
SENTENCE_RE = re.compile(r"[^.!?;\n]+[.!?;]*")
# Where one clause ends and the next begins, inside a sentence.
CLAUSE_BREAK_RE = re.compile(
    r",|\s-\s|\s\u2013\s|\s\u2014\s|\b(?:but|and|because|so|when|whenever|while|though|although|"
    r"if|since|cause|'cause|which|then)\b"
)


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS = wordset(
    """
    a an the and or but so if then than that this these those there here of to in on at by
    for with about from into onto over under up down out off as is am are was were be been
    being do does did doing done have has had having will would shall should can could may
    might must i me my mine myself you your yours yourself we us our ours ourselves he him
    his she her it its they them their what which who whom whose when where why how all any
    both each few more most other some such no nor not only own same too very just also
    really quite rather even still yet again ever once much many lot lots bit kind sort
    i'm i've i'd i'll you're you've you'd you'll we're we've it's that's there's what's
    don't doesn't didn't won't wouldn't can't couldn't isn't aren't wasn't weren't
    haven't hasn't hadn't let's get got gets getting go goes going went make makes made
    say says said tell told like well oh yeah okay ok hear heard hearing saying sounds
    sound feel feels felt feeling think thinks thought know knew guess mean means meant
    seem seems one thing things something anything everything way because while though
    although since whenever
    """
)

# A snowball stemmer keeps the word it works on in itself, so one shared by threads
# mixes their words up (IndexError, wrong stems). The room and the coaching view
# review turns in several threads at once: one stemmer per thread.
_local = threading.local()


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


def normalise(text: str) -> str:
    """Lower case with straight quotes; the same length as `text`, so offsets carry over."""
    return text.translate(_QUOTES).lower()


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    return _stemmer().stemWord(word.replace("'", ""))


@dataclass(frozen=True)
class Word:
    text: str
    start: int
    end: int

    @property
    def stem(self) -> str:
        return stem(self.text)


def words(norm: str, start: int = 0, end: int | None = None) -> list[Word]:
    end = len(norm) if end is None else end
    return [Word(m.group(), m.start(), m.end()) for m in WORD_RE.finditer(norm, start, end)]


def sentences(norm: str) -> list[tuple[int, int]]:
    spans = []
    for m in SENTENCE_RE.finditer(norm):
        if m.group().strip():
            spans.append(_trim(norm, m.start(), m.end()))
    return spans


def clauses(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clauses of one sentence, split at commas and joining words."""
    cuts = [start]
    for m in CLAUSE_BREAK_RE.finditer(norm, start, end):
        cuts.append(m.start())
    cuts.append(end)
    spans = []
    for a, b in itertools.pairwise(cuts):
        a, b = _trim(norm, a, b)
        if b > a:
            spans.append((a, b))
    return spans


def _trim(norm: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not norm[start].isalnum():
        start += 1
    while end > start and not norm[end - 1].isalnum():
        end -= 1
    return start, end


def content_stems(norm: str, start: int = 0, end: int | None = None) -> list[str]:
    return [w.stem for w in words(norm, start, end) if w.text not in STOPWORDS and len(w.text) > 1]


def stemset(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words.split())


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern:
    """One regex for a set of phrases, longest first, on word boundaries."""
    ordered = sorted({p.strip().lower() for p in phrases if p.strip()}, key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)
    return re.compile(rf"(?<![a-z0-9'])(?:{body})(?![a-z0-9'])")


# Swapping the speaker's and the listener's words lets a mirror ("you felt") be
# compared with what was said ("I felt"), and vice versa.
_SWAP = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "you": "i",
    "your": "my",
    "yours": "mine",
    "yourself": "myself",
    "you're": "i'm",
    "you've": "i've",
    "you'd": "i'd",
    "you'll": "i'll",
}


def swap_persons(norm: str) -> str:
    """'i was hurt when you left' -> 'you were hurt when i left' (rough, for matching only)."""
    return WORD_RE.sub(lambda m: _SWAP.get(m.group(), m.group()), norm)
