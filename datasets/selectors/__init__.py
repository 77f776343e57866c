"""Reads of the catalogue that are more than a one-line filter, by subject:
`search` (the catalogue's search and facets, what someone may see), `usage` (who
accepted terms and who downloaded), `featured` (an event's featured datasets), `editing`
(the editors' lists). Terms are read here."""

from django.db.models import Max


def current_terms_version(dataset) -> int | None:
    """The newest version of a dataset's terms, or None when it has none."""
    return dataset.terms.aggregate(newest=Max("version"))["newest"]
