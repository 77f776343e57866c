"""The participant's pages: what the event and register pages say about the seats before
anyone applies, the questionnaire as GOV.UK components, answering an offer, and
cancelling, which asks first."""

import datetime
import re

import pytest
from django.utils import timezone

from registration import services
from registration.enums import Actor, AdmissionMode, QuestionKind, RegistrationStatus
from registration.models import Question, Registration, RegistrationPolicy
from registration.selectors import answer_filter_options
from tests.factories import EventFactory, ThemeFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _text(response) -> str:
    """The page's words, tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _review(event):
    RegistrationPolicy.objects.filter(event=event).update(mode=AdmissionMode.REVIEW)


def _full_with_one_waiting(capacity=2):
    event = EventFactory(capacity=capacity)
    for _ in range(capacity + 1):
        register(event, UserFactory())
    return event


def _offered():
    """A waitlisted person offered the seat that someone else gave up."""
    event = EventFactory(capacity=1)
    holder = register(event, UserFactory())
    waiting = register(event, UserFactory())
    services.registration_leave(registration=holder, actor=holder.user)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    return waiting


# --- Where the seats stand, before anyone applies ------------------------------------


def test_event_page_open_says_places_left(client):
    event = EventFactory(capacity=3)
    register(event, UserFactory())

    text = _text(client.get(event.get_absolute_url()))

    assert "2 places left of 3" in text
    assert "Full" not in text
    assert f'href="/events/{event.slug}/register/">Register</a>' in client.get(
        event.get_absolute_url()
    ).content.decode().replace("\n", "")


def test_event_page_one_place_left_is_singular(client):
    event = EventFactory(capacity=2)
    register(event, UserFactory())

    assert "1 place left of 2" in _text(client.get(event.get_absolute_url()))


def test_event_page_full_says_join_the_waiting_list(client):
    event = _full_with_one_waiting()

    text = _text(client.get(event.get_absolute_url()))

    assert "Full — join the waiting list" in text
    assert "All places are taken and 1 person is waiting." in text
    assert "Join the waiting list" in text
    assert "places left" not in text


def test_event_page_review_says_organisers_review(client):
    event = EventFactory(capacity=5)
    _review(event)

    text = _text(client.get(event.get_absolute_url()))

    assert "5 places left of 5" in text
    assert "The organisers review every application before they offer places" in text
    assert "Apply for a place" in text


def test_event_page_full_review_event_does_not_promise_the_waiting_list(client):
    event = EventFactory(capacity=1)
    _review(event)
    applied = register(event, UserFactory())
    services.registration_transition(registration=applied, to=S.CONFIRMED, by=Actor.ORGANISER)

    text = _text(client.get(event.get_absolute_url()))

    assert "0 places left of 1" in text
    assert "Full — join the waiting list" not in text
    assert "The organisers review every application" in text


def test_event_page_closed_says_when_registration_runs(client):
    event = EventFactory(
        registration_opens_at=timezone.now() + datetime.timedelta(days=1),
    )

    text = _text(client.get(event.get_absolute_url()))

    assert "Registration runs from" in text
    assert "places left" not in text and "Register" not in text.replace("Registration", "")


def test_register_page_open_says_place_is_confirmed(client):
    event = EventFactory(capacity=4)
    client.force_login(UserFactory())

    response = client.get(f"/events/{event.slug}/register/")

    text = _text(response)
    assert "4 places left: your place is confirmed as soon as you submit this form" in text
    assert ">Register</button>" in response.content.decode()


def test_register_page_full_says_the_submission_joins_the_waiting_list(client):
    event = _full_with_one_waiting()
    person = UserFactory()
    client.force_login(person)

    response = client.get(f"/events/{event.slug}/register/")

    text = _text(response)
    assert (
        "This event is full: when you submit this form you join the waiting list, after the "
        "1 person already on it." in text
    )
    assert ">Join the waiting list</button>" in response.content.decode()


def test_register_page_review_says_it_is_an_application(client):
    event = EventFactory(capacity=5)
    _review(event)
    client.force_login(UserFactory())

    response = client.get(f"/events/{event.slug}/register/")

    assert "submitting this form applies for a place" in _text(response)
    assert ">Apply for a place</button>" in response.content.decode()


def test_register_page_closed_shows_no_outlook(client):
    event = EventFactory(registration_opens_at=timezone.now() + datetime.timedelta(days=1))
    client.force_login(UserFactory())

    response = client.get(f"/events/{event.slug}/register/")

    assert response.context["outlook"] is None
    assert "places left" not in _text(response)


# --- The questionnaire --------------------------------------------------------------


def test_register_form_is_gov_uk_components_in_sections(client):
    event = EventFactory()
    ThemeFactory(event=event, name="Active travel")
    client.force_login(UserFactory())

    html = client.get(f"/events/{event.slug}/register/").content.decode()

    legends = re.findall(r'<h2 class="govuk-fieldset__heading">\s*([^<]+?)\s*</h2>', html)
    assert legends == ["About you", "Themes and questions", "Agreements"]
    assert 'class="govuk-radios__input"' in html and 'name="participant_type"' in html
    assert 'class="govuk-checkboxes__input"' in html
    assert "---------" not in html
    assert "<select" not in html


def test_register_form_without_themes_asks_no_theme_question(client):
    event = EventFactory()
    client.force_login(UserFactory())

    html = client.get(f"/events/{event.slug}/register/").content.decode()

    assert 'name="theme_interests"' not in html


def test_register_form_shows_choice_labels_as_written(client):
    event = EventFactory()
    Question.objects.create(
        event=event,
        label="T-shirt size",
        kind=QuestionKind.SINGLE_CHOICE,
        choices=["XL", "m", "iPhone charger"],
    )
    client.force_login(UserFactory())

    html = client.get(f"/events/{event.slug}/register/").content.decode()

    labels = re.findall(r'for="id_question_\d+_\d">\s*([^<]+?)\s*</label>', html)
    assert labels[-3:] == ["XL", "m", "iPhone charger"]


def test_register_form_errors_are_summarised_at_the_top_linking_to_each_field(client):
    event = EventFactory()
    client.force_login(UserFactory())

    response = client.post(f"/events/{event.slug}/register/", {"consent_photography": ""})

    html = response.content.decode()
    start = html.index('class="govuk-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    links = re.findall(r'<li>\s*<a href="#([^"]+)">([^<]+)</a>\s*</li>', summary)
    assert links == [
        ("id_participant_type_1", "Choose which describes you best."),
        ("id_consent_code_of_conduct", "Agree to follow the code of conduct to take part."),
        ("id_consent_privacy", "Confirm that you have read the privacy notice to take part."),
    ]
    assert html.index("govuk-error-summary") < html.index('name="participant_type"')
    for target, _ in links:
        assert f'id="{target}"' in html
    assert response.context["form"].errors  # shown again, nothing saved
    assert not Registration.objects.exists()


def test_answer_filter_options_keep_the_organisers_words():
    event = EventFactory()
    size = Question.objects.create(
        event=event, label="Size", kind=QuestionKind.SINGLE_CHOICE, choices=["XL", "s"]
    )
    car = Question.objects.create(event=event, label="Car?", kind=QuestionKind.YES_NO)

    options = dict(answer_filter_options([size, car]))

    assert options["Size"] == [(f"{size.pk}:XL", "XL"), (f"{size.pk}:s", "s")]
    assert options["Car?"] == [(f"{car.pk}:yes", "Yes"), (f"{car.pk}:no", "No")]


# --- Answering an offer ---------------------------------------------------------------


def test_offer_page_shows_the_offer_with_accept_and_decline(client):
    offered = _offered()
    client.force_login(offered.user)

    response = client.get(f"/registrations/{offered.pk}/offer/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "A place is yours if you want it" in html
    assert 'name="accept" value="1"' in html and ">Accept the place</button>" in html
    assert 'name="accept" value="0"' in html and ">Decline the place</button>" in html
    assert Registration.objects.get(pk=offered.pk).status == S.OFFERED  # a GET changes nothing


def test_offer_page_accept_confirms_the_place(client):
    offered = _offered()
    client.force_login(offered.user)

    response = client.post(f"/registrations/{offered.pk}/offer/?answer=accept", {"accept": "1"})

    assert response.status_code == 302 and response["Location"] == "/registrations/"
    assert Registration.objects.get(pk=offered.pk).status == S.CONFIRMED


def test_offer_page_decline_asks_first_then_passes_the_place_on(client):
    offered = _offered()
    client.force_login(offered.user)

    asked = client.post(f"/registrations/{offered.pk}/offer/", {"accept": "0"})
    assert asked.status_code == 200
    assert asked.context["title"] == f"Decline your place at {offered.event.name}?"
    assert asked.context["fields"] == {"accept": "0"}
    assert Registration.objects.get(pk=offered.pk).status == S.OFFERED

    response = client.post(
        f"/registrations/{offered.pk}/offer/", {"accept": "0", "confirmed": "yes"}
    )

    assert response.status_code == 302
    assert Registration.objects.get(pk=offered.pk).status == S.OFFER_DECLINED


def test_offer_email_decline_link_asks_the_question(client):
    offered = _offered()
    client.force_login(offered.user)

    response = client.get(f"/registrations/{offered.pk}/offer/?answer=decline")

    assert response.templates[0].name == "confirm.html"
    assert 'name="accept" value="0"' in response.content.decode()
    assert Registration.objects.get(pk=offered.pk).status == S.OFFERED


def test_offer_page_signed_out_goes_to_sign_in_and_back(client):
    offered = _offered()

    response = client.get(f"/registrations/{offered.pk}/offer/?answer=accept")

    assert response.status_code == 302
    assert response["Location"] == (
        f"/accounts/login/?next=/registrations/{offered.pk}/offer/%3Fanswer%3Daccept"
    )


def test_offer_page_of_someone_else_is_404(client):
    offered = _offered()
    client.force_login(UserFactory())

    assert client.get(f"/registrations/{offered.pk}/offer/").status_code == 404
    response = client.post(f"/registrations/{offered.pk}/offer/", {"accept": "1"})
    assert response.status_code == 404
    assert Registration.objects.get(pk=offered.pk).status == S.OFFERED


def test_offer_past_its_window_says_expired_and_cannot_be_accepted(client):
    offered = _offered()
    Registration.objects.filter(pk=offered.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(offered.user)

    page = client.get(f"/registrations/{offered.pk}/offer/")
    response = client.post(f"/registrations/{offered.pk}/offer/", {"accept": "1"}, follow=True)

    assert "This offer has expired" in _text(page)
    assert ">Accept the place</button>" not in page.content.decode()
    assert response.redirect_chain == [(f"/registrations/{offered.pk}/offer/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "This offer has expired, so the place has passed to the next person waiting."
    ]
    assert Registration.objects.get(pk=offered.pk).status == S.OFFERED  # for the sweep


def test_offer_already_accepted_says_so_and_changes_nothing(client):
    offered = _offered()
    services.registration_answer_offer(registration=offered, accept=True, actor=offered.user)
    client.force_login(offered.user)

    page = client.get(f"/registrations/{offered.pk}/offer/")
    declined = client.post(f"/registrations/{offered.pk}/offer/", {"accept": "0"}, follow=True)

    assert "You have already accepted this place" in _text(page)
    assert [str(m) for m in declined.context["messages"]] == ["There is no open offer to answer."]
    assert Registration.objects.get(pk=offered.pk).status == S.CONFIRMED


def test_offer_already_declined_says_so(client):
    offered = _offered()
    services.registration_answer_offer(registration=offered, accept=False, actor=offered.user)
    client.force_login(offered.user)

    page = client.get(f"/registrations/{offered.pk}/offer/")

    assert "You have already declined this place" in _text(page)


def test_offer_expired_by_the_sweep_says_so(client):
    offered = _offered()
    services.offers_expire(now=offered.offer_expires_at)
    client.force_login(offered.user)

    text = _text(client.get(f"/registrations/{offered.pk}/offer/"))

    assert "This offer has expired" in text


def test_my_registrations_link_an_offer_to_its_page(client):
    offered = _offered()
    client.force_login(offered.user)

    html = client.get("/registrations/").content.decode()

    assert f'href="/registrations/{offered.pk}/offer/">Accept or decline the place' in html


# --- Cancelling asks first ------------------------------------------------------------


def test_cancel_asks_first_then_cancels(client):
    registration = register(EventFactory(), UserFactory())
    client.force_login(registration.user)

    asked = client.post(f"/registrations/{registration.pk}/leave/")

    assert asked.templates[0].name == "confirm.html"
    assert "Your place goes to the next person on the waiting list, if anyone is waiting." in _text(
        asked
    )
    assert 'name="confirmed" value="yes"' in asked.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == S.CONFIRMED

    done = client.post(f"/registrations/{registration.pk}/leave/", {"confirmed": "yes"})

    assert done.status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == S.CANCELLED


def test_withdraw_from_waiting_list_asks_in_its_own_words(client):
    event = _full_with_one_waiting(capacity=1)
    waiting = Registration.objects.get(event=event, status=S.WAITLISTED)
    client.force_login(waiting.user)

    asked = client.post(f"/registrations/{waiting.pk}/leave/")

    assert "You leave the waiting list or withdraw your application." in _text(asked)
    assert Registration.objects.get(pk=waiting.pk).status == S.WAITLISTED


def test_cancel_what_cannot_be_cancelled_says_why_without_asking(client):
    registration = register(EventFactory(), UserFactory())
    services.registration_leave(registration=registration, actor=registration.user)
    client.force_login(registration.user)

    response = client.post(f"/registrations/{registration.pk}/leave/", follow=True)

    assert response.redirect_chain == [("/registrations/", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "A registration that is cancelled cannot become withdrawn."
    ]
    assert Registration.objects.get(pk=registration.pk).status == S.CANCELLED


def test_a_required_question_left_blank_is_named_in_the_summary(client):
    event = EventFactory()
    question = event.questions.get(label="How did you hear about the event?")
    question.required = True
    question.save()
    client.force_login(UserFactory())

    response = client.post(f"/events/{event.slug}/register/", {"consent_photography": ""})

    html = response.content.decode()
    summary = html[html.index('class="govuk-error-summary"') :]
    assert "“How did you hear about the event?” needs an answer." in summary
    assert "This field is required." not in summary
    assert not Registration.objects.exists()
