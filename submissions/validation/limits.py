"""The bounds every check works within; settings.SUBMISSIONS_VALIDATION_LIMITS overrides
them (from the environment), and the child process receives them as JSON."""

from dataclasses import asdict, dataclass

from common.files import ZipBounds

MIB = 1024 * 1024
# How the environment, not the file, says it is out of resources: a thread that could
# not start (its stack counts against the memory limit), an allocation refused.
RESOURCE_ERRORS = (
    "Failed to launch worker thread",
    "can't start new thread",
    "Resource temporarily unavailable",
    "Cannot allocate memory",
)


def as_resource_error(error: Exception) -> MemoryError | None:
    """A MemoryError standing for `error` when it reports a lack of resources (the
    caller's memory limit decides what that means), else None."""
    if any(sign in str(error) for sign in RESOURCE_ERRORS):
        return MemoryError(str(error))
    return None


@dataclass(frozen=True)
class Limits:
    # Zip bundles, judged from the central directory before anything is extracted.
    max_zip_entries: int = 1000
    max_zip_total_bytes: int = 1024 * MIB
    max_zip_ratio: int = 100  # uncompressed / compressed, per member and overall
    max_member_bytes: int = 200 * MIB
    # A member smaller than this is not judged by its ratio: a small file of repeated
    # values compresses a thousandfold and harms nobody; bombs are large by definition.
    min_ratio_bytes: int = 1 * MIB
    # Notebooks are parsed whole (JSON), so their size is bounded before they are read.
    max_notebook_bytes: int = 50 * MIB
    # Tables.
    sample_rows: int = 1000  # rows frictionless checks cell by cell
    max_xlsx_bytes: int = 50 * MIB
    max_xlsx_cells: int = 5_000_000  # over all the workbook's sheets
    # Reports.
    max_findings_per_check: int = 50
    # Disclosure control (UK statistical output checking's rules of thumb).
    count_threshold: int = 10
    # The child process's data segment (RLIMIT_DATA), in MiB.
    memory_limit_mb: int = 1536

    @property
    def zip_bounds(self) -> ZipBounds:
        """The bounds of a bundle's members, and of a workbook's parts (a zip too)."""
        return ZipBounds(self.max_member_bytes, self.max_zip_ratio, self.min_ratio_bytes)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Limits":
        known = cls.__dataclass_fields__
        return cls(**{key: value for key, value in data.items() if key in known})
