from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile, name="account_profile"),
    path("profile/api-token/", views.api_token_regenerate, name="account_api_token"),
    path("my-data/", views.data_export, name="account_data_export"),
    path("delete/", views.account_delete, name="account_delete"),
]
