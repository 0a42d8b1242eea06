"""The audit trail: every create, update and delete of an audited model is written to
``ChangeLog`` with the acting user, the request id and before/after snapshots.

A model is audited when it inherits ``AuditedModel``. The actor is the user of the current
request (``CurrentRequestMiddleware``), or the one set with ``acting_as(user)`` in commands
and imports. Bulk creates (Excel imports) call ``log_bulk_create``.

No secret is ever written to the trail (等保 三级): ``snapshot`` leaves out a field marked
``audit_secret = True`` and every field named like a password, token, key, secret or OTP
seed (its key maps to ``HIDDEN``), and stores masked a field with an ``audit_mask``
callable and every identity-number or phone field (``zhifa.parties.masking``). The full value
stays on the live object, where the roles allowed to reveal it do so through the logged
reveal actions.

Every row, however written (``ChangeLog.save`` or ``ChangeLog.objects.bulk_create``), is
numbered and hashed by the registered sealer (``zhifa.records.audit_chain``: the hash chain
``audit:changelog``) inside the inserting transaction.
"""

import contextlib
import datetime
import decimal
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from zhifa.parties.masking import mask_id_number, mask_phone

from .middleware import current_request
from .models import ChangeLog, set_changelog_sealer

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


def current_actor_and_request():
    """The acting user (or None for the system) and the request id, as audit rows record them."""
    return _actor_and_request()


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


# --- Secrets and personal data in snapshots -------------------------------------------------

HIDDEN = "（已隐去）"  # a secret's value: never stored
HIDDEN_CHANGED = "（已隐去，已修改）"  # a secret that this change replaced (the value is still not stored)

SECRET_NAME = re.compile(r"password|passwd|token|key|secret|otp|seed", re.IGNORECASE)
ID_NUMBER_NAME = re.compile(r"id_number|id_no$|identity|id_card|certificate_number_of_id", re.IGNORECASE)
PHONE_NAME = re.compile(r"phone|mobile|telephone|(^|_)tel($|_)", re.IGNORECASE)

_rules_cache: dict[type, dict[str, object]] = {}


def field_rule(field) -> object:
    """How ``snapshot`` stores a field: ``None`` (as is), ``HIDDEN`` (left out) or a masking
    callable. Declared attributes win (``audit_secret``, ``audit_exclude`` — e.g. a blind index,
    ``audit_mask``); then names decide."""
    if getattr(field, "audit_secret", False) or getattr(field, "audit_exclude", False):
        return HIDDEN
    mask = getattr(field, "audit_mask", None)
    if callable(mask):
        return mask
    name = field.name
    if getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False):
        return None  # a reference (e.g. ``api_key`` → id) is not the secret itself
    return key_rule(name)


def key_rule(name: str) -> object:
    """The rule for a snapshot key by its name alone (also used to redact legacy rows)."""
    if SECRET_NAME.search(name):
        return HIDDEN
    if ID_NUMBER_NAME.search(name):
        return mask_id_number
    if PHONE_NAME.search(name):
        return mask_phone
    return None


def _rules(model) -> dict[str, object]:
    rules = _rules_cache.get(model)
    if rules is None:
        rules = {f.attname: field_rule(f) for f in model._meta.concrete_fields}
        _rules_cache[model] = rules
    return rules


def protect_value(rule, value):
    """``value`` as the trail may store it under ``rule`` (masked, hidden or unchanged)."""
    if rule is None or value is None:
        return value
    if rule is HIDDEN:
        return HIDDEN if value not in ("", HIDDEN, HIDDEN_CHANGED) else value
    if isinstance(value, str) and value in (HIDDEN, HIDDEN_CHANGED):
        return value
    masked = rule(str(value))
    return masked


def protect_snapshot(data: dict | None) -> dict | None:
    """Redact a stored snapshot by key names (legacy rows written before the rules existed)."""
    if not isinstance(data, dict):
        return data
    return {k: protect_value(key_rule(k), v) for k, v in data.items()}


def snapshot(instance) -> dict:
    """A JSON-able dict of the instance's concrete field values (FKs as ids), with secrets
    left out and identity and phone numbers masked."""
    return snapshot_values(type(instance), {f.attname: f.value_from_object(instance)
                                            for f in instance._meta.concrete_fields})


def snapshot_values(model, values: dict) -> dict:
    """``snapshot`` of a row of ``model`` given as ``{attname: value}`` (every concrete field),
    for writers that insert rows without building model instances."""
    rules = _rules(model)
    data = {}
    for name, value in values.items():
        rule = rules.get(name)
        data[name] = protect_value(rule, value) if rule is not None else _jsonable(value)
    return data


def _secret_values(instance) -> dict:
    """The raw values of hidden fields, kept in memory only, to tell whether a save changed one."""
    rules = _rules(type(instance))
    return {f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields
            if rules.get(f.attname) is HIDDEN}


# --- Writing rows ---------------------------------------------------------------------------

def register_sealer(sealer: Callable[[list[ChangeLog]], None] | None) -> None:
    """Install the function that numbers and hashes rows before insert (the records app
    registers the ``audit:changelog`` chain in its ``AppConfig.ready``). ``ChangeLog.save``
    and ``ChangeLog.objects.bulk_create`` call it, so rows written anywhere are chained."""
    set_changelog_sealer(sealer)


def _insert(rows: list[ChangeLog]) -> list[ChangeLog]:
    """Insert audit rows (sealed into the chain by the model in the same transaction)."""
    if len(rows) == 1:
        rows[0].save(force_insert=True)
    elif rows:
        ChangeLog.objects.bulk_create(rows, batch_size=1000)
    return rows


def write_log(instance, action, before=None, after=None, note=""):
    """Append one ChangeLog row for ``instance``."""
    from .public import client_address

    user, request_id = _actor_and_request()
    request = current_request.get()
    _insert([ChangeLog(
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
    )])


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
    return _insert([ChangeLog(
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
    )])[0]


def bulk_rows(instances, action: str = "create", *, before=None, note="") -> list[ChangeLog]:
    """The audit rows (unsaved, not yet chained) of a bulk write of ``instances`` — "create",
    or "update" with ``before`` (a list of snapshots, one per instance, taken before the
    change). ``log_bulk_create`` inserts them; a caller writing hundreds of thousands of rows
    (the problem models' first run) inserts them itself, sealed into the chain first."""
    user, request_id = _actor_and_request()
    name = (user.get_full_name() or user.username) if user else "系统"
    rows = []
    ct_cache = {}
    for index, obj in enumerate(instances):
        model = type(obj)
        if model not in ct_cache:
            ct_cache[model] = ContentType.objects.get_for_model(model)
        rows.append(
            ChangeLog(
                actor=user, actor_name=name, request_id=request_id, action=action,
                content_type=ct_cache[model], object_id=str(obj.pk), object_repr=str(obj)[:200],
                scope_path=getattr(obj, "owner_path", "") or "",
                before=before[index] if before is not None else None, after=snapshot(obj), note=note,
            )
        )
    return rows


def log_bulk_create(instances, note=""):
    """Write create entries for rows inserted with ``bulk_create`` (signals do not fire)."""
    _insert(bulk_rows(instances, note=note))


@receiver(pre_save)
def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or not issubclass(sender, AuditedModel) or instance.pk is None:
        return
    if getattr(instance, "_audit_two_step_insert", False):
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None
    instance._audit_before_secrets = _secret_values(old) if old is not None else {}


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
    if not created:
        # A replaced secret shows as changed, without its value.
        old_secrets = getattr(instance, "_audit_before_secrets", None) or {}
        for name, value in _secret_values(instance).items():
            if name in old_secrets and old_secrets[name] != value:
                after[name] = HIDDEN_CHANGED
    if not created and before == after:
        return
    write_log(instance, "create" if created else "update", before=before, after=after)
    instance._audit_before = snapshot(instance)
    instance._audit_before_secrets = _secret_values(instance)


@receiver(post_delete)
def _log_delete(sender, instance, **kwargs):
    if issubclass(sender, AuditedModel):
        write_log(instance, "delete", before=snapshot(instance))
