"""The audit trail: every create, update and delete of an audited model is written to
``ChangeLog`` with the acting user, the request id and before/after snapshots.

A model is audited when it inherits ``AuditedModel``. The actor is the user of the current
request (``CurrentRequestMiddleware``), or the one set with ``acting_as(user)`` in commands
and imports. Bulk creates (Excel imports) call ``log_bulk_create``.
"""

import contextlib
import datetime
import decimal
import uuid
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .middleware import current_request
from .models import ChangeLog

_acting_user: ContextVar = ContextVar("zhifa_acting_user", default=None)


class AuditedModel(models.Model):
    """Marker base: changes to subclasses are written to the audit trail."""

    class Meta:
        abstract = True


@contextlib.contextmanager
def acting_as(user):
    """Attribute changes made inside the block to ``user`` (for commands, imports, tasks)."""
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


def _actor_and_request():
    user = _acting_user.get()
    request = current_request.get()
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    return user, getattr(request, "id", None)


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or None
    return value


def snapshot(instance) -> dict:
    """A JSON-able dict of the instance's concrete field values (FKs as ids)."""
    data = {}
    for field in instance._meta.concrete_fields:
        data[field.attname] = _jsonable(field.value_from_object(instance))
    return data


def write_log(instance, action, before=None, after=None, note=""):
    """Append one ChangeLog row for ``instance``."""
    from .public import client_address

    user, request_id = _actor_and_request()
    request = current_request.get()
    ChangeLog.objects.create(
        client_address=client_address(request)[:45] if request is not None else "",
        actor=user,
        actor_name=(user.get_full_name() or user.username) if user else "系统",
        request_id=request_id,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        scope_path=getattr(instance, "owner_path", "") or "",
        before=before,
        after=after,
        note=note,
    )


def log_security_event(action: str, *, user=None, username: str = "", request=None, result: str = "",
                       note: str = ""):
    """Append a security event (sign-in, failed sign-in, lock-out, sign-out, token issue or
    revocation, second factor, password change) to the audit trail: time, account, client
    address and result (等保 三级 安全审计). ``user`` is the account concerned when known
    (the object of the row); ``username`` is what was typed when it is not."""
    from django.contrib.auth import get_user_model

    from .public import client_address

    if action not in ChangeLog.SECURITY_ACTIONS:
        raise ValueError(f"unknown security event {action!r}")
    request = request if request is not None else current_request.get()
    actor, request_id = _actor_and_request()
    if actor is None and user is not None and getattr(user, "pk", None):
        actor = user
    model = get_user_model()
    name = username or (user.get_username() if user is not None else "")
    return ChangeLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=((actor.get_full_name() or actor.username) if getattr(actor, "pk", None) else name)[:150],
        request_id=request_id,
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(user.pk) if getattr(user, "pk", None) else "",
        object_repr=(str(user) if getattr(user, "pk", None) else name)[:200],
        scope_path=(getattr(user, "owner_path", "") or "") if user is not None else "",
        client_address=client_address(request)[:45] if request is not None else "",
        result=result[:100],
        note=note[:200],
    )


def log_bulk_create(instances, note=""):
    """Write create entries for rows inserted with ``bulk_create`` (signals do not fire)."""
    user, request_id = _actor_and_request()
    name = (user.get_full_name() or user.username) if user else "系统"
    rows = []
    ct_cache = {}
    for obj in instances:
        model = type(obj)
        if model not in ct_cache:
            ct_cache[model] = ContentType.objects.get_for_model(model)
        rows.append(
            ChangeLog(
                actor=user, actor_name=name, request_id=request_id, action="create",
                content_type=ct_cache[model], object_id=str(obj.pk), object_repr=str(obj)[:200],
                scope_path=getattr(obj, "owner_path", "") or "",
                after=snapshot(obj), note=note,
            )
        )
    ChangeLog.objects.bulk_create(rows, batch_size=1000)


@receiver(pre_save)
def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or not issubclass(sender, AuditedModel) or instance.pk is None:
        return
    if getattr(instance, "_audit_two_step_insert", False):
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None


@receiver(post_save)
def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not issubclass(sender, AuditedModel):
        return
    if getattr(instance, "_audit_two_step_insert", False):
        # Models whose tree path needs their id insert, then save again: log one "create".
        if created:
            return
        instance._audit_two_step_insert = False
        created = True
    after = snapshot(instance)
    before = None if created else getattr(instance, "_audit_before", None)
    if not created and before == after:
        return
    write_log(instance, "create" if created else "update", before=before, after=after)
    instance._audit_before = after


@receiver(post_delete)
def _log_delete(sender, instance, **kwargs):
    if issubclass(sender, AuditedModel):
        write_log(instance, "delete", before=snapshot(instance))
