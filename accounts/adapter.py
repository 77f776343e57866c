import uuid
from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
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
