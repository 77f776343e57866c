from django.conf import settings


def retry_countdown(retries: int) -> int:
    """Seconds before retry number `retries` + 1: exponential, capped.

    The cap keeps every delay below the broker's visibility timeout, so a waiting
    task is never handed to a second worker (tests/test_celery_config.py).
    """
    return min(10 * 2**retries, settings.CIVICHACK_MAX_TASK_COUNTDOWN)
