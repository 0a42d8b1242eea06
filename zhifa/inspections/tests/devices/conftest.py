"""The case world of zhifa/cases/tests (云岭县市场监管局, two certified officers, an auxiliary, a
company) plus the equipment register: a reviewed and published monitoring device, an unreviewed
one, and two body cameras."""

import datetime
import io

import pytest

from zhifa.cases.tests import conftest as case_world
from zhifa.inspections.models.devices import CAMERA, MONITOR, PASSED, Device
from zhifa.records.services import store_file

UTC = datetime.UTC
D = case_world.D
# the case world's fixtures, shared here
fixed_today = case_world.fixed_today
world = case_world.world
open_general = case_world.open_general


def photo(seed: bytes = b"a", name: str = "抓拍.jpg"):
    return store_file(io.BytesIO(b"\xff\xd8\xff\xe0" + b"JFIF" + seed * 2000), name)


@pytest.fixture
def devices(world):
    market = world.tree.market
    reviewed = Device.objects.create(
        kind=MONITOR, serial="YL-JK-001", agency=market, location="云岭县人民路与解放路交叉口", region=world.tree.county,
        latitude="34.100000", longitude="108.900000", captures="占道经营", in_service_on=D(2026, 1, 1),
        legal_review_on=D(2026, 1, 5), legal_reviewer="张法制", legal_review_conclusion=PASSED,
        technical_review_on=D(2026, 1, 6), technical_reviewer="秦川市计量测试所", technical_review_conclusion=PASSED,
        published=True, published_on=D(2026, 1, 10),
    )
    unreviewed = Device.objects.create(kind=MONITOR, serial="YL-JK-002", agency=market, location="云岭县北街",
                                       in_service_on=D(2026, 1, 1))
    camera1 = Device.objects.create(kind=CAMERA, serial="YL-JLY-01", agency=market, in_service_on=D(2026, 1, 1))
    camera2 = Device.objects.create(kind=CAMERA, serial="YL-JLY-02", agency=market, in_service_on=D(2026, 1, 1))
    other = Device.objects.create(
        kind=MONITOR, serial="QS-JK-001", agency=world.tree.other_market, location="青石县中心广场",
        in_service_on=D(2026, 1, 1), legal_review_on=D(2026, 1, 5), legal_reviewer="王", legal_review_conclusion=PASSED,
        technical_review_on=D(2026, 1, 6), technical_reviewer="所", technical_review_conclusion=PASSED,
        published=True, published_on=D(2026, 1, 10),
    )
    from types import SimpleNamespace

    return SimpleNamespace(reviewed=reviewed, unreviewed=unreviewed, camera1=camera1, camera2=camera2, other=other)


@pytest.fixture
def capture(world, devices):
    """Enter a record of the reviewed device (by the officer)."""
    from zhifa.inspections.devices import services

    def _capture(**extra):
        data = {"device": devices.reviewed, "captured_at": datetime.datetime(2026, 10, 30, 9, 30, tzinfo=UTC),
                "place": "", "party_identifier": world.company.credit_code, "party": world.company,
                "item": world.item, "content": "当事人在人民路店外占道堆放货物", "files": [photo()]}
        data.update(extra)
        return services.record_capture(actor=world.officer_user, **data)

    return _capture
