"""The public pages (PUB-1): content, filters, pagination, flat query counts, the portal menu."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.cases.procedures import PROCEDURES
from zhifa.catalog import services as catalog
from zhifa.core.context_processors import PORTAL_MENU

from .conftest import make_item, make_officer
from .test_api import _id

pytestmark = pytest.mark.django_db


def _html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_portal_menu_entry_of_this_app_resolves(db):
    for _, name in PORTAL_MENU:
        if name.startswith("portal:"):
            reverse(name)


def test_agency_detail_lists_units_officers_items_guides_and_remedies(client, data):
    html = _html(client, reverse("portal:agency_detail", args=[data.tree.market.pk]))
    for text in ("稽查大队", "1 人", "SCJG-CF-0125", "投诉举报受理", "云岭县人民政府", "云岭县人民法院", "六十日", "六个月",
                 "云岭县人民路66号", "行政处罚 1 项", "行政检查 1 项"):
        assert text in html, text


def test_procedure_flow_charts_come_from_the_case_engine_definitions(client, data):
    html = _html(client, reverse("portal:procedure_list"))
    for procedure in PROCEDURES.values():
        assert procedure.name in html
        for stage in procedure.flow():
            assert stage["name"] in html
            for transition in stage["transitions"]:
                assert transition["name"] in html
                for requirement in transition["requires"]:
                    assert requirement in html


def test_remedies_page_states_the_periods_and_review_first_rule(client, data):
    html = _html(client, reverse("portal:remedies"))
    for text in ("六十日", "第二十条", "六个月", "第四十六条", "当场作出的行政处罚决定", "第二十三条", "云岭县人民政府",
                 "云岭县人民法院"):
        assert text in html, text
    # An agency without a registered review body is named generically, and flagged.
    assert "本级人民政府" in html and "未登记复议机关" in html


def test_item_pages_show_the_legal_basis_to_the_article(client, data):
    html = _html(client, reverse("portal:item_list"))
    assert "《中华人民共和国食品安全法》第一百二十五条" in html
    detail = _html(client, reverse("portal:item_detail", args=[data.item.pk]))
    assert "情节较轻" in detail and "从轻处罚" in detail and "秦市监规〔2020〕1号" in detail


def test_random_inspection_list_has_only_inspection_items(client, data):
    html = _html(client, reverse("portal:inspection_list"))
    assert "SCJG-JC-0001" in html and "SCJG-CF-0125" not in html


def test_filters_by_region_agency_and_keyword(client, data):
    html = _html(client, reverse("portal:item_list"), region=data.tree.other_county.pk)
    assert "青石县食品标签处罚" in html and "对经营标签不符合规定" not in html
    html = _html(client, reverse("portal:officer_list"), agency=data.tree.other_market.pk)
    assert "王青" in html and "李明" not in html
    html = _html(client, reverse("portal:officer_list"), q="61992120240001")
    assert "李明" in html and "王青" not in html
    html = _html(client, reverse("portal:agency_list"), q="青石")
    assert "青石县市场监督管理局" in html and "云岭县市场监督管理局" not in html
    html = _html(client, reverse("portal:guides"), agency=data.tree.market.pk)
    assert "投诉举报受理" in html and "青石县投诉举报受理" not in html
    html = _html(client, reverse("portal:major_catalog"), agency=data.tree.market.pk)
    assert "经过听证程序的行政处罚决定" in html


def test_lists_are_paginated(client, data):
    for n in range(25):
        make_item(data.tree.market, f"SCJG-CF-8{n:03d}")
    html = _html(client, reverse("portal:item_list"))
    assert "共 28 条" in html and "第 1 / 2 页" in html
    assert "第 2 / 2 页" in _html(client, reverse("portal:item_list"), page=2)


def test_open_data_page_documents_the_endpoints(client, data):
    html = _html(client, reverse("portal:open_data"))
    assert "/api/public/docs/" in html and "/api/public/officers/?format=csv" in html


@pytest.mark.parametrize("name", ["portal:agency_list", "portal:officer_list", "portal:item_list",
                                  "portal:benchmark_list", "portal:major_catalog", "portal:guides", "portal:remedies",
                                  "portal:inspection_list"])
def test_list_queries_do_not_grow_with_rows(client, settings, data, name):
    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 0

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for n in range(6):
        make_officer(data.tree.market, f"张{n}", _id(n), number=f"6199212025{n:04d}")
        item = make_item(data.tree.market, f"SCJG-JC-9{n:03d}" if n % 2 else f"SCJG-CF-9{n:03d}",
                         kind="inspection" if n % 2 else "penalty")
        if not n % 2:
            catalog.issue_benchmark(item, {"valid_from": data.benchmark.valid_from, "review_due": data.benchmark.review_due,
                                           "document": "x", "statutory_min": 5000, "statutory_max": 50000},
                                    catalog.banded_tiers(5000, 50000))
    assert count() == small, name
