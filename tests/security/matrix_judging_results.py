"""Authorization-matrix rows for the results: the organisers' page, its lock, reopen
and publish steps, the CSV exports (A's organisers and superusers; everyone else 404,
anonymous sent to sign in) and the results API (before publication A's managers only,
404 to everyone else, anonymous too; after it, whoever may see the event)."""

from django.utils import timezone

from events.models import Event
from tests.security.matrix import (
    A_API,
    CONFIRMED,
    D_API,
    MANAGERS,
    OUTSIDERS,
    A,
    D,
    Row,
    console,
    draft,
    everyone,
    expect,
)


def _with_a(**state):
    """A's slug, once A's judging is in `state` (locked, published)."""

    def build(w) -> dict:
        Event.objects.filter(pk=w.a.event.pk).update(**state)
        return A(w)

    return build


def _published(key: str, kwargs):
    def build(w) -> dict:
        now = timezone.now()
        Event.objects.filter(pk=getattr(w, key).event.pk).update(
            judging_locked_at=now, results_published_at=now
        )
        return kwargs(w)

    return build


def _a_is(**conditions):
    return lambda w: Event.objects.filter(pk=w.a.event.pk, **conditions).exists()


# fmt: off
def rows() -> list[Row]:
    locked = _with_a(judging_locked_at=timezone.now())
    return [
        Row("judging_results", "GET", console(200), A),
        Row("judging_results", "GET", console(200), D, label="draft"),
        Row("judging_results_csv", "GET", console(200), A),
        Row("judging_scores_csv", "GET", console(200), A),
        Row("judging_lock", "GET", console(200), A),
        Row("judging_lock", "POST", console(200), A, label="unconfirmed",
            effect=_a_is(judging_locked_at__isnull=False)),
        Row("judging_lock", "POST", console(302), A, data=CONFIRMED,
            effect=_a_is(judging_locked_at__isnull=False)),
        Row("judging_reopen", "GET", console(200), locked),
        Row("judging_reopen", "POST", console(302), locked, data=CONFIRMED,
            effect=_a_is(judging_locked_at__isnull=True)),
        Row("judging_publish", "GET", console(200), locked),
        Row("judging_publish", "POST", console(302), locked, data=CONFIRMED,
            effect=_a_is(results_published_at__isnull=False)),
        Row("api:event-results", "GET", expect(f"anonymous:404 {OUTSIDERS}:404 {MANAGERS}:200"),
            A_API),
        Row("api:event-results", "GET", everyone(200), _published("a", A_API),
            label="published"),
        Row("api:event-results", "GET", draft(200), _published("d", D_API),
            label="draft-published"),
    ]
# fmt: on
