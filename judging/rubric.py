"""The default rubric every new event starts with, for civic data hackathons: what the
cooperative's judges weigh when teams present analyses of public data to the people
they are about. Organisers edit it in the console; weights are relative."""

from judging.models import Criterion

# (name, weight, description, {score: what it means}), each scored 1 to 5.
DEFAULT_CRITERIA = [
    (
        "Community impact",
        2,
        "How far the work could help the people and places it is about, and whether "
        "the team understood their needs.",
        {
            1: "No clear link to a need of the community.",
            3: "A real need, with a plausible way the work helps.",
            5: "A need shown with evidence, and a credible route to people using it.",
        },
    ),
    (
        "Use of data",
        2,
        "How well the team chose, joined and handled the datasets, and said where they "
        "came from and what they cannot show.",
        {
            1: "Data used without checking what it measures.",
            3: "Suitable data, sources cited, main limits stated.",
            5: "Well-chosen data combined with care, limits and gaps made plain.",
        },
    ),
    (
        "Quality of insight",
        1.5,
        "Whether the analysis finds something true and useful that was not obvious "
        "before, and holds up to questions.",
        {
            1: "Restates the data without a finding.",
            3: "A sound finding, some of it expected.",
            5: "A finding that changes how the problem is seen, and holds up.",
        },
    ),
    (
        "Feasibility and sustainability",
        1,
        "Whether the idea could be carried on after the day: by whom, with what data "
        "and at what cost.",
        {
            1: "No one could carry it on.",
            3: "Could continue with some help.",
            5: "A clear owner, open data and a next step.",
        },
    ),
    (
        "Presentation",
        1,
        "How clearly the team told its story to a mixed audience in the time given.",
        {
            1: "Hard to follow.",
            3: "Clear, with a few gaps.",
            5: "Clear, engaging and on time.",
        },
    ),
    (
        "Inclusion and accessibility",
        1,
        "Whether the work and its outputs can be used by everyone it is meant for, "
        "including people with disabilities and without specialist skills.",
        {
            1: "Usable only by specialists.",
            3: "Accessible to most of its audience.",
            5: "Designed with and for the whole of its audience.",
        },
    ),
]


def criteria_create_default(*, event) -> list[Criterion]:
    return Criterion.objects.bulk_create(
        Criterion(
            event=event,
            name=name,
            weight=weight,
            description=description,
            levels=[[score, text] for score, text in levels.items()],
            order=order,
        )
        for order, (name, weight, description, levels) in enumerate(DEFAULT_CRITERIA)
    )
