"""common.views.confirm_page / is_confirmed: the question asked before an irreversible
action, which works without JavaScript."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from common.views import confirm_page, is_confirmed

TITLE = "Leave <b>Team</b>?"


def test_only_a_post_from_the_confirmation_page_is_confirmed():
    factory = RequestFactory()

    assert is_confirmed(factory.post("/x/", {"confirmed": "yes"}))
    assert not is_confirmed(factory.post("/x/", {}))
    assert not is_confirmed(factory.post("/x/", {"confirmed": "no"}))
    assert not is_confirmed(factory.get("/x/", {"confirmed": "yes"}))


def test_confirm_page_posts_back_with_its_fields_and_escapes_what_it_says(rf):
    request = rf.post("/teams/7/leave/")
    request.user = AnonymousUser()

    response = confirm_page(
        request,
        title=TITLE,
        lines=["You will no longer see <i>its</i> board."],
        warning="This cannot be undone.",
        button="Yes, leave the team",
        back="/teams/7/",
        fields={"team": 7},
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "<b>Team</b>" not in html and "Leave &lt;b&gt;Team&lt;/b&gt;?" in html
    assert "You will no longer see &lt;i&gt;its&lt;/i&gt; board." in html
    assert '<input type="hidden" name="team" value="7">' in html
    assert '<input type="hidden" name="confirmed" value="yes">' in html
    assert "govuk-button--warning" in html
    assert '<a class="govuk-link" href="/teams/7/">No, go back</a>' in html
