"""Scoped viewsets and serializers: every API endpoint reaches rows through ``restrict``."""

from django.db import transaction
from rest_framework import exceptions, permissions, viewsets

from ..scoping import ensure_in_scope


class ScopedModelViewSet(viewsets.ModelViewSet):
    """A model viewset whose rows are the user's scope only, and whose saves stay there.

    Subclasses set ``queryset`` (a ScopedModel), ``serializer_class`` and usually
    ``filterset_class`` (the same one the HTML list uses) and ``search_fields``.
    Deletion is off unless ``allow_delete`` is set: registers are corrected, not erased.
    """

    allow_delete = False

    def get_queryset(self):
        action = "view" if self.request.method in permissions.SAFE_METHODS else "change"
        return super().get_queryset().restrict(self.request.user, action)

    def perform_create(self, serializer):
        with transaction.atomic():
            obj = serializer.save()
            ensure_in_scope(obj, self.request.user)

    def perform_update(self, serializer):
        with transaction.atomic():
            obj = serializer.save()
            ensure_in_scope(obj, self.request.user)

    def destroy(self, request, *args, **kwargs):
        if not self.allow_delete:
            raise exceptions.MethodNotAllowed(request.method, detail="登记信息不能删除，请通过修改状态处理。")
        return super().destroy(request, *args, **kwargs)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only variant of ``ScopedModelViewSet``."""

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")


def scoped_related_queryset(serializer, field_name, model):
    """Limit a serializer's related field to rows the requesting user may use."""
    request = serializer.context.get("request")
    if request is not None:
        serializer.fields[field_name].queryset = model.objects.restrict(request.user, "view")


class ScopedSerializerMixin:
    """Limit every related field to rows within the requesting user's scope, so an id from
    another agency is answered "does not exist" rather than silently linked."""

    def get_fields(self):
        from rest_framework.relations import ManyRelatedField, RelatedField

        from ..scoping import ScopedModel

        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:
            return fields
        for field in fields.values():
            target = field.child_relation if isinstance(field, ManyRelatedField) else field
            if isinstance(target, RelatedField) and not target.read_only and target.queryset is not None:
                model = target.queryset.model
                if issubclass(model, ScopedModel):
                    target.queryset = target.queryset.restrict(request.user, "view")
        return fields
