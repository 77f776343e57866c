from celery import shared_task
from django.conf import settings

from datasets.services import profiling


@shared_task(
    soft_time_limit=settings.DATASETS_PROFILE_SOFT_TIME_LIMIT,
    time_limit=settings.DATASETS_PROFILE_TIME_LIMIT,
)
def profile_resource(*, resource_id):
    """Profile one resource's file (a duplicate delivery finds it claimed and stops)."""
    return profiling.resource_profile(resource_id=resource_id)


@shared_task
def requeue_stuck_profiles():
    """Periodic: publish again the profiling whose task was lost."""
    return profiling.profiles_requeue_stuck()
