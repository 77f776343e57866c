"""Tickets: a signed token naming the registration, shown as a QR code.

The token holds the registration's id and a signature, nothing personal; only this
site can make one, so a typed or scanned token is trusted once it verifies.
"""

import io

import qrcode
import qrcode.image.svg
from django.core import signing

from common.exceptions import ApplicationError
from registration.models import Registration

SIGNER = signing.Signer(salt="civichack.registration.ticket")


def ticket_token(registration) -> str:
    return SIGNER.sign(str(registration.pk))


def ticket_qr_svg(registration) -> str:
    """The token as an SVG QR code (vector, so it scans crisply at any size)."""
    image = qrcode.make(
        ticket_token(registration), image_factory=qrcode.image.svg.SvgPathImage, box_size=12
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def registration_for_ticket(*, event, token: str) -> Registration:
    """The registration a scanned token names, if it is valid for `event`."""
    try:
        pk = int(SIGNER.unsign(token.strip()))
    except (signing.BadSignature, ValueError) as error:
        raise ApplicationError(
            "That is not a valid ticket; try searching by name.",
            code="invalid_ticket",
            details={"token": ["Not a valid ticket."]},
        ) from error
    registration = Registration.objects.select_related("user").filter(pk=pk, event=event).first()
    if registration is None:
        raise ApplicationError(
            "That ticket is for another event.",
            code="other_event_ticket",
            details={"token": ["This ticket is for another event."]},
        )
    return registration
