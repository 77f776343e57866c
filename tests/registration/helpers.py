from registration import services
from registration.enums import REQUIRED_CONSENTS
from registration.tickets import ticket_code_issue


def register(event, user, **details):
    """Register with the required consents given and the default questions unanswered;
    returns the registration."""
    details.setdefault("consents", REQUIRED_CONSENTS)
    registration, _ = services.registration_create(event=event, user=user, **details)
    return registration


def ticket_code(registration) -> str:
    """Issue the holder a ticket code, as their ticket page does; returns the code."""
    return ticket_code_issue(registration=registration, actor=registration.user)
