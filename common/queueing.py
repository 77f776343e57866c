"""Publishing a Celery task once the transaction that asked for it has committed."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)


def enqueue_after_commit(task, **kwargs) -> None:
    """Publish `task` with `kwargs` after the current transaction commits.

    A broker that cannot be reached is logged, not raised: the work it would start is
    committed already, and the periodic sweep that re-publishes lost tasks (the outbox's,
    the segment messages') finds it. Raising would turn a saved change into an error
    page.
    """

    def publish():
        try:
            task.delay(**kwargs)
        except BrokerUnreachable as error:
            logger.warning(
                "Broker unreachable; %s %s is left to its sweep: %s", task.name, kwargs, error
            )

    transaction.on_commit(publish)
