from judging.views import console, judge, results, team

urlpatterns = [
    *console.urlpatterns,
    *judge.urlpatterns,
    *team.urlpatterns,
    *results.urlpatterns,
]
