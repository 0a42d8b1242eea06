"""Shared set-up of the complaint tests: handlers, a hotline system, a complaint in each state."""

import datetime

import pytest

from zhifa.accounts import roles
from zhifa.core.testing import make_user
from zhifa.supervision.complaints import services
from zhifa.supervision.models.complaints import HOTLINE_12345, HotlineSystem

SECRET = "s3cret-of-the-12345-system"


@pytest.fixture
def cw(world):
    """The world plus complaint handlers: an officer of the comprehensive bureau and the
    handling officer and head of county A's market bureau."""
    tree = world.tree
    world.market_officer = world.users.officer_a
    world.market_head = world.users.head_a
    world.market_officer2 = make_user("market_officer2", roles.OFFICER, agency=tree.market)
    world.comp_officer = make_user("comp_officer", roles.OFFICER, agency=tree.comprehensive)
    world.supervisor = world.users.supervisor_a
    world.hotline = HotlineSystem.objects.create(code="12345-619900", name="秦川市12345热线", source=HOTLINE_12345,
                                                 region=tree.city, secret=SECRET, receiver="hotline-12345")
    return world


@pytest.fixture
def complaint(cw):
    """A named complaint about a shop, routed to county A's market bureau."""
    c, _ = services.receive(
        source="phone", region=cw.tree.county, agency=cw.tree.market, subject="超市销售过期食品",
        content="人民路某超市货架上有过期酸奶。", reported_name="云岭鑫达商贸有限公司", reported_party=cw.company,
        complainant={"name": "张秘密", "phone": "13912345678", "id_number": "610113199003071237"},
        actor=cw.market_officer)
    return c


def accept(complaint, user):
    return services.perform(complaint, "accept", actor=user, handlers=[user])


D = datetime.date
