"""DRF throttles whose rates are read from settings.API_THROTTLE_RATES on each request.

DRF's own classes copy DEFAULT_THROTTLE_RATES once, at import; reading the setting each
time lets a deployment (and a test) change a rate without the copy going stale.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _RateFromSettings:
    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class AnonThrottle(_RateFromSettings, AnonRateThrottle):
    """Requests without a signed-in person, per address."""


class UserThrottle(_RateFromSettings, UserRateThrottle):
    """Requests of a signed-in person (per address when anonymous), by the hour."""


class BurstThrottle(_RateFromSettings, UserRateThrottle):
    """The same, by the minute: a runaway script is stopped within a minute."""

    scope = "burst"
