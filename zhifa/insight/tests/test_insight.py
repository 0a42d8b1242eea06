"""Handling assistance: similar cases ranked and explained within scope, the tier each recorded
circumstance points to, the articles in force on the day of the act, the draft reasoning."""

import datetime
from decimal import Decimal

import pytest

from zhifa.cases.models import Case
from zhifa.catalog import choices as cc
from zhifa.catalog.services import revise_item
from zhifa.insight.similar import similar_cases
from zhifa.insight.suggest import TIER_RULES, applicable_articles, draft_reasoning, suggest_tier

pytestmark = pytest.mark.django_db
D = datetime.date
DECIDED = D(2026, 10, 30)


def _decided(open_general, facts, *, level="", tags=(), fine=None, decided=DECIDED, **extra):
    case = open_general(facts=facts, **extra)
    Case.objects.filter(pk=case.pk).update(decided_on=decided, discretion_level=level, fact_tags=list(tags),
                                           fine_amount=fine, outcome="penalty" if fine else "")
    case.refresh_from_db()
    return case


def test_the_most_similar_decided_case_comes_first_with_its_reasons(world, open_general):
    current = open_general(facts="当事人销售的预包装食品标签未标注生产日期和保质期，货值金额较小。")
    Case.objects.filter(pk=current.pk).update(discretion_level=cc.LIGHT, fact_tags=["涉案货值金额较小"])
    current.refresh_from_db()
    near = _decided(open_general, "当事人经营的预包装食品标签未标注生产日期，保质期标注不清。", level=cc.LIGHT,
                    tags=["涉案货值金额较小"], fine=Decimal("6000"))
    far = _decided(open_general, "当事人未在经营场所醒目位置悬挂营业执照。", level=cc.ORDINARY, fine=Decimal("12000"))
    open_general(facts="当事人销售的预包装食品标签未标注生产日期。")  # not decided: never a like case

    found = similar_cases(current, world.officer_user)
    assert found.compared == 2
    assert [r.case.pk for r in found.results][0] == near.pk
    top = found.results[0]
    assert "生产日期" in top.shared_terms and top.shared_tags == ["涉案货值金额较小"] and top.same_level
    assert any(reason.startswith("事实相近") for reason in top.reasons)
    assert all(r.score < top.score for r in found.results if r.case.pk == far.pk)
    assert found.fine_range == (Decimal("6000.00"), Decimal("6000.00"), Decimal("6000.00"))


def test_like_cases_stay_within_the_readers_scope(world, open_general, client, api_client, users):
    current = open_general(facts="标签未标注生产日期。")
    _decided(open_general, "标签未标注生产日期。", fine=Decimal("5000"))
    assert similar_cases(current, users.officer_b).results == []  # another county's officer sees nothing
    client.force_login(users.officer_b)
    assert client.get(f"/insight/cases/{current.pk}/").status_code == 404
    api_client.force_authenticate(users.officer_b)
    assert api_client.get(f"/api/insight/cases/{current.pk}/").status_code == 404


@pytest.mark.parametrize("tags, level, rule", [
    (["违法行为轻微", "及时改正", "没有造成危害后果"], cc.MINOR, "minor"),
    (["没有主观过错"], cc.MINOR, "no_fault"),
    (["首次违法", "危害后果轻微", "及时改正"], cc.MINOR, "first_violation"),
    (["已满十四周岁不满十八周岁"], cc.LIGHT, "minor_age"),
    (["受他人胁迫或者诱骗"], cc.LIGHT, "art32"),
    (["违法所得数额较小"], cc.LIGHT, "benchmark_lighter"),
    ([], cc.ORDINARY, "ordinary"),
])
def test_each_tier_rule_and_its_citation(world, open_general, tags, level, rule):
    case = open_general()
    Case.objects.filter(pk=case.pk).update(fact_tags=tags)
    case.refresh_from_db()
    suggestion = suggest_tier(case)
    assert (suggestion.level, suggestion.rule_code) == (level, rule)
    assert suggestion.tier is not None and suggestion.tier.level == level  # the benchmark's range for it
    assert bool(suggestion.matched) == (rule != "ordinary")
    if rule not in ("ordinary", "benchmark_lighter"):
        assert suggestion.article.startswith("《中华人民共和国行政处罚法》第")


def test_the_rules_are_ordered_as_the_law_orders_them():
    codes = [r.code for r in TIER_RULES]
    assert codes.index("minor") < codes.index("art32") < codes.index("benchmark_lighter")


def test_articles_are_the_items_version_in_force_on_the_day_of_the_act(world, open_general):
    revise_item(world.item, {"penalty_basis": "《中华人民共和国食品安全法》第一百二十五条（2027年修正）"},
                world.head, D(2026, 11, 1), "法律修正")
    before = open_general(occurred_on=D(2026, 10, 20))
    after = open_general(occurred_on=D(2026, 11, 2))
    assert "2027年修正" not in dict(applicable_articles(before).lines)["处罚依据"]
    assert "2027年修正" in dict(applicable_articles(after).lines)["处罚依据"]


def test_the_draft_reasoning_is_built_from_the_record(world, open_general, client):
    case = open_general(facts="当事人经营标签不符合规定的预包装食品10箱。")
    Case.objects.filter(pk=case.pk).update(fact_tags=["涉案货值金额较小"])
    case.refresh_from_db()
    draft = draft_reasoning(case)
    assert draft.startswith("经查，当事人经营标签不符合规定的预包装食品10箱。")
    assert "第七十一条第一款" in draft and "第一百二十五条第一款第（二）项" in draft
    assert "涉案货值金额较小" in draft and "云市监规〔2022〕3号" in draft and "情节较轻" in draft
    client.force_login(world.officer_user)
    page = client.get(f"/insight/cases/{case.pk}/").content.decode()
    assert "说理段落草稿" in page and "建议的裁量档次：情节较轻" in page


def test_the_api_gives_the_same_assistance(world, open_general, api_client):
    case = open_general(facts="标签未标注生产日期。")
    _decided(open_general, "标签未标注生产日期和保质期。", level=cc.ORDINARY, fine=Decimal("9000"))
    api_client.force_authenticate(world.officer_user)
    data = api_client.get(f"/api/insight/cases/{case.pk}/").json()
    assert data["tier"]["level"] == cc.ORDINARY and data["tier"]["fine_min"] is not None
    assert data["similar"][0]["fine_amount"] == "9000.00" and data["similar"][0]["reasons"]
    assert data["draft_reasoning"].startswith("经查")
