"""Authorization-matrix rows for the catalogue's editor routes (see matrix.py for the
row format; `world.catalogue` holds the datasets they run against)."""


def rows() -> list:
    return []
