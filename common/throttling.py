"""DRF throttles whose rates are read from settings.API_THROTTLE_RATES on each request.

DRF's own classes copy DEFAULT_THROTTLE_RATES once, at import; reading the setting each
time lets a deployment (and a test) change a rate without the copy going stale.
`throttled_per_address` does the same for plain Django views.
"""

import math
from functools import wraps

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


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


class _AddressThrottle(SimpleRateThrottle):
    """Requests per client address, found as DRF's throttles find it (NUM_PROXIES, from
    settings.TRUSTED_PROXY_COUNT), counted in Django's cache."""

    def __init__(self, *, scope: str, rate: str):
        self.scope, self.rate = scope, rate
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def throttled_per_address(*, scope: str, rate_setting: str, refused):
    """Throttle a plain Django view (DRF's throttles apply to DRF views only) per client
    address at the rate in settings.<rate_setting> ("600/min"); over it, answer
    `refused(request, retry_after_seconds)`."""

    def decorate(view):
        @wraps(view)
        def throttled_view(request, *args, **kwargs):
            throttle = _AddressThrottle(scope=scope, rate=getattr(settings, rate_setting))
            if not throttle.allow_request(request, None):
                return refused(request, max(1, math.ceil(throttle.wait() or 1)))
            return view(request, *args, **kwargs)

        return throttled_view

    return decorate
