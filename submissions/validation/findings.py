"""What a check finds: an outcome, a sentence and where in the file it applies."""

from dataclasses import asdict, dataclass, field

from datasets.profiling.result import clip

PASS, WARNING, FAIL = "pass", "warning", "fail"
OUTCOMES = {PASS: "Passed", WARNING: "Warning", FAIL: "Failed"}
_SEVERITY = {PASS: 0, WARNING: 1, FAIL: 2}

# Every kind of check, in the order a report lists them (submissions.enums.CheckKind
# is made from this table, so the engine and the models share one list).
CHECK_LABELS = {
    "integrity": "File integrity",
    "archive": "Zip bundle",
    "encoding": "Encoding and dialect",
    "structure": "Table structure",
    "types": "Column types",
    "notebook": "Notebook format",
    "inputs": "Data inputs",
    "linkage": "Datasets cited and used",
    "disclosure": "Disclosure control",
    "personal_data": "Personal data",
    "resources": "Resource limits",
}


@dataclass(frozen=True)
class Location:
    """Where a finding applies; every part is optional. `row` counts data rows from 1
    (the header is row 0); `cell` is a spreadsheet reference such as "C12";
    `notebook_cell` counts a notebook's cells from 1. `file` is the member's path
    inside a zip bundle, or empty for the uploaded file itself."""

    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    cell: str = ""
    notebook_cell: int | None = None

    def __post_init__(self):
        # A column or sheet is named by the file: a 200,000-character header name is
        # shown cut short, as the profiler's names are, not repeated in every finding.
        object.__setattr__(self, "column", clip(self.column))
        object.__setattr__(self, "sheet", clip(self.sheet))

    def describe(self) -> str:
        """The location as words, e.g. `data/counts.csv, row 12, column claimants`."""
        parts = [
            self.file,
            f"sheet {self.sheet}" if self.sheet else "",
            f"cell {self.notebook_cell}" if self.notebook_cell is not None else "",
            f"row {self.row}" if self.row is not None else "",
            f"column {self.column}" if self.column else "",
            self.cell,
        ]
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class Finding:
    check: str  # a key of CHECK_LABELS
    outcome: str  # PASS, WARNING or FAIL
    message: str  # a sentence for the team; never a full personal value
    location: Location = field(default_factory=Location)

    def __post_init__(self):
        if self.check not in CHECK_LABELS or self.outcome not in OUTCOMES:
            raise ValueError(f"unknown check or outcome: {self.check!r}, {self.outcome!r}")


def worst(outcomes) -> str:
    """The most severe of `outcomes` (PASS when there are none)."""
    return max(outcomes, key=_SEVERITY.__getitem__, default=PASS)


@dataclass
class FileReport:
    """Everything the checks of one uploaded file found.

    `facts` is JSON-safe: size, sha256, format (as common.files.sniff names it), rows and
    columns of a table, `inputs` a notebook reads ([{"kind": "url"|"file"|"command",
    "value": ..., "cell": n}]), `members` of a zip bundle ([{"path", "size", "sha256",
    "format"}]). Findings are capped per check by Limits.max_findings_per_check; the
    number left out is in facts["omitted"][check].
    """

    findings: list[Finding] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    @property
    def outcome(self) -> str:
        return worst(finding.outcome for finding in self.findings)

    def to_json(self) -> dict:
        return {"findings": [asdict(finding) for finding in self.findings], "facts": self.facts}

    @classmethod
    def from_json(cls, data: dict) -> "FileReport":
        findings = [
            Finding(
                check=item["check"],
                outcome=item["outcome"],
                message=item["message"],
                location=Location(**item.get("location", {})),
            )
            for item in data.get("findings", [])
        ]
        return cls(findings=findings, facts=data.get("facts", {}))
