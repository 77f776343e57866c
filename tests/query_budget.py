from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_flat_queries(*, fetch, add_items, many=20):
    """Assert that `fetch()` runs as many SQL queries for `many` items as for one.

    `add_items(k)` creates k more items; `fetch()` makes the request and checks it.
    """
    add_items(1)
    fetch()  # warm caches that are per-process (content types, site), not per-item
    with CaptureQueriesContext(connection) as one:
        fetch()
    add_items(many - 1)
    with CaptureQueriesContext(connection) as lots:
        fetch()
    queries_one = [q["sql"] for q in one.captured_queries]
    queries_many = [q["sql"] for q in lots.captured_queries]
    assert len(queries_one) == len(queries_many), (
        f"{len(queries_one)} queries for 1 item but {len(queries_many)} for {many}:\n"
        + "\n".join(queries_many)
    )
    return len(queries_one)
