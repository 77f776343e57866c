from django.urls import path

from feedback import console, views

urlpatterns = [
    path("feedback/<str:token>/", views.survey_answer, name="survey_answer"),
    path("feedback-thanks/", views.survey_thanks, name="survey_thanks"),
    path("organise/<slug:slug>/survey/", console.survey_settings, name="feedback_survey"),
    path("events/<slug:slug>/connections/", views.directory, name="feedback_directory"),
]
