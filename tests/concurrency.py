"""Helpers of the PostgreSQL concurrency tests: many people, calls started together."""

import threading
from concurrent.futures import ThreadPoolExecutor

from allauth.account.models import EmailAddress
from django.db import connection

from accounts.models import User


def verified_users(n):
    """Verified people, made in bulk; "!" is Django's mark of an unusable password."""
    users = User.objects.bulk_create(
        User(email=f"racer{i}@example.org", password="!") for i in range(n)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return users


def in_threads(calls, *, workers):
    """Run each call on a pool of `workers` threads started together; return results."""
    start = threading.Barrier(min(workers, len(calls)))

    def run(call):
        try:
            if len(calls) <= workers:
                start.wait()
            return call()
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, calls))
