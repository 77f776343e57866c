from judging.views import console, judge, results, slots, team

urlpatterns = [
    *console.urlpatterns,
    *slots.urlpatterns,
    *judge.urlpatterns,
    *team.urlpatterns,
    *results.urlpatterns,
]
