"""The OpenAPI schema class: drf-spectacular's, with the project's contract rules.

One rule lives here rather than in every serializer: a read-only choice field answers what the
row holds, and a row's choice column may be blank ("") or NULL — e.g. ``Case.outcome`` before
the decision. DRF drops ``allow_blank`` from read-only fields, so the plain schema declares a
strict enum that the answers break (generated clients then fail to parse them). Here such a
field's enum includes ``""`` when the model column is a text column, and ``null`` when the
column is nullable.
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


def model_field_of(field):
    """The model field a serializer field reads (its ``source`` on its serializer's model), or None."""
    parent = getattr(field, "parent", None)
    if isinstance(parent, serializers.ListSerializer):
        parent = parent.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None) or getattr(field, "field_name", None)
    if model is None or not source or source == "*":
        return None
    field_model, model_field = model, None
    for part in source.split("."):
        if field_model is None:
            return None
        try:
            model_field = field_model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        field_model = model_field.related_model if model_field.is_relation else None
    return model_field


def answered_choice_field(field):
    """``field`` itself, or a copy whose ``allow_blank``/``allow_null`` say what it may answer."""
    if not (isinstance(field, serializers.ChoiceField) and field.read_only):
        return field
    model_field = model_field_of(field)
    if model_field is None:
        return field
    blank = isinstance(model_field, models.CharField | models.TextField) and "" not in field.choices
    null = model_field.null
    if (not blank or field.allow_blank) and (not null or field.allow_null):
        return field
    field = copy.copy(field)
    field.allow_blank = field.allow_blank or blank
    field.allow_null = field.allow_null or null
    return field


class AutoSchema(SpectacularAutoSchema):
    """The project's schema class (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``)."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        return super()._map_serializer_field(answered_choice_field(field), direction, bypass_extensions)
