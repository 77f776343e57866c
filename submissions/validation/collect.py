"""Gathering findings within the report's bound: at most `limit` per check, the rest
counted, so a file with a million small counts gives a readable report."""

from collections import Counter

from submissions.validation.findings import Finding


class Collector:
    def __init__(self, limit: int):
        self.limit = limit
        self.findings: list[Finding] = []
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
