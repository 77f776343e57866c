"""Personal data in a table's text: email addresses, UK phone numbers, full UK postcodes,
NHS numbers and National Insurance numbers.

Each batch's distinct text values are matched at once against one loose pattern
(pyarrow's RE2 kernel); Python looks only at the few values that match, to check each
candidate strictly (an NHS number's modulus-11 check digit, a postcode's area, a
National Insurance number's prefix) and to mask it. NHS numbers written without spaces
are read as whole numbers: those columns' check digits are computed by pyarrow kernels
(see `PersonalDataScan.finish` for when a column counts). A finding shows a masked sample
("j***@e***.org", "SW1A ***", "*** *** 5919"), never the value: not in its message, not
in the report's facts.
"""

import re
from collections import Counter
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from submissions.validation.collect import Collector
from submissions.validation.findings import FAIL, Finding, Location

CHECK = "personal_data"

LABELS = {
    "email": "An email address",
    "phone": "A UK phone number",
    "postcode": "A full UK postcode",
    "nhs": "An NHS number",
    "nino": "A National Insurance number",
}
PLURALS = {
    "email": "email addresses",
    "phone": "UK phone numbers",
    "postcode": "full UK postcodes",
    "nhs": "NHS numbers",
    "nino": "National Insurance numbers",
}

# The core of each pattern, without its boundaries: RE2 (pyarrow) has no look-behind, so
# the loose pattern consumes the neighbouring character, the strict one looks around it.
# A number's digits go on past a decimal point or a thousands separator: "53.0123456789"
# is no NHS number. A full stop after the number still ends it.
_NUMBER_BEFORE, _NUMBER_AFTER = r"(?<!\d[.,])", r"(?![.,]\d)"
_DIGIT_EDGE = (
    r"(?:^|[^\d])",
    r"(?:$|[^\d])",
    r"(?<!\d)" + _NUMBER_BEFORE,
    r"(?!\d)" + _NUMBER_AFTER,
)
_WORD_EDGE = (r"(?:^|[^A-Za-z0-9])", r"(?:$|[^A-Za-z0-9])", r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])")
# Python's re tries a pattern at every position, so an unbounded run ("a" * 100,000 before
# an address) costs quadratic time: the strict email pattern bounds each part (RFC 5321's
# 64-character local part, 63-character labels) and starts only where a local part starts.
_EMAIL_EDGE = ("", "", r"(?<![A-Za-z0-9._%+'-])", "")
_PATTERNS = {
    "email": (
        r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,10}\.[A-Za-z]{2,63}",
        _EMAIL_EDGE,
    ),
    "phone": (
        r"(?:\+44 ?(?:\(0\) ?)?|0044 ?|\(?0)[1-35789]\d{1,4}\)?[ -]?\d{3,4}[ -]?\d{3,4}",
        (
            r"(?:^|[^\d+])",
            r"(?:$|[^\d])",
            r"(?<![\d+])" + _NUMBER_BEFORE,
            r"(?!\d)" + _NUMBER_AFTER,
        ),
    ),
    # Upper case only: "a4 5pm" has a postcode's shape.
    "postcode": (r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}", _WORD_EDGE),
    "nhs": (r"\d{3}[ -]?\d{3}[ -]?\d{4}", _DIGIT_EDGE),
    # The letters D, F, I, Q, U and V never start a National Insurance number; O never
    # comes second.
    "nino": (
        r"(?i:[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][ -]?\d{2}[ -]?\d{2}[ -]?\d{2}[ -]?[A-D])",
        _WORD_EDGE,
    ),
}
# A cell that is only a postcode is one in any case ("sw1a 1aa"); within text, lower case
# is too often something else.
_WHOLE_POSTCODE = r"\s*(?i:" + _PATTERNS["postcode"][0] + r")\s*"
WHOLE_POSTCODE = re.compile(_WHOLE_POSTCODE)


def _loose(core: str, edges) -> str:
    return core if edges is None else f"{edges[0]}{core}{edges[1]}"


def _strict(core: str, edges) -> re.Pattern:
    return re.compile(core if edges is None else f"{edges[2]}{core}{edges[3]}")


CANDIDATES = "|".join(
    [f"(?:{_loose(core, edges)})" for core, edges in _PATTERNS.values()]
    + [f"(?:^{_WHOLE_POSTCODE}$)"]
)
EMAIL_CANDIDATE = _loose(*_PATTERNS["email"])
OTHER_CANDIDATES = "|".join(
    [f"(?:{_loose(core, edges)})" for kind, (core, edges) in _PATTERNS.items() if kind != "email"]
    + [f"(?:^{_WHOLE_POSTCODE}$)"]
)
STRICT = {kind: _strict(core, edges) for kind, (core, edges) in _PATTERNS.items()}

# Postcode areas of the UK, the Channel Islands and the Isle of Man (and BF, forces mail).
POSTCODE_AREAS = frozenset((
    "AB", "AL", "B", "BA", "BB", "BD", "BF", "BH", "BL", "BN", "BR", "BS", "BT", "CA",
    "CB", "CF", "CH", "CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH",
    "DL", "DN", "DT", "DY", "E", "EC", "EH", "EN", "EX", "FK", "FY", "G", "GL", "GU",
    "GY", "HA", "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE",
    "KA", "KT", "KW", "KY", "L", "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M", "ME",
    "MK", "ML", "N", "NE", "NG", "NN", "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH",
    "PL", "PO", "PR", "RG", "RH", "RM", "S", "SA", "SE", "SG", "SK", "SL", "SM", "SN",
    "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS",
    "TW", "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE"
))  # fmt: skip
# A column of whole numbers is taken for NHS numbers when at least this many of its
# ten-digit values all carry valid check digits (by chance: 1 in 1,300).
MIN_NHS_NUMBERS = 3
# Prefixes never issued as National Insurance numbers (HMRC's NIM39110).
NINO_NEVER = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


# An address whose last part is a file's extension is a file name ("logo@2x.png").
FILE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "csv", "txt", "pdf"})
FILE_NAME = r"@\S*\.(?i:" + "|".join(sorted(FILE_EXTENSIONS)) + r")(?:$|[^A-Za-z0-9])"


def _values_by_kind(found: dict[str, dict]) -> dict[str, list[str]]:
    by_kind: dict[str, list[str]] = {}
    for value, kinds in found.items():
        for kind in kinds:
            by_kind.setdefault(kind, []).append(value)
    return by_kind


def nhs_number_valid(digits: str) -> bool:
    """Whether ten digits carry a valid NHS modulus-11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = (
        sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
        % 11
    )
    check = (11 - remainder) % 11
    return check != 10 and check == int(digits[9])


def _uk_phone_digits(text: str) -> str | None:
    """The national number (0 and 9 or 10 digits) a phone-shaped text stands for, if UK."""
    digits = re.sub(r"\D", "", text)
    for prefix in ("00440", "0044", "440", "44"):
        if text.lstrip("(").startswith(("+", "00")) and digits.startswith(prefix):
            digits = "0" + digits[len(prefix) :]
            break
    if len(digits) in (10, 11) and digits[0] == "0" and digits[1] in "1235789":
        return digits
    return None


def mask(kind: str, value: str) -> str:
    """A sample of `value` that shows its kind without giving it away."""
    if kind == "email":
        local, _, domain = value.partition("@")
        suffix = domain.rsplit(".", 1)[-1]
        return f"{local[:1]}***@{domain[:1]}***.{suffix}"
    if kind == "postcode":
        outward = value.replace(" ", "")[:-3]
        return f"{outward} ***"
    if kind == "nino":
        return f"{value[:2].upper()} ** ** ** *"
    digits = re.sub(r"\D", "", value)
    return f"*** *** {digits[-4:] if kind == 'nhs' else digits[-3:]}"


def personal_matches(text: str) -> dict[str, str]:
    """The kinds of personal data in `text`, each with a masked sample of its first
    instance (strictly checked: checksums, postcode areas, prefixes)."""
    found: dict[str, str] = {}
    for kind, pattern in STRICT.items():
        for match in pattern.finditer(text):
            value = match.group(0)
            if _valid(kind, value):
                found[kind] = mask(kind, value)
                break
    whole = WHOLE_POSTCODE.fullmatch(text)
    if "postcode" not in found and whole and _valid("postcode", text.strip().upper()):
        found["postcode"] = mask("postcode", text.strip().upper())
    return found


def _valid(kind: str, value: str) -> bool:
    if kind == "nhs":
        return nhs_number_valid(re.sub(r"\D", "", value))
    if kind == "phone":
        return _uk_phone_digits(value) is not None
    if kind == "postcode":
        area = re.match(r"[A-Z]+", value).group(0)
        return area in POSTCODE_AREAS
    if kind == "nino":
        return value[:2].upper() not in NINO_NEVER
    return value.rsplit(".", 1)[-1].lower() not in FILE_EXTENSIONS


def nhs_check_digits_valid(numbers: pa.Array) -> pa.Array:
    """Whether each ten-digit whole number carries a valid NHS check digit (vectorised:
    the digits by integer division, the modulus-11 sum, and the last digit compared)."""
    total = None
    for position, weight in enumerate(range(10, 1, -1)):
        term = pc.multiply(_remainder(pc.divide(numbers, 10 ** (9 - position)), 10), weight)
        total = term if total is None else pc.add(total, term)
    # A check value of 10 (no NHS number has it) equals no digit.
    check = _remainder(pc.subtract(11, _remainder(total, 11)), 11)
    return pc.equal(check, _remainder(numbers, 10))


def _remainder(numbers: pa.Array, divisor: int) -> pa.Array:
    # pyarrow has no modulo kernel; its integer division truncates (the numbers are positive).
    return pc.subtract(numbers, pc.multiply(pc.divide(numbers, divisor), divisor))


class PersonalDataScan:
    """The personal-data check of one table's columns, fed a batch at a time: text
    columns by `update`, whole-number columns (NHS numbers without spaces) by
    `update_numbers`, then `finish`.

    `locate(row, column_index)` says where a cell is; rows count data rows from 1.
    """

    def __init__(
        self,
        names: list[str],
        *,
        collector: Collector,
        locate: Callable[[int, int], Location],
    ):
        self.names = names
        self.collector = collector
        self.locate = locate
        self.cells: Counter = Counter()  # (column index, kind) -> cells
        self.listed: Counter = Counter()
        self.first_row: dict[tuple[int, str], int] = {}
        self.numbers: dict[int, list] = {}

    def update(
        self, column: int, array: pa.Array, values: pa.Array, tallies: pa.Array, first_row: int
    ) -> None:
        """Scan one batch of text column `column`: `values` are its distinct values (in the
        order they first appear) and `tallies` how often each occurs (value_counts)."""
        if not len(values):
            return
        hits = pc.fill_null(pc.match_substring_regex(values, CANDIDATES), False)
        if not pc.any(hits).as_py():
            return
        values, tallies = pc.filter(values, hits), pc.filter(tallies, hits)
        before = sum(self.cells[column, kind] for kind in LABELS)
        room = self.collector.room(CHECK)
        # Python checks values until enough are found to fill the findings' room: the
        # earliest values hold the earliest cells. The rest are counted (_count).
        listable: dict[str, dict[str, str]] = {}
        checked = 0
        for value, tally in zip(values.to_pylist(), tallies.to_pylist(), strict=True):
            if len(listable) >= room:
                break
            checked += 1
            kinds = personal_matches(value)
            if kinds:
                listable[value] = kinds
                for kind in kinds:
                    self.cells[column, kind] += tally
        counted = self._count(column, values[checked:], tallies[checked:])
        for kind, kind_values in _values_by_kind({**counted, **listable}).items():
            if (column, kind) not in self.first_row:
                rows = pc.is_in(array, value_set=pa.array(kind_values, type=array.type))
                self.first_row[column, kind] = first_row + pc.index(rows, True).as_py()
        listed = 0
        if listable:
            rows = pc.is_in(array, value_set=pa.array(list(listable), type=array.type))
            positions = pc.indices_nonzero(rows).slice(0, room)
            for position, value in zip(
                positions.to_pylist(), array.take(positions).to_pylist(), strict=True
            ):
                for kind, sample in listable[value].items():
                    self._add(column, kind, sample, first_row + position)
                    listed += 1
        total = sum(self.cells[column, kind] for kind in LABELS)
        self.collector.skip(CHECK, total - before - listed)

    def _count(self, column: int, values: pa.Array, tallies: pa.Array) -> dict[str, set]:
        """Add the cells of personal data among `values` to `self.cells`, and return
        {value: its kinds}. Email addresses, the bulk of most columns of personal data,
        are found by RE2 alone; Python checks only the values the other kinds' loose
        patterns match."""
        if not len(values):
            return {}
        emails = pc.and_not(
            pc.match_substring_regex(values, EMAIL_CANDIDATE),
            pc.match_substring_regex(values, FILE_NAME),
        )
        self.cells[column, "email"] += pc.sum(pc.filter(tallies, emails)).as_py() or 0
        found = {value: {"email"} for value in pc.filter(values, emails).to_pylist()}
        others = pc.match_substring_regex(values, OTHER_CANDIDATES)
        for value, tally in zip(
            pc.filter(values, others).to_pylist(),
            pc.filter(tallies, others).to_pylist(),
            strict=True,
        ):
            kinds = set(personal_matches(value)) - {"email"}
            if kinds:
                found.setdefault(value, set()).update(kinds)
                for kind in kinds:
                    self.cells[column, kind] += tally
        return found

    def update_numbers(self, column: int, array: pa.Array, first_row: int) -> None:
        """Note the ten-digit values of whole-number column `column`, and which carry an
        NHS number's check digit; `finish` decides on the column."""
        ten_digits = pc.and_(pc.greater_equal(array, 10**9), pc.less(array, 10**10))
        ten_digits = pc.fill_null(ten_digits, False)
        if not pc.any(ten_digits).as_py():
            return
        valid = pc.and_(ten_digits, pc.fill_null(nhs_check_digits_valid(array), False))
        found = self.numbers.setdefault(column, [0, 0, []])  # valid, not valid, first cells
        valid_count = pc.sum(valid).as_py() or 0
        found[0] += valid_count
        found[1] += (pc.sum(ten_digits).as_py() or 0) - valid_count
        room = self.collector.limit - len(found[2])
        if valid_count and room > 0:
            positions = pc.indices_nonzero(valid).slice(0, room)
            for position, value in zip(
                positions.to_pylist(), array.take(positions).to_pylist(), strict=True
            ):
                found[2].append((first_row + position, mask("nhs", str(value))))

    def finish(self) -> None:
        """Flag the whole-number columns that hold NHS numbers: a column named so, or one
        whose ten-digit values (at least MIN_NHS_NUMBERS) all carry a valid check digit.
        About one random ten-digit number in eleven carries one, so a column of other
        identifiers is not flagged for the few that do."""
        for column, (valid, not_valid, cells) in self.numbers.items():
            named = "nhs" in self.names[column].lower()
            if not valid or not (named or (not not_valid and valid >= MIN_NHS_NUMBERS)):
                continue
            self.cells[column, "nhs"] += valid
            for row, sample in cells:
                self._add(column, "nhs", sample, row)
            self.collector.skip(CHECK, valid - len(cells))

    def _add(self, column: int, kind: str, sample: str, row: int) -> None:
        key = (column, kind)
        self.first_row.setdefault(key, row)
        if not self.collector.room(CHECK):
            self.collector.skip(CHECK, 1)
            return
        self.listed[key] += 1
        message = (
            f"{LABELS[kind]} ({sample}): personal data must not be shared; remove it, or "
            "the column, before you submit."
        )
        self.collector.add(Finding(CHECK, FAIL, message, self.locate(row, column)))

    def summaries(self) -> list[Finding]:
        """One finding per column and kind whose cells were not all listed."""
        summaries = []
        for (column, kind), cells in sorted(self.cells.items()):
            listed = self.listed[column, kind]
            if cells > listed:
                summaries.append(
                    Finding(
                        CHECK,
                        FAIL,
                        f"{cells:,} cells of column {self.names[column]} hold {PLURALS[kind]}.",
                        self.locate(self.first_row[column, kind], column),
                    )
                )
        return summaries

    def found(self) -> dict[str, int]:
        """Cells found per kind (counts only, for the report's facts)."""
        totals: Counter = Counter()
        for (_, kind), cells in self.cells.items():
            totals[kind] += cells
        return dict(totals)
