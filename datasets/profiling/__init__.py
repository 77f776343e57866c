"""Profiling a tabular file on disk: rows, columns, per-column statistics, a preview.

Pure Python (no Django models), so the catalogue's profiling task and the submissions
work use the same code. `profile_file` streams the file with bounded memory whatever
its size (pyarrow's CSV streaming reader; calamine for capped XLSX) and raises
`ProfileError`, whose message is a sentence for the resource page, for anything it
cannot profile: no pyarrow, calamine or decoding exception escapes.

    profile = profile_file(path, file_format="csv", progress=lambda f: ...)
    digest = profile.sha256 or sha256_of(path)  # computed on the way for most CSV
    stored = profile.to_json()

Per column (`TableProfile.fields`): name, type (integer, number, boolean, date,
datetime, string), count (non-empty), nulls, distinct (exact below 4,096 distinct
values, else a k-minimum-values estimate; `distinct_is_exact` says which), min and max
(numbers and dates), mean (numbers), top_values (text and booleans: up to 10
[value, count] pairs from a Misra-Gries summary; `top_values_are_exact` is false when
counts are lower bounds).
"""

import logging
from collections.abc import Callable
from pathlib import Path

from common.files import sha256_of  # the one hash helper, offered to profiling's callers
from datasets.profiling.delimited import DEFAULT_BLOCK_SIZE, MAX_BLOCK_SIZE, profile_delimited
from datasets.profiling.result import ProfileError, TableProfile
from datasets.profiling.spreadsheet import DEFAULT_MAX_BYTES, DEFAULT_MAX_CELLS, profile_xlsx

logger = logging.getLogger(__name__)

__all__ = ["FORMATS", "ProfileError", "TableProfile", "profile_file", "sha256_of"]

FORMATS = ("csv", "tsv", "xlsx")


def profile_file(
    path: Path | str,
    *,
    file_format: str,
    progress: Callable[[float], None] | None = None,
    preview_rows: int = 50,
    sheet: str | None = None,
    max_xlsx_bytes: int = DEFAULT_MAX_BYTES,
    max_xlsx_cells: int = DEFAULT_MAX_CELLS,
    block_size: int = DEFAULT_BLOCK_SIZE,
    max_block_size: int = MAX_BLOCK_SIZE,
    interruptions: tuple[type[BaseException], ...] = (),
) -> TableProfile:
    """Profile the file at `path` read as `file_format` ("csv", "tsv" or "xlsx").

    `interruptions` are the caller's own exceptions (a task's time limit) that must
    reach it as they are, not as "the file could not be profiled".

    `progress(fraction)` is called as the file is read (fractions rising to 1.0, at
    most about a hundred times). XLSX workbooks over `max_xlsx_bytes`, or whose sheet
    declares more than `max_xlsx_cells` cells, are refused before they are loaded.
    """
    path = Path(path)
    kind = (file_format or "").strip().lower().lstrip(".")
    if kind not in FORMATS:
        raise ProfileError(
            f"Files in {kind.upper() or 'this'} format cannot be profiled; "
            "CSV, TSV and XLSX files can."
        )
    try:
        size = path.stat().st_size
        if kind == "xlsx":
            return profile_xlsx(
                path,
                size=size,
                sheet=sheet,
                progress=progress,
                preview_rows=preview_rows,
                max_bytes=max_xlsx_bytes,
                max_cells=max_xlsx_cells,
                interruptions=interruptions,
            )
        return profile_delimited(
            path,
            size=size,
            delimiter="\t" if kind == "tsv" else None,
            progress=progress,
            preview_rows=preview_rows,
            block_size=block_size,
            max_block_size=max_block_size,
        )
    except (ProfileError, *interruptions):
        raise
    except OSError:
        raise ProfileError("The file could not be opened for reading.") from None
    except Exception as error:
        # A last guard: the readers turn the failures they know into sentences already;
        # anything else is a gap in them, logged so it gets fixed.
        logger.exception("Profiling %s as %s failed unexpectedly", path, kind)
        raise ProfileError(
            f"The file could not be profiled ({type(error).__name__}); it may be damaged."
        ) from None
