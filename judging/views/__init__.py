"""Judging's pages: organisers' console (`console`), presentation slots (`slots`) and
results (`results`); a judge's own (`judge`); a team's results (`team`)."""
