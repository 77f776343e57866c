"""Judging's pages: organisers' console (`console`) and a judge's own (`judge`)."""
