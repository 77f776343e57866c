import uuid

from allauth.account.adapter import DefaultAccountAdapter

from common.outbox import outbox_store


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Send allauth's emails (verification, password reset) through the outbox.

        Each request for such an email is its own message, so the key is fresh.
        """
        message = self.render_mail(template_prefix, email, context)
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
