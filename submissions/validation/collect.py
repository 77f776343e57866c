"""Gathering findings within the report's bound: at most `limit` per check, the rest
counted, so a file with a million small counts gives a readable report. A finding that
sums others up ("383,548 cells of column count hold counts from 1 to 9") leads its
check's findings."""

from collections import Counter

from submissions.validation.findings import Finding


class Collector:
    def __init__(self, limit: int):
        self.limit = limit
        self.findings: list[Finding] = []
        self.leading: list[Finding] = []
        self.kept: Counter = Counter()
        self.omitted: Counter = Counter()

    def room(self, check: str) -> int:
        """How many more findings of `check` will be kept."""
        return max(self.limit - self.kept[check], 0)

    def add(self, finding: Finding) -> None:
        if self.kept[finding.check] < self.limit:
            self.kept[finding.check] += 1
            self.findings.append(finding)
        else:
            self.omitted[finding.check] += 1

    def skip(self, check: str, count: int) -> None:
        """Count `count` findings of `check` that were never made (past the bound)."""
        if count > 0:
            self.omitted[check] += count

    def lead(self, finding: Finding) -> None:
        """Add a finding that sums up others of its check: it comes first."""
        self.leading.append(finding)

    def has(self, check: str) -> bool:
        return self.omitted[check] > 0 or any(
            finding.check == check for finding in (*self.leading, *self.findings)
        )

    def ordered(self, checks) -> list[Finding]:
        """The findings check by check in the order of `checks`, each check's summaries
        first, at most `limit` of each (those left out counted)."""
        result = []
        for check in checks:
            found = [
                finding for finding in (*self.leading, *self.findings) if finding.check == check
            ]
            result += found[: self.limit]
            self.skip(check, len(found) - self.limit)
        return result
