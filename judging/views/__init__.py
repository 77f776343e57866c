"""Judging's pages: organisers' console (`console`)."""
