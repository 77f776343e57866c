"""Tickets: a random code per registration, short enough to type at the door, also shown
as a QR code.

Only the code's SHA-256 is stored (`Registration.ticket_code_hash`), so the database
cannot say what anyone's code is and the site's SECRET_KEY plays no part. The holder
therefore gets the code when it is issued, and keeps it: the ticket page puts it in a
cookie on that device (path-limited to the ticket page, HttpOnly), so opening the page
again there shows the same code, and the QR code a screenshot or printout holds keeps
working. On another device, or after a cookie is cleared, the holder asks for a new
code, and the old one stops working: a door wants exactly one live code per place.

A code admits its holder only while the place is confirmed; an organiser can revoke it
(the holder is emailed to fetch a new one). Codes have 10 characters from an alphabet
without 0/O, 1/I/L, in two groups of five (31^10, about 8 * 10^14 codes); the door is
open only to the event's organisers and volunteers, and the API is throttled.
"""

import hashlib
import io
import secrets

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.outbox import outbox_enqueue
from registration.enums import TAKING_PART, RegistrationStatus
from registration.models import Registration

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
GROUP = 5
EXAMPLE = "ABCDE-23456"


def _hash(normalised: str) -> str:
    return hashlib.sha256(normalised.encode()).hexdigest()


def _normalise(code: str) -> str | None:
    """The code's characters alone, upper case; None if it cannot be a ticket code."""
    plain = "".join(str(code).split()).replace("-", "").upper()
    if len(plain) != CODE_LENGTH or any(char not in ALPHABET for char in plain):
        return None
    return plain


def _grouped(plain: str) -> str:
    return "-".join(plain[i : i + GROUP] for i in range(0, len(plain), GROUP))


def current_code(registration, code: str | None) -> str | None:
    """`code` as printed, if it is the registration's current ticket code; else None."""
    plain = _normalise(code or "")
    stored = registration.ticket_code_hash
    if plain and stored and secrets.compare_digest(_hash(plain), stored):
        return _grouped(plain)
    return None


@transaction.atomic
def ticket_code_issue(*, registration, actor) -> str:
    """Give a confirmed registration a new ticket code; any earlier code stops working.

    Returns the code, which is not stored: this is the only time it can be shown.
    """
    current = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )
    if current.status != RegistrationStatus.CONFIRMED:
        raise ApplicationError(
            f"Only a confirmed place has a ticket; this registration is "
            f"{current.get_status_display().lower()}.",
            code="no_ticket",
            status=409,
        )
    plain = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    current.ticket_code_hash = _hash(plain)
    current.ticket_issued_at = timezone.now()
    current.save(update_fields=["ticket_code_hash", "ticket_issued_at", "updated_at"])
    audit_record(actor=actor, action="registration.ticket_issued", target=current)
    registration.ticket_code_hash = current.ticket_code_hash
    registration.ticket_issued_at = current.ticket_issued_at
    return _grouped(plain)


@transaction.atomic
def ticket_code_revoke(*, registration, actor) -> Registration:
    """An organiser voids the registration's code (say it was shared); the holder is
    emailed to fetch a new one from their ticket page."""
    current = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "user")
        .get(pk=registration.pk)
    )
    if current.status != RegistrationStatus.CONFIRMED or current.user is None:
        raise ApplicationError(
            "Only a confirmed participant's ticket can be reissued.",
            code="no_ticket",
            status=409,
        )
    current.ticket_code_hash = ""
    current.ticket_issued_at = None
    current.save(update_fields=["ticket_code_hash", "ticket_issued_at", "updated_at"])
    entry = audit_record(actor=actor, action="registration.ticket_revoked", target=current)
    # Keyed by the audit entry: each reissue is its own email.
    outbox_enqueue(
        recipient=current.user.email,
        purpose="registration_ticket_reissued",
        target=entry,
        template="registration/email/ticket_reissued",
        context={"registration": current, "event": current.event, "person": current.user},
    )
    return current


def ticket_qr_svg(code: str) -> str:
    """The code as an SVG QR code (vector, so it scans crisply at any size)."""
    image = qrcode.make(code, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def registration_for_ticket(*, event, token: str) -> Registration:
    """The registration whose current code was scanned or typed, if it admits to `event`."""
    plain = _normalise(token)
    if plain is None:
        raise ApplicationError(
            f"That is not a ticket code: a code is {CODE_LENGTH} letters and digits, like "
            f"{EXAMPLE}. Try searching by name.",
            code="invalid_ticket",
            details={"token": ["Not a ticket code."]},
        )
    registration = (
        Registration.objects.select_related("user").filter(ticket_code_hash=_hash(plain)).first()
    )
    if registration is None:
        raise ApplicationError(
            "That ticket code is not valid (it may have been replaced by a newer one). "
            "Try searching by name.",
            code="invalid_ticket",
            details={"token": ["Not a valid ticket code."]},
        )
    if registration.event_id != event.pk:
        raise ApplicationError(
            "That ticket is for another event.",
            code="other_event_ticket",
            details={"token": ["This ticket is for another event."]},
        )
    if registration.status not in TAKING_PART:
        raise ApplicationError(
            f"That ticket no longer admits anyone: the place is "
            f"{registration.get_status_display().lower()}.",
            code="ticket_void",
            status=409,
            details={"token": ["The place is no longer confirmed."]},
        )
    return registration
