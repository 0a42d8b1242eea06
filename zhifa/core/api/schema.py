"""The OpenAPI schema class: drf-spectacular's, with the project's contract rules.

One rule lives here rather than in every serializer: a read-only field answers what the row
holds. A choice column may be blank ("") — e.g. ``Case.outcome`` before the decision — and a
nullable column or relation (``Upload.completed`` before the last byte) answers null. DRF drops
``allow_blank`` from read-only fields and nested serializers do not inherit the column's NULL,
so the plain schema declares strict enums and non-null objects that the answers break
(generated clients then fail to parse them). Here such a field's enum includes ``""`` when the
column is a text column, and the field is nullable when any column on its way is.
"""

import copy

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


def model_fields_of(field) -> list:
    """The model fields a serializer field reads through its ``source`` ("file.hash" → the
    ``file`` foreign key, then ``hash``), or [] when it does not read model fields."""
    parent = getattr(field, "parent", None)
    if isinstance(parent, serializers.ListSerializer):
        parent = parent.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None) or getattr(field, "field_name", None)
    if model is None or not source or source == "*":
        return []
    chain = []
    for part in source.split("."):
        if model is None:
            return []
        try:
            model_field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return []
        chain.append(model_field)
        model = model_field.related_model if model_field.is_relation else None
    return chain


def answered_field(field):
    """``field`` itself, or a copy whose ``allow_blank``/``allow_null`` say what it may answer:
    a read-only field answers whatever the row holds — NULL when any column on its way is
    nullable, "" for a text column with choices."""
    if not getattr(field, "read_only", False):
        return field
    chain = model_fields_of(field)
    if not chain:
        return field
    null = any(f.null for f in chain) and not getattr(field, "allow_null", False)
    blank = (isinstance(field, serializers.ChoiceField) and not field.allow_blank and "" not in field.choices
             and isinstance(chain[-1], models.CharField | models.TextField))
    if not (null or blank):
        return field
    field = copy.copy(field)
    if null:
        field.allow_null = True
    if blank:
        field.allow_blank = True
    return field


class AutoSchema(SpectacularAutoSchema):
    """The project's schema class (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``)."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        return super()._map_serializer_field(answered_field(field), direction, bypass_extensions)
