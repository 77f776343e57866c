import uuid
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_next_redirect_url
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.landing import landing_url
from common.outbox import outbox_store


def same_site_path(url: str | None) -> str | None:
    """`url` if it is a path on this site ("/teams/join/…"), else None: a `next` carried
    in an email must not send anyone to another site."""
    if not url or not url.startswith("/"):
        return None
    # Django's own check also refuses what browsers read as another host ("/\\evil.com").
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return None
    return url


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Without a `next`, the page the person's role needs on the day of their nearest
        event (accounts.landing), else the home page."""
        return landing_url(user=request.user) or resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The confirmation link carries the `next` the person signed up with, so that
        confirming, even in another browser, leads back to the register page or team
        invite they came from. In the browser that signed up, allauth signs them in and
        follows the same `next` (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION)."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        following = same_site_path(get_next_redirect_url(request)) if request else None
        if following:
            url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: following})}"
        return url

    def send_mail(self, template_prefix, email, context):
        """Send allauth's emails (verification, password reset) through the outbox.

        Each request for such an email is its own message, so the key is fresh. Without
        the sites framework allauth's templates would greet from a nameless site.
        """
        site = SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        message = self.render_mail(template_prefix, email, {"current_site": site, **context})
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        outbox_store(
            recipient=email,
            purpose=template_prefix.rsplit("/", 1)[-1],
            key=f"account:{uuid.uuid4()}",
            subject=message.subject,
            body_text=message.body,
            body_html=html,
        )

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Count failed sign-ins per (account, address) pair, not per account.

        Per account alone, five wrong passwords typed anywhere would lock the person
        out wherever they are (door staff, on the day); per pair, only that address is
        slowed for that account. The per-address limit (ACCOUNT_RATE_LIMITS) still bounds
        one address guessing across accounts.
        """
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}@{get_ip(request)}"
