"""A county with a township grid (云岭镇 under 云岭县综合执法局, team 云岭镇执法队) and a grid of another county."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhifa.accounts import roles
from zhifa.core import clock
from zhifa.core.testing import make_user
from zhifa.orgs.models import Region

from .. import services

# A 1×1 PNG (a real image: the records store detects the type from the bytes).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360f8cfc0f01f0005000201a5d4c5c80000000049454e44ae426082")


def png(name="现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def grid_world(tree):
    w = SimpleNamespace(tree=tree)
    w.commander = make_user("commander", roles.AGENCY_HEAD, agency=tree.comprehensive, display_name="指挥中心 韩局长")
    w.officer = make_user("t_officer", roles.OFFICER, agency=tree.township_office, unit=tree.township_team,
                          display_name="云岭镇 陈执法")
    w.colleague = make_user("t_colleague", roles.OFFICER, agency=tree.township_office, display_name="云岭镇 刘执法")
    w.worker = make_user("t_worker", roles.AUXILIARY, agency=tree.township_office, display_name="网格员 张")
    w.market_officer = make_user("m_officer", roles.OFFICER, agency=tree.market, display_name="市场监管 李执法")
    w.supervisor = make_user("g_supervisor", roles.SUPERVISOR, region=tree.county)
    w.other_commander = make_user("o_commander", roles.AGENCY_HEAD, agency=tree.other_market)
    w.other_officer = make_user("o_officer", roles.OFFICER, agency=tree.other_market, unit=tree.other_unit)
    w.grid = services.save_grid(None, actor=w.commander, township=tree.township, agency=tree.comprehensive,
                                team=tree.township_team, code="619921001001", name="云岭镇第一网格",
                                bounds="正街1–99号至滨河路", workers=[w.worker])
    w.other_township = Region.objects.create(code="619922001", name="青石镇", parent=tree.other_county)
    w.other_grid = services.save_grid(None, actor=w.other_commander, township=w.other_township,
                                      agency=tree.other_market, team=tree.other_unit, code="619922001001",
                                      name="青石镇第一网格", bounds="青石镇全域")
    return w


def dispatch(w, **extra):
    data = {"grid": w.grid, "kind": "patrol", "title": "正街占道经营巡查", "description": "巡查正街早市占道经营。",
            "due_at": clock.now() + datetime.timedelta(days=1)}
    data.update(extra)
    return services.dispatch(actor=w.commander, **data)


def stored_photo():
    return services.store_photos([png()])


__all__ = ["dispatch", "grid_world", "io", "png", "stored_photo"]


from zhifa.cases.tests.conftest import open_general, world  # noqa: E402, F401  (fixtures)
