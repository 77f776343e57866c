from django.urls import path

from registration import views

urlpatterns = [
    path("events/<slug:slug>/register/", views.register, name="registration_register"),
    path("registrations/", views.mine, name="registration_mine"),
    path("registrations/<int:pk>/leave/", views.leave, name="registration_leave"),
    path("registrations/<int:pk>/offer/", views.answer_offer, name="registration_offer"),
]
