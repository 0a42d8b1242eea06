"""No secret in the audit trail; identity and phone numbers masked (等保 三级, issue #10 item 3)."""

import importlib
import json
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from zhifa.accounts.models import User
from zhifa.core import audit
from zhifa.core.audit import HIDDEN, HIDDEN_CHANGED, acting_as, snapshot
from zhifa.core.models import ChangeLog
from zhifa.core.testing import make_user
from zhifa.parties.models import Party
from zhifa.records.testing import tamper

PERSON_ID = "11010519491231002X"
PHONE = "13812345678"


def all_trail_text() -> str:
    return json.dumps(list(ChangeLog.objects.values("before", "after", "note", "object_repr")), ensure_ascii=False)


def test_password_hash_is_never_written_and_a_change_still_shows(users):
    """Creating a user and changing the password leaves no hash in the trail; the change is
    visible as （已隐去，已修改）."""
    user = make_user("secret_case", region=users.admin_a.region)
    created = ChangeLog.objects.get(action="create", content_type__model="user", object_id=str(user.pk))
    assert created.after["password"] == HIDDEN
    user.set_password("another-password-2026")
    user.save()
    changed = ChangeLog.objects.filter(action="update", content_type__model="user", object_id=str(user.pk)).get()
    assert changed.before["password"] == HIDDEN and changed.after["password"] == HIDDEN_CHANGED
    text = all_trail_text()
    assert user.password not in text and "md5$" not in text and "pbkdf2_sha256$" not in text


def test_identity_and_phone_numbers_are_masked(users, tree):
    """A party's identity and phone numbers appear masked, never in full."""
    with acting_as(users.officer_a):
        party = Party.objects.create(kind=Party.NATURAL, name="张三", id_number=PERSON_ID, phone=PHONE,
                                     address="云岭县云岭镇人民路1号", region=tree.county, agency=tree.market)
    entry = ChangeLog.objects.get(action="create", content_type__model="party", object_id=str(party.pk))
    assert entry.after["id_number"] == "110105********002X"
    assert entry.after["phone"] == "138****5678"
    text = all_trail_text()
    assert PERSON_ID not in text and PHONE not in text


def test_declared_field_attributes_win(tree, monkeypatch):
    """``audit_secret`` leaves a field out; ``audit_mask`` stores what the callable returns."""
    address = Party._meta.get_field("address")
    name = Party._meta.get_field("name")
    monkeypatch.setattr(address, "audit_secret", True, raising=False)
    monkeypatch.setattr(name, "audit_mask", lambda value: value[:1] + "*", raising=False)
    monkeypatch.setattr(audit, "_rules_cache", {})
    party = Party(kind=Party.NATURAL, name="张三", address="人民路1号", region=tree.county, agency=tree.market)
    data = snapshot(party)
    assert data["address"] == HIDDEN and data["name"] == "张*"


def test_token_key_secret_otp_names_are_hidden():
    assert {k: audit.key_rule(k) for k in ("api_token", "key", "private_key", "client_secret", "otp_seed", "seed")} \
        == dict.fromkeys(("api_token", "key", "private_key", "client_secret", "otp_seed", "seed"), HIDDEN)
    assert audit.key_rule("mobile_phone") is audit.mask_phone and audit.key_rule("id_number") is audit.mask_id_number
    assert audit.key_rule("name") is None


@pytest.mark.django_db
def test_legacy_rows_are_redacted_by_the_chain_migration():
    """Rows written before the rules held password hashes and full numbers: the migration that
    introduces the chain redacts them (on PostgreSQL with the trigger lifted for it)."""
    user_type = ContentType.objects.get_for_model(User)
    legacy = {"password": "pbkdf2_sha256$870000$salt$hash=", "phone": PHONE, "id_number": PERSON_ID, "name": "张三"}
    tamper("INSERT INTO core_changelog (time, actor_name, action, content_type_id, object_id, object_repr, before, "
           "after, note, scope_path, client_address, result, prev_hash, hash, algorithm) VALUES "
           "(CURRENT_TIMESTAMP, '系统', 'update', %s, '1', 'x', %s, %s, '', '', '', '', '', '', '')",
           [user_type.pk, json.dumps(legacy), json.dumps(legacy)], table="core_changelog")
    migration = importlib.import_module("zhifa.core.migrations.0004_changelog_hash_chain")

    def execute(sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    migration.redact_legacy_rows(global_apps, SimpleNamespace(connection=connection, execute=execute))
    row = ChangeLog.objects.get(object_repr="x")
    for snap in (row.before, row.after):
        assert snap == {"password": HIDDEN, "phone": "138****5678", "id_number": "110105********002X", "name": "张三"}


def test_encrypted_numbers_are_masked_and_blind_indexes_hidden_in_the_trail(users, tree):
    """A party's encrypted identity number is stored masked, its blind index not at all."""
    from django.contrib.contenttypes.models import ContentType

    from zhifa.core.models import ChangeLog
    from zhifa.parties.models import Party

    party = Party.objects.create(
        kind=Party.NATURAL, name="李四", id_number="11010519491231002X", phone="13912345678",
        address="云岭县人民路3号", region=tree.county, agency=tree.market,
    )
    row = ChangeLog.objects.get(content_type=ContentType.objects.get_for_model(Party), object_id=str(party.pk))
    text = str(row.after)
    assert "11010519491231002X" not in text and "13912345678" not in text
    assert row.after["id_number"] != "" and "*" in row.after["id_number"]
    assert row.after["id_number_index"] == "（已隐去）"
    assert row.after["phone_index"] == "（已隐去）"
