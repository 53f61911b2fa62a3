"""Reviewing one thing a partner is about to say: I-statement, blame, or neither.

Rules and word lists, no model: every flag points at the words that raised it,
so the coach can say why. A strong flag (you-blame, an absolute about the
partner, mind-reading, a character judgement, contempt, a "should" aimed at the
partner, a thought dressed as a feeling) makes the statement "blame". Otherwise
a statement that owns a feeling or a need is an "i_statement"; anything else
(plans, facts, a kind word that starts with "you") is "neutral".
"""

import re
from dataclasses import asdict, dataclass, field

from . import text as tx
from .feelings import owned_feelings, suggest_feelings, thought_words_in
from .vocabulary import NEED_GROUPS, feeling_index, need_index

I_STATEMENT, BLAME, NEUTRAL = "i_statement", "blame", "neutral"
STRONG, GENTLE = "strong", "gentle"

REASONS = {
    "absolute": "“Always” and “never” invite a debate about the exceptions.",
    "you_blame": "Starting from what they did wrong tends to bring a defence, not listening.",
    "mind_reading": "This says what they think or want. Only they know that; ask instead.",
    "character": "This judges who they are, not what happened.",
    "contempt": "Sarcasm or mockery hurts more than the words; say the feeling plainly.",
    "should": "A “should” sounds like an order. Try saying what you need.",
    "thought_as_feeling": "This is a thought about them, dressed as a feeling. "
    "What do you feel underneath?",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    reason: str
    severity: str
    text: str
    note: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class StatementReview:
    kind: str
    spans: tuple[Span, ...] = ()
    suggestion: str = ""
    message: str = ""
    feelings: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    warm: bool = False
    suggested_feelings: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "spans": [s.as_dict() for s in self.spans],
            "suggestion": self.suggestion,
            "message": self.message,
            "feelings": list(self.feelings),
            "needs": list(self.needs),
            "warm": self.warm,
            "suggested_feelings": list(self.suggested_feelings),
        }


# --- Word lists ---------------------------------------------------------------

NEGATORS = tx.wordset(
    "not no never don't doesn't didn't won't wouldn't can't cannot couldn't isn't aren't "
    "wasn't weren't haven't hasn't hadn't shouldn't barely hardly nothing without nor "
    "neither dont didnt wont cant isnt"
)

# Stems of words that make a clause about the partner kind or unkind.
POSITIVE = tx.stemset(
    """
    love loved loving lovely appreciate appreciated appreciation thank thanks thankful grateful
    kind kindness thoughtful sweet generous patient wonderful amazing awesome great best
    brilliant beautiful proud laugh laughing smile smiling cheer cheered helped helpful
    supportive supported support caring gentle funny warm considerate remembered enjoy
    enjoyed happy glad nice special safe comforted understood listened present fun calm
    delicious incredible fantastic gorgeous hug hugged encouraged encourage noticed
    adore adored admire admired cherish treasure lucky blessed strong brave honest wise
    reliable dependable fair sensitive attentive reassured reassuring welcomed thrilled
    excited touched moved surprised perfect cute handsome hilarious trust trusted
    flowers gift gifts treat treats spoil spoils
    """
)
NEGATIVE = tx.stemset(
    """
    hate hated ignore ignored ignoring forget forgot forgotten forgetting late mess messy
    lie lied lying liar yell yelled yelling shout shouted shouting scream screamed screaming
    interrupt interrupted interrupting criticise criticize criticised criticized criticism nag
    nagging complain complaining complained blame blamed fail failed ruin ruined wreck wrecked
    waste wasted lazy selfish rude mean cruel careless bad terrible awful horrible worst stupid
    useless cold dismiss dismissed dismissive sulk sulking moody grumpy attitude excuse excuses
    cancel cancelled canceled slam slammed stormed snap snapped sigh sighed rolled disappoint
    disappointed embarrass embarrassed humiliate humiliated upset annoy annoying annoyed
    irritating controlling pressure pushy drunk cheat cheated flirt flirted flirting avoid
    avoided avoiding stonewall whine whining mock mocked mocking sarcastic disrespect
    disrespectful unfair wrong fault problem hurt hurtful sulked pouted glared ditched bailed
    abandon abandoned neglect neglected dump dumped broke break broken lose lost leave left
    ignorant snore snoring grunt grunted nitpick nitpicking nitpicked lecture lectured
    lecturing belittle belittled patronise patronize condescending boring
    """
)

TRAITS = (
    "selfish|lazy|inconsiderate|careless|rude|cold|heartless|childish|immature|useless|hopeless|"
    "irresponsible|controlling|needy|clingy|dramatic|crazy|insane|paranoid|stupid|dumb|an idiot|"
    "idiot|a mess|a disaster|a liar|liar|a jerk|jerk|a slob|slob|a narcissist|narcissistic|"
    "a nag|a baby|boring|cheap|stingy|mean|cruel|arrogant|stubborn|impossible|unreliable|"
    "pathetic|weak|spoiled|spoilt|ungrateful|so negative|negative|difficult|toxic|unbearable|"
    "insensitive|thoughtless|disrespectful|flaky|a hypocrite|hypocrite|hypocritical|"
    "manipulative|passive aggressive|passive-aggressive|self-centred|self-centered|"
    "self-absorbed|oblivious|clueless|incompetent|ridiculous|the worst|a child|a coward|"
    "cowardly|a loser|loser|nuts|unhinged|hysterical|a drama queen|lame|annoying|"
    "exhausting|a control freak|obsessed|cheater|a cheater|fake|a fake|a snob|snobby|"
    "judgmental|judgemental|bossy|sloppy|a pushover|spineless|useless|irrational|"
    "emotionally unavailable|unavailable|a workaholic|a know-it-all|condescending|"
    "defensive|touchy|petty|vain|greedy|dishonest|untrustworthy|clumsy|a failure|"
    "incapable|so sensitive|too sensitive|oversensitive|overly sensitive|insecure|jealous|"
    "possessive|cold-hearted|heartless|wishy-washy|a slacker|slacker|a brat|bratty"
)
_ME_THEM = r"(?:you|you're|you are|you were|you've been|you have been|you can be|you act|you sound|you seem|you're being|you are being|you always were|you're always|you are always|you're just|you are just)"  # noqa: E501
_INTENS = r"(?:(?:so|such|really|just|totally|completely|always|being|too|very|incredibly|the most|a bit|kind of|kinda|such an?|an?|acting|honestly|seriously|actually|truly|literally|basically|being so|being such an?)\s+)*"  # noqa: E501

# Each rule: (reason, severity, compiled pattern). Order does not matter.
_R = re.compile
RULES: list[tuple[str, str, re.Pattern]] = [
    # Character judgements.
    ("character", STRONG, _R(rf"\b{_ME_THEM}\s+{_INTENS}(?:{TRAITS})\b")),
    (
        "character",
        STRONG,
        _R(
            r"\byou(?:'re| are| were)?\s+(?:always\s+|just\s+|so\s+)?(?:acting|behaving|act|"
            r"behave|talking|talk|carrying on)\s+like\s+(?:a|an|some|such a)\b|"
            r"\byou treat me like\b|\byou act as if\b"
        ),
    ),
    (
        "character",
        STRONG,
        _R(
            r"\b(?:typical(?: of you)?|that's so you|so typical|just like your (?:mother|father|"
            r"mum|mom|dad|brother|sister|ex)|what (?:kind|sort) of (?:a )?(?:person|partner|"
            r"husband|wife|man|woman|boyfriend|girlfriend|father|mother)|who does that|"
            r"you people|your problem is|the problem with you|what's wrong with you|"
            r"what is wrong with you|something wrong with you|you idiot|you moron|"
            r"grow a spine|man up)\b"
        ),
    ),
    # Mind-reading: saying what the partner thinks, wants or means.
    (
        "mind_reading",
        STRONG,
        _R(
            r"\byou\s+(?:obviously|clearly|apparently|evidently|secretly)\b|"
            r"\b(?:obviously|clearly)\s+you\b|"
            r"\byou(?:\s+(?:just|only|probably|simply|really|truly))?\s+(?:don't|do not|didn't|"
            r"did not|never|no longer|don't even|do not even|didn't even)\s+(?:care|cared|love|"
            r"loved|want|wanted|respect|respected|value|valued|notice|noticed|think about|"
            r"give a|like|trust|consider|mean|meant|miss|missed)\b|"
            r"\byou(?:\s+(?:only|just))?\s+care (?:more )?about\b|"
            r"\byou(?:'d| would) rather\b|\byou couldn't care less\b|"
            r"\byou\s+(?:think|thought|believe|believed|assume)\s+(?:that\s+)?(?:you're|you are|"
            r"i'm|i am|i|you|everyone|everything|nobody|no one|it's|my)\b|"
            r"\b(?:on purpose|deliberately|intentionally|to punish me|to hurt me|"
            r"to get back at me|to annoy me|to upset me|to make me look|to spite me)\b|"
            r"\byou\s+(?:want|wanted|are trying|were trying|try|tried|like|enjoy|love)\s+to\s+"
            r"(?:hurt|punish|control|win|get back|annoy|upset|avoid me|see me|make me|humiliate|"
            r"embarrass|keep me|be right|have the last)\b|"
            r"\b(?:i know|i can tell|i can see|it's obvious|it is obvious|it's clear|everyone "
            r"knows)\s+(?:that\s+)?you\s+(?:don't|do not|didn't|never|only|just|want|wanted|"
            r"think|thought|are|were|would|care|prefer|hate|resent)\b|"
            r"\bdeep down(?:,)? you\b|\byou(?:\s+\w+)?\s+(?:must|probably)\s+think\b|"
            r"\byou're (?:bored|sick|tired|ashamed) of me\b|"
            r"\b(?:it's|it is|its) (?:like|as if|as though) you\b|"
            r"\byou (?:never|don't|do not) (?:think|care) about (?:me|anyone|us|how|what)\b|"
            r"\byou(?:'re| are)? only (?:think|thinking|care|caring) about yourself\b|"
            r"\byou just want\b|\byou only want\b|\bnot that you care\b|"
            r"\bas if you (?:care|cared|would|could|notice|listen)\b|"
            r"\byou don't (?:even )?(?:see|hear|get) me\b"
        ),
    ),
    # Contempt and sarcasm.
    (
        "contempt",
        STRONG,
        _R(
            r"\b(?:oh(?:,)? (?:great|wonderful|perfect|lovely|brilliant|sure|really|please|"
            r"joy|good|wow)|just (?:great|perfect|wonderful|brilliant|lovely)|thanks a lot|"
            r"thanks for nothing|congratulations|congrats|(?:it )?must be nice|whatever|"
            r"big surprise|what a (?:surprise|shock|shocker)|shocker|"
            r"of course you (?:did|do|didn't|would|wouldn't|forgot|are|were|can't)|"
            r"sure you (?:did|do|will|were|are|would)|yeah(?:,)? right|as if|grow up|"
            r"get over (?:it|yourself)|give me a break|pathetic|are you (?:kidding|serious|"
            r"joking)|real(?:ly)? mature|very mature|how mature|so mature|good for you|"
            r"whatever you say|god forbid|heaven forbid|shut up|nobody cares|who cares|"
            r"(?:roll|rolls|rolling|rolled) (?:my )?eyes|duh|news ?flash|bravo|slow clap|"
            r"(?:mr|mister|miss|ms)\.? (?:perfect|right|know-it-all)|little miss|your highness|"
            r"princess|genius|well done|nice (?:job|going|work|one)|"
            r"thanks for (?:finally|bothering|showing up|nothing|remembering for once|noticing)|"
            r"(?:so )?glad you (?:could|finally) (?:make it|bother|join|remember|decide|show|"
            r"notice|grace)|nice of you to (?:finally|bother|join|show|remember|grace|notice)|"
            r"how (?:nice|thoughtful|kind|lovely|considerate|sweet|generous|helpful) of you|"
            r"(?:so|very) (?:helpful|useful|thoughtful|considerate) of you|for once|"
            r"because that's (?:so )?(?:hard|difficult)|sorry (?:that )?i (?:exist|breathe)|"
            r"sorry for (?:existing|breathing|being alive)|lol|lmao|wow\b[,.!]|wow(?:,)? "
            r"(?:just|really|thanks|ok|okay)|gee|talking to a wall|talking to myself|"
            r"brick wall|i'm so sorry i|what else is new|as usual|like always|here we go again|"
            r"shocking|colou?r me surprised|must be exhausting|poor you|poor baby|boo hoo|"
            r"cry me a river|don't strain yourself|don't hurt yourself|"
            r"look who(?:'s)? (?:decided|finally|bothered|showed|is here|turned up|made it))\b"
        ),
    ),
    # You-blame in so many words.
    (
        "you_blame",
        STRONG,
        _R(
            r"\b(?:your fault|because of you|thanks to you|you ruin|you ruined|"
            r"you've ruined|you wreck|you wrecked|you (?:make|made) me (?:so )?(?:angry|mad|crazy|"
            r"sick|furious|miserable|want to scream|cry|look (?:like|stupid|bad)|feel (?:like|"
            r"stupid|small|bad|guilty|worthless|terrible|awful|horrible|useless|crazy|invisible|"
            r"unwanted|unloved|ashamed|embarrassed))|you drive me|you're driving me|"
            r"you always have to|you never let me|you can't even|you couldn't even|"
            r"you didn't even|you don't even|you won't even|you wouldn't even|you never even|"
            r"not even once|how (?:hard|difficult) (?:is|was|can) it|"
            r"how many times (?:do|have|did|must) i|would it kill you|is it too much to ask|"
            r"can't you (?:ever|just|even)|why (?:can't|won't|couldn't|wouldn't|didn't) you|"
            r"why (?:do|did|would|must|are|were) you (?:always|never|even|have to|keep|insist|"
            r"constantly|still|so)|why don't you (?:ever|just|even)|"
            r"why do you (?:do|say|act|treat|make)|"
            r"(?:i'm|i am|i'm so|i am so|i'm getting|i am getting) (?:sick|tired) of (?:you|your|"
            r"how you|the way you|it when you|always|never|being)|fed up with (?:you|your|how|the "
            r"way)|i can't stand (?:you|your|it when you|how you|the way you)|"
            r"(?:i've|i have) had enough of (?:you|your)|i'm done with (?:you|your)|"
            r"you (?:had|have) one job|you(?:'ve| have)? let me down again|"
            r"i can't believe you|nothing i (?:do|say|make)|(?:never|not) good enough|"
            r"another \w+ (?:where|when|that) you|"
            r"you keep (?:doing|saying|forgetting|ignoring|interrupting|leaving|making|"
            r"breaking|promising|cancelling|canceling|being)|"
            r"(?:i|i'm|i am) (?:always )?the (?:only )?one who|i'm always the one|"
            r"i am always the one|i always have to|i have to do everything|i do everything|"
            r"i end up doing (?:everything|it all|all of it)|i do all the|i'm the only one|"
            r"i am the only one|like (?:a|your) (?:maid|servant|slave|child|doormat|babysitter|"
            r"roommate|flatmate|housemate|atm|butler|housekeeper|nanny|secretary|chauffeur|"
            r"taxi|cook|cleaner|mother|mum|mom|parent|employee|punching bag|afterthought))\b"
        ),
    ),
    # Thoughts dressed as feelings.
    (
        "thought_as_feeling",
        STRONG,
        _R(
            r"\bi(?:'m| am)?\s+(?:feel|felt|feeling|sense)\s+(?:that\s+|like\s+|as if\s+|"
            r"as though\s+)?(?:you|you're|you've|you'd|you'll|your)\b"
        ),
    ),
    (
        "thought_as_feeling",
        GENTLE,
        _R(
            r"\bi(?:'m| am)?\s+(?:feel|felt|feeling)\s+(?:that|like|as if|as though)\s+"
            r"(?:we|it|it's|this|nobody|no one|everyone|everything|nothing|they|i|i'm)\b"
        ),
    ),
]

ABSOLUTE_RE = _R(
    r"\b(?:always|never|every single time|every time|everytime|each time|constantly|"
    r"all the time|not once|nothing|forever|every day|every night|every weekend|"
    r"never ever|at all|anymore|any more|ever)\b"
)
# Absolutes that are not about frequency when they stand alone.
_WEAK_ABSOLUTES = frozenset({"at all", "anymore", "any more", "ever", "nothing"})
SHOULD_RE = _R(
    r"\byou(?:\s+(?:really|seriously|just|definitely|honestly|clearly|totally|of all people))?"
    r"\s+(?:should(?:n't| not)?|should've|should have|need to|needs to|have to|had better|"
    r"'d better|better|ought to|must|gotta|got to)\b"
)
SHOULD_STRONG_RE = _R(
    r"\b(?:should(?:'ve| have)|shouldn't have|should not have)\s+(?:told|asked|called|texted|"
    r"known|said|checked|thought|helped|been|come|listened|remembered|done|cleaned|noticed|"
    r"warned|let|gone|stayed|stopped)\b|"
    r"\b(?:shouldn't|should not)\s+(?:feel|be so|be upset|be angry|react|get|care|worry)\b|"
    r"\bbe ashamed\b|"
    r"\b(?:need to|needs to|have to|had better|'d better|better|must|ought to|should|gotta|"
    r"got to)\s+(?:\w+\s+)?(?:stop|start|learn|grow|change|get your|get a grip|calm|"
    r"listen|pull|pick|step up|do more|help more|try harder|be more|be less|know better|"
    r"understand|realise|realize|respect|apologi[sz]e|fix|admit|deal|man up|sort)\b"
)
SARCASM_PAIR_RE = _R(
    r"\b(?:perfect|great|brilliant|wonderful|lovely|fantastic|nice|super|excellent|marvellous|"
    r"marvelous|amazing)\b[^.!?]*\b(?:as always|as usual|yet again|once again|again|like always)\b"
)
DEMAND_RE = _R(r"\bi (?:need|want) you to (?:stop|quit|grow|change|get a grip|calm down)\b")

YOU_START_RE = _R(
    r"^(?:(?:and|but|so|well|honestly|look|listen|seriously|like|also|plus|again|"
    r"because|cause|now|then|yes|no|oh|okay|ok|yeah|right|sometimes|lately|today|"
    r"yesterday|tonight|last night|this morning|this week|at dinner)\s*,?\s+)*"
    r"(?:you|you're|you've|you'd|you'll|your)\b"
)
SUBORDINATE_RE = _R(r"^(?:when|whenever|if|while|after|before|because|since|that|as|until)\b")
REPROACH_RE = _R(
    r"\b(?:again|finally|for once|as usual|even|at least|still|yet again|once again|"
    r"all over again|actually bother)\b"
)
OWNED_RE = _R(
    r"\bi(?:'m| am| was| have been|'ve been| had been| felt| feel| get| got| start| started|"
    r" find myself| keep| kept| end up)?\s+(?:feeling\s+|getting\s+|so\s+|really\s+|a bit\s+|"
    r"a little\s+|very\s+|quite\s+|pretty\s+|kind of\s+|kinda\s+|sort of\s+|deeply\s+|"
    r"incredibly\s+|super\s+|too\s+|more\s+|less\s+|still\s+|just\s+|honestly\s+)*"
    r"(?P<word>[a-z'-]+(?:\s[a-z'-]+)?)"
)
OWNED_VERB_RE = _R(
    r"\bi(?:'d| would)?\s+(?:really\s+|just\s+|also\s+|still\s+|so\s+|truly\s+)?"
    r"(?:need|needed|want|wanted|would like|like|'d like|would love|'d love|love|loved|wish|"
    r"miss|missed|long for|hope|appreciate|appreciated|value|valued|treasure|treasured|enjoy|"
    r"enjoyed|worry|worried|fear|feared|struggle|struggled|find it hard|noticed|notice|"
    r"feel|felt|am grateful|'m grateful|cherish|adore|admire|admired)\b|"
    r"\b(?:it|that|this)\s+(?:really\s+)?(?:hurts|hurt|scares|scared|worries|worried|"
    r"saddens|saddened|means|meant|made me|makes me|helps|helped)\b|"
    r"\b(?:makes|made) me (?:feel|so|really|very|happy|sad|smile|laugh)\b|"
    r"\bmy (?:heart|chest|stomach|body)\b|\bi'd (?:be|feel)\b"
)
WARM_FRAME_RE = _R(
    r"\b(?:thank you|thanks|i appreciate|i appreciated|i love(?:d)? (?:how|that|it when|the way)|"
    r"i'm (?:so )?grateful|i am (?:so )?grateful|made my day|means a lot|meant a lot|"
    r"meant so much|means so much|you're (?:so |really |such a )?(?:kind|thoughtful|sweet|"
    r"generous|patient|good|wonderful|lovely|amazing|caring|gentle|funny|brave|strong|"
    r"great|brilliant|beautiful|considerate|supportive)|you are (?:so |really |such a )?"
    r"(?:kind|thoughtful|sweet|generous|patient|good|wonderful|lovely|amazing|caring|"
    r"gentle|funny|brave|strong|great|brilliant|beautiful|considerate|supportive))\b"
)
OWNED_RE_FEELING = _R(r"\bi(?:'m| am| was| feel| felt)\b")
WHEN_RE = _R(r"\b(?:when|whenever)\s+(?P<clause>[^.!?;,]+)")
NEED_RE = _R(
    r"\bi(?:'d| would)?\s+(?:really\s+|just\s+|also\s+)?(?:need|want|would like|'d like|"
    r"would love|'d love|wish|long for|hope for)\s+(?P<need>[^.!?;]+)"
)

_NEED_CUES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (_R(pattern), key)
    for pattern, key in (
        (
            r"\b(?:listen|listening|listened|hear|heard|talk|talking|interrupt|understand|"
            r"dismiss|wall)\w*",
            "understanding",
        ),
        (
            r"\b(?:help|chores|dishes|laundry|cleaning|clean|housework|cook|cooking|bins|"
            r"everything|all the|share|load|kids|bedtime)\w*",
            "support",
        ),
        (
            r"\b(?:late|on time|call|text|plans|promise|forgot|forget|cancel|reliable|trust|"
            r"lie|lied|lying|money|spend|spent)\w*",
            "security",
        ),
        (
            r"\b(?:phone|screen|together|date|alone|distant|time together|quality time|miss|"
            r"close|touch|hug|sex|affection|lonely|cuddle|care about me|don't care)\w*",
            "connection",
        ),
        (r"\b(?:yell|shout|scream|tone|voice|rude|mean|insult|respect|mock)\w*", "respect"),
        (r"\b(?:thank|notice|appreciate|credit|effort|work hard|tired)\w*", "appreciation"),
        (r"\b(?:space|smother|control|freedom|alone time|check on me|clingy|needy)\w*", "autonomy"),
        (r"\b(?:rest|sleep|exhausted|worn out|break)\w*", "rest"),
    )
)

# Topics couples talk about, for "I feel ___ about ___" when no "when" clause is given.
TOPICS = tx.phrase_pattern(
    """
    dishes|washing up|laundry|chores|housework|cleaning|cooking|dinner|breakfast|lunch|
    groceries|shopping|bins|rubbish|trash|money|spending|budget|bills|rent|savings|debt|
    phone|phones|screen|screens|tv|television|games|gaming|work|job|career|boss|hours|
    kids|children|baby|bedtime|school|homework|your mother|your mum|your mom|your dad|
    your father|your family|my family|my mother|my mum|my mom|in-laws|parents|friends|
    your friends|weekend|weekends|holiday|holidays|vacation|plans|birthday|anniversary|
    christmas|party|parties|drinking|car|driving|sex|intimacy|affection|bedroom|sleep|
    texts|messages|calls|house|flat|apartment|garden|dog|cat|date night|time together|
    evenings|mornings|our future|wedding|the move
    """.replace("\n", "").split("|")
)


# --- Review -------------------------------------------------------------------


def review_statement(text: str) -> StatementReview:
    """Review what a partner is about to say. Pure and deterministic."""
    if not isinstance(text, str) or not text.strip():
        return StatementReview(kind=NEUTRAL, message="")
    norm = tx.normalise(text)
    spans: list[Span] = []
    warm_any = False

    def flag(start: int, end: int, reason: str, severity: str) -> None:
        spans.append(Span(start, end, reason, severity, text[start:end], REASONS[reason]))

    for s_start, s_end in tx.sentences(norm):
        sentence = norm[s_start:s_end]
        warm_frame = WARM_FRAME_RE.search(sentence) is not None
        polarity_all = _polarity(tx.words(norm, s_start, s_end))
        sarcastic = warm_frame and (polarity_all < 0 or REPROACH_RE.search(sentence) is not None)
        for reason, severity, pattern in RULES:
            for m in pattern.finditer(norm, s_start, s_end):
                if reason == "character" and _kind_trait(norm, m):
                    continue
                if reason == "contempt" and not _is_contempt(norm, m, sentence, sarcastic):
                    continue
                if reason == "thought_as_feeling" and severity == STRONG:
                    rest = norm[m.end() : s_end]
                    if _polarity(tx.words(rest)) > 0 and not ABSOLUTE_RE.search(rest):
                        severity_here = GENTLE
                    else:
                        severity_here = STRONG
                    flag(m.start(), m.end(), reason, severity_here)
                    continue
                flag(m.start(), m.end(), reason, severity)
        if sarcastic:
            frame = WARM_FRAME_RE.search(norm, s_start, s_end)
            flag(frame.start(), frame.end(), "contempt", STRONG)
        for m in SARCASM_PAIR_RE.finditer(norm, s_start, s_end):
            if not OWNED_RE_FEELING.search(sentence):
                flag(m.start(), m.end(), "contempt", STRONG)
        for m in DEMAND_RE.finditer(norm, s_start, s_end):
            flag(m.start(), m.end(), "should", STRONG)
        sentence_warm = False
        for c_start, c_end in tx.clauses(norm, s_start, s_end):
            warm = _review_clause(norm, c_start, c_end, s_start, s_end, flag)
            sentence_warm = sentence_warm or warm
        kind_sentence = sentence_warm or warm_frame or polarity_all > 0
        warm_any = warm_any or (kind_sentence and not sarcastic)

    spans = _dedupe(spans)
    strong = [s for s in spans if s.severity == STRONG]
    feelings = owned_feelings(norm)
    needs = _needs(norm)
    owned = bool(feelings) or OWNED_VERB_RE.search(norm) is not None
    if strong:
        kind = BLAME
    elif owned:
        kind = I_STATEMENT
    else:
        kind = NEUTRAL
    warm = warm_any and not strong
    suggested = tuple(suggest_feelings(text, limit=6)) if not feelings else ()
    if kind == BLAME:  # "thanks for finally..." is no sign of gratitude
        suggested = tuple(w for w in suggested if not _pleasant(w))
    suggested = suggested[:4]
    suggestion = _suggestion(norm, kind, feelings, needs, suggested, warm)
    return StatementReview(
        kind=kind,
        spans=tuple(spans),
        suggestion=suggestion,
        message=_message(kind, spans, warm, feelings, needs),
        feelings=tuple(feelings),
        needs=tuple(needs),
        warm=warm,
        suggested_feelings=suggested,
    )


def _review_clause(norm, c_start, c_end, s_start, s_end, flag) -> bool:
    """Flags that depend on who the clause is about. True when the clause is kind."""
    clause = norm[c_start:c_end]
    ws = tx.words(norm, c_start, c_end)
    polarity = _polarity(ws)
    about_you = re.search(r"\b(?:you|you're|you've|you'd|you'll|your|yourself)\b", clause)
    subordinate = SUBORDINATE_RE.match(clause) is not None or _follows_when(norm, s_start, c_start)
    main_you = YOU_START_RE.match(clause) is not None and not subordinate
    if about_you and polarity > 0 and not REPROACH_RE.search(clause):
        return True
    if about_you:
        for m in ABSOLUTE_RE.finditer(norm, c_start, c_end):
            word = m.group()
            if word in _WEAK_ABSOLUTES and not (polarity < 0 or main_you):
                continue
            flag(m.start(), m.end(), "absolute", STRONG)
    else:
        for m in ABSOLUTE_RE.finditer(norm, c_start, c_end):
            if m.group() in _WEAK_ABSOLUTES:
                continue
            # "We never talk" or "it's always me": a generalisation, said gently.
            flag(m.start(), m.end(), "absolute", STRONG if polarity < 0 else GENTLE)
    if main_you and (polarity < 0 or REPROACH_RE.search(clause)):
        flag(c_start, c_end, "you_blame", STRONG)
    for m in SHOULD_RE.finditer(norm, c_start, c_end):
        strong = (
            SHOULD_STRONG_RE.search(norm, m.start(), c_end) is not None
            or polarity < 0
            or REPROACH_RE.search(clause) is not None
        )
        flag(m.start(), m.end(), "should", STRONG if strong else GENTLE)
    for _word, start, end in thought_words_in(norm, c_start, c_end):
        if re.search(
            r"\bi(?:'m| am| was| feel| felt| get| got)?\s+(?:so\s+|really\s+)?"
            r"(?:feel(?:ing)?\s+)?(?:so\s+|really\s+|a bit\s+|very\s+)?$",
            norm[max(c_start, start - 30) : start],
        ):
            flag(start, end, "thought_as_feeling", GENTLE)
    return False


def _pleasant(word: str) -> bool:
    group = feeling_index().get(word)
    return bool(group and group.pleasant)


def _follows_when(norm: str, s_start: int, c_start: int) -> bool:
    """True when the clause continues a "when ..." clause ("when you come home and you ...")."""
    before = norm[s_start:c_start]
    return bool(re.search(r"\b(?:when|whenever|if)\b[^,.;]*\band\s*$", before))


def _polarity(ws: list[tx.Word]) -> int:
    """Kind words count +1, unkind -1; a negator up to three words before flips the next one."""
    score = 0
    texts = [w.text for w in ws]
    used = -1  # a negator turns only the first sentiment word after it
    for i, w in enumerate(ws):
        s = w.stem
        value = 1 if s in POSITIVE else -1 if s in NEGATIVE else 0
        if not value:
            continue
        window = range(max(0, i - 3, used + 1), i)
        negators = [j for j in window if texts[j] in NEGATORS or texts[j].endswith("n't")]
        if negators:
            used = negators[-1]
            value = -value  # "never lies" is kind, "never helps" is not
        score += value
    return score


def _kind_trait(norm: str, m: re.Match) -> bool:
    """'you're never boring', 'you're not selfish': a negated trait is not a judgement."""
    return re.search(r"\b(?:not|never|no longer)\b|n't\b", m.group()) is not None


def _is_contempt(norm: str, m: re.Match, sentence: str, sarcastic: bool) -> bool:
    phrase = m.group()
    context_words = tx.words(sentence)
    negative = _polarity(context_words) < 0 or REPROACH_RE.search(sentence) is not None
    # Praise phrases are sarcasm only next to a complaint.
    if re.match(
        r"(?:well done|nice (?:job|going|work|one)|genius|good for you|bravo|congrat|how |"
        r"so |very |wow|gee|princess|as usual|like always|shocking)",
        phrase,
    ):
        if phrase.startswith("good for you") and not negative:
            return False
        return negative or sarcastic
    if phrase == "for once":
        return bool(re.search(r"\byou\b", sentence))
    if phrase in ("whatever", "as if", "who cares", "nobody cares"):
        # "whatever you need", "whatever happens": not a shrug.
        after = norm[m.end() : m.end() + 12]
        if phrase == "whatever" and re.match(r"\s+(?:you|we|i|it|happens|works|helps)", after):
            return bool(re.match(r"\s+you say", after))
        if phrase == "as if" and re.search(
            r"\bfeel(?:s|ing)?\s+$", norm[max(0, m.start() - 12) : m.start()]
        ):
            return False
    return True


def _dedupe(spans: list[Span]) -> list[Span]:
    """One flag per stretch of text: the strongest, then the longest, wins an overlap."""
    order = {
        "contempt": 0,
        "character": 1,
        "mind_reading": 2,
        "thought_as_feeling": 3,
        "should": 4,
        "absolute": 5,
        "you_blame": 6,
    }
    ranked = sorted(
        spans,
        key=lambda s: (s.severity != STRONG, order[s.reason], -(s.end - s.start), s.start),
    )
    kept: list[Span] = []
    for span in ranked:
        # A you-blame clause may hold a sharper flag; keep both but not twice the same words.
        if any(k.start == span.start and k.end == span.end for k in kept):
            continue
        if any(k.reason == span.reason and k.start < span.end and span.start < k.end for k in kept):
            continue
        if span.reason == "you_blame" and any(
            k.severity == STRONG and span.start <= k.start and k.end <= span.end for k in kept
        ):
            continue
        kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end))


def _needs(norm: str) -> list[str]:
    found = []
    for m in NEED_RE.finditer(norm):
        phrase = m.group("need").strip()
        phrase = re.split(r"\b(?:but|because|so that|when)\b", phrase)[0].strip(" ,")
        if phrase:
            found.append(phrase)
    for word in need_index():
        if (
            len(word) > 3
            and word not in found
            and re.search(
                rf"\b(?:need|want|miss|wish|like|long for)\b[^.]*\b{re.escape(word)}\b", norm
            )
        ):
            found.append(word)
    return found[:3]


def _need_guess(norm: str) -> str:
    phrases = {g.key: g.phrase for g in NEED_GROUPS}
    for pattern, key in _NEED_CUES:
        if pattern.search(norm):
            return phrases[key]
    return ""


def _situation(norm: str) -> str:
    m = WHEN_RE.search(norm)
    if m:
        clause = m.group("clause")
        clause = re.split(r"\b(?:and i|but|because|so i)\b", clause)[0]
        clause = re.sub(
            r"\b(?:always|constantly|every single time|every time|all the time|"
            r"again|yet again|even|just)\s+",
            "",
            clause,
        )
        clause = re.sub(r"\bnever\b", "don't", clause).strip()
        if clause:
            return f"when {clause}"
    topic = TOPICS.search(norm)
    if topic:
        word = topic.group()
        if word.startswith(("your ", "my ", "our ", "the ")):
            return f"about {word}"
        return f"about the {word}"
    return "about ___"


def _suggestion(norm, kind, feelings, needs, suggested, warm) -> str:
    if warm and kind != BLAME:
        return ""
    if kind == I_STATEMENT and needs:
        return ""
    feeling = feelings[0] if feelings else " or ".join(suggested[:2]) if suggested else "___"
    need = needs[0] if needs else _need_guess(norm) or "___"
    if kind == I_STATEMENT:
        return f"You could add what you need: “…, and I need {need}.”"
    return f"I feel {feeling} {_situation(norm)}, and I need {need}."


def _message(kind, spans, warm, feelings, needs) -> str:
    if kind == BLAME:
        reasons = {s.reason for s in spans if s.severity == STRONG}
        if "contempt" in reasons:
            return "This may sting more than you mean. Try saying the feeling underneath."
        if "character" in reasons:
            return "This may land as a judgement of who they are. Try the moment, and your feeling."
        if "mind_reading" in reasons:
            return "This guesses what they think. Try what you feel, and ask what they meant."
        if "thought_as_feeling" in reasons:
            return "“I feel that you…” is a thought about them. What do you feel underneath?"
        return "Try starting from your own feeling and what you need."
    if warm:
        return "Warm and specific: lovely."
    if kind == I_STATEMENT:
        if any(s.reason == "thought_as_feeling" for s in spans):
            return "Good, it starts from you. A feeling word may say it even more clearly."
        if not needs:
            return "A clear I-statement. You could add what you need."
        return "A clear I-statement: a feeling and a need."
    return "You could add how you feel about it, and what you need."
