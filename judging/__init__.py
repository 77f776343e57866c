"""Judging presentations: the event's rubric, panels and their assignments, judges'
scores, normalised results and prizes (docs/architecture.md, "Judging")."""
