"""Reviewing a mirror: did the listener give back what the speaker said, and only that?

The original is cut into key points (clauses); a point is heard when the mirror
names its feeling (any word of the same family) and enough of its other words
(compared by stem, with a few everyday synonyms). What the mirror adds is
looked for too: a rebuttal, a defence, a counter-blame, a judgement, a "but",
or a fix. A defensive mirror is "missed" however many words it repeats.
"""

import functools
import re
from dataclasses import dataclass

from . import text as tx
from .feelings import feeling_mentions, feeling_stems, thought_words_in
from .vocabulary import THOUGHT_WORDS, feeling_index

GOOD, PARTIAL, MISSED = "good", "partial", "missed"
GOOD_AT = 0.68
PARTIAL_AT = 0.15

# Added material that turns a mirror into a reply: verdict "missed".
DEFENSIVE = ("rebuttal", "defence", "counter_blame", "judgement", "but")
ADDED_NOTES = {
    "rebuttal": "This argues with what they said.",
    "defence": "This explains your side. It can wait for your turn.",
    "counter_blame": "This turns it back on them.",
    "judgement": "This judges their feeling. A mirror just gives it back.",
    "but": "“But” tends to erase what came before it.",
    "fixing": "A fix or a promise can wait: first let them feel heard.",
}

_R = re.compile
ADDED_RULES: tuple[tuple[str, re.Pattern], ...] = (
    (
        "rebuttal",
        _R(
            r"\bthat'?s not (?:true|fair|what happened|how it happened|what i said|what i meant|"
            r"right|how it was|the case)\b|\bnot true\b|\bthat never happened\b|"
            r"\bthat'?s unfair\b|\byou'?re (?:exaggerating|overreacting|being (?:dramatic|unfair|"
            r"ridiculous|silly|oversensitive|too sensitive|paranoid|unreasonable))\b|"
            r"\bexaggerat\w*|\boverreact\w*|\bcome on\b|\bseriously\b|\bwhatever\b|"
            r"\b(?:it'?s|it was|that'?s|that was) not (?:a big deal|that bad|that big|a problem)\b|"
            r"\bnot (?:a big deal|that bad|that big of a deal)\b|\bget over\b|\bcalm down\b|"
            r"\brelax\b|\bhardly\b|\bit was only\b|\bit'?s only\b|\bonly (?:once|one time|twice)\b|"
            r"\bnot (?:always|every time|that often)\b|\bi don'?t (?:think|agree) that\b|"
            r"\bthat'?s not how i (?:see|remember)\b|\bi don'?t remember it that way\b|"
            r"\bactually\b|\byou (?:know|knew) (?:that )?(?:isn'?t|wasn'?t|that'?s not)\b|"
            r"\bsomeone (?:had|has) to\b|\bwhat did you expect\b|\bof course i\b|"
            r"\bobviously i\b|\bwhat do you want me to\b|\bi can'?t win\b"
        ),
    ),
    (
        "defence",
        _R(
            r"\bi (?:didn'?t|did not|never|wasn'?t|was not|only|was (?:just|only)|had to|"
            r"was trying|tried|meant|just|already|do (?:a lot|so much|everything|my share|my best|"
            r"try|help)|work(?:ed)?|said i|have been|was busy|was tired|can'?t help|was going to|"
            r"thought|forgot because|couldn'?t)\b|\bat least i\b|\bnot my fault\b|"
            r"\bin my defen[cs]e\b|\bto be fair\b|\bin fairness\b|\bthe reason (?:i|was|is)\b|"
            r"\bi'?m (?:not|only|just|doing my best|trying|busy|tired)\b|"
            r"\bwhat (?:was|am) i supposed to\b|\bit wasn'?t (?:me|my)\b|"
            r"\byou know (?:i|that i|how)\b|\bi had (?:no|a) (?:choice|reason|lot)\b|"
            r"\bmy (?:boss|work|job|day|phone) (?:was|is|made|kept)\b"
        ),
    ),
    (
        "counter_blame",
        _R(
            r"\bwhat about (?:when )?you\b|\byou (?:do|did) (?:it|that|the same)(?: thing)? too\b|"
            r"\bso do you\b|\byou (?:also|too)\b|\bwell,? you\b|\byou'?re the one\b|"
            r"\byou (?:always|never|constantly)\b|\bif you (?:had|would|just|didn'?t|hadn'?t|"
            r"wouldn'?t|weren'?t|were)\b|\byou should(?:'ve| have)\b|\byou could(?:'ve| have)\b|"
            r"\byou (?:started|start) it\b|\bso it'?s my fault\b|"
            r"\byou'?re (?:one|not one) to talk\b|"
            r"\bpot,? kettle\b|\blook who'?s talking\b|\byou (?:don'?t|didn'?t) (?:either|even)\b|"
            r"\bhow about you\b|\bwhen was the last time you\b|\byou'?re no better\b|"
            r"\byou'?re (?:always|never)\b|\bas if you\b"
        ),
    ),
    (
        "judgement",
        _R(
            r"\bwhich (?:is|was|seems|sounds) (?:a bit |kind of |pretty |really |so )?(?:silly|"
            r"ridiculous|unfair|crazy|dramatic|a bit much|irrational|petty|unreasonable|"
            r"an overreaction|over the top|extreme|childish|odd|weird|strange|unfounded)\b|"
            r"\byou shouldn'?t (?:feel|be|get|worry|care|mind)\b|"
            r"\bthere'?s no (?:reason|need) to\b|"
            r"\bno need to\b|\b(?:that'?s|it'?s|this is|that is) (?:a bit |kind of |pretty |so )?"
            r"(?:silly|ridiculous|crazy|dramatic|irrational|petty|unreasonable|a bit much|"
            r"childish|absurd|over the top|insane|nuts)\b|\bjust (?:hormonal|being)\b|"
            r"\bi don'?t (?:see|get|understand) why\b|"
            r"\bdon'?t be (?:so|silly|like|upset|sad|mad)\b|"
            r"\bsilly\b|\bridiculous\b|\bdramatic\b|\bparanoid\b|\bneedy\b|\bclingy\b|"
            r"\btoo sensitive\b|\boversensitive\b|\bfor no reason\b|\bfor nothing\b|"
            r"\bin your head\b|\bimagining (?:it|things)\b|\bmaking (?:it|this) (?:a big|about)\b|"
            r"\bblowing (?:it|this|things) out of\b|\bmountain out of\b|\bsnap out of\b|"
            r"\bcheer up\b|\blook on the bright side\b|\bcould be worse\b|\bat least you\b"
        ),
    ),
    (
        "fixing",
        _R(
            r"\b(?:maybe |perhaps )?you (?:could|should|might|need to|have to) (?:just |try|always|"
            r"ask|tell|say|talk|go|take|get|stop|start|learn|let|be)\b|\bwhy don'?t you\b|"
            r"\bnext time,? (?:just|you|try|i'?ll|i will|we)\b|\bhave you tried\b|"
            r"\bjust (?:ask|tell|say|try|let|text|call|do|ignore)\b|\bwhat you need to do\b|"
            r"\bthe (?:solution|answer|fix) is\b|\bwe (?:should|could|can) just\b|"
            r"\bi'?ll (?:just|try|make sure|fix|stop|do|start|be|sort|handle|take care)\b|"
            r"\bi will (?:try|make sure|fix|stop|do|start|be)\b|\bi promise\b|"
            r"\bfrom now on\b|\blet'?s (?:just|make|agree|fix|sort|try)\b|\bhow about (?:we|i)\b"
        ),
    ),
)
BUT_RE = _R(r"\b(?:but|though|although|however)\b,?\s+(?P<after>[a-z']+(?:\s+[a-z']+)?)")
BUT_DEFENSIVE_AFTER = _R(
    r"^(?:i|i'm|i've|i'd|i was|i had|my|me|that's|thats|that is|it's not|it wasn't|it isn't|"
    r"to be|in fairness|at least|honestly|actually|you also|you never|you always|you too|"
    r"come on|really|seriously|let's be|you know|you did|you do|you were|you are|you're|"
    r"that was|that isn't|that wasn't|it was|we both|everyone|no one|nobody)\b"
)

# Everyday words that mean the same thing in a mirror. Feelings are matched by family.
_SYNONYMS = (
    "home house flat apartment place",
    "kid kids child children son daughter baby",
    "job work office career shift",
    "mum mom mother",
    "dad father",
    "phone mobile screen laptop",
    "talk talking speak speaking chat chatting conversation conversations discuss",
    "listen listening hear hearing heard listened",
    "help helping helped support pitch chip",
    "late delayed",
    "money cash finances spending budget",
    "clean cleaning tidy tidying mess",
    "cook cooking dinner meal meals food",
    "dishes washing-up plates",
    "call called phone rang ring text texted message messaged",
    "sleep sleeping bed bedtime",
    "week weekend weekends saturday sunday",
    "evening evenings night nights tonight",
    "friend friends mates",
    "plan plans plan-making arrangements",
    "forget forgot forgotten remember remembered",
    "cancel cancelled canceled bail bailed",
    "fight fights fighting argue arguing argument arguments row rows",
    "touch hug hugs cuddle cuddles affection",
    "important matter matters mattered",
    "more extra",
    "want wanted wish wishes hope hoping like",
    "need needs needed",
    "alone lonely myself",
    "notice noticed see saw",
    "happy glad",
)


@functools.cache
def _synonym_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for line in _SYNONYMS:
        members = line.split()
        head = tx.stem(members[0])
        for member in members:
            mapping.setdefault(tx.stem(member), head)
    return mapping


@dataclass(frozen=True)
class AddedSpan:
    start: int
    end: int
    reason: str
    text: str
    note: str

    def as_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "reason": self.reason,
            "text": self.text,
            "note": self.note,
        }


@dataclass(frozen=True)
class MirrorReview:
    verdict: str
    score: float
    missing: tuple[str, ...] = ()
    added: tuple[AddedSpan, ...] = ()
    message: str = ""
    feelings_heard: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "score": self.score,
            "missing": list(self.missing),
            "added": [a.as_dict() for a in self.added],
            "message": self.message,
            "feelings_heard": list(self.feelings_heard),
        }


@dataclass(frozen=True)
class _Point:
    text: str
    weight: float
    stems: frozenset[str]
    feelings: frozenset[str]  # feeling family keys


def _canon_stems(norm: str, start: int = 0, end: int | None = None) -> set[str]:
    """Content stems, with feeling words replaced by their family and synonyms by their head."""
    end = len(norm) if end is None else end
    syn = _synonym_map()
    feeling_spans = feeling_mentions(norm, start, end, anyone=True)
    covered = [(s, e) for _w, _g, s, e in feeling_spans]
    out = {f"feeling:{g.key}" for _w, g, _s, _e in feeling_spans}
    for word, s, e in thought_words_in(norm, start, end):
        covered.append((s, e))
        out.add(f"thought:{word}")
        for feeling in THOUGHT_WORDS[word]:
            group = feeling_index().get(feeling)
            if group:
                out.add(f"feeling:{group.key}")
    for w in tx.words(norm, start, end):
        if any(s <= w.start < e for s, e in covered):
            continue
        if w.text in tx.STOPWORDS or len(w.text) < 2:
            continue
        group = feeling_stems().get(w.stem)
        if group is not None:
            out.add(f"feeling:{group.key}")
            continue
        out.add(syn.get(w.stem, w.stem))
    return out


def key_points(original: str) -> list[_Point]:
    norm = tx.normalise(original)
    points: list[_Point] = []
    for s_start, s_end in tx.sentences(norm):
        for c_start, c_end in tx.clauses(norm, s_start, s_end):
            stems = _canon_stems(norm, c_start, c_end)
            if not stems:
                continue
            feelings = frozenset(s[8:] for s in stems if s.startswith("feeling:"))
            content = frozenset(s for s in stems if not s.startswith(("feeling:", "thought:")))
            if not feelings and len(content) < 1:
                continue
            clause = re.sub(
                r"^(?:and|but|so|then|because|cause|'cause)\s+",
                "",
                original[c_start:c_end],
                flags=re.IGNORECASE,
            )
            need = re.search(
                r"\b(?:need|want|wish|would like|'d like|hope|miss)\b", norm[c_start:c_end]
            )
            weight = 1.0 + (1.0 if feelings else 0.0) + (0.5 if need else 0.0)
            # A clause of one plain word ("and then", "honestly") adds little; fold it in.
            if not feelings and len(content) == 1 and points and not need:
                prev = points[-1]
                points[-1] = _Point(
                    f"{prev.text}, {clause}", prev.weight, prev.stems | content, prev.feelings
                )
                continue
            points.append(_Point(clause, weight, content, feelings))
    return points


def _coverage(point: _Point, heard: set[str]) -> float:
    content_hits = len(point.stems & heard)
    content = min(1.0, content_hits / max(1.0, 0.75 * len(point.stems))) if point.stems else 1.0
    if not point.feelings:
        return content
    feeling = 1.0 if any(f"feeling:{f}" in heard for f in point.feelings) else 0.0
    if not point.stems:
        return feeling
    return 0.6 * feeling + 0.4 * content


def review_mirror(original: str, mirror: str) -> MirrorReview:
    """How well `mirror` gives back `original` (the speaker's piece, with its clarifications)."""
    original = original if isinstance(original, str) else ""
    mirror = mirror if isinstance(mirror, str) else ""
    if not mirror.strip():
        return MirrorReview(MISSED, 0.0, message="")
    points = key_points(original)
    m_norm = tx.normalise(mirror)
    heard = _canon_stems(m_norm)
    added = _added(original, mirror)
    if points:
        total = sum(p.weight for p in points)
        covered = [(p, _coverage(p, heard)) for p in points]
        score = sum(p.weight * c for p, c in covered) / total
        missing = [p.text for p, c in covered if c < 0.5]
    else:
        score, missing = 1.0, []
    missed_feelings = sorted({f for p in points for f in p.feelings if f"feeling:{f}" not in heard})
    heard_feelings = sorted({f for p in points for f in p.feelings if f"feeling:{f}" in heard})
    reasons = {a.reason for a in added}
    defensive = bool(reasons & set(DEFENSIVE))
    if defensive:
        verdict = MISSED
        score = min(score, 0.2)
    else:
        verdict = GOOD if score >= GOOD_AT else PARTIAL if score >= PARTIAL_AT else MISSED
        if missed_feelings and verdict == GOOD and score < 0.9:
            verdict = PARTIAL
        if "fixing" in reasons and verdict == GOOD:
            verdict = PARTIAL
            score = min(score, GOOD_AT - 0.01)
    labels = {g.key: g.label for g in feeling_index().values()}
    missing_out = [f"the feeling ({labels[f]})" for f in missed_feelings] + missing
    return MirrorReview(
        verdict=verdict,
        score=round(score, 2),
        missing=tuple(missing_out[:4]),
        added=tuple(added),
        message=_message(verdict, reasons, missing_out),
        feelings_heard=tuple(labels[f] for f in heard_feelings),
    )


def _canon(s: str) -> str:
    s = re.sub(r"\b(?:were)\b", "was", s)
    s = re.sub(r"\b(?:am)\b", "are", s)
    return re.sub(r"\s+", " ", s)


def _added(original: str, mirror: str) -> list[AddedSpan]:
    """What the mirror says that the speaker didn't: each match not found in the original."""
    o_norm = tx.normalise(original)
    said = _canon(o_norm) + " || " + _canon(tx.swap_persons(o_norm))
    m_norm = tx.normalise(mirror)
    spans: list[AddedSpan] = []
    for reason, pattern in ADDED_RULES:
        for m in pattern.finditer(m_norm):
            if _canon(m.group()) in said:
                continue
            if reason == "defence" and _reported(m_norm, m.start()):
                continue
            spans.append(
                AddedSpan(
                    m.start(), m.end(), reason, mirror[m.start() : m.end()], ADDED_NOTES[reason]
                )
            )
    if not re.search(r"\b(?:but|though|although|however)\b", o_norm):
        for m in BUT_RE.finditer(m_norm):
            if BUT_DEFENSIVE_AFTER.match(m.group("after")):
                end = m.start() + len(m.group().split()[0].rstrip(","))
                spans.append(
                    AddedSpan(m.start(), end, "but", mirror[m.start() : end], ADDED_NOTES["but"])
                )
    spans.sort(key=lambda a: (a.start, a.end))
    kept: list[AddedSpan] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def _reported(m_norm: str, at: int) -> bool:
    """'you felt that I didn't...' reports the speaker's view; it is not a defence."""
    before = m_norm[max(0, at - 40) : at]
    return (
        re.search(
            r"\b(?:you (?:feel|felt|think|thought|said|say|noticed|notice|saw|see|mean|meant|wish|"
            r"wished|want|wanted|need|needed|were hurt|are hurt|were upset|are upset)|"
            r"it (?:hurt|hurts|seemed|seems|felt|feels)|(?:that|when|how|because)) (?:that )?$",
            before,
        )
        is not None
    )


def _message(verdict: str, reasons: set[str], missing: list[str]) -> str:
    if verdict == MISSED and reasons & set(DEFENSIVE):
        if "judgement" in reasons:
            return "This judges their feeling. Give back just what they said, in your words."
        if "counter_blame" in reasons:
            return "This turns it back on them. Your side can wait for your turn."
        return "This answers back. Your side can wait: give back just what they said."
    if verdict == GOOD:
        return "That mirrors it well."
    if "fixing" in reasons:
        return "A fix can wait: first let them feel heard."
    if verdict == PARTIAL:
        return "Close. Something they said is missing."
    return "Try again with what they said happened, and how they felt."
