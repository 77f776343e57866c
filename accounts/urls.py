from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("profile/api-tokens/", views.api_token_create, name="account_api_token_create"),
    path(
        "profile/api-tokens/<int:pk>/revoke/",
        views.api_token_revoke,
        name="account_api_token_revoke",
    ),
    path("profile/optional-email/", views.optional_email, name="account_optional_email"),
    path("my-data/", views.data_export, name="account_data_export"),
    path("unsubscribe/<str:token>/", views.email_unsubscribe, name="email_unsubscribe"),
    path("delete/", views.account_delete, name="account_delete"),
]
