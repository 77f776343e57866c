"""Authorization-matrix rows for judging's routes (see matrix.py for the row format).

The rubric is a console part, so its pages follow the console's rows: A's organisers
(and superusers) may, everyone else gets 404, and B's criterion addressed under A's URL
answers 404 to all. Through the API it is read like the event and written by its
managers, as the event's themes are.
"""

from common.models import AuditEntry
from judging.models import Assignment, Conflict, Criterion, Judge, Room, Score
from tests.security.matrix import (
    A_API,
    API_ANONYMOUS,
    CONFIRMED,
    D_API,
    JUDGES,
    LOGIN,
    MANAGERS,
    NO_ROLE,
    OUTSIDERS,
    PARTICIPANTS,
    UP,
    A,
    ApiKind,
    B,
    D,
    Row,
    api_everyone_but,
    api_kind_rows,
    changed,
    console,
    constant,
    created,
    deleted,
    expect,
    part,
    signed_in,
)

NEW_CRITERION = "Use of open data"
CRITERION_FORM = constant(
    {
        "name": NEW_CRITERION,
        "description": "",
        "weight": "1.5",
        "scale_min": "1",
        "scale_max": "5",
        "levels": "1: Little\n5: A lot",
        "scope": "all",
        "order": "7",
    }
)


def _api_create(key: str):
    return constant({"name": NEW_CRITERION, "weight": 1.5, "scale_min": 0, "scale_max": 10})


CRITERION_API = ApiKind(
    "criterion", "criterion", "spare_criterion", "pk", Criterion,
    create=_api_create,
    created={"name": NEW_CRITERION},
    update=constant({"name": "Renamed criterion", "scale_min": 1, "scale_max": 5,
                     "levels": [{"score": 5, "text": "Excellent"}]}),
    updated={"name": "Renamed criterion"},
    patch={"description": "Patched"},
)  # fmt: skip


# fmt: off
def rows() -> list[Row]:
    own, own_spare = part("a", "criterion"), part("a", "spare_criterion")
    theirs, spare_theirs = part("a", "criterion", of="b"), part("a", "spare_criterion", of="b")
    edit, delete = "organise_criterion_edit", "organise_criterion_delete"
    return [
        Row("organise_criteria", "GET", console(200), A),
        Row("organise_criteria", "GET", console(200), D, label="draft"),
        Row("organise_criteria", "POST", console(302), A, data=CRITERION_FORM,
            effect=created(Criterion, "a", name=NEW_CRITERION)),
        Row(edit, "GET", console(200), own),
        Row(edit, "POST", console(302), own, data=CRITERION_FORM,
            effect=changed("a", "criterion", name=NEW_CRITERION)),
        Row(edit, "GET", signed_in(404), theirs, label="other-event"),
        Row(edit, "POST", signed_in(404), theirs, data=CRITERION_FORM, label="other-event",
            effect=changed("b", "criterion", name=NEW_CRITERION)),
        Row(delete, "GET", console(200), own_spare),
        Row(delete, "POST", console(200), own_spare, label="unconfirmed",
            effect=deleted("a", "spare_criterion")),
        Row(delete, "POST", console(302), own_spare, data=CONFIRMED,
            effect=deleted("a", "spare_criterion")),
        Row(delete, "GET", signed_in(404), spare_theirs, label="other-event"),
        Row(delete, "POST", signed_in(404), spare_theirs, label="other-event",
            data=CONFIRMED, effect=deleted("b", "spare_criterion")),
        Row("organise_criterion_move", "POST", console(302), own_spare, data=UP,
            effect=changed("a", "spare_criterion", order=4)),
        Row("organise_criterion_move", "POST", signed_in(404), spare_theirs,
            label="other-event", data=UP, effect=changed("b", "spare_criterion", order=4)),
        Row("organise_criterion_move", "GET", signed_in(405), own),
        *api_kind_rows(CRITERION_API),
        *_room_rows(),
        *_console_rows(),
        *_judge_rows(),
    ]


def _seat_the_judge(w) -> dict:
    """The panels form names every accepted judge: all three sit on Room a."""
    judges = ("judge", "assigned_judge", "conflicted_judge")
    return {f"judge_{w.people[name].pk}": str(w.a.room.pk) for name in judges}


def _judge_seated(w) -> bool:
    return Judge.objects.filter(event=w.a.event, user=w.people["judge"], room=w.a.room).exists()


def _assigned_on_a(w) -> bool:
    entries = AuditEntry.objects.filter(action="judging.assigned", target_id=str(w.a.event.pk))
    return entries.exists()


def _console_rows() -> list[Row]:
    return [
        Row("judging_console", "GET", console(200), A),
        Row("judging_console", "GET", console(200), D, label="draft"),
        Row("judging_console", "POST", console(302), A, data=_seat_the_judge,
            effect=_judge_seated),
        Row("judging_assign", "POST", console(302), A, effect=_assigned_on_a),
        Row("judging_assign", "GET", signed_in(405), A),
        Row("judging_conflict_add", "POST", console(302), A, data=_conflict_form,
            effect=_conflict_recorded),
        Row("judging_conflict_add", "GET", signed_in(405), A),
        Row("judging_conflict_remove", "POST", console(302), _conflict_of("a"),
            effect=_conflict_gone("a")),
        Row("judging_conflict_remove", "POST", signed_in(404), _conflict_of("b", under="a"),
            label="other-event", effect=_conflict_gone("b")),
    ]


def _matrix_judge(w, key: str) -> Judge:
    event = getattr(w, key).event
    return Judge.objects.get_or_create(event=event, user=w.people["judge"])[0]


def _conflict_form(w) -> dict:
    judge = _matrix_judge(w, "a")
    return {"judge": judge.pk, "kind": "organisation", "organisation": "Matrix Trust"}


def _conflict_recorded(w) -> bool:
    return Conflict.objects.filter(judge__event=w.a.event, organisation="Matrix Trust").exists()


def _conflict_of(key: str, *, under: str | None = None):
    def build(w) -> dict:
        conflict, _ = Conflict.objects.get_or_create(
            judge=_matrix_judge(w, key), kind="organisation", organisation=f"Matrix {key}"
        )
        return {"slug": getattr(w, under or key).event.slug, "pk": conflict.pk}

    return build


def _conflict_gone(key: str):
    def check(w) -> bool:
        return not Conflict.objects.filter(organisation=f"Matrix {key}").exists()

    return check


ROOM_FORM = constant({"name": "Matrix hall", "order": "3"})


def _room_rows() -> list[Row]:
    own, own_spare = part("a", "room"), part("a", "spare_room")
    theirs, spare_theirs = part("a", "room", of="b"), part("a", "spare_room", of="b")
    edit, delete = "organise_room_edit", "organise_room_delete"
    return [
        Row("organise_rooms", "GET", console(200), A),
        Row("organise_rooms", "POST", console(302), A, data=ROOM_FORM,
            effect=created(Room, "a", name="Matrix hall")),
        Row(edit, "GET", console(200), own),
        Row(edit, "POST", console(302), own, data=ROOM_FORM,
            effect=changed("a", "room", name="Matrix hall")),
        Row(edit, "POST", signed_in(404), theirs, data=ROOM_FORM, label="other-event",
            effect=changed("b", "room", name="Matrix hall")),
        Row(delete, "POST", console(302), own_spare, data=CONFIRMED,
            effect=deleted("a", "spare_room")),
        Row(delete, "POST", signed_in(404), spare_theirs, label="other-event",
            data=CONFIRMED, effect=deleted("b", "spare_room")),
        Row("organise_room_move", "POST", console(302), own_spare, data=UP,
            effect=changed("a", "spare_room", order=0)),
        Row("organise_room_move", "POST", signed_in(404), spare_theirs, label="other-event",
            data=UP, effect=changed("b", "spare_room", order=0)),
    ]


# A judge's own pages. Every signed-in role that is not a judge of A gets 404, as a
# superuser does: judging rights come from the judge's role and assignment alone.
NOT_JUDGES = f"{NO_ROLE},{PARTICIPANTS},volunteer,mentor,other_organiser,{MANAGERS}"


def judges_only(ok: int) -> dict:
    return expect(f"anonymous:{LOGIN} {JUDGES}:{ok} {NOT_JUDGES}:404")


def sheet(ok: int) -> dict:
    """A1's entry: its assigned judge may; the conflicted one is told why (403)."""
    return expect(
        f"anonymous:{LOGIN} assigned_judge:{ok} conflicted_judge:403 judge,{NOT_JUDGES}:404"
    )


def _entry(key: str, *, under: str = "a"):
    return lambda w: {"slug": getattr(w, under).event.slug, "pk": getattr(w.entries, key).pk}


def _scores_for_a1(w) -> dict:
    return {f"criterion_{criterion.pk}": "4" for criterion in w.a.event.criteria.all()}


def _a1_scored(w) -> bool:
    return Score.objects.filter(sheet__submission=w.entries.entry_a).exists()


def _a1_absent(w) -> bool:
    return Assignment.objects.filter(
        submission=w.entries.entry_a, absent_at__isnull=False
    ).exists()


DECLARED = constant({"kind": "organisation", "organisation": "Matrix Declared"})


def _declared(w) -> bool:
    return Conflict.objects.filter(organisation="Matrix Declared").exists()


def _own_conflict(w) -> dict:
    conflict = Conflict.objects.get(declared_by=w.people["conflicted_judge"])
    return {"slug": w.a.event.slug, "pk": conflict.pk}


def _own_conflict_gone(w) -> bool:
    return not Conflict.objects.filter(declared_by=w.people["conflicted_judge"]).exists()


def _judge_rows() -> list[Row]:
    return [
        Row("judging_queue", "GET", judges_only(200), A),
        Row("judging_queue", "GET", signed_in(404), B, label="other-event"),
        Row("judging_queue", "GET", signed_in(404), D, label="draft"),
        Row("judging_sheet", "GET", sheet(200), _entry("entry_a")),
        Row("judging_sheet", "POST", sheet(302), _entry("entry_a"), data=_scores_for_a1,
            effect=_a1_scored),
        Row("judging_sheet", "GET", signed_in(404), _entry("entry_b"), label="other-event"),
        Row("judging_absent", "POST", sheet(302), _entry("entry_a"), data=constant({}),
            effect=_a1_absent),
        Row("judging_absent", "GET", signed_in(405), _entry("entry_a")),
        Row("judging_conflicts", "GET", judges_only(200), A),
        Row("judging_conflicts", "POST", judges_only(302), A, data=DECLARED, effect=_declared),
        Row("judging_conflicts", "POST", signed_in(404), B, label="other-event",
            data=DECLARED, effect=_declared),
        *_sheet_api_rows(),
        Row("judging_conflict_withdraw", "POST",
            expect(f"anonymous:{LOGIN} conflicted_judge:302 judge,assigned_judge,"
                   f"{NOT_JUDGES}:404"),
            _own_conflict, effect=_own_conflict_gone),
    ]


def _api_entry(key: str):
    return lambda w: {"event_slug": w.a.event.slug, "pk": getattr(w.entries, key).pk}


def api_sheet(ok: int) -> dict:
    return {**sheet(ok), "anonymous": API_ANONYMOUS}


def _sheet_api_rows() -> list[Row]:
    scores = lambda w: {"scores": {  # noqa: E731 — a row's data, built from the world
        str(c.pk): 4 for c in w.a.event.criteria.all()}}
    return [
        Row("api:score-sheet-list", "GET", api_everyone_but(JUDGES, 200), A_API),
        Row("api:score-sheet-list", "GET", expect(f"anonymous:404 {OUTSIDERS}:404 "
            f"{MANAGERS}:403"), D_API, label="draft"),
        Row("api:score-sheet-detail", "GET", api_sheet(200), _api_entry("entry_a")),
        Row("api:score-sheet-detail", "PUT", api_sheet(200), _api_entry("entry_a"),
            data=scores, effect=_a1_scored),
        Row("api:score-sheet-detail", "GET", {**signed_in(404), "anonymous": API_ANONYMOUS},
            _api_entry("entry_b"), label="other-event"),
        Row("api:score-sheet-absent", "POST", api_sheet(200), _api_entry("entry_a"),
            data=constant({"absent": True}), effect=_a1_absent),
    ]
# fmt: on
