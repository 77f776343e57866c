"""The feedback survey's report: response rates, each question's answers, the net
promoter score, breakdowns by who respondents say they are, free-text themes and charts.

Pure pandas, numpy and matplotlib (no Django), so it can be computed and checked
anywhere. The Django side reads the questions as `QuestionSpec`s, the responses as
`(audience, answers)` pairs (answers keyed by question id as text, values already
checked: an int on a scale, a str for a single choice or a text, a list of str for a
multiple choice; an unanswered question absent) and the invitations as
{audience: (invited, answered)}, and calls `build_report`. The question kinds are
repeated here rather than imported from `feedback.enums`, which would bring Django in
with its TextChoices; a test checks both lists agree.

Rules
-----
1. Response rates: per audience invited, its invitations, those answered, and answered
   as a percentage of invited (None when nobody was invited, never a division by zero);
   the overall rate is over all audiences together. A question's `asked` counts the
   responses from the audiences it is asked of, `answered` those that answer it.
2. Distributions, as percentages of the people who answered the question. A scale
   (rating 1-5, net promoter 0-10) counts every value of the scale, zeros included, with
   the mean and median. A single choice counts each option in the options' order; an
   answer no longer among the options (the option was renamed or removed after people
   chose it) counts under "Other answers", listed only when someone gave one. A multiple
   choice counts, per option, the people who ticked it, so the percentages add up to
   more than 100; "Other answers" counts the people who ticked anything no longer
   offered. A text question counts its answers, and has themes (rule 5).
3. Net promoter score, per net promoter question (the headline one is keyed
   "recommend"): promoters answer 9-10, passives 7-8, detractors 0-6; the score is
   %promoters - %detractors, -100 to 100. Its 95 % interval is the normal (Wald)
   interval of a difference of two proportions of one multinomial sample: with
   p = promoters / n and d = detractors / n,
       Var(p - d) = (p + d - (p - d)^2) / n,
   so the interval is score ± 1.96 · 100 · sqrt(Var), clipped to [-100, 100]. None for
   n = 0. The approximation is rough for small samples, and gives a zero width when
   everyone answered alike, so below NPS_FEW answers the report says the interval is
   wide (`small_sample`) rather than hiding it.
4. Breakdowns: the respondents are grouped by their answer to the self-description
   question (`group_question_id`; the options in order, then "Other answers" for an
   option since renamed, then "Not said" for everyone who did not answer it, including
   the audiences it is not asked of). Each scale question gets each group's n and mean
   beside the question's total n and mean, which the distribution publishes anyway.
   Disclosure control, by `hidden_groups`, so that no group of fewer than MIN_GROUP
   people has its size or mean shown or derivable:
   a. a group with 1 to MIN_GROUP - 1 respondents is hidden;
   b. the hidden groups together are a pool whose size and mean anyone can work out,
      as the total minus the groups shown. While that pool holds fewer than MIN_GROUP
      people, the smallest group still shown that has respondents is hidden too (the
      first listed among equals). So a single hidden group always takes a second one
      with it, and several tiny groups whose sum is tiny take one more;
   c. when no such group remains, every group is in the pool, so the question's own
      total is under MIN_GROUP: the row is withheld, every group hidden, empty ones too,
      as zeros shown beside a total would tell which group holds everyone.
   An empty group is otherwise shown as 0: it holds nobody's answer. One group left
   shown needs no hiding: its figures are already on show, and the pool can be worked
   out whatever number of groups stay shown; what gives a group away is being alone,
   or with too few others, in the pool, which (b) prevents. Every hidden group reads
   the same (HIDDEN): calling the second group "fewer than 5" would be false, and
   marking it apart would tell which of the two is the small one. Left open: the group
   sizes in the self-description question's own distribution, which is not hidden.
5. Themes of a text question: the words and two-word phrases used by the most
   respondents, each counted once per respondent, leaving out any one person used
   (`feedback.themes` gives the rules).
6. Charts (`feedback.charts`): an SVG bar chart per scale and choice question someone
   answered, and one of the response rates when anyone was invited; each with its
   title, a one-sentence text alternative listing every value, and its data as a table
   to show beside it. The same data gives the same bytes.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from feedback.charts import Chart, bar_chart
from feedback.themes import Themes, text_themes

RATING = "rating"
NET_PROMOTER = "net_promoter"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
TEXT = "text"
SCALES = {RATING: (1, 5), NET_PROMOTER: (0, 10)}
CHOICES = (SINGLE_CHOICE, MULTIPLE_CHOICE)
RECOMMEND_KEY = "recommend"

MIN_GROUP = 5
HIDDEN = "not shown"  # what a hidden group's cells read
HIDDEN_NOTE = (
    f"Not shown: groups of fewer than {MIN_GROUP} people, and the next smallest where "
    "needed so that no small group can be worked out from the total."
)
OTHER_ANSWERS = "Other answers"
NOT_SAID = "Not said"
Z95 = 1.96
NPS_FEW = 30  # answers: below this the normal interval is rough, and said to be wide


@dataclass(frozen=True)
class QuestionSpec:
    id: str
    key: str  # "" for a question an organiser added
    text: str
    kind: str  # one of RATING, NET_PROMOTER, SINGLE_CHOICE, MULTIPLE_CHOICE, TEXT
    choices: list[str]
    audiences: list[str]


@dataclass(frozen=True)
class ResponseRate:
    audience: str  # "" for the overall rate
    label: str
    invited: int
    answered: int
    percent: float | None  # None when nobody was invited


@dataclass(frozen=True)
class OptionCount:
    label: str  # a scale's value as text, an option, or OTHER_ANSWERS
    count: int
    percent: float | None  # of the people who answered the question; None when nobody did


@dataclass(frozen=True)
class NetPromoter:
    n: int
    promoters: int
    passives: int
    detractors: int
    score: float | None  # -100 to 100; None when n = 0
    low: float | None  # the 95 % interval (rule 3)
    high: float | None
    small_sample: bool  # fewer than NPS_FEW answers: the interval is wide and rough


@dataclass(frozen=True)
class GroupStat:
    label: str
    n: int | None  # None when hidden
    mean: float | None  # None when hidden or empty
    hidden: bool


@dataclass(frozen=True)
class Breakdown:
    groups: tuple[GroupStat, ...]
    total_n: int
    total_mean: float | None
    withheld: bool  # every group hidden: the row shows only its total


@dataclass(frozen=True)
class QuestionReport:
    question: QuestionSpec
    asked: int  # responses from the audiences the question is asked of
    answered: int
    options: tuple[OptionCount, ...] = ()  # scales and choices
    mean: float | None = None  # scales
    median: float | None = None
    nps: NetPromoter | None = None  # net promoter questions
    breakdown: Breakdown | None = None  # scales, when there is a self-description question
    themes: Themes | None = None  # text questions
    chart: Chart | None = None  # scales and choices someone answered


@dataclass(frozen=True)
class SurveyReport:
    responses: int
    rates: tuple[ResponseRate, ...]  # per audience, in the invitations' order
    overall: ResponseRate
    rates_chart: Chart | None  # None when nobody was invited
    questions: tuple[QuestionReport, ...]  # in the questions' order
    group_question: QuestionSpec | None  # what the breakdowns group by
    groups: tuple[str, ...]  # the breakdowns' groups, in order
    nps: NetPromoter | None  # the "recommend" question's, else the first net promoter one's


def build_report(
    *,
    questions: Sequence[QuestionSpec],
    responses: Iterable[tuple[str, Mapping[str, object]]],
    invitations: Mapping[str, tuple[int, int]],
    group_question_id: str | None = None,
    audience_labels: Mapping[str, str] | None = None,
) -> SurveyReport:
    """The whole report (rules 1 to 6). `audience_labels` names the audiences in rates
    and charts; an audience without a label shows capitalised."""
    labels = dict(audience_labels or {})
    audiences, answers = _answers_frame(responses)
    by_question = answers.groupby("question", sort=False).indices
    respondents = answers["respondent"].to_numpy()
    values = answers["value"].to_numpy()
    audience_sizes = Counter(audiences)

    group_question = next((q for q in questions if q.id == group_question_id), None)
    groups, group_of = (), None
    if group_question is not None:
        at = by_question.get(group_question.id, np.empty(0, dtype=np.int64))
        groups, group_of = _groups(group_question, len(audiences), respondents[at], values[at])

    reports = []
    for question in questions:
        at = by_question.get(question.id, np.empty(0, dtype=np.int64))
        asked = sum(audience_sizes[audience] for audience in set(question.audiences))
        reports.append(
            _question_report(question, asked, respondents[at], values[at], groups, group_of)
        )

    rates, overall = _rates(invitations, labels)
    scored = sorted(
        (r for r in reports if r.nps is not None), key=lambda r: r.question.key != RECOMMEND_KEY
    )
    return SurveyReport(
        responses=len(audiences),
        rates=rates,
        overall=overall,
        rates_chart=_rates_chart(rates, overall) if overall.invited else None,
        questions=tuple(reports),
        group_question=group_question,
        groups=groups,
        nps=scored[0].nps if scored else None,
    )


def net_promoter_score(*, promoters: int, passives: int, detractors: int) -> NetPromoter:
    """The score and its 95 % interval (rule 3)."""
    n = promoters + passives + detractors
    if n == 0:
        return NetPromoter(0, 0, 0, 0, None, None, None, small_sample=False)
    p, d = promoters / n, detractors / n
    score = 100 * (p - d)
    # max(): rounding can take an exact 0 (everyone alike) just below it
    margin = Z95 * 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    return NetPromoter(
        n=n,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
        score=score,
        low=max(score - margin, -100.0),
        high=min(score + margin, 100.0),
        small_sample=n < NPS_FEW,
    )


def hidden_groups(counts: Sequence[int], minimum: int = MIN_GROUP) -> tuple[bool, ...]:
    """Which groups of a breakdown row to hide, given each group's count, when the row's
    total is shown (rule 4): for any table of counts by group."""
    hidden = [0 < count < minimum for count in counts]
    pool = sum(count for count, hide in zip(counts, hidden, strict=True) if hide)
    while any(hidden) and pool < minimum:
        shown = [i for i, count in enumerate(counts) if count > 0 and not hidden[i]]
        if not shown:
            return (True,) * len(counts)
        smallest = min(shown, key=lambda i: counts[i])  # min keeps the first of equals
        hidden[smallest] = True
        pool += counts[smallest]
    return tuple(hidden)


# --- Internals ---------------------------------------------------------------------------


def _answers_frame(
    responses: Iterable[tuple[str, Mapping[str, object]]],
) -> tuple[list[str], pd.DataFrame]:
    """Each response's audience, and one row per answer: (respondent, question, value),
    the respondent being the response's position. The only pass over the answers in
    Python; every count below is taken from this frame."""
    audiences, respondent, question, value = [], [], [], []
    for position, (audience, answers) in enumerate(responses):
        audiences.append(audience)
        respondent.extend([position] * len(answers))
        question.extend(map(str, answers))
        value.extend(answers.values())
    frame = pd.DataFrame(
        {
            "respondent": np.asarray(respondent, dtype=np.int64),
            "question": question,
            "value": pd.Series(value, dtype=object),
        }
    )
    return audiences, frame


def _groups(
    question: QuestionSpec, responses: int, respondents: np.ndarray, values: np.ndarray
) -> tuple[tuple[str, ...], np.ndarray]:
    """The groups in order, and each response's group as an index into them (rule 4)."""
    options = list(dict.fromkeys(question.choices))
    code = pd.Series(values, dtype=object).map({o: i for i, o in enumerate(options)})
    other = code.isna().to_numpy()
    labels = options + [OTHER_ANSWERS] * bool(other.any())
    group_of = np.full(responses, len(labels), dtype=np.int64)  # "Not said" by default
    group_of[respondents] = np.where(other, len(options), code.fillna(0).to_numpy(np.int64))
    if len(respondents) < responses:
        labels.append(NOT_SAID)
    return tuple(labels), group_of


def _question_report(
    question: QuestionSpec,
    asked: int,
    respondents: np.ndarray,
    values: np.ndarray,
    groups: tuple[str, ...],
    group_of: np.ndarray | None,
) -> QuestionReport:
    if question.kind in SCALES:
        return _scale_report(question, asked, respondents, values, groups, group_of)
    if question.kind in CHOICES:
        options = _choice_counts(question, respondents, values)
        return QuestionReport(
            question,
            asked,
            len(values),
            options=options,
            chart=_choice_chart(question, len(values), options) if len(values) else None,
        )
    if question.kind == TEXT:
        return QuestionReport(question, asked, len(values), themes=text_themes(values))
    raise ValueError(f"question {question.id} is of an unknown kind: {question.kind}")


def _scale_report(
    question: QuestionSpec,
    asked: int,
    respondents: np.ndarray,
    values: np.ndarray,
    groups: tuple[str, ...],
    group_of: np.ndarray | None,
) -> QuestionReport:
    lowest, highest = SCALES[question.kind]
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(float)
    # Only whole numbers on the scale count, as the form takes no others.
    on_scale = (numbers >= lowest) & (numbers <= highest) & (numbers == np.round(numbers))
    numbers, respondents = numbers[on_scale], respondents[on_scale]
    n = len(numbers)
    counts = np.bincount((numbers - lowest).astype(np.int64), minlength=highest - lowest + 1)
    scale = range(lowest, highest + 1)
    options = tuple(
        OptionCount(str(value), int(count), _percent(int(count), n))
        for value, count in zip(scale, counts, strict=True)
    )
    mean = float(numbers.mean()) if n else None
    nps = None
    if question.kind == NET_PROMOTER:
        nps = net_promoter_score(
            promoters=int(counts[9:].sum()),
            passives=int(counts[7:9].sum()),
            detractors=int(counts[:7].sum()),
        )
    breakdown = None
    if group_of is not None:
        breakdown = _breakdown(groups, group_of[respondents], numbers, mean)
    return QuestionReport(
        question,
        asked,
        n,
        options=options,
        mean=mean,
        median=float(np.median(numbers)) if n else None,
        nps=nps,
        breakdown=breakdown,
        chart=_scale_chart(question, options) if n else None,
    )


def _breakdown(
    groups: tuple[str, ...], codes: np.ndarray, numbers: np.ndarray, mean: float | None
) -> Breakdown:
    counts = np.bincount(codes, minlength=len(groups))
    sums = np.bincount(codes, weights=numbers, minlength=len(groups))
    hidden = hidden_groups(counts.tolist())
    stats = tuple(
        GroupStat(
            label=label,
            n=None if hide else int(count),
            mean=None if hide or not count else float(total / count),
            hidden=hide,
        )
        for label, count, total, hide in zip(groups, counts, sums, hidden, strict=True)
    )
    withheld = bool(stats) and all(hidden)
    return Breakdown(groups=stats, total_n=len(numbers), total_mean=mean, withheld=withheld)


def _choice_counts(
    question: QuestionSpec, respondents: np.ndarray, values: np.ndarray
) -> tuple[OptionCount, ...]:
    answered = len(values)
    options = list(dict.fromkeys(question.choices))
    if question.kind == MULTIPLE_CHOICE:
        ticked = pd.Series(values, index=respondents, dtype=object).explode().dropna()
        counts = ticked.value_counts()
        others = ticked.index[~ticked.isin(options)].nunique()
    else:
        counts = pd.Series(values, dtype=object).value_counts()
        others = answered - int(counts.reindex(options, fill_value=0).sum())
    rows = [
        OptionCount(
            option, int(counts.get(option, 0)), _percent(int(counts.get(option, 0)), answered)
        )
        for option in options
    ]
    if others:
        rows.append(OptionCount(OTHER_ANSWERS, int(others), _percent(int(others), answered)))
    return tuple(rows)


def _rates(
    invitations: Mapping[str, tuple[int, int]], labels: Mapping[str, str]
) -> tuple[tuple[ResponseRate, ...], ResponseRate]:
    rates = tuple(
        ResponseRate(
            audience,
            labels.get(audience, audience.capitalize()),
            invited,
            answered,
            _percent(answered, invited),
        )
        for audience, (invited, answered) in invitations.items()
    )
    invited = sum(rate.invited for rate in rates)
    answered = sum(rate.answered for rate in rates)
    return rates, ResponseRate("", "All audiences", invited, answered, _percent(answered, invited))


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _percent_text(percent: float | None) -> str:
    # Half up, as people round by hand (format() rounds 12.5 to 12).
    return "–" if percent is None else f"{math.floor(percent + 0.5)}%"


def _people(count: int) -> str:
    return f"{count} person" if count == 1 else f"{count} people"


# --- Charts ------------------------------------------------------------------------------


def _scale_chart(question: QuestionSpec, options: tuple[OptionCount, ...]) -> Chart:
    listed = "; ".join(f"{o.label}, {_people(o.count)}" for o in options)
    return bar_chart(
        salt=f"question-{question.id}",
        title=question.text,
        labels=[o.label for o in options],
        values=[o.count for o in options],
        value_labels=[str(o.count) for o in options],
        axis_label="People",
        category_label="Answer",
        alt=f"Bar chart of answers to ‘{question.text}’: {listed}.",
        header=("Answer", "People", "Percent"),
        rows=tuple((o.label, str(o.count), _percent_text(o.percent)) for o in options),
    )


def _choice_chart(question: QuestionSpec, answered: int, options: tuple[OptionCount, ...]) -> Chart:
    listed = "; ".join(
        f"{o.label}, {_people(o.count)} ({_percent_text(o.percent)})" for o in options
    )
    several = " (each could choose several)" if question.kind == MULTIPLE_CHOICE else ""
    return bar_chart(
        salt=f"question-{question.id}",
        title=question.text,
        labels=[o.label for o in options],
        values=[o.count for o in options],
        value_labels=[f"{o.count} ({_percent_text(o.percent)})" for o in options],
        axis_label=f"People, of {answered} who answered",
        horizontal=True,
        alt=f"Bar chart of answers to ‘{question.text}’{several}: {listed}.",
        header=("Answer", "People", "Percent"),
        rows=tuple((o.label, str(o.count), _percent_text(o.percent)) for o in options),
    )


def _rates_chart(rates: tuple[ResponseRate, ...], overall: ResponseRate) -> Chart:
    def said(rate: ResponseRate) -> str:
        if rate.percent is None:
            return "nobody invited"
        return f"{_percent_text(rate.percent)} ({rate.answered} of {rate.invited} invited)"

    return bar_chart(
        salt="response-rates",
        title="Response rate by audience",
        labels=[rate.label for rate in rates],
        values=[rate.percent or 0.0 for rate in rates],
        value_labels=[said(rate) for rate in rates],
        axis_label="Percentage of those invited who answered",
        horizontal=True,
        alt="Bar chart of response rates by audience: "
        + "; ".join(f"{rate.label}, {said(rate)}" for rate in rates)
        + ".",
        header=("Audience", "Invited", "Answered", "Response rate"),
        rows=tuple(
            (rate.label, str(rate.invited), str(rate.answered), _percent_text(rate.percent))
            for rate in (*rates, overall)
        ),
        percent_axis=True,
    )
