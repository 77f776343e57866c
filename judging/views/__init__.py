"""Judging's pages: organisers' console (`console`) and results (`results`), a judge's
own (`judge`), and a team's results (`team`)."""
