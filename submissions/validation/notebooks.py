"""Jupyter notebooks, read statically: their format, the data they read, their tables.

Nothing in a notebook is run. Its JSON is read with a size bound and a depth bound (a
deeply nested document must not take the process down), checked against the nbformat
schema with every error collected, and each code cell is turned into plain Python by
IPython's own input transformer (so `!curl`, `%run` and `%%bash` become calls that can
be seen) and parsed with `ast`. From the tree come the data inputs: files and URLs
passed to pandas' and NumPy's readers or to open(), URLs in any string, downloads by
curl or wget, and other files run with %run. The last two are warnings: what they
fetch or run is only known at run time. Tables the notebook displays (pandas' HTML, or
CSV output) are scanned for small counts and personal data like any table.
"""

import ast
import json
import re
import shlex
import warnings
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import nbformat
from IPython.core.inputtransformer2 import TransformerManager
from nbformat.validator import iter_validate
from traitlets.log import get_logger

from submissions.validation.collect import Collector
from submissions.validation.findings import FAIL, PASS, WARNING, FileReport, Finding, Location
from submissions.validation.limits import MIB, Limits
from submissions.validation.notebook_outputs import multiline_text, output_tables

# A notebook is a few levels deep (cells, outputs, data); widget state adds some. Past
# this the JSON is not a notebook, and the schema check would recurse without end.
MAX_DEPTH = 64
MAX_CELL_CHARS = 100_000
MAX_MESSAGE_CHARS = 300
# Inputs listed per notebook (a string of thousands of URLs is not thousands of inputs
# worth storing), and the characters kept of each.
MAX_INPUTS = 1000
MAX_VALUE_CHARS = 500
# Displayed tables checked per notebook (notebook_outputs bounds those of one output).
MAX_TABLES = 100
READERS = {"open", "loadtxt", "genfromtxt"}
NOT_FILE_READERS = {"read_sql", "read_sql_query", "read_sql_table", "read_gbq", "read_clipboard"}
PATH_KEYWORDS = {"filepath_or_buffer", "io", "path", "path_or_buf", "file", "fname", "filename"}
PATH_TYPES = {"Path", "PurePath", "PosixPath"}
SHELL_MAGICS = {"system", "sx", "bash", "sh", "script"}
# Cell magics whose body is IPython code, read like a cell of its own.
CODE_MAGICS = {"capture", "time", "timeit", "prun"}
# The options naming the file a downloader writes (wget's -O, curl's -o).
OUTPUT_OPTIONS = {"curl": {"-o", "--output"}, "wget": {"-O", "--output-document"}}
SHELL_SEPARATORS = {";", "&&", "||", "|"}
# What each schema rule asks, said without the value that broke it (a value may be
# personal data: a schema message must not carry it into the report).
SCHEMA_RULES = {
    "type": "is not of the type required",
    "required": "lacks a required property",
    "additionalProperties": "has a property that is not allowed",
    "enum": "is not one of the values allowed",
    "const": "is not the value required",
    "pattern": "is not in the form required",
    "oneOf": "matches none of the shapes allowed",
    "anyOf": "matches none of the shapes allowed",
    "minItems": "has too few items",
    "maxItems": "has too many items",
    "minLength": "is too short",
    "maxLength": "is too long",
    "minimum": "is too small",
    "maximum": "is too large",
    "uniqueItems": "repeats an item",
}
MAX_PATH_PART_CHARS = 40
URL = re.compile(r"\b(?:https?|ftp)://[^\s'\"<>`]+")
# Query parameters whose values are credentials, blanked in the inputs listed.
SECRET_PARAMETER = re.compile(r"key|token|secret|passw|pwd|signature|sig$|auth|credential", re.I)
# Downloader options whose values are credentials (a header, a user and password).
SECRET_OPTIONS = {"-H", "-u", "--header", "--user", "--password", "--http-password"}
# A line that may hold IPython syntax: a shell or magic escape (`!ls`, `%run x`, `?x`),
# an assignment from one (`files = !ls`), or help asked for at its end (`x?`).
SPECIAL_LINE = re.compile(r"^\s*(?:[!%?]|[\w.]+\s*=\s*[!%])|\?\s*$")


def check_notebook(path: Path, *, limits: Limits, progress=None) -> FileReport:
    """Findings "notebook" (format), "inputs" (one per input found, and cells that
    could not be read) and, for displayed tables, those of tables.check_rows;
    facts["inputs"] = [{"kind": "url"|"file"|"command", "value", "cell"}]."""
    report = FileReport()
    document = _load(Path(path), limits, report)
    if document is None:
        return report
    cells = _cells(document, report)
    if cells is None:
        return report
    if not any(finding.outcome != PASS for finding in report.findings):
        report.findings.append(
            Finding("notebook", PASS, f"A valid notebook of {_cells_count(len(cells))}.")
        )
    inputs = []
    outputs = _OutputScan(limits)
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") == "code":
            inputs.extend(_read_cell(cell, number, report))
            outputs.scan(cell, number)
        if progress:
            progress(number / len(cells))
    if progress and not cells:
        progress(1.0)
    if len(inputs) > MAX_INPUTS:
        message = f"The code reads more than {MAX_INPUTS:,} inputs; the rest are not listed."
        report.findings.append(Finding("inputs", WARNING, message))
        inputs = inputs[:MAX_INPUTS]
    report.facts["inputs"] = inputs
    outputs.finish(report)
    report.findings.extend(input_finding(item) for item in inputs)
    if not inputs:
        report.findings.append(Finding("inputs", PASS, "No data inputs were found in the code."))
    return report


def _load(path: Path, limits: Limits, report: FileReport) -> dict | None:
    """The notebook's JSON as a dict, or None with a FAIL saying why it cannot be read."""

    def fail(message):
        report.findings.append(Finding("notebook", FAIL, message))

    if path.stat().st_size > limits.max_notebook_bytes:
        fail(
            f"The notebook is larger than {limits.max_notebook_bytes // MIB} MB, the most "
            "that is read; clear its outputs and upload it again."
        )
        return None
    try:
        document = json.loads(path.read_bytes())
    except UnicodeDecodeError:
        fail("The notebook is not UTF-8 text.")
        return None
    except json.JSONDecodeError as error:
        fail(f"The notebook is not valid JSON (line {error.lineno}, column {error.colno}).")
        return None
    except ValueError:  # a number of thousands of digits, which Python refuses to read
        fail("The notebook is not valid JSON.")
        return None
    except RecursionError:
        document = None
    if document is None or json_depth(document) > MAX_DEPTH:
        fail("The notebook's JSON is nested too deeply to be a notebook.")
        return None
    if not isinstance(document, dict) or not isinstance(document.get("nbformat"), int):
        fail("The file is JSON but not a notebook: it has no nbformat version.")
        return None
    return document


def json_depth(document) -> int:
    """How deeply lists and objects nest in `document`, counted without recursion."""
    deepest = 0
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                pending.extend((item, depth + 1) for item in value)
    return deepest


def _cells(document: dict, report: FileReport) -> list[dict] | None:
    """Validate against the notebook's schema (each error a finding) and return its
    cells as dicts in version 4's shape (a cell that is not a dict is left out), or
    None with a FAIL when there is no reading them."""
    major, minor = document["nbformat"], document.get("nbformat_minor", 0)
    if major not in nbformat.versions or not isinstance(minor, int):
        report.findings.append(
            Finding("notebook", FAIL, f"Notebook format version {major} is not one there is.")
        )
        return None
    # nbformat logs a failed conversion's errors, values included, at ERROR: none of it
    # may reach the worker's log.
    logger = get_logger()
    disabled, logger.disabled = logger.disabled, True
    try:
        errors = list(iter_validate(document, version=major, version_minor=minor))
        if errors and all(_missing(error) == {"id"} for error in errors):
            # A cell without an id fails the schema there, which hides whatever else is
            # wrong with it: the rest is found on a copy whose cells have ids.
            filled = _with_cell_ids(document)
            errors += iter_validate(filled, version=major, version_minor=minor)
        report.findings.extend(schema_finding(error, major, minor) for error in errors)
        if major < 4:
            document = nbformat.convert(nbformat.from_dict(document), 4)
    except Exception:
        # jsonschema and the conversion of old versions raise any kind of error on
        # malformed input (a KeyError, a TypeError); all mean the same to the team.
        report.findings.append(
            Finding("notebook", FAIL, "The notebook's structure could not be read.")
        )
        return None
    finally:
        logger.disabled = disabled
    cells = document.get("cells")
    return [cell for cell in cells if isinstance(cell, dict)] if isinstance(cells, list) else []


def _missing(error) -> set:
    """The properties a "required" schema error says are missing."""
    if error.validator == "required" and isinstance(error.instance, dict):
        return set(error.validator_value) - set(error.instance)
    return set()


def _with_cell_ids(document: dict) -> dict:
    """A shallow copy of `document` whose cells (those that are dicts) all have ids."""
    cells = document.get("cells")
    if not isinstance(cells, list):
        return document
    filled = [
        {"id": f"cell-{number}", **cell} if isinstance(cell, dict) else cell
        for number, cell in enumerate(cells, start=1)
    ]
    return {**document, "cells": filled}


def schema_finding(error, major: int, minor: int) -> Finding:
    """A schema error as a finding: a WARNING for metadata and a missing cell id (the
    notebook still reads), a FAIL for the rest; in the cell the error's path names."""
    path = list(error.absolute_path)
    cell = (
        path[1] + 1 if len(path) > 1 and path[0] == "cells" and isinstance(path[1], int) else None
    )
    missing = _missing(error)
    minor_issue = "metadata" in path or missing == {"id"}
    where = "/".join(str(part)[:MAX_PATH_PART_CHARS] for part in path) or "the notebook"
    rule = SCHEMA_RULES.get(error.validator, "breaks the rule " + str(error.validator))
    if error.validator == "type":
        types = error.validator_value
        rule += f" ({' or '.join(types) if isinstance(types, list) else types})"
    elif missing:
        rule = f"lacks the required {', '.join(sorted(missing))}"
    message = f"Not valid nbformat {major}.{minor}: {where} {rule}."
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 1] + "…"
    return Finding(
        "notebook", WARNING if minor_issue else FAIL, message, Location(notebook_cell=cell)
    )


def _read_cell(cell: dict, number: int, report: FileReport) -> list[dict]:
    source = multiline_text(cell.get("source"))
    if not source:
        return []
    location = Location(notebook_cell=number)
    if len(source) > MAX_CELL_CHARS:
        report.findings.append(
            Finding("inputs", WARNING, "The cell is too long to read for inputs.", location)
        )
        return []
    try:
        found = code_inputs(source)
    except RuntimeError:  # IPython's transformer gave up (it still changed after 500 rounds)
        report.findings.append(
            Finding(
                "inputs",
                WARNING,
                f"Cell {number}'s IPython syntax could not be read, so the data it reads "
                "could not be found.",
                location,
            )
        )
        return []
    except (SyntaxError, ValueError, RecursionError):
        report.findings.append(
            Finding(
                "inputs",
                WARNING,
                f"Cell {number} is not valid Python, so the data it reads could not be found.",
                location,
            )
        )
        return []
    return [
        {"kind": kind, "value": value[:MAX_VALUE_CHARS], "cell": number} for kind, value in found
    ]


def code_inputs(source: str, *, nested: bool = False) -> list[tuple[str, str]]:
    """The (kind, value) inputs of one cell's IPython source, in order, each once.
    Raises SyntaxError (or ValueError, RecursionError) for code that does not parse,
    RuntimeError when IPython's transformer gives up."""
    with warnings.catch_warnings():
        # The transformer warns about odd line endings (a lone form feed); the cell is
        # still read, and the warning would only clutter the worker's log.
        warnings.simplefilter("ignore", UserWarning)
        code = ipython_to_python(source)
    try:
        tree = ast.parse(code)
    except MemoryError:
        # CPython reports a parser stack overflow (thousands of nested operators) as a
        # MemoryError: it is the code, not the process, that is too deep (the cell is
        # at most MAX_CELL_CHARS). Any other MemoryError is the caller's.
        raise SyntaxError("The code is nested too deeply to parse.") from None
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.extend(("url", url) for url in urls_in(node.value))
        elif isinstance(node, ast.Call):
            found.extend(_call_inputs(node, nested))
    return list(dict.fromkeys(found))


def ipython_to_python(source: str) -> str:
    """A cell's IPython source as plain Python, as IPython's TransformerManager writes it.

    The manager re-tokenises the whole cell for each piece of IPython syntax it replaces
    (quadratic: 100 `!` lines in a 100 KB cell take minutes, and past 500 it gives up),
    so only its whole-cell steps (prompts, indentation, a `%%` cell magic) see the
    cell; each line with IPython syntax is then transformed on its own.
    """
    manager = TransformerManager()
    lines = (source if source.endswith("\n") else source + "\n").splitlines(keepends=True)
    for transform in manager.cleanup_transforms + manager.line_transforms:
        lines = transform(lines)
    code = []
    for line in lines:
        if SPECIAL_LINE.search(line):
            body = line.lstrip()
            line = line[: len(line) - len(body)] + "".join(manager.do_token_transforms([body]))
        code.append(line)
    return "".join(code)


def _call_inputs(node: ast.Call, nested: bool) -> list[tuple[str, str]]:
    name = _name(node.func)
    arguments = [_string(argument) for argument in node.args]
    if _is_ipython(node.func):
        return _magic_inputs(name, arguments, nested)
    if not (name in READERS or name.startswith("read_")) or name in NOT_FILE_READERS:
        return []
    keywords = {keyword.arg: _string(keyword.value) for keyword in node.keywords}
    target = (
        arguments[0]
        if arguments
        else next((keywords[key] for key in PATH_KEYWORDS if keywords.get(key)), None)
    )
    mode = (arguments[1] if len(arguments) > 1 else keywords.get("mode")) or ""
    if not target or (name == "open" and set(mode) & set("wax")):
        return []  # a name built at run time, or a file opened for writing
    if URL.match(target):
        return [("url", without_secrets(target))]
    return [("file", target)]


def _magic_inputs(name: str, arguments: list, nested: bool) -> list[tuple[str, str]]:
    """Inputs of get_ipython().system/getoutput(cmd), run_line_magic(magic, line) and
    run_cell_magic(magic, line, body), as the transformer writes them."""
    if name in ("system", "getoutput") and arguments and arguments[0]:
        return shell_inputs(arguments[0])
    if name == "run_line_magic" and len(arguments) == 2 and arguments[0] and arguments[1]:
        magic, line = arguments
        if magic == "run":
            return [("command", f"%run {line}"[:MAX_MESSAGE_CHARS])]
        return shell_inputs(line) if magic in SHELL_MAGICS else []
    if name == "run_cell_magic" and len(arguments) == 3 and arguments[0] and arguments[2]:
        magic, body = arguments[0], arguments[2]
        if magic in SHELL_MAGICS:
            return shell_inputs(body)
        if magic in CODE_MAGICS and not nested:
            return code_inputs(body, nested=True)
    return []


def shell_inputs(command: str) -> list[tuple[str, str]]:
    """Downloads in shell text: each curl or wget command, its URLs and the file it
    writes (named by -o/-O, or the URL's last part)."""
    found = []
    for line in command.splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:  # an unclosed quote
            words = line.split()
        segment: list[str] = []
        for word in [*words, ";"]:
            if word not in SHELL_SEPARATORS:
                segment.append(word)
                continue
            if segment and PurePosixPath(segment[0]).name in OUTPUT_OPTIONS:
                found.extend(_download(segment))
            segment = []
    return found


def _download(words: list[str]) -> list[tuple[str, str]]:
    program = PurePosixPath(words[0]).name
    words = _without_secret_options(words)
    links = [without_secrets(word) for word in words if URL.match(word)]
    output = None
    remote_name = program == "wget"
    for option, value in zip(words, [*words[1:], ""], strict=True):
        if option in OUTPUT_OPTIONS[program]:
            output = value
        elif option.startswith("--output-document="):
            output = option.partition("=")[2]
        elif option in ("-O", "--remote-name"):
            remote_name = True
    if output is None and remote_name and links:
        output = PurePosixPath(links[0].split("?")[0].split("#")[0]).name or None
    shown = [without_secrets(word) if URL.match(word) else word for word in words]
    found = [("command", " ".join(shown)[:MAX_MESSAGE_CHARS])]  # for reading, not running
    found.extend(("url", link) for link in links)
    if output and output != "-":
        found.append(("file", output))
    return found


def _without_secret_options(words: list[str]) -> list[str]:
    """A command's words without its credential options and their values."""
    kept = []
    skip_value = False
    for word in words:
        # The option of "--user=bob:pw" or "-ubob:pw", its value attached.
        option = word.partition("=")[0] if word.startswith("--") else word[:2]
        if skip_value:
            skip_value = False
        elif word in SECRET_OPTIONS:
            skip_value = True
        elif option not in SECRET_OPTIONS:
            kept.append(word)
    return kept


def without_secrets(url: str) -> str:
    """`url` without a user and password, and with credential query values blanked."""
    try:
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        netloc = parts.netloc.rpartition("@")[2]
    except ValueError:  # a malformed address (an unclosed IPv6 bracket): its query is cut
        return re.sub(r"//[^/@]*@", "//", url.split("?")[0])
    if any(SECRET_PARAMETER.search(name) for name, _ in query):
        query = [(name, "" if SECRET_PARAMETER.search(name) else value) for name, value in query]
        return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query)))
    return urlunsplit(parts._replace(netloc=netloc))


def urls_in(text: str) -> list[str]:
    return [without_secrets(url.rstrip(".,;:)]}")) for url in URL.findall(text)]


def input_finding(item: dict) -> Finding:
    location = Location(notebook_cell=item["cell"])
    value = item["value"]
    if item["kind"] == "command" and value.startswith("%run"):
        message = (
            f"Runs another file when the notebook runs ({value}); what it reads is not seen here."
        )
        return Finding("inputs", WARNING, message, location)
    if item["kind"] == "command":
        message = f"Downloads data when the notebook runs ({value}); it cannot be checked here."
        return Finding("inputs", WARNING, message, location)
    noun = "URL" if item["kind"] == "url" else "file"
    return Finding("inputs", PASS, f"Reads the {noun} {value}.", location)


class _OutputScan:
    """The checks of the tables a notebook displays, gathered in one collector so the
    whole notebook's findings stay within the report's bound; at most MAX_TABLES."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.collector = Collector(limits.max_findings_per_check)
        self.tables = 0
        self.first_unread = None  # the cell of the first table past MAX_TABLES

    def scan(self, cell: dict, number: int) -> None:
        if self.first_unread is not None:
            return
        tables = output_tables(cell.get("outputs"), max_rows=self.limits.sample_rows)
        if not tables:
            return
        # Imported here: the table checks load pyarrow and frictionless, which a notebook
        # without displayed tables does not need.
        from submissions.validation.tables import scan_rows

        location = Location(notebook_cell=number)
        for header, rows in tables:
            if self.tables == MAX_TABLES:
                self.first_unread = number
                return
            self.tables += 1
            scan_rows(header, rows, location=location, limits=self.limits, collector=self.collector)

    def finish(self, report: FileReport) -> None:
        from submissions.validation.tables import ROWS_CHECKS

        report.findings.extend(self.collector.ordered(ROWS_CHECKS))
        if self.collector.omitted:
            report.facts["omitted"] = dict(self.collector.omitted)
        if self.first_unread is not None:
            message = (
                f"The notebook displays more than {MAX_TABLES} tables; those from cell "
                f"{self.first_unread} on were not checked."
            )
            report.findings.append(
                Finding("notebook", WARNING, message, Location(notebook_cell=self.first_unread))
            )


def _cells_count(count: int) -> str:
    return f"{count} cell" if count == 1 else f"{count} cells"


def _name(function: ast.expr) -> str:
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def _is_ipython(function: ast.expr) -> bool:
    return (
        isinstance(function, ast.Attribute)
        and isinstance(function.value, ast.Call)
        and _name(function.value.func) == "get_ipython"
    )


def _string(node: ast.expr) -> str | None:
    """A string literal's value, also when wrapped as Path("...")."""
    if isinstance(node, ast.Call) and _name(node.func) in PATH_TYPES and len(node.args) == 1:
        node = node.args[0]
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
