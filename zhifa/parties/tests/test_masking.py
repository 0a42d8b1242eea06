"""Masking: full identity and phone numbers of natural persons appear in no list, detail
page, API response or export unless explicitly revealed."""

import io

import pytest
from openpyxl import load_workbook

from zhifa.parties.masking import mask_id_number, mask_name, mask_phone

from .conftest import PERSON_ID, PERSON_PHONE

MASKED_ID = "110105********002X"
MASKED_PHONE = "138****5678"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("61011319900307123X", "610113********123X"),
        (PERSON_ID, MASKED_ID),
        ("610113900307123", "610113*****7123"),  # old 15-digit number
        ("E12345678", "E1*****78"),  # passport
        ("H1234", "****4"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(value, expected):
    """ID numbers keep the region code and last four; other documents two at each end."""
    assert mask_id_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138 **** 5678"),
        ("029-88881234", "029-****1234"),
        ("0919-6123456", "0919-***3456"),
        ("88881234", "888*1234"),
        ("12345", "***45"),
        ("", ""),
    ],
)
def test_mask_phone(value, expected):
    """Mobile numbers keep 3+4 digits; landlines keep the area code and the last four."""
    assert mask_phone(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("张三", "张*"), ("王小明", "王**"), ("欧阳娜娜", "欧阳**"), ("李", "李*")])
def test_mask_name(value, expected):
    """Names keep the surname (compound surnames whole), for the public portal."""
    assert mask_name(value) == expected


def _assert_hidden(content: str):
    assert PERSON_ID not in content
    assert PERSON_ID.lower() not in content
    assert PERSON_PHONE not in content


def test_list_page_masks_numbers(parties, users, login):
    """The HTML list shows the masked ID and phone of a person, even to a role that may reveal."""
    response = login(users.officer_a).get("/parties/")
    content = response.content.decode()
    assert response.status_code == 200
    assert MASKED_ID in content and MASKED_PHONE in content
    _assert_hidden(content)


def test_detail_page_masks_numbers(parties, users, login):
    """The detail page shows masked values and a reveal button, never the full values."""
    content = login(users.officer_a).get(f"/parties/{parties.person.pk}/").content.decode()
    assert MASKED_ID in content and MASKED_PHONE in content
    assert "查看完整号码" in content
    _assert_hidden(content)


def test_edit_form_does_not_send_full_numbers(parties, users, login):
    """The edit form leaves the masked fields empty (masked hint only)."""
    content = login(users.officer_a).get(f"/parties/{parties.person.pk}/edit/").content.decode()
    assert MASKED_ID in content
    _assert_hidden(content)


def test_api_list_and_detail_mask_numbers(parties, users, api_client):
    """API list and detail responses carry masked values only."""
    api_client.force_authenticate(users.officer_a)
    listing = api_client.get("/api/parties/parties/")
    detail = api_client.get(f"/api/parties/parties/{parties.person.pk}/")
    assert listing.status_code == detail.status_code == 200
    _assert_hidden(listing.content.decode())
    _assert_hidden(detail.content.decode())
    assert detail.json()["id_number"] == MASKED_ID
    assert detail.json()["phone"] == MASKED_PHONE


def test_api_search_by_full_number_matches_without_revealing(parties, users, api_client):
    """Searching by a full ID number finds the person (exact match) but answers masked."""
    api_client.force_authenticate(users.officer_a)
    response = api_client.get("/api/parties/parties/", {"q": PERSON_ID.lower()})
    assert [r["id"] for r in response.json()["results"]] == [parties.person.pk]
    _assert_hidden(response.content.decode())
    partial = api_client.get("/api/parties/parties/", {"q": PERSON_ID[:10]})
    assert partial.json()["results"] == []


def test_organisation_numbers_are_not_masked(parties, users, api_client):
    """Credit codes and company phones are public and shown in full."""
    api_client.force_authenticate(users.officer_a)
    data = api_client.get(f"/api/parties/parties/{parties.township_company.pk}/").json()
    assert data["credit_code"] == parties.township_company.credit_code
    assert data["phone"] == "0919-6123456"


def _export_text(client):
    response = client.get("/data/parties/export.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(str(v) for row in wb.worksheets[0].iter_rows(values_only=True) for v in row if v is not None)


def test_export_is_masked_for_roles_that_cannot_reveal(parties, users, login):
    """An auxiliary's export carries masked numbers only, and writes no reveal entry."""
    from zhifa.core.models import ChangeLog

    text = _export_text(login(users.auxiliary_a))
    assert MASKED_ID in text and MASKED_PHONE in text
    _assert_hidden(text)
    assert not ChangeLog.objects.filter(action="reveal").exists()


def test_full_export_for_revealing_roles_is_logged_once(parties, users, login):
    """An officer's export carries full numbers and is written to the audit trail once."""
    from zhifa.core.models import ChangeLog

    text = _export_text(login(users.officer_a))
    assert PERSON_ID in text and PERSON_PHONE in text
    entries = ChangeLog.objects.filter(action="reveal")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor == users.officer_a
    assert entry.object_id == "export"
    assert "导出" in entry.note


def test_a_full_export_built_by_a_worker_is_logged_once_with_the_request_address(
        parties, users, login, settings, django_capture_on_commit_callbacks):
    """A party export too large for a request is logged by the worker, with the exact row count
    and the number and address of the request that asked for it."""
    from zhifa.core.models import ChangeLog, DataExport

    settings.ZHIFA_EXPORT_INLINE_ROWS = 1
    client = login(users.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/data/parties/export.xlsx", REMOTE_ADDR="10.20.30.40")
    assert response.status_code == 302
    export = DataExport.objects.get()
    assert export.status == DataExport.DONE and export.rows > 1
    entry = ChangeLog.objects.get(action="reveal")
    assert entry.actor == users.officer_a and entry.object_repr == f"当事人导出（{export.rows}条）"
    assert entry.client_address == "10.20.30.40" and entry.request_id == export.request_id is not None
    wb = load_workbook(io.BytesIO(b"".join(client.get(f"/data/exports/{export.pk}/download/").streaming_content)))
    text = "\n".join(str(v) for row in wb.worksheets[0].iter_rows(values_only=True) for v in row if v is not None)
    assert PERSON_ID in text and PERSON_PHONE in text
