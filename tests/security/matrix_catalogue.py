"""Authorization-matrix rows for the catalogue's catalogue routes (see matrix.py for the
row format; `world.catalogue` holds the datasets they run against).

The open dataset is featured on A, so A's organisers (organiser, superuser) see its
usage for A's participants; the participant accepted the restricted dataset's terms
(version 1); the draft is seen by catalogue editors (catalogue_editor, superuser) alone.
"""

from tests.security.matrix import JUDGES, LOGIN, SIGNED_IN, Row, constant, everyone, expect

EDITORS = "catalogue_editor,superuser"
# Signed in, neither a catalogue editor nor an organiser of A.
NOT_EDITORS = f"user,participant,{JUDGES},volunteer,mentor,team_member,team_lead,other_organiser"
NOT_EDITORS_OR_ORGANISER = f"{NOT_EDITORS},organiser"
DRAFT = expect(f"anonymous:404 {NOT_EDITORS_OR_ORGANISER}:404 {EDITORS}:200")


def dataset(key: str):
    return lambda w: {"slug": getattr(w.catalogue, f"{key}_dataset").slug}


def resource(key: str, *, of: str | None = None):
    """The resource of dataset `key`, addressed under dataset `of` (by default its own;
    another one checks cross-dataset addressing)."""

    def build(w):
        return {
            "slug": getattr(w.catalogue, f"{of or key}_dataset").slug,
            "resource_id": getattr(w.catalogue, f"{key}_resource").pk,
        }

    return build


def api_resource(key: str, *, of: str | None = None):
    def build(w):
        return {
            "dataset_slug": getattr(w.catalogue, f"{of or key}_dataset").slug,
            "pk": getattr(w.catalogue, f"{key}_resource").pk,
        }

    return build


def api_dataset(key: str):
    return lambda w: {"dataset_slug": getattr(w.catalogue, f"{key}_dataset").slug}


MISSING = constant({"slug": "no-such-dataset"})
ACCEPT_V1 = constant({"accept": "on", "version": "1", "next": ""})


# fmt: off
def rows() -> list:
    return [
        Row("datasets:catalogue", "GET", everyone(200)),
        Row("datasets:dataset", "GET", everyone(200), dataset("open"), label="open"),
        Row("datasets:dataset", "GET", everyone(200), dataset("restricted"), label="restricted"),
        Row("datasets:dataset", "GET", DRAFT, dataset("draft"), label="draft"),
        Row("datasets:dataset", "GET", everyone(404), MISSING, label="missing"),
        Row("datasets:resource", "GET", everyone(200), resource("open"), label="open"),
        Row("datasets:resource", "GET", everyone(200), resource("restricted"),
            label="restricted"),
        Row("datasets:resource", "GET", DRAFT, resource("draft"), label="draft"),
        Row("datasets:resource", "GET", everyone(404), resource("restricted", of="open"),
            label="other-dataset"),
        Row("datasets:resource_status", "GET", everyone(200), resource("open"), label="open"),
        Row("datasets:resource_status", "GET", DRAFT, resource("draft"), label="draft"),
        Row("datasets:resource_status", "GET", everyone(404), resource("draft", of="open"),
            label="other-dataset"),
        # Downloads: open to all; restricted to those who accepted the current terms (the
        # others are sent to the terms, the signed out to sign in); drafts to editors.
        Row("datasets:resource_download", "GET", everyone(200), resource("open"), label="open"),
        Row("datasets:resource_download", "GET",
            expect(f"anonymous:{LOGIN} participant:200 {EDITORS}:200 "
                   f"user,{JUDGES},volunteer,mentor,team_member,team_lead,other_organiser,"
                   "organiser:302"),
            resource("restricted"), label="restricted"),
        Row("datasets:resource_download", "GET", DRAFT, resource("draft"), label="draft"),
        Row("datasets:resource_download", "GET", everyone(404),
            resource("restricted", of="open"), label="other-dataset"),
        # Terms: a restricted dataset's only; signing in comes first.
        Row("datasets:terms", "GET", expect(f"anonymous:{LOGIN} {SIGNED_IN}:200"),
            dataset("restricted"), label="restricted"),
        Row("datasets:terms", "GET", expect(f"anonymous:{LOGIN} {SIGNED_IN}:404"),
            dataset("open"), label="open"),
        Row("datasets:terms", "GET", expect(f"anonymous:{LOGIN} {SIGNED_IN}:404"),
            dataset("draft"), label="draft"),
        Row("datasets:terms", "POST", expect(f"anonymous:{LOGIN} {SIGNED_IN}:302"),
            dataset("restricted"), data=ACCEPT_V1, label="restricted"),
        Row("datasets:terms", "POST", expect(f"anonymous:{LOGIN} {SIGNED_IN}:404"),
            dataset("open"), data=ACCEPT_V1, label="open"),
        # Usage: editors see everyone; A's organisers the open dataset's use by A's
        # participants (it is featured on A); other people may see the dataset, not this.
        Row("datasets:usage", "GET",
            expect(f"anonymous:{LOGIN} {EDITORS}:200 organiser:200 {NOT_EDITORS}:403"),
            dataset("open"), label="featured"),
        Row("datasets:usage", "GET",
            expect(f"anonymous:{LOGIN} {EDITORS}:200 {NOT_EDITORS_OR_ORGANISER}:403"),
            dataset("restricted"), label="not-featured"),
        Row("datasets:usage", "GET",
            expect(f"anonymous:{LOGIN} {EDITORS}:200 {NOT_EDITORS_OR_ORGANISER}:404"),
            dataset("draft"), label="draft"),
        # The API: the same visibility (drafts answer 404, even to the signed out).
        Row("api:dataset-list", "GET", everyone(200)),
        Row("api:dataset-detail", "GET", everyone(200), dataset("restricted"),
            label="restricted"),
        Row("api:dataset-detail", "GET", DRAFT, dataset("draft"), label="draft"),
        Row("api:dataset-detail", "GET", everyone(404), MISSING, label="missing"),
        Row("api:dataset-resource-list", "GET", everyone(200), api_dataset("open"),
            label="open"),
        Row("api:dataset-resource-list", "GET", DRAFT, api_dataset("draft"), label="draft"),
        Row("api:dataset-resource-detail", "GET", everyone(200), api_resource("restricted"),
            label="restricted"),
        Row("api:dataset-resource-detail", "GET", DRAFT, api_resource("draft"), label="draft"),
        Row("api:dataset-resource-detail", "GET", everyone(404),
            api_resource("draft", of="open"), label="other-dataset"),
    ]
# fmt: on
