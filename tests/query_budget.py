from html import escape

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Above this a page costs too much whatever its shape; a page that needs more says so.
MAX_QUERIES = 20


def assert_flat_queries(*, fetch, add_items, shown, many=20, max_queries=MAX_QUERIES):
    """Assert that `fetch()` runs as many SQL queries for `many` items as for one, at most
    `max_queries`, and that the response shows every one of the `many` items.

    `add_items(k)` creates k more items; `fetch()` makes the request, checks its status
    and returns the response; `shown()`, called once all the items exist, lists the text
    that identifies each of them (a name, a title), or for a page that only counts them
    the count it shows; the response must contain every one.
    """
    add_items(1)
    fetch()  # warm caches that are per-process (content types, site), not per-item
    with CaptureQueriesContext(connection) as one:
        fetch()
    add_items(many - 1)
    with CaptureQueriesContext(connection) as lots:
        response = fetch()
    queries_one = [q["sql"] for q in one.captured_queries]
    queries_many = [q["sql"] for q in lots.captured_queries]
    assert len(queries_one) == len(queries_many), (
        f"{len(queries_one)} queries for 1 item but {len(queries_many)} for {many}:\n"
        + "\n".join(queries_many)
    )
    assert len(queries_many) <= max_queries, (
        f"{len(queries_many)} queries, more than {max_queries}:\n" + "\n".join(queries_many)
    )
    texts = [str(text) for text in shown()]
    content = response.content.decode()
    missing = [text for text in texts if text not in content and escape(text) not in content]
    assert not missing, f"not in the response: {missing}"
    return len(queries_one)
