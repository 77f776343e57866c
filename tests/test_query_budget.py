"""The query-budget harness itself: it must catch what it is there to catch."""

import pytest
from django.http import HttpResponse

from accounts.models import Skill
from tests.query_budget import MAX_QUERIES, assert_flat_queries

pytestmark = pytest.mark.django_db


def _add_skills(k):
    start = Skill.objects.count()
    for n in range(start, start + k):
        Skill.objects.create(slug=f"budget-{n}", name=f"Budget skill {n}")


def _names():
    return Skill.objects.filter(slug__startswith="budget-").values_list("name", flat=True)


def _page(queries, *, leave_out=""):
    def fetch():
        for _ in range(queries - 1):
            Skill.objects.exists()
        names = [name for name in _names() if name != leave_out]
        return HttpResponse(", ".join(names))

    return fetch


def test_a_flat_page_within_the_ceiling_naming_every_item_passes():
    assert assert_flat_queries(fetch=_page(5), add_items=_add_skills, shown=_names) == 5


def test_a_flat_page_over_the_ceiling_fails():
    with pytest.raises(AssertionError, match=f"more than {MAX_QUERIES}"):
        assert_flat_queries(fetch=_page(MAX_QUERIES + 1), add_items=_add_skills, shown=_names)


def test_a_ceiling_can_be_raised_by_a_page_that_needs_it():
    assert_flat_queries(
        fetch=_page(MAX_QUERIES + 1),
        add_items=_add_skills,
        shown=_names,
        max_queries=MAX_QUERIES + 1,
    )


def test_a_page_leaving_out_an_item_fails():
    with pytest.raises(AssertionError, match="Budget skill 7"):
        assert_flat_queries(
            fetch=_page(5, leave_out="Budget skill 7"), add_items=_add_skills, shown=_names
        )
