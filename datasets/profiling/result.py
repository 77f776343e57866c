"""What profiling returns (`TableProfile`) and how it fails (`ProfileError`)."""

import math
from dataclasses import asdict, dataclass, field

# Cells and names are cut to this many characters in what is stored: a 1 MB cell belongs
# in the file, not in every page that shows the profile.
MAX_TEXT = 200


class ProfileError(Exception):
    """The file cannot be profiled; the message is a sentence for the resource page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TableProfile:
    rows: int
    columns: int
    fields: list[dict]
    preview_header: list[str]
    preview: list[list[str | None]]
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    # The file's SHA-256 when the profiling pass computed it on the way (CSV read in
    # pieces); else None, and `sha256_of` computes it.
    sha256: str | None = None

    def to_json(self) -> dict:
        """A JSON-safe dict for a JSONField: no NaN or infinity, no bytes, no NUL
        characters (PostgreSQL's jsonb refuses them), long text cut short."""
        return _json_safe(asdict(self))


def clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _json_safe(value):
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        # Lone surrogates cannot be encoded in JSON text that PostgreSQL accepts either.
        value = value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
        return clip(value)
    return value
