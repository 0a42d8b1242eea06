"""The open-data API (/api/public/): explicit public fields only, JSON and CSV, flat queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.people.services import suspend

from .conftest import AUX_ID, OFFICER_ID, OFFICER_PHONE, make_item, make_officer

pytestmark = pytest.mark.django_db

SECRETS = [OFFICER_ID, AUX_ID, OFFICER_PHONE, "13900002222", "1990-03-07", "id_number", "birth_date", "officer_a",
           "赵协管"]


def _json(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 200, response.content
    for secret in SECRETS:
        assert secret not in response.content.decode(), f"{url} 泄露了 {secret}"
    return response.json()


def test_officers_expose_only_public_fields(api_client, data):
    data.officer.user = data.users.officer_a
    data.officer.save()
    body = _json(api_client, "/api/public/officers/")
    assert body["count"] == 2
    row = next(r for r in body["results"] if r["name"] == "李明")
    assert set(row) == {"id", "name", "gender", "agency_id", "agency", "unit", "post", "certificate_numbers",
                        "fields_of_enforcement"}
    assert row["gender"] == "男" and row["certificate_numbers"] == ["61992120240001"]
    assert row["fields_of_enforcement"] == ["市场监管"] and row["unit"] == "稽查大队"


def test_agencies_units_items_benchmarks_guides(api_client, data):
    agencies = _json(api_client, "/api/public/agencies/?q=云岭县市场")["results"]
    assert [a["name"] for a in agencies] == ["云岭县市场监督管理局"]
    assert agencies[0]["phone"] == "0919-6215315" and agencies[0]["review_body"] == "云岭县人民政府"
    units = _json(api_client, f"/api/public/units/?agency={data.tree.market.pk}")["results"]
    assert [u["name"] for u in units] == ["稽查大队"]
    items = _json(api_client, f"/api/public/items/?region={data.tree.county.pk}")["results"]
    assert {i["code"] for i in items} == {"SCJG-CF-0125", "SCJG-JC-0001"}
    item = next(i for i in items if i["code"] == "SCJG-CF-0125")
    assert item["legal_basis"] == "《中华人民共和国食品安全法》第一百二十五条" and item["article"] == 125
    benchmarks = _json(api_client, "/api/public/benchmarks/")["results"]
    assert len(benchmarks) == 1 and len(benchmarks[0]["tiers"]) == 4
    guides = _json(api_client, "/api/public/guides/")["results"]
    assert {g["title"] for g in guides} == {"投诉举报受理", "青石县投诉举报受理"}


def test_certificate_status_lookup_is_live(api_client, data):
    assert _json(api_client, "/api/public/certificates/") == []  # no enumeration without a number
    body = _json(api_client, "/api/public/certificates/?number=61992120240001")
    assert body[0]["status"] == "有效" and body[0]["usable"] is True
    suspend(data.cert, data.users.admin_a, "调查")
    body = _json(api_client, "/api/public/certificates/61992120240001/")
    assert body["status"] == "暂扣" and body["usable"] is False and "暂扣" in body["message"]
    assert api_client.get("/api/public/certificates/000/").status_code == 404


def test_csv_download_has_labels_and_no_secrets(api_client, data):
    response = api_client.get("/api/public/officers/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("ID,姓名,性别")
    assert "李明" in text and "61992120240001" in text
    for secret in SECRETS:
        assert secret not in text


def test_api_is_read_only(api_client, data):
    assert api_client.post("/api/public/agencies/", {"name": "x"}).status_code == 405


@pytest.mark.parametrize("url", ["/api/public/officers/", "/api/public/items/", "/api/public/benchmarks/",
                                 "/api/public/agencies/", "/api/public/units/", "/api/public/guides/"])
def test_list_queries_do_not_grow_with_rows(api_client, data, url):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    from zhifa.catalog import services as catalog

    for n in range(6):
        officer, _ = make_officer(data.tree.market, f"张{n}", _id(n), number=f"6199212025{n:04d}")
        item = make_item(data.tree.market, f"SCJG-CF-9{n:03d}")
        catalog.issue_benchmark(item, {"valid_from": data.benchmark.valid_from, "review_due": data.benchmark.review_due,
                                       "document": "x", "statutory_min": 5000, "statutory_max": 50000},
                                catalog.banded_tiers(5000, 50000))
    assert count() == small


def _id(n):
    from zhifa.core.validators import id_number_check_char

    base = f"61011319850101{n:03d}"
    return base + id_number_check_char(base)
