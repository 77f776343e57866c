import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings

from common.outbox import outbox_store


class AccountAdapter(DefaultAccountAdapter):
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
