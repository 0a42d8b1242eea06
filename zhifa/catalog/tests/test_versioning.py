"""Item versioning (ORG-2): revisions create versions, history is kept, lookups by date."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from zhifa.catalog import services
from zhifa.catalog.models import Item, ItemVersion
from zhifa.core.models import ChangeLog

from .conftest import make_item

D = datetime.date
pytestmark = pytest.mark.django_db


def test_revise_closes_current_version_and_creates_the_next(catalog, users):
    """A revision ends the current version the day before the new one and numbers it +1."""
    item = catalog.item_a
    new = services.revise_item(item, {"article": 126, "name": "新名称的行政处罚"}, users.admin_a,
                               D(2021, 4, 29), "《中华人民共和国食品安全法》2021年4月29日修正")
    versions = list(item.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].valid_to == D(2021, 4, 28)
    assert versions[0].article == 125
    assert new.valid_to is None and new.article == 126 and new.paragraph == 1
    assert new.change_reason.startswith("《中华人民共和国食品安全法》")
    item.refresh_from_db()
    assert item.name == "新名称的行政处罚"
    assert item.current_version == new


def test_version_on_picks_the_version_in_force_on_each_date(catalog, users):
    """version_on returns nothing before the first version, then the right version per date."""
    item = catalog.item_a
    services.revise_item(item, {"article": 126}, users.admin_a, D(2021, 4, 29), "法律修正")
    services.revise_item(item, {"article": 127}, users.admin_a, D(2023, 1, 1), "再次修正")
    assert item.version_on(D(2018, 12, 31)) is None
    assert item.version_on(D(2019, 1, 1)).number == 1
    assert item.version_on(D(2021, 4, 28)).number == 1
    assert item.version_on(D(2021, 4, 29)).number == 2
    assert item.version_on(D(2022, 12, 31)).number == 2
    assert item.version_on(D(2030, 1, 1)).number == 3
    prefetched = Item.objects.prefetch_related("versions").get(pk=item.pk)
    assert prefetched.version_on(D(2021, 5, 1)).article == 126


def test_history_is_kept_and_audited(catalog, users):
    """Old versions are never overwritten, and each change is written to the audit trail."""
    item = catalog.item_a
    before = ChangeLog.objects.count()
    services.revise_item(item, {"basis_text": "修正后的条文"}, users.admin_a, D(2021, 4, 29), "法律修正")
    first = item.versions.get(number=1)
    assert first.basis_text.startswith("生产经营无标签")
    assert ChangeLog.objects.count() > before
    assert ChangeLog.objects.filter(actor=users.admin_a, action="create").exists()


def test_failing_revise_leaves_nothing(catalog, users):
    """A revision whose new content is invalid rolls back the closing of the current version."""
    item = catalog.item_a
    with pytest.raises(ValidationError):
        services.revise_item(item, {"law_name": "法" * 300}, users.admin_a, D(2021, 4, 29), "法律修正")
    assert item.versions.count() == 1
    assert item.versions.get().valid_to is None


def test_revise_rejects_dates_not_after_the_current_version(catalog, users):
    """The new version must take effect after the current one, and a reason is required."""
    with pytest.raises(ValidationError, match="必须晚于现行版本"):
        services.revise_item(catalog.item_a, {"article": 1}, users.admin_a, D(2019, 1, 1), "修正")
    with pytest.raises(ValidationError, match="修订原因"):
        services.revise_item(catalog.item_a, {"article": 1}, users.admin_a, D(2022, 1, 1), " ")
    with pytest.raises(ValidationError, match="不能识别"):
        services.revise_item(catalog.item_a, {"colour": "red"}, users.admin_a, D(2022, 1, 1), "修正")


def test_penalty_item_requires_penalty_basis(catalog, users):
    """A penalty item's version must state its penalty basis and violated provision."""
    with pytest.raises(ValidationError) as exc:
        make_item(catalog.item_a.agency, "SCJG-CF-0099", catalog.fields["SCJG"], penalty_basis="")
    assert "处罚依据" in str(exc.value)
    with pytest.raises(ValidationError):
        services.revise_item(catalog.item_a, {"violated_provision": ""}, users.admin_a, D(2022, 1, 1), "修正")
    inspection = make_item(catalog.item_a.agency, "SCJG-JC-0001", catalog.fields["SCJG"], kind="inspection",
                           penalty_basis="", violated_provision="")
    assert inspection.current_version.number == 1


def test_revise_outside_scope_is_refused(catalog, users):
    """A user of another county cannot revise an item through the service either."""
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.revise_item(catalog.item_a, {"article": 1}, users.admin_b, D(2022, 1, 1), "修正")
    assert catalog.item_a.versions.count() == 1


def test_duplicate_code_in_agency_is_refused(catalog):
    """Codes are unique within the owning agency (another agency may reuse one)."""
    with pytest.raises(ValidationError, match="相同编码"):
        make_item(catalog.item_a.agency, "SCJG-CF-0001", catalog.fields["SCJG"])
    assert Item.objects.filter(code="SCJG-CF-0001").count() == 2


def test_citation_formats_article_paragraph_item(catalog):
    """The structured legal basis is cited with Chinese numerals."""
    version = catalog.item_a.current_version
    assert version.citation == "《中华人民共和国食品安全法》第一百二十五条第一款第（二）项"
    assert ItemVersion(law_name="《条例》", article=10).citation == "《条例》第十条"
