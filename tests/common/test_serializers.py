import pytest
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from common.serializers import FieldsBuiltOnceMixin
from events.api.serializers import EventSerializer
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


class PlainEventSerializer(serializers.ModelSerializer):
    class Meta(EventSerializer.Meta):
        fields = ["slug", "name", "starts_at", "capacity"]


class BuiltOnceEventSerializer(FieldsBuiltOnceMixin, PlainEventSerializer):
    pass


def test_fields_built_once_output_matches_model_serializer():
    events = EventFactory.create_batch(2)

    for event in events:
        assert BuiltOnceEventSerializer(event).data == PlainEventSerializer(event).data


def test_fields_built_once_instances_do_not_share_bound_fields():
    first, second = BuiltOnceEventSerializer(), BuiltOnceEventSerializer()

    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first
    assert second.fields["name"].parent is second


def test_event_serializer_validates_per_instance():
    request = Request(APIRequestFactory().get("/"))
    existing = EventFactory()
    context = {"request": request}

    taken = EventSerializer(data={"slug": existing.slug}, partial=True, context=context)
    free = EventSerializer(data={"slug": "a-new-slug"}, partial=True, context=context)

    assert not taken.is_valid()
    assert "slug" in taken.errors
    assert free.is_valid(), free.errors
