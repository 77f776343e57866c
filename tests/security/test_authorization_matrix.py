"""Every route, every role, the exact status: matrix.py holds the table."""

import fnmatch

import pytest
from django.urls import reverse

from tests.security.matrix import (
    EXEMPT,
    LOGIN,
    ROWS,
    named_routes,
    perform,
    routes_missing_from_matrix,
)
from tests.security.roles import ROLES

CASES = [pytest.param(row, role, id=f"{row.id}-{role}") for row in ROWS for role in ROLES]


def _refused_by_api(row, role) -> bool:
    expected = row.expect.get(role)
    return row.is_api and isinstance(expected, int) and expected >= 400


API_REFUSALS = [case for case in CASES if _refused_by_api(*case.values)]


def _outcome(response):
    """What the matrix compares: the status, or LOGIN for a redirect to sign in."""
    login = reverse("account_login") + "?next="
    if response.status_code == 302 and response["Location"].startswith(login):
        return LOGIN
    return response.status_code


def _describe(response) -> str:
    where = f" to {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


@pytest.mark.parametrize(("row", "role"), CASES)
def test_route_status_matches_matrix_for_role(row, role, world):
    expected = row.expect.get(role)
    assert expected is not None, f"{row.id} says nothing about {role}"

    response = perform(row, ROLES[role](world), world)

    assert _outcome(response) == expected, (
        f"{row.id} as {role}: expected {expected}, got {_describe(response)}"
    )
    if row.effect is not None:
        # A refusal must leave no trace, and a success must have done the write.
        should = row.succeeds_for(role)
        assert row.effect(world) == should, (
            f"{row.id} as {role}: the write {'did not happen' if should else 'happened'}"
        )


@pytest.mark.parametrize(("row", "role"), API_REFUSALS)
def test_api_refusal_body_has_error_shape(row, role, world):
    response = perform(row, ROLES[role](world), world)

    assert response.status_code == row.expect[role]
    body = response.json()
    assert list(body) == ["error"]
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)


def test_every_named_route_is_in_the_matrix():
    missing = routes_missing_from_matrix()

    assert missing == [], (
        "Named routes without a matrix row (add rows, or an EXEMPT entry with a reason): "
        + ", ".join(missing)
    )


def test_walker_reports_route_missing_from_matrix():
    # probe_urls is the project's urlconf plus one route inside nested namespaces.
    assert routes_missing_from_matrix("tests.security.probe_urls") == ["probe:inner:unlisted"]


def test_matrix_rows_name_existing_routes():
    stale = sorted({row.route for row in ROWS} - named_routes())

    assert stale == [], f"Matrix rows for routes that do not exist: {', '.join(stale)}"


def test_matrix_rows_cover_every_role():
    gaps = {
        row.id: sorted(set(ROLES) ^ set(row.expect))
        for row in ROWS
        if set(row.expect) != set(ROLES)
    }

    assert gaps == {}, f"Rows missing (or naming unknown) roles: {gaps}"


def test_matrix_row_ids_are_unique():
    ids = [row.id for row in ROWS]

    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize("pattern", EXEMPT)
def test_exemption_has_reason_and_matches_routes(pattern):
    routes = named_routes()

    assert EXEMPT[pattern].strip(), f"EXEMPT[{pattern!r}] needs a reason"
    assert any(fnmatch.fnmatchcase(route, pattern) for route in routes), (
        f"EXEMPT[{pattern!r}] matches no route; remove it"
    )
