"""The portal reaches rows only through ``.public()``; nothing private can appear (PUB-1)."""

import datetime

import pytest
from django.urls import reverse

from zhifa.accounts.models import User
from zhifa.catalog import choices as cc
from zhifa.catalog.models import Benchmark, BenchmarkTier, Item, ItemVersion
from zhifa.core.models import ChangeLog
from zhifa.orgs.models import Agency, Unit
from zhifa.parties.models import Party
from zhifa.people.models import Certificate, Officer, TrainingRecord
from zhifa.people.services import revoke
from zhifa.review.models import MajorDecisionCatalog

from .conftest import AUX_ID, OFFICER_ID, OFFICER_PHONE

pytestmark = pytest.mark.django_db


def test_a_model_without_public_q_is_empty_on_the_portal(data):
    """A scoped model that declares nothing public returns nothing from ``.public()``."""
    TrainingRecord.objects.create(officer=data.officer, date=datetime.date(2026, 1, 5), title="培训", kind="practice",
                                  hours=4)
    party = Party.objects.create(kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L",
                                 region=data.tree.county, agency=data.tree.market)
    assert TrainingRecord.objects.count() == 1 and Party.objects.filter(pk=party.pk).exists()
    assert TrainingRecord.objects.public().count() == 0
    assert Party.objects.public().count() == 0
    from zhifa.cases.models import Case

    assert Case.objects.public().count() == 0


def test_user_and_changelog_are_never_public(data):
    """Accounts declare nothing public; the audit trail has no public door at all."""
    assert ChangeLog.objects.exists() and User.objects.exists()
    assert not hasattr(ChangeLog.objects, "public")
    assert User.objects.public().count() == 0


def test_public_rows_of_the_published_models(data):
    tree = data.tree
    tree.justice.is_active = False
    tree.justice.save()
    assert tree.justice not in Agency.objects.public()
    assert tree.market in Agency.objects.public()
    assert tree.market_unit in Unit.objects.public()
    # Officers: active holders of a valid certificate; never auxiliaries.
    officers = set(Officer.objects.public())
    assert data.officer in officers and data.auxiliary not in officers
    # Certificates: all, revoked included (they must verify as revoked); the holder leaves the roster.
    revoke(data.cert, data.users.admin_a, "违法执法")
    assert Certificate.objects.public().filter(pk=data.cert.pk).exists()
    assert data.officer not in set(Officer.objects.public())
    # Items in force only; their versions and benchmarks follow.
    data.inspection.status = cc.SUSPENDED
    data.inspection.save()
    items = set(Item.objects.public())
    assert data.item in items and data.inspection not in items
    assert not ItemVersion.objects.public().filter(item=data.inspection).exists()
    assert Benchmark.objects.public().filter(item=data.item).exists()
    assert BenchmarkTier.objects.public().filter(benchmark=data.benchmark).count() == 4
    data.major.is_active = False
    data.major.save()
    assert not MajorDecisionCatalog.objects.public().exists()


def _public_urls(data):
    return [
        reverse("portal:home"), reverse("portal:agency_list"), reverse("portal:agency_detail", args=[data.tree.market.pk]),
        reverse("portal:officer_list"), reverse("portal:item_list"), reverse("portal:item_detail", args=[data.item.pk]),
        reverse("portal:inspection_list"), reverse("portal:benchmark_list"), reverse("portal:major_catalog"),
        reverse("portal:procedure_list"), reverse("portal:remedies"), reverse("portal:guides"),
        reverse("portal:guide_detail", args=[data.guide.pk]), reverse("portal:open_data"),
        reverse("portal:verify_lookup"), reverse("portal:verify", args=[data.cert.number]),
        reverse("portal:officer_list") + "?q=李明",
    ]


def test_no_page_shows_identity_numbers_phones_accounts_or_auxiliaries(client, data):
    """Officer identity numbers (full or masked), personal phones, birth dates, user names and
    auxiliaries appear on no public page; the office phone does."""
    data.officer.user = data.users.officer_a
    data.officer.save()
    secrets = [OFFICER_ID, OFFICER_ID[:4] + "*", AUX_ID, OFFICER_PHONE, "13900002222", "1990-03-07", "1990年3月7日",
               "officer_a", "赵协管"]
    seen_office_phone = False
    for url in _public_urls(data):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, f"{url} 泄露了 {secret}"
        seen_office_phone |= "0919-6215315" in html
    assert seen_office_phone


def test_officer_list_shows_the_public_fields(client, data):
    html = client.get(reverse("portal:officer_list")).content.decode()
    for text in ("李明", "男", "科员", "61992120240001", "市场监管", "稽查大队", "云岭县市场监督管理局"):
        assert text in html


def test_public_pages_carry_no_inline_script_or_style(client, data):
    """The portal's CSP forbids inline scripts and style attributes."""
    for url in _public_urls(data):
        html = client.get(url).content.decode()
        assert "<script" not in html, url
        assert "style=" not in html, url
        assert "<style" not in html, url


def test_inactive_agency_detail_is_not_found(client, data):
    data.tree.market.is_active = False
    data.tree.market.save()
    assert client.get(reverse("portal:agency_detail", args=[data.tree.market.pk])).status_code == 404
    assert client.get(reverse("portal:item_detail", args=[data.item.pk])).status_code == 404
