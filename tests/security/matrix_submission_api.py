"""Authorization-matrix rows for the submissions api (see matrix.py for the row format;
`world.entries` holds the entries they run against: A1's in A, B1's in B)."""

from tests.security.matrix import Row


def rows() -> list[Row]:
    return []
