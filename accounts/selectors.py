from django.utils import timezone

from accounts.models import ApiToken, User


def api_tokens_of(user: User):
    """The person's tokens that still work, newest first."""
    return (
        ApiToken.objects.filter(auth_token__user=user, auth_token__expiry__gt=timezone.now())
        .select_related("auth_token")
        .order_by("-auth_token__created", "-pk")
    )
