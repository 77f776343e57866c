from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from events.services import role_invitations_claim


@receiver(user_logged_in, dispatch_uid="events_claim_roles_on_login")
def claim_roles_on_login(sender, request, user, **kwargs):
    role_invitations_claim(user=user)


@receiver(email_confirmed, dispatch_uid="events_claim_roles_on_email_confirmed")
def claim_roles_on_email_confirmed(sender, request, email_address, **kwargs):
    role_invitations_claim(user=email_address.user)
