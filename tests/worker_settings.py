"""The settings of the worker tests' Celery worker (tests/worker.py): the project's,
plus the test-only knobs a worker process can only be given through its environment."""

import os

from hackathon.settings import *  # noqa: F403 — the project's settings, whole

# Seconds each validation's engine process waits before checking, so a test can kill
# the worker while a validation runs.
SUBMISSIONS_VALIDATION_HOLD_SECONDS = float(os.environ.get("TEST_VALIDATION_HOLD_SECONDS", "0"))
