from django.urls import path

from feedback import console, views

urlpatterns = [
    path("feedback/<str:token>/", views.survey_answer, name="survey_answer"),
    path("feedback-thanks/", views.survey_thanks, name="survey_thanks"),
    path("organise/<slug:slug>/survey/", console.survey_settings, name="feedback_survey"),
    path("organise/<slug:slug>/survey/report/", console.survey_report, name="feedback_report"),
    path(
        "organise/<slug:slug>/survey/report/charts/<str:key>.svg",
        console.survey_report_chart,
        name="feedback_report_chart",
    ),
    path("organise/<slug:slug>/series/", console.series_comparison, name="feedback_series"),
    path(
        "organise/<slug:slug>/series/charts/<str:key>.svg",
        console.series_chart,
        name="feedback_series_chart",
    ),
    path(
        "organise/<slug:slug>/survey/answers.csv",
        console.survey_answers_csv,
        name="feedback_answers_csv",
    ),
    path("events/<slug:slug>/connections/", views.directory, name="feedback_directory"),
]
