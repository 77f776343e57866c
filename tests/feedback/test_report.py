"""The survey report's computations (feedback/report.py), on small surveys worked out by
hand. No database: the module takes plain rows."""

import subprocess
import sys
from pathlib import Path

import pytest

from feedback import enums
from feedback import report as report_module
from feedback.report import (
    HIDDEN_NOTE,
    OTHER_ANSWERS,
    QuestionSpec,
    build_report,
    hidden_groups,
    net_promoter_score,
)
from feedback.themes import Term, text_themes

REPO_ROOT = Path(__file__).resolve().parents[2]
EVERYONE = ["organisers", "judges", "mentors", "volunteers", "participants"]
OVERALL = QuestionSpec(
    "1", "overall", "How would you rate the event overall?", "rating", [], EVERYONE
)
RECOMMEND = QuestionSpec(
    "2", "recommend", "How likely are you to recommend us?", "net_promoter", [], EVERYONE
)
NEXT = QuestionSpec(
    "3", "next_event", "Would you come again?", "single_choice", ["Yes", "Maybe", "No"], EVERYONE
)
SESSIONS = QuestionSpec(
    "4",
    "",
    "Which sessions helped?",
    "multiple_choice",
    ["Talks", "Clinic", "Under $5 or $10"],
    EVERYONE,
)
CHANGE = QuestionSpec("5", "change", "What should we change?", "text", [], EVERYONE)
WHO = QuestionSpec(
    "6",
    "participant_type",
    "Which best describes you?",
    "single_choice",
    ["Student", "Researcher", "Developer"],
    ["participants"],
)


def _report(questions, answers, *, invitations=None, group=None, audience="participants"):
    return build_report(
        questions=questions,
        responses=[(audience, row) for row in answers],
        invitations=invitations or {},
        group_question_id=group,
    )


def _question(report, spec):
    return next(q for q in report.questions if q.question == spec)


def _options(question):
    return [(o.label, o.count, o.percent) for o in question.options]


# --- Purity -------------------------------------------------------------------------------


def test_report_modules_import_without_django():
    code = (
        "import sys, feedback.report; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed program)
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"


def test_question_kinds_are_the_enums():
    kinds = {
        report_module.RATING,
        report_module.NET_PROMOTER,
        report_module.SINGLE_CHOICE,
        report_module.MULTIPLE_CHOICE,
        report_module.TEXT,
    }
    scales = {str(kind): scale for kind, scale in enums.SCALES.items()}
    choices = {str(kind) for kind in enums.CHOICE_KINDS}

    assert kinds == set(enums.SurveyQuestionKind.values)
    assert scales == report_module.SCALES
    assert choices == set(report_module.CHOICES)


def test_unknown_kind_is_refused():
    odd = QuestionSpec("9", "", "Draw it", "drawing", [], EVERYONE)

    with pytest.raises(ValueError, match="unknown kind: drawing"):
        _report([odd], [{"9": "a sketch"}])


# --- Response rates ---------------------------------------------------------------------------


def test_response_rates_per_audience_and_overall():
    report = build_report(
        questions=[OVERALL],
        responses=[],
        invitations={"judges": (4, 4), "participants": (8, 3), "mentors": (0, 0)},
        audience_labels={"judges": "Judges on the panel"},
    )

    assert [(r.audience, r.label, r.invited, r.answered, r.percent) for r in report.rates] == [
        ("judges", "Judges on the panel", 4, 4, 100.0),
        ("participants", "Participants", 8, 3, 37.5),
        ("mentors", "Mentors", 0, 0, None),
    ]
    assert (report.overall.invited, report.overall.answered) == (12, 7)
    assert report.overall.percent == pytest.approx(700 / 12)
    chart = report.rates_chart
    assert chart.rows == (
        ("Judges on the panel", "4", "4", "100%"),
        ("Participants", "8", "3", "38%"),
        ("Mentors", "0", "0", "–"),
        ("All audiences", "12", "7", "58%"),
    )
    assert chart.alt == (
        "Bar chart of response rates by audience: Judges on the panel, 100% (4 of 4 invited); "
        "Participants, 38% (3 of 8 invited); Mentors, nobody invited."
    )


def test_asked_counts_only_the_audiences_a_question_is_for():
    report = build_report(
        questions=[WHO, OVERALL],
        responses=[
            ("participants", {"6": "Student", "1": 4}),
            ("participants", {"1": 5}),
            ("judges", {"1": 3}),
        ],
        invitations={},
    )

    assert (_question(report, WHO).asked, _question(report, WHO).answered) == (2, 1)
    assert (_question(report, OVERALL).asked, _question(report, OVERALL).answered) == (3, 3)


# --- Net promoter score -----------------------------------------------------------------------


def test_net_promoter_score_and_interval_by_hand():
    # p = 0.5, d = 0.2: Var = (0.7 - 0.3²) / 10 = 0.061, margin 1.96 · 100 · √0.061 = 48.4
    nps = net_promoter_score(promoters=5, passives=3, detractors=2)

    assert nps.n == 10
    assert nps.score == pytest.approx(30.0)
    assert (round(nps.low, 1), round(nps.high, 1)) == (-18.4, 78.4)
    assert nps.small_sample is True


def test_net_promoter_interval_is_clipped_to_the_scale():
    # p = 0.9, d = 0: Var = (0.9 - 0.81) / 10, margin 1.96 · 100 · √0.009 = 18.6
    nps = net_promoter_score(promoters=9, passives=1, detractors=0)

    assert nps.score == pytest.approx(90.0)
    assert (round(nps.low, 1), nps.high) == (71.4, 100.0)


def test_net_promoter_score_of_many_answers_is_not_a_small_sample():
    # p = 0.9, d = 0: Var = (0.9 - 0.81) / 40, margin 1.96 · 100 · √0.00225 = 9.3
    nps = net_promoter_score(promoters=36, passives=4, detractors=0)

    assert (round(nps.low, 1), round(nps.high, 1)) == (80.7, 99.3)
    assert nps.small_sample is False


def test_net_promoter_score_of_nobody_is_none():
    nps = net_promoter_score(promoters=0, passives=0, detractors=0)

    assert (nps.n, nps.score, nps.low, nps.high) == (0, None, None, None)


def test_net_promoter_answers_fall_into_their_categories():
    answers = [9, 10, 9, 10, 9, 7, 8, 7, 0, 6]
    report = _report([RECOMMEND], [{"2": value} for value in answers])

    nps = _question(report, RECOMMEND).nps
    assert (nps.promoters, nps.passives, nps.detractors) == (5, 3, 2)
    assert (round(nps.low, 1), round(nps.high, 1)) == (-18.4, 78.4)
    assert report.nps == nps


def test_headline_score_is_the_recommend_question_even_when_not_first():
    other = QuestionSpec("7", "", "Recommend the venue?", "net_promoter", [], EVERYONE)
    report = _report([other, RECOMMEND], [{"7": 0, "2": 10}, {"7": 1, "2": 9}])

    assert report.nps.score == pytest.approx(100.0)
    assert _question(report, other).nps.score == pytest.approx(-100.0)


# --- Distributions ----------------------------------------------------------------------------


def test_scale_counts_every_value_zeros_included():
    report = _report([OVERALL], [{"1": 1}, {"1": 1}, {"1": 3}, {"1": 5}, {}])

    question = _question(report, OVERALL)
    assert _options(question) == [
        ("1", 2, 50.0),
        ("2", 0, 0.0),
        ("3", 1, 25.0),
        ("4", 0, 0.0),
        ("5", 1, 25.0),
    ]
    assert (question.answered, question.mean, question.median) == (4, 2.5, 2.0)


def test_single_choice_counts_renamed_options_as_other_answers():
    answers = [{"3": "Yes"}, {"3": "Yes"}, {"3": "No"}, {"3": "Perhaps"}]
    report = _report([NEXT], answers)

    assert _options(_question(report, NEXT)) == [
        ("Yes", 2, 50.0),
        ("Maybe", 0, 0.0),
        ("No", 1, 25.0),
        (OTHER_ANSWERS, 1, 25.0),
    ]


def test_single_choice_lists_no_other_answers_when_there_are_none():
    report = _report([NEXT], [{"3": "Maybe"}, {"3": "No"}])

    assert [o.label for o in _question(report, NEXT).options] == ["Yes", "Maybe", "No"]


def test_multiple_choice_counts_respondents_per_option():
    answers = [
        {"4": ["Talks", "Clinic"]},
        {"4": ["Talks"]},
        {"4": ["Clinic", "Old session"]},
        {"4": ["Old session", "Older session"]},
        {},
    ]
    report = _report([SESSIONS], answers)

    question = _question(report, SESSIONS)
    assert question.answered == 4
    assert _options(question) == [
        ("Talks", 2, 50.0),
        ("Clinic", 2, 50.0),
        ("Under $5 or $10", 0, 0.0),
        (OTHER_ANSWERS, 2, 50.0),  # people, though they ticked three old options
    ]
    assert "Under $5 or $10" in question.chart.svg  # dollars are text, not mathematics


def test_text_question_counts_its_answers():
    report = _report([CHANGE], [{"5": "More coffee"}, {}, {"5": "Less noise"}])

    question = _question(report, CHANGE)
    assert (question.answered, question.options, question.chart) == (2, (), None)


# --- Breakdowns and disclosure control ----------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ([6, 7, 9], (False, False, False)),
        ([6, 7, 0], (False, False, False)),  # an empty group holds nobody's answer
        ([4, 10, 12], (True, True, False)),  # the smallest other goes with the small one
        ([4, 12, 10], (True, False, True)),
        ([4, 8, 8], (True, True, False)),  # the first of equals
        ([2, 2, 9, 20], (True, True, True, False)),  # two hidden, four people: too few
        ([2, 3, 20], (True, True, False)),  # two hidden, five people: enough
        ([4, 30, 0], (True, True, False)),  # one group left shown: the pool is 34
        ([3, 1, 0], (True, True, True)),  # 4 answered in all: nothing but the total
        ([0, 0, 0], (False, False, False)),
    ],
)
def test_hidden_groups(counts, hidden):
    assert hidden_groups(counts) == hidden


def _grouped_report(sizes, values):
    """Respondents of each group (Student, Researcher, Developer, then none) rating the
    event with the next of `values`."""
    labels = ["Student", "Researcher", "Developer", None]
    rows, ratings = [], iter(values)
    for label, size in zip(labels, sizes, strict=True):
        for _ in range(size):
            row = {"1": next(ratings)}
            if label:
                row["6"] = label
            rows.append(row)
    return _report([OVERALL, WHO], rows, group="6")


def _groups(report):
    breakdown = _question(report, OVERALL).breakdown
    return [(g.label, g.n, g.mean, g.hidden) for g in breakdown.groups]


def test_breakdown_shows_every_group_of_five_or_more():
    report = _grouped_report([5, 6, 7, 0], [1] * 5 + [2] * 6 + [4] * 7)

    assert report.groups == ("Student", "Researcher", "Developer")
    assert _groups(report) == [
        ("Student", 5, 1.0, False),
        ("Researcher", 6, 2.0, False),
        ("Developer", 7, 4.0, False),
    ]
    breakdown = _question(report, OVERALL).breakdown
    assert (breakdown.total_n, breakdown.withheld) == (18, False)
    assert breakdown.total_mean == pytest.approx((5 + 12 + 28) / 18)


def test_breakdown_hides_a_group_of_four_and_the_next_smallest():
    report = _grouped_report([4, 6, 9, 5], [1] * 4 + [2] * 6 + [5] * 9 + [3] * 5)

    assert _groups(report) == [
        ("Student", None, None, True),
        ("Researcher", 6, 2.0, False),
        ("Developer", 9, 5.0, False),
        ("Not said", None, None, True),  # 5 people, hidden so that Student's 4 stay unknown
    ]
    assert "fewer than 5" in HIDDEN_NOTE


def test_breakdown_of_a_question_four_answered_shows_only_the_total():
    report = _grouped_report([3, 1, 0, 0], [2, 3, 4, 5])

    breakdown = _question(report, OVERALL).breakdown
    assert breakdown.withheld is True
    assert [g.n for g in breakdown.groups] == [None, None, None]
    assert (breakdown.total_n, breakdown.total_mean) == (4, 3.5)


def test_breakdown_groups_renamed_options_and_people_who_did_not_say():
    rows = [{"1": 5, "6": "Student"}, {"1": 4, "6": "Artist"}, {"1": 3}]
    report = _report([WHO, OVERALL], rows, group="6")

    assert report.groups == ("Student", "Researcher", "Developer", OTHER_ANSWERS, "Not said")
    assert [g.hidden for g in _question(report, OVERALL).breakdown.groups] == [True] * 5


def test_no_breakdown_without_a_self_description_question():
    report = _report([OVERALL], [{"1": 3}])

    assert _question(report, OVERALL).breakdown is None
    assert report.groups == ()


# --- Free-text themes -------------------------------------------------------------------------


def test_themes_count_respondents_and_leave_out_single_use():
    themes = text_themes(
        [
            "More coffee please",
            "Coffee was cold",
            "Parking!",
            "Better public transport",
            "Public transport. And coffee, coffee, coffee",
        ]
    )

    assert themes.words == (Term("coffee", 3), Term("public", 2), Term("transport", 2))
    assert themes.phrases == (Term("public transport", 2),)


def test_themes_fold_plurals_and_possessives_and_drop_contractions():
    themes = text_themes(
        [
            "Datasets were great",
            "The dataset's licence",
            "We didn't get cities data",
            "One city map",
            "Didn't, didn't",
        ]
    )

    assert themes.words == (Term("city", 2), Term("dataset", 2))


def test_themes_keep_the_ten_most_used():
    words = [f"word{letter}" for letter in "lkjihgfedcba"]  # twelve, a to l
    answers = [" ".join(words), " ".join(words), "worda"]

    themes = text_themes(answers)

    assert themes.words[0] == Term("worda", 3)
    assert [t.text for t in themes.words[1:]] == [f"word{letter}" for letter in "bcdefghij"]


def test_themes_of_a_text_question_in_the_report():
    answers = [{"5": "Faster wifi"}, {"5": "wifi kept dropping"}, {"5": "Nothing"}]
    report = _report([CHANGE], answers)

    assert _question(report, CHANGE).themes.words == (Term("wifi", 2),)


# --- Charts -------------------------------------------------------------------------------


def _survey():
    rows = [
        {"1": 1, "2": 9, "3": "Yes", "4": ["Talks"]},
        {"1": 1, "2": 3, "3": "No", "4": ["Talks", "Clinic"]},
        {"1": 3, "2": 10, "3": "Yes", "4": ["Clinic"]},
        {"1": 5, "2": 7, "3": "Maybe", "4": ["Talks"]},
    ]
    return _report(
        [OVERALL, RECOMMEND, NEXT, SESSIONS, CHANGE], rows, invitations={"participants": (9, 4)}
    )


def _charts(report):
    return [q.chart for q in report.questions if q.chart] + [report.rates_chart]


def test_charts_are_byte_identical_for_the_same_data():
    first, second = _charts(_survey()), _charts(_survey())

    assert len(first) == 5
    assert [chart.svg for chart in first] == [chart.svg for chart in second]


def test_chart_changes_with_its_data():
    changed = _report([OVERALL], [{"1": 1}, {"1": 1}, {"1": 3}, {"1": 4}])

    assert _question(changed, OVERALL).chart.svg != _question(_survey(), OVERALL).chart.svg


def test_charts_are_inline_svg_without_scripts_and_carry_their_title():
    for chart in _charts(_survey()):
        assert chart.svg.startswith('<svg role="img" ')
        assert "<?xml" not in chart.svg
        assert "DOCTYPE" not in chart.svg
        assert "<script" not in chart.svg.lower()
        assert f">{chart.title}</text>" in chart.svg
        assert f"<title>{chart.alt}</title>" in chart.svg


def test_scale_chart_text_alternative_lists_every_value():
    chart = _question(_survey(), OVERALL).chart

    assert chart.alt == (
        "Bar chart of answers to ‘How would you rate the event overall?’: "
        "1, 2 people; 2, 0 people; 3, 1 person; 4, 0 people; 5, 1 person."
    )
    assert chart.header == ("Answer", "People", "Percent")
    assert chart.rows == (
        ("1", "2", "50%"),
        ("2", "0", "0%"),
        ("3", "1", "25%"),
        ("4", "0", "0%"),
        ("5", "1", "25%"),
    )


def test_choice_chart_text_alternative_lists_every_option():
    chart = _question(_survey(), SESSIONS).chart

    assert chart.alt == (
        "Bar chart of answers to ‘Which sessions helped?’ (each could choose several): "
        "Talks, 3 people (75%); Clinic, 2 people (50%); Under $5 or $10, 0 people (0%)."
    )


# --- Empty survey ---------------------------------------------------------------------------


def test_survey_without_responses_gives_an_empty_report():
    report = build_report(
        questions=[OVERALL, RECOMMEND, NEXT, SESSIONS, CHANGE, WHO],
        responses=[],
        invitations={"participants": (0, 0)},
        group_question_id="6",
    )

    assert report.responses == 0
    assert report.overall.percent is None
    assert report.rates_chart is None
    assert [(q.asked, q.answered, q.chart) for q in report.questions] == [(0, 0, None)] * 6
    overall = _question(report, OVERALL)
    assert (overall.mean, overall.median) == (None, None)
    assert {o.percent for o in overall.options} == {None}
    assert [(g.n, g.hidden) for g in overall.breakdown.groups] == [(0, False)] * 3
    assert report.nps.score is None
    assert _question(report, CHANGE).themes.words == ()


def test_survey_invited_but_unanswered_charts_its_zero_rate():
    report = build_report(questions=[OVERALL], responses=[], invitations={"judges": (3, 0)})

    assert report.rates_chart.alt == (
        "Bar chart of response rates by audience: Judges, 0% (0 of 3 invited)."
    )
