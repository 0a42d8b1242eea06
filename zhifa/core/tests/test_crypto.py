"""Personal data at rest: SM4-GCM ciphertext in the database, blind-index lookups, key errors
at start-up, key rotation and the data migration (zhifa.core.crypto, rotate_field_keys)."""

import io
import json
import os
import stat

import pytest
from django.apps import apps
from django.core.exceptions import FieldError, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhifa.core import crypto
from zhifa.parties.masking import mask_id_number, mask_phone
from zhifa.parties.models import Party
from zhifa.people.models import Officer

PERSON_ID = "11010519491231002X"
OFFICER_ID = "610113198503121232"
PHONE = "13812345678"


@pytest.fixture
def keyfile(settings, tmp_path):
    """A key file of this test's own (generated on first use), in a temporary directory."""
    settings.FIELD_KEYS = ""
    settings.FIELD_KEY_FILE = tmp_path / "field_keys.json"
    settings.FIELD_KEY_FILE_CREATE = True
    crypto.reset_keyring()
    yield settings.FIELD_KEY_FILE
    crypto.reset_keyring()


@pytest.fixture
def person(keyfile, tree):
    return Party.objects.create(
        kind=Party.NATURAL, name="张三", id_number=PERSON_ID.lower(), phone="138 1234 5678", region=tree.county,
    )


@pytest.fixture
def officer(keyfile, tree):
    return Officer.objects.create(name="王强", id_number=OFFICER_ID, phone=PHONE, home_agency=tree.market)


def raw_row(model, pk, *columns):
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(model._meta.db_table)} WHERE id = %s", [pk]
        )
        return cursor.fetchone()


def test_database_holds_ciphertext_and_reads_give_plaintext(person, officer):
    """Raw SQL sees versioned SM4 ciphertext and HMAC indexes, never a number; the ORM reads
    the normalised plaintext back, and the audit helpers see plaintext / masked text."""
    ring = crypto.keyring()
    id_raw, phone_raw, id_index = raw_row(Party, person.pk, "id_number", "phone", "id_number_index")
    officer_raw = raw_row(Officer, officer.pk, "id_number", "phone")
    for value, plain in ((id_raw, PERSON_ID), (phone_raw, "138 1234 5678"), (officer_raw[0], OFFICER_ID),
                         (officer_raw[1], PHONE)):
        assert value.startswith(f"sm4g1${ring.active}$")
        assert plain not in value and plain[-6:] not in value
    assert id_index.startswith(ring.active_index + "$") and len(id_index.split("$")[1]) == 64
    assert PERSON_ID not in id_index
    fresh = Party.objects.get(pk=person.pk)
    assert fresh.id_number == PERSON_ID and fresh.phone == "138 1234 5678"
    assert fresh.masked_id_number == mask_id_number(PERSON_ID)
    field = Party._meta.get_field("id_number")
    assert field.value_from_object(fresh) == PERSON_ID
    assert field.audit_mask(field.value_from_object(fresh)) == mask_id_number(PERSON_ID)
    assert Party._meta.get_field("phone").audit_mask(fresh.phone) == mask_phone("138 1234 5678")
    assert Officer._meta.get_field("phone").audit_mask(PHONE) == "138****5678"
    assert Officer.objects.values_list("id_number", flat=True).get(pk=officer.pk) == OFFICER_ID


def test_same_value_encrypts_differently_and_is_bound_to_its_column(person):
    """A fresh nonce per write; a ciphertext copied into another column does not decrypt."""
    first = raw_row(Party, person.pk, "id_number")[0]
    person.save()
    assert raw_row(Party, person.pk, "id_number")[0] != first
    with connection.cursor() as cursor:
        cursor.execute("UPDATE parties_party SET phone = %s WHERE id = %s", [first, person.pk])
    with pytest.raises(crypto.DecryptionError, match="parties.Party.phone"):
        Party.objects.get(pk=person.pk)


def test_lookups_go_through_the_blind_index(person, officer):
    """Exact and ``in`` lookups find the row whatever the spelling (lower-case x, spaces in a
    phone); fragments find nothing; other lookups refuse to run."""
    assert list(Party.objects.filter(id_number=PERSON_ID)) == [person]
    assert list(Party.objects.filter(id_number=PERSON_ID.lower())) == [person]
    assert list(Party.objects.filter(id_number__in=["X", PERSON_ID])) == [person]
    assert list(Party.objects.filter(phone="13812345678")) == [person]
    assert list(Party.objects.filter(**crypto.index_lookup(Party, "phone", "138-1234-5678"))) == [person]
    assert not Party.objects.filter(id_number=PERSON_ID[:10]).exists()
    assert Officer.objects.get(id_number=OFFICER_ID) == officer
    with pytest.raises(FieldError, match="blind index"):
        list(Party.objects.filter(id_number__startswith="1101"))
    with pytest.raises(FieldError):
        list(Officer.objects.filter(phone__icontains="1234"))


def test_officer_uniqueness_uses_the_blind_index(officer, tree):
    """A second roster entry with the same number is refused by validation and by the database."""
    from django.db import IntegrityError, transaction

    duplicate = Officer(name="李四", id_number=OFFICER_ID, home_agency=tree.other_market)
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert exc.value.message_dict["id_number"] == ["该公民身份号码已登记在执法人员名册中。"]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_search_by_number_in_web_list_and_api(keyfile, person, officer, users, client, api_client):
    """The party list (web and API) and the officer API find a full number; a fragment does not."""
    client.force_login(users.officer_a)
    page = client.get("/parties/", {"q": PERSON_ID.lower()}).content.decode()
    assert f"/parties/{person.pk}/" in page
    assert f"/parties/{person.pk}/" not in client.get("/parties/", {"q": PERSON_ID[:12]}).content.decode()
    api_client.force_authenticate(users.officer_a)
    found = api_client.get("/api/parties/parties/", {"q": "138 1234 5678"}).json()
    assert [p["id"] for p in found["results"]] == [person.pk]
    api_client.force_authenticate(users.head_a)
    by_id = api_client.get("/api/people/officers/", {"q": OFFICER_ID}).json()
    by_phone = api_client.get("/api/people/officers/", {"q": PHONE}).json()
    assert [o["id"] for o in by_id["results"]] == [officer.pk] == [o["id"] for o in by_phone["results"]]
    assert api_client.get("/api/people/officers/", {"q": OFFICER_ID[:8]}).json()["count"] == 0


def test_missing_explicit_key_file_is_a_start_up_error(settings, tmp_path):
    """A key file named by ZHIFA_FIELD_KEY_FILE is never generated: its absence stops start-up."""
    settings.FIELD_KEYS = ""
    settings.FIELD_KEY_FILE = tmp_path / "gone.json"
    settings.FIELD_KEY_FILE_CREATE = False
    errors = crypto.check_field_keys()
    assert [e.id for e in errors] == ["zhifa.E901"]
    assert "找不到字段加密密钥文件" in errors[0].msg and not (tmp_path / "gone.json").exists()
    with pytest.raises(CommandError, match="找不到字段加密密钥文件"):
        call_command("rotate_field_keys", "--status")
    with pytest.raises(crypto.FieldKeyError, match="找不到字段加密密钥文件"):
        apps.get_app_config("parties").ready()  # what django.setup() runs in every process


@pytest.mark.parametrize("content, message", [
    ("not json", "不是有效的 JSON"),
    (json.dumps({"active": "a", "keys": {"a": "c2hvcnQ="}, "active_index": "i",
                 "index_keys": {"i": "A" * 44}}), "应为16字节"),
    (json.dumps({"active": "b", "keys": {"a": "A" * 22 + "=="}, "active_index": "i",
                 "index_keys": {"i": "A" * 43 + "="}}), "当前密钥“b”不在"),
])
def test_malformed_keys_are_a_start_up_error(settings, content, message):
    settings.FIELD_KEYS = content
    errors = crypto.check_field_keys()
    assert [e.id for e in errors] == ["zhifa.E901"] and message in errors[0].msg


def test_generated_key_file_is_private(keyfile):
    crypto.keyring()
    assert stat.S_IMODE(os.stat(keyfile).st_mode) == 0o600
    assert crypto.check_field_keys() == []


def test_wrong_key_gives_a_clear_error_not_garbage(keyfile, person, settings):
    """The same key id with other key bytes: reads fail with a Chinese message naming the key,
    and the database start-up check reports it."""
    data = json.loads(keyfile.read_text())
    data["keys"][data["active"]] = crypto.Keyring.generate()["keys"].popitem()[1]
    settings.FIELD_KEYS = json.dumps(data)
    with pytest.raises(crypto.DecryptionError, match=f"无法用密钥“{data['active']}”解密"):
        Party.objects.get(pk=person.pk)
    errors = crypto.check_field_keys_fit_data(databases=["default"])
    assert errors and {e.id for e in errors} == {"zhifa.E903"}
    # a key file without the key at all
    other = crypto.Keyring.generate()
    settings.FIELD_KEYS = json.dumps(other)
    with pytest.raises(crypto.DecryptionError, match="没有这个密钥"):
        Party.objects.get(pk=person.pk)


def test_rotation_re_encrypts_re_indexes_and_retires(keyfile, person, officer):
    """Add and activate a new SM4 key and a new index key, rotate, retire the old ones: every
    row is under the new keys, reads and lookups keep working throughout."""
    old = crypto.keyring()
    out = io.StringIO()
    call_command("rotate_field_keys", "--add-key", stdout=out)
    call_command("rotate_field_keys", "--add-index-key", stdout=out)
    data = json.loads(keyfile.read_text())
    new_key = next(k for k in data["keys"] if k != old.active)
    new_index = next(k for k in data["index_keys"] if k != old.active_index)
    assert data["active"] == old.active  # added, not yet active
    call_command("rotate_field_keys", "--activate", new_key, stdout=out)
    call_command("rotate_field_keys", "--activate", new_index, stdout=out)
    assert stat.S_IMODE(os.stat(keyfile).st_mode) == 0o600
    # before rotation: old index values are still found (lookups try every index key)
    assert Party.objects.filter(id_number=PERSON_ID).get() == person
    with pytest.raises(CommandError, match="仍在使用"):
        call_command("rotate_field_keys", "--retire", old.active, stdout=out)
    with pytest.raises(CommandError, match="当前密钥"):
        call_command("rotate_field_keys", "--retire", new_key, stdout=out)
    call_command("rotate_field_keys", "--batch-size", "1", stdout=out)
    assert "parties.Party: 重写 1 行" in out.getvalue() and "people.Officer: 重写 1 行" in out.getvalue()
    id_raw, id_index = raw_row(Party, person.pk, "id_number", "id_number_index")
    assert id_raw.startswith(f"sm4g1${new_key}$") and id_index.startswith(new_index + "$")
    assert raw_row(Officer, officer.pk, "phone")[0].startswith(f"sm4g1${new_key}$")
    # a second run has nothing to do (resumable: only what is not under the active keys)
    again = io.StringIO()
    call_command("rotate_field_keys", stdout=again)
    assert "parties.Party: 重写 0 行" in again.getvalue()
    call_command("rotate_field_keys", "--retire", old.active, stdout=out)
    call_command("rotate_field_keys", "--retire", old.active_index, stdout=out)
    assert set(json.loads(keyfile.read_text())["keys"]) == {new_key}
    fresh = Party.objects.get(id_number=PERSON_ID)
    assert (fresh.id_number, fresh.phone) == (PERSON_ID, "138 1234 5678")
    assert Officer.objects.get(phone=PHONE).id_number == OFFICER_ID
    status = io.StringIO()
    call_command("rotate_field_keys", "--status", stdout=status)
    assert f"parties.Party.id_number：{new_key}: 1" in status.getvalue()


def test_rotation_does_not_overwrite_a_concurrent_edit(keyfile, person):
    """A row changed between the read and the write of a batch is left as the edit wrote it."""
    from zhifa.core.management.commands import rotate_field_keys as command

    call_command("rotate_field_keys", "--add-key", stdout=io.StringIO())
    new_key = next(k for k in json.loads(keyfile.read_text())["keys"] if k != crypto.keyring().active)
    call_command("rotate_field_keys", "--activate", new_key, stdout=io.StringIO())
    scan = command._scan

    def scan_then_edit(*args, **kwargs):
        for rows in scan(*args, **kwargs):
            edited = Party.objects.get(pk=person.pk)
            edited.phone = "13900000000"
            edited.save()
            yield rows

    command._scan = scan_then_edit
    try:
        done = command.rotate(batch_size=10)
    finally:
        command._scan = scan
    assert done["parties.Party"] == 0
    assert Party.objects.get(pk=person.pk).phone == "13900000000"


def test_data_migration_encrypts_plain_rows_and_back(keyfile, person, officer):
    """The migration's RunPython pair: plain values become ciphertext with indexes (twice is
    harmless), and backwards gives the plain values again."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE parties_party SET id_number = %s, phone = %s, id_number_index = '', phone_index = '' "
                       "WHERE id = %s", [PERSON_ID, PHONE, person.pk])
    with pytest.raises(crypto.DecryptionError, match="未加密"):
        Party.objects.get(pk=person.pk)
    forward, backward = crypto.encrypt_existing(
        "parties", "Party", [("id_number", "id_number_index", "identifier"), ("phone", "phone_index", "phone")]
    )
    forward(apps, connection.schema_editor())
    forward(apps, connection.schema_editor())
    assert raw_row(Party, person.pk, "id_number")[0].startswith("sm4g1$")
    assert Party.objects.get(id_number=PERSON_ID).phone == PHONE
    backward(apps, connection.schema_editor())
    assert raw_row(Party, person.pk, "id_number", "phone", "id_number_index") == (PERSON_ID, PHONE, "")
    forward(apps, connection.schema_editor())
    assert Party.objects.get(phone=PHONE).id_number == PERSON_ID


def test_saving_only_the_number_keeps_its_index_in_step(person):
    """``save(update_fields=["phone"])`` also writes the phone's blind index."""
    person.phone = "13900001111"
    person.save(update_fields=["phone"])
    assert Party.objects.get(phone="139-0000-1111") == person
    assert not Party.objects.filter(phone="13812345678").exists()


def test_every_key_change_and_rotation_run_is_a_security_audit_event(keyfile, person):
    """Adding, activating and retiring a key and each re-encryption run write a 字段密钥轮换 security
    event (key ids and row counts, never key material); status queries write none."""
    from zhifa.core.models import ChangeLog

    old = crypto.keyring()
    out = io.StringIO()
    call_command("rotate_field_keys", "--status", stdout=out)
    assert not ChangeLog.objects.filter(action="key_rotation").exists()
    call_command("rotate_field_keys", "--add-key", stdout=out)
    new_key = next(k for k in json.loads(keyfile.read_text())["keys"] if k != old.active)
    call_command("rotate_field_keys", "--activate", new_key, stdout=out)
    call_command("rotate_field_keys", stdout=out)
    call_command("rotate_field_keys", "--retire", old.active, stdout=out)
    events = list(ChangeLog.objects.filter(action="key_rotation").order_by("seq"))
    assert [e.note for e in events] == [
        f"已新增加密密钥 {new_key}（尚未启用）", f"已启用密钥 {new_key}",
        f"按当前加密密钥 {new_key}、索引密钥 {old.active_index} 重新加密：parties.Party 1 行",
        f"已删除密钥 {old.active}",
    ]
    assert all(e.result == "成功" and e.actor_name == "rotate_field_keys" for e in events)
    material = json.loads(keyfile.read_text())["keys"][new_key]
    assert not any(material in (e.note + e.object_repr) for e in events)
    assert events[0].get_action_display() == "字段密钥轮换"
