from django.shortcuts import render

from common.api import api_invalid_input, foreign_api_for
from common.input import query_problems, text_problem

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RequestInputMiddleware:
    """Turn away a path, query string or form body holding text that cannot be stored (a NUL
    byte, a lone surrogate) with 400 naming the field, before any view passes it to the
    database. Reading the form here also raises Django's size, field and file limits
    early, which the 400 handler (common.views.bad_request) answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problems = {}
        path_problem = text_problem(request.path_info)  # a <str:...> part reaches queries
        if path_problem:
            problems["path"] = [path_problem]
        problems |= query_problems(request.GET)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            problems |= query_problems(request.POST)
        if problems:
            foreign = foreign_api_for(request.path)
            if foreign:
                return foreign.invalid_input(request, problems)
            if request.path.startswith("/api/"):
                return api_invalid_input(problems)
            context = {"message": "Some of what was sent cannot be read.", "problems": problems}
            return render(request, "400.html", context, status=400)
        return self.get_response(request)
