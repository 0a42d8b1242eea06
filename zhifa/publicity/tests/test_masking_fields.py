"""Masking covers every published field: the party's name inside the title (案由), the facts,
the legal basis and the result; the page <title>, open data JSON and CSV and the search index
use the masked values; the reviewer's check lists every field with each replacement."""

import datetime

from zhifa.cases import services as case_services
from zhifa.publicity import services
from zhifa.publicity.masking import mask_publication
from zhifa.publicity.models import Publication

D = datetime.date
TITLE = "张三涉嫌经营超过保质期的食品案"


def _released(register, reviewer, **extra):
    publication = register(title=TITLE, legal_basis="依据《食品安全法》第一百二十四条对张三作出处罚。",
                           result="对张三罚款人民币5,000.00元。", **extra)
    return services.release(publication, actor=reviewer)


def test_every_field_is_masked_and_reported(register):
    publication = register(title=TITLE, legal_basis="依据《食品安全法》第一百二十四条对张三作出处罚。",
                           result="对张三罚款人民币5,000.00元。")
    assert publication.public_title == "张*涉嫌经营超过保质期的食品案"
    assert "张三" not in publication.public_legal_basis and "张三" not in publication.public_result
    fields = {(r["field"], r["original"], r["replacement"]) for r in publication.masking_report if r["kind"] == "name"}
    assert {("title", "张三", "张*"), ("facts", "张三", "张*"), ("legal_basis", "张三", "张*"),
            ("result", "张三", "张*"), ("party_name", "张三", "张*")} <= fields
    assert {r["field_label"] for r in publication.masking_report} >= {"事项名称", "主要事实", "依据", "决定内容", "相对人"}
    assert "张三" not in publication.search_tokens


def test_reviewer_page_lists_the_title_beside_its_public_form(client, register, reviewer):
    publication = register(title=TITLE)
    client.force_login(reviewer)
    html = client.get(publication.get_absolute_url()).content.decode()
    assert ('<th>事项名称</th><td data-label="原文">张三涉嫌经营超过保质期的食品案</td>'
            '<td data-label="公示内容" class="public">张*涉嫌经营超过保质期的食品案</td>') in html
    assert "事项名称 · 自然人姓名" in html


def test_public_page_title_list_and_open_data_use_the_masked_title(client, register, reviewer):
    publication = _released(register, reviewer)
    detail = client.get(publication.get_public_url()).content.decode()
    assert "<title>张*涉嫌经营超过保质期的食品案" in detail and "张三" not in detail
    listing = client.get("/public/decisions/").content.decode()
    assert "张*涉嫌经营超过保质期的食品案" in listing and "张三" not in listing
    data = client.get("/api/public/publications/").json()
    assert data["results"][0]["title"] == "张*涉嫌经营超过保质期的食品案"
    response = client.get("/api/public/publications/?format=csv")
    csv = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "张*涉嫌经营超过保质期的食品案" in csv and "张三" not in csv
    assert client.get("/public/decisions/", {"q": "张三"}).content.decode().count(publication.get_public_url()) == 0


def test_other_persons_named_in_the_case_are_masked(world, open_general, fixed_today):
    """The person interviewed is masked in the facts of a company's decision; the company and
    the officers are not."""
    case = open_general(facts="经询问王五（店员），云岭鑫达商贸有限公司经营标签不符合规定的食品，执法人员李明在场。")
    case_services.perform_transition(case, "file", actor=world.unit_head)
    case_services.perform_transition(case, "investigate", actor=world.officer_user)
    case_services.record_interview(case, actor=world.officer_user, interviewee="王五",
                                   time=datetime.datetime(2026, 11, 2, 10, tzinfo=datetime.UTC), place="店内",
                                   questions=[{"q": "是否知情？", "a": "不知情。"}])
    publication = Publication(case=case, agency=case.agency, party=case.party, party_kind=case.party.kind,
                              party_name=case.party.name, title=case.cause, facts=case.facts, result="罚款。",
                              decided_on=D(2026, 11, 2), due_on=D(2026, 11, 11))
    report = mask_publication(publication)
    assert "王*（店员）" in publication.public_facts
    assert "云岭鑫达商贸有限公司" in publication.public_facts and "李明" in publication.public_facts
    assert ("facts", "王五") in {(r["field"], r["original"]) for r in report}
    assert publication.public_party_name == "云岭鑫达商贸有限公司"
