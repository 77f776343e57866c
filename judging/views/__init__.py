"""Judging's pages: organisers' console (`console`) and results (`results`)."""
