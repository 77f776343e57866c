"""Profiling CSV and TSV files in one pass, in bounded memory.

How the file is read:
- A leading sample decides the encoding (a BOM, else strict UTF-8, else
  charset-normalizer) and the delimiter (csv.Sniffer), and refuses binary data.
- The file is cut at line breaks into pieces of a few MB, each parsed by pyarrow's
  multi-threaded `read_csv` while the previous piece's statistics are computed (see
  `_split_batches`); UTF-16 files, and files whose quoted values hold line breaks, go
  through pyarrow's streaming reader instead.
- Column types are inferred from the first piece. If a later piece has a value that
  does not fit (an integer column with "n/a" on row 3,000,000), the read starts again
  with that column widened (empty → integer → number → string): the common case pays
  for one pass, an awkward file for a few.
- If text further in turns out not to be UTF-8, the read starts again as Windows-1252
  (then Latin-1), with a warning: a file of mixed encodings is read, its odd characters
  possibly wrong, rather than refused.
- Rows with more or fewer cells than the header are skipped and counted.
- A line longer than the block size makes the block size grow (4 times) up to a ceiling;
  a longer line is refused.
"""

import codecs
import csv
import hashlib
import queue
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import charset_normalizer
import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from datasets.profiling.columns import ColumnStats, unique_names
from datasets.profiling.result import ProfileError, TableProfile, clip

SAMPLE_BYTES = 64 * 1024
SNIFF_CHARS = 16 * 1024
DEFAULT_BLOCK_SIZE = 1024 * 1024
# A split file's pieces are this many blocks (4 MB by default): bigger pieces hold more
# memory in flight (8 blocks: 30-60 MiB more at the peak) for no measurable speed.
SPLIT_BLOCKS = 4
# Encodings in which a 0x0A byte is always a line break, so a file can be cut there.
SPLITTABLE_ENCODINGS = {"utf-8", "cp1252", "latin-1", "iso8859-1", "ascii"}
MAX_BLOCK_SIZE = 64 * 1024 * 1024
# More columns than this is not a table anyone reads column by column (and would make a
# profile of megabytes).
MAX_COLUMNS = 10_000
QUOTE_COUNT_BLOCK = 8 * 1024 * 1024
DELIMITERS = ",;\t|"
# Widening order for a column whose inferred type a later value does not fit.
WIDER = {"null": pa.int64(), "int64": pa.float64(), "double": pa.string()}
SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (an XLSX workbook is one)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (XLS or DOC)"),
    (b"\x1f\x8b", "a gzip archive"),
)
_CONVERSION = re.compile(r"In CSV column #(\d+): .*CSV conversion error to (\S+?):")
_NOT_UTF8 = ("invalid UTF8", "invalid UTF-8")


@dataclass
class _Attempt:
    """What one pass over the file is told; each retry changes one thing."""

    encoding: str
    delimiter: str
    block_size: int
    max_line: int
    column_types: dict[str, pa.DataType] = field(default_factory=dict)
    column_names: list[str] | None = None
    newlines_in_values: bool = False


class _Retry(Exception):
    """Start the read again with `attempt`."""

    def __init__(self, attempt: _Attempt):
        self.attempt = attempt


@dataclass
class DelimitedScan:
    """What a pass over a delimited file found, besides what its batches held."""

    encoding: str
    delimiter: str
    # The header's names made unique and non-blank: the batches' column names.
    column_names: list[str]
    more_cells: int  # rows skipped for having more cells than the header
    fewer_cells: int  # and for having fewer
    warnings: list[str]  # the fallback encoding used, if any
    unclosed_quote: bool
    sha256: str | None  # computed on the way when the file was read in pieces
    attempt: "_Attempt"  # how the last pass read the file


def profile_delimited(
    path: Path,
    *,
    size: int,
    delimiter: str | None,
    progress: Callable[[float], None] | None,
    preview_rows: int,
    block_size: int = DEFAULT_BLOCK_SIZE,
    max_block_size: int = MAX_BLOCK_SIZE,
) -> TableProfile:
    encoding, delimiter = detect_dialect(path, size=size, delimiter=delimiter)
    columns: list[ColumnStats] = []

    def start(schema: pa.Schema):
        columns[:] = [ColumnStats(column.name, column.type) for column in schema]

        def update(batch: pa.RecordBatch) -> None:
            for stats, array in zip(columns, batch.columns, strict=True):
                stats.update(array)

        return update

    scan = scan_delimited(
        path,
        size=size,
        encoding=encoding,
        delimiter=delimiter,
        start=start,
        progress=progress,
        block_size=block_size,
        max_block_size=max_block_size,
    )
    rows = columns[0].rows if columns else 0
    preview = _preview(path, scan.attempt, preview_rows) if rows else []
    warnings = list(scan.warnings)
    if scan.more_cells:
        warnings.append(_skipped(scan.more_cells, "more"))
    if scan.fewer_cells:
        warnings.append(_skipped(scan.fewer_cells, "fewer"))
    if not rows:
        warnings.append("The file has a header row but no data rows.")
    if scan.unclosed_quote:
        warnings.append(UNCLOSED_QUOTE)
    return TableProfile(
        rows=rows,
        columns=len(columns),
        fields=[stats.as_field() for stats in columns],
        preview_header=list(scan.column_names),
        preview=preview,
        warnings=warnings,
        encoding=scan.encoding,
        delimiter=scan.delimiter,
        sha256=scan.sha256,
    )


UNCLOSED_QUOTE = (
    "A quoted value is never closed: everything after its opening quote was read as one "
    "value, so rows may be missing."
)


def detect_dialect(path: Path, *, size: int, delimiter: str | None = None) -> tuple[str, str]:
    """(Python codec name, delimiter) of a delimited text file, judged from a leading
    sample; a ProfileError for an empty file, binary data or an unknown encoding."""
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    if not sample.strip():
        raise ProfileError("The file is empty.")
    _refuse_binary(sample)
    encoding, text = _detect_encoding(sample, truncated=size > len(sample))
    if not text.strip():
        raise ProfileError("The file is empty.")
    delimiter = delimiter or _detect_delimiter(text)
    _refuse_wide_header(path, encoding, delimiter)
    return encoding, delimiter


class TooManyColumns(ProfileError):
    """The header names more than MAX_COLUMNS columns."""


def _too_many_columns(count: int) -> str:
    return (
        f"The header has {count:,} columns; files with up to {MAX_COLUMNS:,} columns can be read."
    )


def _refuse_wide_header(path: Path, encoding: str, delimiter: str) -> None:
    """A TooManyColumns when the first line holds MAX_COLUMNS delimiters or more, counted
    in pieces as text: pyarrow given a header of millions of columns runs out of memory
    before its width can be checked. A delimiter inside quotes counts too (a header
    quoting thousands of them is not a table either)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    delimiters = read = 0
    with open(path, "rb") as handle:
        while read < MAX_BLOCK_SIZE and (chunk := handle.read(SAMPLE_BYTES)):
            read += len(chunk)
            text = decoder.decode(chunk)
            ends = [at for at in (text.find("\n"), text.find("\r")) if at >= 0]
            delimiters += text.count(delimiter, 0, min(ends, default=len(text)))
            if ends:
                break
    if delimiters >= MAX_COLUMNS:
        raise TooManyColumns(_too_many_columns(delimiters + 1))


def scan_delimited(
    path: Path,
    *,
    size: int,
    encoding: str,
    delimiter: str,
    start: Callable[[pa.Schema], Callable[[pa.RecordBatch], None]],
    progress: Callable[[float], None] | None = None,
    block_size: int = DEFAULT_BLOCK_SIZE,
    max_block_size: int = MAX_BLOCK_SIZE,
) -> DelimitedScan:
    """Read the whole file once (bounded memory), handing each record batch to a consumer.

    A pass that meets a value its column's type does not fit, text that is not in the
    encoding, or a line longer than the block starts again, so `start(schema)` is called
    at the beginning of each pass and returns the function that receives that pass's
    batches: whatever the consumer gathered in an abandoned pass is dropped with it. A
    file with a header and no rows gets one `start` (its columns typed null) and no batch.
    """
    attempt = _Attempt(
        encoding=encoding, delimiter=delimiter, block_size=block_size, max_line=max_block_size
    )
    fallbacks = [name for name in ("cp1252", "latin-1") if name != encoding]
    if encoding.startswith("utf-16"):
        fallbacks = []
    warnings: list[str] = []
    # Each retry widens a column, grows the block, or changes the encoding: bounded.
    for _ in range(64):
        try:
            scan = _scan(path, attempt, size, start, progress)
        except _Retry as retry:
            attempt = retry.attempt
            continue
        except UnicodeError:
            attempt = _fall_back(attempt, fallbacks, warnings)
            continue
        except pa.ArrowInvalid as error:
            attempt = _next_attempt(attempt, str(error), fallbacks, warnings, max_block_size)
            continue
        return replace(scan, warnings=warnings)
    raise ProfileError("The file could not be read as CSV: its columns kept changing type.")


def _line_too_long(limit: int) -> str:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return (
        f"A line of the file is longer than {size}, which is too long to read as CSV. "
        "Check that the file is a CSV file with one record per line."
    )


def _fall_back(attempt: _Attempt, fallbacks: list[str], warnings: list[str]) -> _Attempt:
    """The attempt with the next fallback encoding (and its warning, replacing an earlier
    one), or a ProfileError when none is left."""
    if not fallbacks:
        raise ProfileError(
            "The file's text could not be decoded: it is neither UTF-8 nor a common "
            "Windows or Latin encoding. Save it as UTF-8 and upload it again."
        )
    encoding = fallbacks.pop(0)
    warnings[:] = [warning for warning in warnings if not warning.startswith(_MIXED)]
    warnings.append(
        f"{_MIXED}, so the file was read as {encoding_label(encoding)}; if it mixes "
        "encodings, some accented letters or symbols may show wrongly."
    )
    return replace(attempt, encoding=encoding, column_types={})


_MIXED = "Some text is not valid UTF-8"


def _next_attempt(attempt, message, fallbacks, warnings, max_block_size) -> _Attempt:
    """The attempt that gets past the error pyarrow gave, or a ProfileError."""
    if "straddles two block boundaries" in message:
        if attempt.block_size >= max_block_size:
            raise ProfileError(_line_too_long(max_block_size))
        return replace(attempt, block_size=min(attempt.block_size * 4, max_block_size))
    if "out of sync with chunker" in message and not attempt.newlines_in_values:
        return replace(attempt, newlines_in_values=True)
    if any(marker in message for marker in _NOT_UTF8):
        return _fall_back(attempt, fallbacks, warnings)
    match = _CONVERSION.search(message)
    if match and attempt.column_names:
        name = attempt.column_names[int(match.group(1))]
        wider = WIDER.get(match.group(2), pa.string())
        return replace(attempt, column_types={**attempt.column_types, name: wider})
    if "Empty CSV file" in message:
        raise ProfileError("The file is empty.")
    raise ProfileError(f"The file could not be read as CSV: {clip(_first_line(message))}")


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"


def _refuse_binary(sample: bytes) -> None:
    for signature, label in SIGNATURES:
        if sample.startswith(signature):
            raise ProfileError(f"The file looks like {label}, not a CSV text file.")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    controls = sum(sample.count(bytes([byte])) for byte in (*range(9), *range(14, 32)))
    if b"\x00" in sample or controls > len(sample) // 100:
        raise ProfileError(
            "The file contains binary data, not text: it is not a CSV file even if its "
            "name says so."
        )


def _detect_encoding(sample: bytes, *, truncated: bool) -> tuple[str, str]:
    """(Python codec name, decoded sample)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8", sample[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", sample.decode("utf-16", errors="replace")
    try:
        return "utf-8", sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A sample cut inside a multi-byte character is still UTF-8.
        cut_short = error.reason == "unexpected end of data" and error.start >= len(sample) - 3
        if truncated and cut_short:
            return "utf-8", sample[: error.start].decode("utf-8")
    matches = charset_normalizer.from_bytes(sample)
    # UTF-16 or UTF-32 text without a BOM has NUL bytes (in every ASCII character), and a
    # sample with NULs was refused as binary: a short sample "fitting" them is a false match.
    matches = [m for m in matches if not m.encoding.startswith(("utf_16", "utf_32"))]
    best = matches[0] if matches else None
    if best is None:
        raise ProfileError(
            "The file's text encoding could not be recognised. Save it as UTF-8 and upload "
            "it again."
        )
    # A short sample often fits several code pages equally well (cp1250 and cp1252 read
    # "Café" alike, "£" not): among the equally good, Windows-1252 is what spreadsheet
    # programs write in the UK.
    tied = {m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    encoding = codecs.lookup("cp1252" if "cp1252" in tied else best.encoding).name
    return encoding, sample.decode(encoding, errors="replace")


def encoding_label(encoding: str) -> str:
    """A codec's name as people know it: "utf-8" is UTF-8, "cp1252" Windows-1252."""
    known = {"cp1252": "Windows-1252", "latin-1": "Latin-1", "iso8859-1": "Latin-1"}
    return known.get(encoding, encoding.upper() if encoding.startswith("utf") else encoding)


def _detect_delimiter(text: str) -> str:
    lines = text[:SNIFF_CHARS].splitlines()
    # The last line of the sample may be cut short; it would mislead the sniffer.
    sniffed = "\n".join(lines[:-1] if len(lines) > 2 else lines)
    try:
        return csv.Sniffer().sniff(sniffed, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        counts = {candidate: header.count(candidate) for candidate in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _options(attempt: _Attempt, *, as_text: bool, invalid_rows: list[int] | None, schema=None):
    """Keyword arguments for pyarrow's CSV readers. With `schema` (a piece after the first
    of a split file): no header row, and exactly that schema's column types."""
    read = pa_csv.ReadOptions(
        block_size=attempt.block_size,
        encoding=attempt.encoding,
        use_threads=True,
        column_names=attempt.column_names,
        skip_rows=1 if attempt.column_names and schema is None else 0,
    )

    def count_invalid(row) -> str:
        # Index 0: more cells than the header; index 1: fewer.
        invalid_rows[0 if row.actual_columns > row.expected_columns else 1] += 1
        return "skip"

    parse = pa_csv.ParseOptions(
        delimiter=attempt.delimiter,
        newlines_in_values=attempt.newlines_in_values,
        invalid_row_handler=count_invalid if invalid_rows is not None else lambda row: "skip",
    )
    if as_text:
        types = dict.fromkeys(attempt.column_names or (), pa.string())
        # Only an empty cell is missing: "NA" or "null" are shown as the file spells them.
        convert = pa_csv.ConvertOptions(
            column_types=types, strings_can_be_null=True, null_values=[""]
        )
    else:
        # Empty text stays "" (the statistics count it as missing): asking the reader
        # for nulls would also turn "NA" or "null" text into missing values.
        convert = pa_csv.ConvertOptions(column_types=schema or attempt.column_types)
    return {"read_options": read, "parse_options": parse, "convert_options": convert}


def _scan(path, attempt, size, start, progress) -> DelimitedScan:
    invalid_rows = [0, 0]
    if attempt.column_names is None:
        names = _header(path, attempt, size)
        if len(names) > MAX_COLUMNS:
            raise TooManyColumns(_too_many_columns(len(names)))
        # Column types are set by name, and retries need to name each column, so the
        # header is given explicitly (unique, none blank) from now on.
        raise _Retry(replace(attempt, column_names=unique_names(names)))
    split = attempt.encoding in SPLITTABLE_ENCODINGS and not attempt.newlines_in_values
    # A split read passes every byte of the file through Python: hashing them on the way
    # spares the caller a second pass for the SHA-256.
    digest = hashlib.sha256() if split else None
    if split:
        batches = _split_batches(path, attempt, invalid_rows, digest)
    else:
        batches = _streamed_batches(path, attempt, invalid_rows)
    consume = None
    reported = 0.0
    try:
        for item, position in _read_ahead(batches):
            if consume is None:  # the first item is the schema
                if any(pa.types.is_binary(column.type) for column in item):
                    raise pa.ArrowInvalid("invalid UTF8 data in a column")
                consume = start(item)
                continue
            consume(item)
            if progress is not None and size and position / size - reported >= 0.01:
                reported = min(position / size, 1.0)
                progress(reported)
    except pa.ArrowInvalid as error:
        # Nothing after the header row (not even a line break): a header-only file.
        header_only = "Empty CSV file" in str(error) or "Could not skip initial" in str(error)
        if consume is not None or not header_only:
            raise
        start(pa.schema([(name, pa.null()) for name in attempt.column_names]))
    # The reader accepts a quote left open at the end, as one value to the end.
    unclosed = attempt.newlines_in_values and not _quotes_balanced(path)
    if progress is not None and reported < 1.0:
        progress(1.0)
    return DelimitedScan(
        encoding=attempt.encoding,
        delimiter=attempt.delimiter,
        column_names=list(attempt.column_names),
        more_cells=invalid_rows[0],
        fewer_cells=invalid_rows[1],
        warnings=[],
        unclosed_quote=unclosed,
        sha256=digest.hexdigest() if digest is not None else None,
        attempt=attempt,
    )


def _header(path, attempt: _Attempt, size: int) -> list[str]:
    """The names in the header row, as pyarrow reads them."""
    options = _options(attempt, as_text=True, invalid_rows=None)
    try:
        with pa.OSFile(str(path)) as source:
            return pa_csv.open_csv(source, **options).schema.names
    except pa.ArrowInvalid as error:
        if "Empty CSV file" not in str(error) or size > attempt.max_line:
            raise
    # A file of one line with no line break: pyarrow needs the break to see a row.
    with open(path, "rb") as handle:
        line = handle.read(attempt.max_line).decode(attempt.encoding, errors="replace")
    data = (line.lstrip("\ufeff") + "\n").encode("utf-8")
    whole = replace(attempt, encoding="utf-8", block_size=max(attempt.block_size, len(data)))
    options = _options(whole, as_text=True, invalid_rows=None)
    return pa_csv.open_csv(pa.BufferReader(data), **options).schema.names


def _split_batches(path, attempt, invalid_rows, digest):
    """(schema, 0), then (record batch, bytes read so far) for the whole file, every byte
    read also fed to `digest`.

    The file is cut at line breaks into pieces of SPLIT_BLOCKS blocks, each parsed by pyarrow's
    multi-threaded `read_csv` with the column types of the first piece: the streaming
    reader parses one block at a time on one core, this uses both. A cut inside a quoted
    value would mangle rows, so a piece with an odd number of quote characters (its cut
    is inside quotes) sends the read back to the streaming reader, told that values
    contain line breaks.
    """
    options = _options(attempt, as_text=False, invalid_rows=invalid_rows)
    limit = attempt.block_size * SPLIT_BLOCKS
    pending = b""
    first = True
    with open(path, "rb") as handle:
        while True:
            # No read need be longer than a line may be: a file of one huge line is refused
            # after reading the line's limit, not four blocks of the largest size.
            chunk = handle.read(min(limit, attempt.max_line))
            digest.update(chunk)
            more = bool(chunk)
            if more and pending:
                line_end = chunk.find(b"\n")
                # Refused before the line's start and its rest are copied into one piece.
                if len(pending) + (line_end if line_end >= 0 else len(chunk)) > attempt.max_line:
                    raise ProfileError(_line_too_long(attempt.max_line))
            data = pending + chunk if pending else chunk
            del chunk  # the piece and the next one's read should not be held together
            cut = data.rfind(b"\n") + 1 if more else len(data)
            if more and not cut:
                pending = data
                continue
            pending = data[cut:]
            if not cut and not first:
                return
            if not more and not data.endswith(b"\n"):
                # pyarrow cannot tell a lone header from nothing without its line break.
                data += b"\n"
                cut += 1
            # numpy counts the quotes four times faster than bytes.count, without the GIL.
            if np.count_nonzero(np.frombuffer(data, dtype=np.uint8, count=cut) == _QUOTE) % 2:
                raise _Retry(replace(attempt, newlines_in_values=True))
            # One batch per piece: the statistics cost a little per batch, whatever its size.
            table = pa_csv.read_csv(pa.py_buffer(memoryview(data)[:cut]), **options)
            del data
            table = table.combine_chunks()
            if first:
                yield table.schema, 0
                first = False
                # Later pieces have no header, and must have the first one's types.
                options = _options(
                    attempt, as_text=False, invalid_rows=invalid_rows, schema=table.schema
                )
            position = handle.tell() - len(pending)
            for batch in table.to_batches():
                yield batch, position
            del table
            if not more:
                return


def _streamed_batches(path, attempt, invalid_rows):
    """(schema, 0), then (record batch, bytes read so far): pyarrow's streaming reader."""
    with pa.OSFile(str(path)) as source:
        reader = pa_csv.open_csv(
            source, **_options(attempt, as_text=False, invalid_rows=invalid_rows)
        )
        yield reader.schema, 0
        for batch in reader:
            yield batch, source.tell()


def _read_ahead(reader, depth: int = 1):
    """The reader's items, produced in a thread of their own while the caller computes
    statistics on the previous ones: both release the GIL in their kernels, so on two
    cores the pass takes about as long as the slower of the two instead of their sum.
    At most `depth` items wait, so memory stays bounded. An exception in the reader is
    raised in the caller; a caller that stops early stops the thread."""
    items: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    # Set without allocating: under a memory limit, handing the error over through the
    # queue can itself fail (MemoryError waking the caller), and the caller, seeing the
    # thread gone, raises what it finds here instead of waiting for ever.
    failure: list[BaseException | None] = [None]

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=WAIT_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            for item in reader:
                if not hand_over(item):
                    return
            hand_over(_END)
        except BaseException as error:  # handed to the consumer, which raises it
            failure[0] = error
            hand_over(error)
        finally:
            reader.close()

    def next_item():
        while True:
            try:
                return items.get(timeout=WAIT_SECONDS)
            except queue.Empty:
                if thread.is_alive():
                    continue
            try:  # anything it put before it ended
                return items.get_nowait()
            except queue.Empty:
                raise failure[0] or RuntimeError(
                    "The file's reader stopped unexpectedly."
                ) from None

    thread = threading.Thread(target=produce, name="csv-read-ahead", daemon=True)
    thread.start()
    try:
        while (item := next_item()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


_END = object()
# How often a thread waiting on the other checks that it should go on.
WAIT_SECONDS = 0.1
_QUOTE = ord('"')


def _skipped(count: int, more_or_fewer: str) -> str:
    if count == 1:
        return f"1 row had {more_or_fewer} cells than the header and was skipped."
    return f"{count:,} rows had {more_or_fewer} cells than the header and were skipped."


def _quotes_balanced(path) -> bool:
    """Whether the file holds an even number of quote characters (a doubled quote inside
    a value counts twice), read in blocks; only read when values span lines."""
    count = 0
    with open(path, "rb") as handle:
        while block := handle.read(QUOTE_COUNT_BLOCK):
            count += block.count(b'"')
    return count % 2 == 0


def _preview(path, attempt, preview_rows) -> list[list[str | None]]:
    """The first rows as the file spells them (a second, text-only read of one block)."""
    with pa.OSFile(str(path)) as source:
        reader = pa_csv.open_csv(source, **_options(attempt, as_text=True, invalid_rows=None))
        rows: list[list[str | None]] = []
        for batch in reader:
            table = batch.slice(0, preview_rows - len(rows))
            columns = [column.to_pylist() for column in table.columns]
            rows.extend([clip(cell) if cell is not None else None for cell in row]
                        for row in zip(*columns, strict=True))  # fmt: skip
            if len(rows) >= preview_rows:
                break
    return rows
