"""Personal data at rest (数据保密性, 等保 2.0 第三级): SM4-GCM field encryption and blind indexes.

Identity numbers (证件号码) and personal phone numbers are stored encrypted with SM4 in GCM
mode (``cryptography``'s ``algorithms.SM4``); the keys live outside the database, in a key
file (``settings.FIELD_KEY_FILE``, JSON, mode 0600, generated on first use when no key is
configured) or in the ``ZHIFA_FIELD_KEYS`` environment variable (the same JSON).

Key file::

    {"active": "20261129-a1b2",                 # id of the key new values are encrypted with
     "keys": {"20261129-a1b2": "<base64 of 16 bytes>", ...},        # SM4 keys, old ones too
     "active_index": "20261129-c3d4",
     "index_keys": {"20261129-c3d4": "<base64 of 32 bytes>", ...}}  # HMAC-SM3 keys

Stored value of an encrypted field: ``sm4g1$<key id>$<base64url(nonce ‖ ciphertext ‖ tag)>``
(12-byte nonce, 16-byte tag, the field's ``app_label.Model.field`` as associated data, so a
value copied to another column does not decrypt). An empty value stays empty.

Blind index (盲索引): ``<index key id>$<hex HMAC-SM3(index key, normalised value)>`` in an
indexed column beside the ciphertext, kept in step by ``BlindIndexField`` and used for exact
lookups and uniqueness (``lookup_values`` gives the values to match, one per index key, so
lookups keep working while the index is being re-keyed). Partial matches on an encrypted
value are impossible by design.

Rotation: ``zhifa rotate_field_keys`` (see ``docs/security.md``).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hmac
import json
import os
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models

from .validators import normalize_identifier

PREFIX = "sm4g1"
NONCE_BYTES = 12
TAG_BYTES = 16
SM4_KEY_BYTES = 16
INDEX_KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class FieldKeyError(ImproperlyConfigured):
    """The field keys are missing, malformed or do not fit the stored data (a start-up error)."""


class DecryptionError(FieldKeyError):
    """A stored value cannot be decrypted: unknown key id, wrong key or a damaged value."""


# -- normalisation (one place for what counts as "the same number") -------------------------
def normalize_phone(value: str | None) -> str:
    """Digits only: "0919-1234567" and "0919 1234567" are the same number."""
    return "".join(ch for ch in (value or "") if ch.isdigit())


NORMALIZERS = {
    "identifier": normalize_identifier,  # strip spaces, upper-case the X
    "phone": normalize_phone,
}


# -- keys -----------------------------------------------------------------------------------
def new_key_id() -> str:
    return f"{datetime.date.today():%Y%m%d}-{secrets.token_hex(2)}"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True)
class Keyring:
    """The loaded keys: SM4 keys and blind-index keys by id, and the active id of each."""

    active: str
    keys: dict
    active_index: str
    index_keys: dict
    source: str

    @classmethod
    def generate(cls) -> dict:
        """A fresh key file's content: one SM4 key and one index key."""
        kid, iid = new_key_id(), new_key_id()
        return {
            "active": kid,
            "keys": {kid: _b64(secrets.token_bytes(SM4_KEY_BYTES))},
            "active_index": iid,
            "index_keys": {iid: _b64(secrets.token_bytes(INDEX_KEY_BYTES))},
        }

    @classmethod
    def parse(cls, text: str, source: str) -> Keyring:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise FieldKeyError(f"字段加密密钥（{source}）不是有效的 JSON：{exc}") from None
        if not isinstance(data, dict):
            raise FieldKeyError(f"字段加密密钥（{source}）格式错误：应为 JSON 对象。")

        def decode(section, size):
            raw = data.get(section)
            if not isinstance(raw, dict) or not raw:
                raise FieldKeyError(f"字段加密密钥（{source}）缺少“{section}”。")
            out = {}
            for kid, value in raw.items():
                if not _KEY_ID.match(str(kid)):
                    raise FieldKeyError(f"字段加密密钥（{source}）的密钥编号“{kid}”无效（字母、数字、-_.，最多32位）。")
                try:
                    key = base64.b64decode(str(value), validate=True)
                except (binascii.Error, ValueError):
                    raise FieldKeyError(f"字段加密密钥（{source}）中密钥“{kid}”不是有效的 base64。") from None
                if len(key) != size:
                    raise FieldKeyError(f"字段加密密钥（{source}）中密钥“{kid}”应为{size}字节，实际{len(key)}字节。")
                out[str(kid)] = key
            return out

        keys = decode("keys", SM4_KEY_BYTES)
        index_keys = decode("index_keys", INDEX_KEY_BYTES)
        active, active_index = data.get("active"), data.get("active_index")
        if active not in keys:
            raise FieldKeyError(f"字段加密密钥（{source}）的当前密钥“{active}”不在“keys”中。")
        if active_index not in index_keys:
            raise FieldKeyError(f"字段加密密钥（{source}）的当前索引密钥“{active_index}”不在“index_keys”中。")
        return cls(active, keys, active_index, index_keys, source)

    def as_json(self) -> str:
        return json.dumps(
            {
                "active": self.active,
                "keys": {k: _b64(v) for k, v in self.keys.items()},
                "active_index": self.active_index,
                "index_keys": {k: _b64(v) for k, v in self.index_keys.items()},
            },
            indent=2,
        )


_lock = threading.Lock()
_keyring: Keyring | None = None


def write_key_file(path: Path, text: str, *, replace: bool = False) -> None:
    """Write a key file readable by its owner only (0600); atomically, never half-written.

    Without ``replace`` an existing file is kept (another process won the race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
    finally:
        if tmp.exists():
            tmp.unlink()


def load_keyring() -> Keyring:
    """Read the keys from ``settings.FIELD_KEYS`` (JSON) or ``settings.FIELD_KEY_FILE``.

    A missing key file is generated (0600) only when ``settings.FIELD_KEY_FILE_CREATE`` is on
    (the default for the file under ``ZHIFA_VAR_DIR``; off when ``ZHIFA_FIELD_KEY_FILE`` names
    a file explicitly, so a lost mount fails loudly instead of starting with a fresh key)."""
    text = getattr(settings, "FIELD_KEYS", "") or ""
    if text:
        return Keyring.parse(text, "环境变量 ZHIFA_FIELD_KEYS")
    path = Path(settings.FIELD_KEY_FILE)
    if not path.exists():
        if not getattr(settings, "FIELD_KEY_FILE_CREATE", False):
            raise FieldKeyError(
                f"找不到字段加密密钥文件 {path}（ZHIFA_FIELD_KEY_FILE）。没有它，证件号码和电话号码无法解密；"
                "请恢复该文件，不要新建密钥。"
            )
        write_key_file(path, json.dumps(Keyring.generate(), indent=2))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FieldKeyError(f"无法读取字段加密密钥文件 {path}：{exc.strerror}") from None
    return Keyring.parse(text, str(path))


def keyring() -> Keyring:
    global _keyring
    if _keyring is None:
        with _lock:
            if _keyring is None:
                _keyring = load_keyring()
    return _keyring


def reset_keyring(**kwargs) -> None:
    """Forget the loaded keys (after the key file or the settings changed)."""
    global _keyring
    _keyring = None


def _on_setting_changed(setting, **kwargs):
    if setting in ("FIELD_KEYS", "FIELD_KEY_FILE", "FIELD_KEY_FILE_CREATE"):
        reset_keyring()


setting_changed.connect(_on_setting_changed)


# -- encryption -----------------------------------------------------------------------------
def is_encrypted(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(PREFIX + "$")


def key_id_of(stored: str | None) -> str | None:
    """The key id a stored value was encrypted with (None for empty or plain values)."""
    if not is_encrypted(stored):
        return None
    return stored.split("$", 2)[1]


def encrypt(plaintext: str, context: str, *, ring: Keyring | None = None) -> str:
    """Encrypt ``plaintext`` with the active SM4 key; ``context`` is the associated data."""
    if plaintext is None or plaintext == "":
        return plaintext
    ring = ring or keyring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(ring.keys[ring.active]), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    body = encryptor.update(str(plaintext).encode("utf-8")) + encryptor.finalize()
    blob = base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode("ascii")
    return f"{PREFIX}${ring.active}${blob}"


def decrypt(stored: str, context: str, *, ring: Keyring | None = None) -> str:
    """Decrypt a stored value; raise ``DecryptionError`` (never return garbage)."""
    if stored is None or stored == "":
        return stored
    if not is_encrypted(stored):
        raise DecryptionError(
            f"{context} 中有未加密的值：请先运行数据库迁移（zhifa migrate）加密已有数据。"
        )
    ring = ring or keyring()
    try:
        _, kid, blob = stored.split("$", 2)
        raw = base64.urlsafe_b64decode(blob.encode("ascii"))
    except (ValueError, binascii.Error):
        raise DecryptionError(f"{context} 中的加密值已损坏。") from None
    key = ring.keys.get(kid)
    if key is None:
        raise DecryptionError(
            f"{context} 的值用密钥“{kid}”加密，但密钥（{ring.source}）中没有这个密钥："
            "密钥文件配置错误或旧密钥已被提前删除。"
        )
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError(f"{context} 中的加密值已损坏。")
    nonce, body, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode("utf-8")
    except (InvalidTag, UnicodeDecodeError):
        raise DecryptionError(
            f"{context} 的值无法用密钥“{kid}”解密：密钥文件中的这个密钥不是加密时用的密钥，或数据已被篡改。"
        ) from None


# -- blind index ----------------------------------------------------------------------------

def _digest(key: bytes, normalized: str) -> str:
    return hmac.new(key, normalized.encode("utf-8"), "sm3").hexdigest()


def blind_index(value: str | None, normalizer: str, *, ring: Keyring | None = None, key_id: str | None = None) -> str:
    """The blind index of ``value`` under the active (or the given) index key; "" for empty."""
    normalized = NORMALIZERS[normalizer](value or "")
    if not normalized:
        return ""
    ring = ring or keyring()
    kid = key_id or ring.active_index
    return f"{kid}${_digest(ring.index_keys[kid], normalized)}"


def lookup_values(value: str | None, normalizer: str) -> list[str]:
    """The index values that match ``value`` — one per index key, so that rows not yet re-keyed
    by ``rotate_field_keys`` are found too. Empty list for an empty value."""
    ring = keyring()
    normalized = NORMALIZERS[normalizer](value or "")
    if not normalized:
        return []
    return [f"{kid}${_digest(key, normalized)}" for kid, key in ring.index_keys.items()]


# -- model fields ---------------------------------------------------------------------------
class EncryptedCharField(models.CharField):
    """A short text encrypted at rest with SM4-GCM; reads give the plaintext.

    ``max_length`` limits the plaintext (forms, API, validation); the column is ``text``.
    ``audit_mask`` (a callable plaintext -> masked text) is what the audit trail stores
    instead of the value. ``field=value`` and ``field__in=[…]`` are answered by the
    ``BlindIndexField`` beside it (exact, normalised match); ``isnull`` works as usual; any
    other lookup (contains, startswith, ordering by the value …) raises ``FieldError``."""

    description = "SM4 加密的文本"

    def __init__(self, *args, audit_mask=None, **kwargs):
        self.audit_mask = audit_mask
        super().__init__(*args, **kwargs)

    def get_internal_type(self):
        return "TextField"

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def cast_db_type(self, connection):
        return self.db_type(connection)

    @property
    def crypto_context(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name in ("exact", "in"):
            return _BLIND_LOOKUPS[lookup_name]
        raise FieldError(
            f"{self.crypto_context} is encrypted at rest: a '{lookup_name}' lookup cannot match ciphertext; "
            "look values up with zhifa.core.crypto.index_lookup() (exact match through the blind index)."
        )

    def get_transform(self, lookup_name):
        return None

    def from_db_value(self, value, expression, connection):
        return decrypt(value, self.crypto_context)

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return encrypt(str(value), self.crypto_context)



def _blind_lookup(lhs, rhs, *, many: bool):
    """``field=value`` / ``field__in=values`` on an encrypted field, rewritten to the same
    lookup on its blind index (``In`` over the index values under every index key)."""
    from django.db.models.expressions import Col
    from django.db.models.lookups import Exact, In

    field = getattr(lhs, "target", None)
    if not isinstance(lhs, Col) or not isinstance(field, EncryptedCharField):
        raise FieldError("An encrypted field can only be compared as a plain column (no expressions).")
    if hasattr(rhs, "resolve_expression"):
        raise FieldError(f"{field.crypto_context} is encrypted: compare it with values, not expressions.")
    index = blind_index_field(field.model, field.name)
    column = Col(lhs.alias, index)
    values = list(rhs) if many else [rhs]
    if any(v in (None, "") for v in values) and not many:
        return Exact(column, "")
    wanted = [w for v in values if v not in (None, "") for w in index.lookup_values(str(v))]
    return In(column, wanted)


_BLIND_LOOKUPS = {
    "exact": lambda lhs, rhs: _blind_lookup(lhs, rhs, many=False),
    "in": lambda lhs, rhs: _blind_lookup(lhs, rhs, many=True),
}


class _BlindIndexDescriptor:
    """Reads compute the index from the source field's current plaintext, so the index is
    right before ``save`` too (validation, ``bulk_create``, ``bulk_update``)."""

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        data = instance.__dict__
        source = self.field.source_attname
        if source in data:
            return self.field.index_of(data[source])
        if self.field.attname not in data:
            instance.refresh_from_db(fields=[self.field.attname])
        return data[self.field.attname]

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class BlindIndexField(models.CharField):
    """The HMAC-SM3 blind index of an ``EncryptedCharField`` (``source``), for exact lookups."""

    description = "盲索引"
    audit_exclude = True  # the audit trail has nothing to learn from an HMAC

    def __init__(self, *args, source: str, normalizer: str = "identifier", **kwargs):
        if normalizer not in NORMALIZERS:
            raise ValueError(f"unknown normalizer {normalizer!r}")
        self.source, self.normalizer = source, normalizer
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"], kwargs["normalizer"] = self.source, self.normalizer
        for key, default in (("max_length", 100), ("editable", False), ("blank", True), ("default", "")):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        if self.editable is False:
            kwargs.pop("editable", None)
        return name, path, args, kwargs

    @property
    def source_attname(self) -> str:
        return self.source

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _BlindIndexDescriptor(self))

    def index_of(self, plaintext) -> str:
        return blind_index(plaintext, self.normalizer) if plaintext else ""

    def lookup_values(self, value) -> list[str]:
        return lookup_values(value, self.normalizer)


def index_lookup(model, field_name: str, value) -> dict:
    """Filter kwargs finding ``value`` of encrypted field ``field_name`` through its blind
    index, e.g. ``Party.objects.filter(**index_lookup(Party, "id_number", "6101…"))``."""
    index = blind_index_field(model, field_name)
    return {f"{index.name}__in": index.lookup_values(value)}


def blind_index_field(model, field_name: str) -> BlindIndexField:
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source == field_name:
            return field
    raise LookupError(f"{model._meta.label}.{field_name} has no blind index")


def with_blind_indexes(model, update_fields):
    """``update_fields`` plus the blind index of every encrypted field in it (for ``save``)."""
    if update_fields is None:
        return None
    names = set(update_fields)
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source in names:
            names.add(field.name)
    return names


def encrypted_fields(model) -> list[EncryptedCharField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]


def encrypted_models() -> list:
    from django.apps import apps

    return [m for m in apps.get_models() if encrypted_fields(m)]


# -- start-up checks ------------------------------------------------------------------------
@checks.register(checks.Tags.security)
def check_field_keys(app_configs=None, **kwargs):
    """The keys load (every management command and ``runserver`` run this): missing or
    malformed keys stop start-up with a clear message."""
    errors = []
    try:
        ring = keyring()
    except FieldKeyError as exc:
        return [checks.Error(str(exc), id="zhifa.E901")]
    if not getattr(settings, "FIELD_KEYS", "") and ring.source == str(settings.FIELD_KEY_FILE):
        mode = Path(ring.source).stat().st_mode & 0o077
        if mode:
            errors.append(checks.Warning(
                f"字段加密密钥文件 {ring.source} 可被其他用户读取。", hint="chmod 600 该文件。", id="zhifa.W902",
            ))
    return errors


@checks.register(checks.Tags.database)
def check_field_keys_fit_data(app_configs=None, databases=None, **kwargs):
    """Every key id used in the database is in the keyring and the newest value of each
    encrypted column decrypts (run by ``migrate`` and ``check --database default``)."""
    if not databases:
        return []
    from django.db import DatabaseError

    errors = []
    try:
        ring = keyring()
    except FieldKeyError:
        return []  # reported by check_field_keys
    for model in encrypted_models():
        for field in encrypted_fields(model):
            try:
                stored = (
                    model._base_manager.exclude(**{f"{field.name}__isnull": True})
                    .exclude(**{blind_index_field(model, field.name).name: ""})
                    .order_by("-pk")
                    .values_list(models.functions.Cast(field.name, models.TextField()), flat=True)
                    .first()
                ) if _has_index(model, field.name) else None
                if stored:
                    decrypt(stored, field.crypto_context, ring=ring)
            except FieldKeyError as exc:
                errors.append(checks.Error(str(exc), id="zhifa.E903"))
            except DatabaseError:
                return errors  # not migrated yet
    return errors


def _has_index(model, field_name) -> bool:
    try:
        blind_index_field(model, field_name)
    except LookupError:
        return False
    return True



# -- migrations -----------------------------------------------------------------------------
def encrypt_existing(app_label: str, model_name: str, columns, *, batch_size: int = 1000):
    """A ``RunPython`` pair (forward, backward) for a data migration: forward encrypts the
    plain values of ``columns`` — ``(field, index field, normalizer)`` triples — and fills
    their blind indexes; backward decrypts them again and empties the indexes. Raw SQL in
    batches by primary key (the historical model's field would decrypt on read); values
    already encrypted are left as they are, so a run that stopped half-way can be repeated."""

    def run(apps, schema_editor, *, forward: bool):
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        qn = connection.ops.quote_name
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        names = [name for name, _, _ in columns]
        select = ", ".join(qn(model._meta.get_field(n).column) for n in names)
        sets = ", ".join(
            f"{qn(model._meta.get_field(n).column)} = %s, {qn(model._meta.get_field(i).column)} = %s"
            for n, i, _ in columns
        )
        ring = keyring()
        last = None
        while True:
            with connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if last is not None else ""
                cursor.execute(
                    f"SELECT {pk}, {select} FROM {table} {where}ORDER BY {pk} LIMIT {int(batch_size)}",
                    [last] if last is not None else [],
                )
                rows = cursor.fetchall()
                if not rows:
                    return
                updates = []
                for row in rows:
                    params = []
                    for (name, _, normalizer), stored in zip(columns, row[1:], strict=True):
                        context = f"{model._meta.label}.{name}"
                        plain = decrypt(stored, context, ring=ring) if is_encrypted(stored) else (stored or "")
                        if forward:
                            value = stored if is_encrypted(stored) else encrypt(plain, context, ring=ring)
                            params += [value or "", blind_index(plain, normalizer, ring=ring)]
                        else:
                            params += [plain, ""]
                    updates.append([*params, row[0]])
                cursor.executemany(f"UPDATE {table} SET {sets} WHERE {pk} = %s", updates)
                last = rows[-1][0]

    def forward(apps, schema_editor):
        run(apps, schema_editor, forward=True)

    def backward(apps, schema_editor):
        run(apps, schema_editor, forward=False)

    return forward, backward
