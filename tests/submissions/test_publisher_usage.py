"""The catalogue editors' report of which teams used each publisher's data, and how: the
list of publishers, one publisher's page and its CSV file."""

import csv
import io

import pytest

from submissions.models import DatasetCitation
from tests.datasets.pages_helpers import catalogue_editor
from tests.factories import DatasetFactory, EventFactory, PublisherFactory, ResourceFactory
from tests.query_budget import assert_flat_queries
from tests.submissions.page_helpers import entry

pytestmark = pytest.mark.django_db

INDEX = "/catalogue/usage/"


def _page(publisher):
    return f"/catalogue/publishers/{publisher.slug}/usage/"


def _csv(publisher):
    return f"/catalogue/publishers/{publisher.slug}/usage.csv"


@pytest.fixture
def editor(client):
    person = catalogue_editor()
    client.force_login(person)
    return person


@pytest.fixture
def used():
    """City Region Data's claimant count used by team entries at two events (one citing
    a file) and by a draft, which is the team's own and left out; and another publisher's
    dataset used once."""
    publisher = PublisherFactory(slug="city-region", name="City Region Data")
    claimants = DatasetFactory(publisher=publisher, title="Claimant count")
    claimants_csv = ResourceFactory(dataset=claimants, name="Claimants by ward")
    spring, autumn = EventFactory(name="Spring Data Day"), EventFactory(name="Autumn Data Day")
    first = entry(spring, title="Jobs and parks")
    second = entry(autumn, status="locked", title="Benefits map")
    draft = entry(autumn, status="draft", title="Not handed in")
    DatasetCitation.objects.create(
        submission=first, dataset=claimants, resource=claimants_csv, how_used="Joined to wards"
    )
    DatasetCitation.objects.create(
        submission=second, dataset=claimants, how_used='=HYPERLINK("http://evil")'
    )
    DatasetCitation.objects.create(submission=draft, dataset=claimants, how_used="Drafting")
    other = DatasetFactory(title="Someone else's data")
    DatasetCitation.objects.create(submission=first, dataset=other, how_used="Not theirs")
    return publisher, first, second


def test_index_lists_publishers_with_their_citation_counts(client, editor, used):
    publisher, _first, _second = used

    response = client.get(INDEX)

    assert response.status_code == 200
    counts = {p.slug: p.citation_count for p in response.context["publishers"]}
    assert counts["city-region"] == 2
    assert f'href="{_page(publisher)}">City Region Data</a>' in response.content.decode()


def test_page_lists_each_team_event_dataset_file_and_how_for_this_publisher_only(
    client, editor, used
):
    publisher, first, second = used

    response = client.get(_page(publisher))

    assert response.status_code == 200
    page = response.content.decode()
    rows = [
        (c.submission.team.name, c.submission.event.name, c.dataset.title, c.how_used)
        for c in response.context["citations"]
    ]
    assert sorted(rows) == sorted(
        [
            (first.team.name, "Spring Data Day", "Claimant count", "Joined to wards"),
            (second.team.name, "Autumn Data Day", "Claimant count", '=HYPERLINK("http://evil")'),
        ]
    )
    assert "Claimants by ward" in page
    assert "Not theirs" not in page and "Someone else" not in page
    assert "Not handed in" not in page
    assert f'href="{_csv(publisher)}"' in page


def test_csv_lists_the_same_with_formulas_neutralised(client, editor, used):
    publisher, first, second = used

    response = client.get(_csv(publisher))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="city-region-usage.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "event", "team", "entry", "entry status", "dataset", "file", "how it was used"
    ]  # fmt: skip
    assert sorted(rows[1:]) == sorted(
        [
            ["Spring Data Day", first.team.name, "Jobs and parks", "Submitted",
             "Claimant count", "Claimants by ward", "Joined to wards"],
            ["Autumn Data Day", second.team.name, "Benefits map", "Locked",
             "Claimant count", "", "'=HYPERLINK(\"http://evil\")"],
        ]
    )  # fmt: skip


@pytest.mark.parametrize("url", [INDEX, "/catalogue/publishers/city-region/usage/",
                                 "/catalogue/publishers/city-region/usage.csv"])  # fmt: skip
def test_usage_is_403_to_people_who_are_not_catalogue_editors(client, organiser, used, url):
    assert client.get(url).status_code == 403
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("slug", "status"),
    # A NUL byte is refused before any view (400); bytes that are no slug match no route.
    [("no-such-publisher", 404), ("bad%00slug", 400), ("%ED%A0%80", 404)],
)
def test_usage_of_an_unknown_publisher_is_refused(client, editor, slug, status):
    for url in (f"/catalogue/publishers/{slug}/usage/", f"/catalogue/publishers/{slug}/usage.csv"):
        assert client.get(url).status_code == status, url


def test_usage_page_costs_the_same_queries_for_1_and_20_citations(client, editor):
    publisher = PublisherFactory()
    event = EventFactory()

    def add(k):
        for _ in range(k):
            dataset = DatasetFactory(publisher=publisher)
            DatasetCitation.objects.create(
                submission=entry(event), dataset=dataset, resource=ResourceFactory(dataset=dataset)
            )

    def fetch():
        response = client.get(_page(publisher))
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: DatasetCitation.objects.filter(dataset__publisher=publisher).values_list(
            "submission__team__name", flat=True
        ),
    )


def test_the_catalogue_editor_home_links_the_report(client, editor):
    response = client.get("/catalogue/")

    assert response.status_code == 200
    assert f'href="{INDEX}">Teams&#x27; use of each publisher&#x27;s data</a>' in (
        response.content.decode()
    )


def test_the_editor_home_leaves_out_a_page_whose_permission_the_editor_lacks(
    client, editor, monkeypatch
):
    from common.registry import Registry
    from datasets.extensions import EditorPage
    from datasets.views import editor as editor_views

    pages = Registry("catalogue editor pages")
    pages.register("held", EditorPage("Held", "submissions_publisher_usage_index",
                                      "submissions.view_publisher_usage"))  # fmt: skip
    pages.register("lacked", EditorPage("Lacked", "submissions_publisher_usage_index",
                                        "events.add_event"))  # fmt: skip
    monkeypatch.setattr(editor_views, "editor_pages", pages)

    page = client.get("/catalogue/").content.decode()

    assert ">Held</a>" in page
    assert ">Lacked</a>" not in page
