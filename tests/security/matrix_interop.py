"""Authorization-matrix rows for the catalogue's interop routes (see matrix.py for the
row format; `world.catalogue` holds the datasets they run against)."""


def rows() -> list:
    return []
