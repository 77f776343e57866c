"""Themes of free-text answers: the words and two-word phrases most respondents used.

Pure Python (no Django). Rules:

1. Words: each answer lowercased (a curly apostrophe read as '), its words of letters; a possessive
   "'s" is dropped, then contractions (any other apostrophe: don't, we're) are left
   out, as are words of fewer than 3 letters and STOPWORDS. Plurals are folded by a
   simple rule, "-ies" to "-y" (cities, city) and a final "-s" dropped except after s,
   u or i (class, bus, analysis keep theirs); it is wrong now and then (series, news),
   which a theme list survives.
2. Phrases: two such words next to each other within a clause; punctuation, and any
   word left out by rule 1, breaks the pair ("lack of parking" gives none).
3. Counts are of respondents, not occurrences: one answer per respondent, each term
   counted once in it, so one person repeating a word does not make a theme.
4. A term fewer than MIN_RESPONDENTS respondents used is left out: a word only one
   person wrote (a name, a project) can identify them. The TOP_TERMS most used are
   kept, most used first, then alphabetically.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

TOP_TERMS = 10
MIN_RESPONDENTS = 2

STOPWORDS = frozenset(
    """
    about above after again against all also although always among and another any
    anyone anything are around because been before being below between both but can
    cannot could did does doing done down during each either else enough even ever
    every few for from further get gets getting got had has have having her here hers
    herself him himself his how however into its itself just least less let like made
    make many may maybe might mine more most much must myself near need needs neither
    never nor not nothing now off often once one only onto other others ought our ours
    ourselves out over own per perhaps quite rather really same she should since some
    something still such than that the their theirs them themselves then there these
    they thing things this those though through thus too under until upon very via
    was way well were what whatever when where whether which while who whom whose why
    will with within without would yes yet you your yours yourself yourselves lot lots
    bit etc able
    """.split()  # noqa: SIM905 (a paragraph reads and edits better than 170 quoted words)
)

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_CLAUSE = re.compile(r"[.,;:!?()\[\]{}\"“”\n\r\t/|–—-]+")


@dataclass(frozen=True)
class Term:
    text: str
    respondents: int


@dataclass(frozen=True)
class Themes:
    words: tuple[Term, ...]
    phrases: tuple[Term, ...]


def text_themes(answers: Iterable[str]) -> Themes:
    """The themes of `answers`, one answer per respondent."""
    words, phrases = Counter(), Counter()
    for answer in answers:
        answer_words, answer_phrases = _terms(answer)
        words.update(answer_words)
        phrases.update(answer_phrases)
    return Themes(words=_top(words), phrases=_top(phrases))


def _terms(answer: str) -> tuple[set[str], set[str]]:
    """One answer's words and phrases, each once."""
    words, phrases = set(), set()
    for clause in _CLAUSE.split(answer.lower().replace("’", "'")):
        previous = None
        for token in _WORD.findall(clause):
            word = _word(token)
            if word is not None:
                words.add(word)
                if previous is not None:
                    phrases.add(f"{previous} {word}")
            previous = word
    return words, phrases


def _word(token: str) -> str | None:
    """The token as a theme word (rule 1), or None when it is not one."""
    token = token.removesuffix("'s")
    if "'" in token or len(token) < 3 or token in STOPWORDS:
        return None
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _top(counts: Counter) -> tuple[Term, ...]:
    kept = [(term, n) for term, n in counts.items() if n >= MIN_RESPONDENTS]
    kept.sort(key=lambda item: (-item[1], item[0]))
    return tuple(Term(term, n) for term, n in kept[:TOP_TERMS])
