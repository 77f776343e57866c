from registration import services
from registration.enums import REQUIRED_CONSENTS


def register(event, user, **details):
    """Register with the required consents given and the default questions unanswered;
    returns the registration."""
    details.setdefault("consents", REQUIRED_CONSENTS)
    registration, _ = services.registration_create(event=event, user=user, **details)
    return registration
