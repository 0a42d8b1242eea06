"""Data the browser tests share: an open case of 云岭县市场监管局 (food with a non-compliant label)
with two certified officers and a party. The live server runs on the real clock, so dates are
relative to today."""

import datetime

from zhifa.cases import services as case_services
from zhifa.core import clock
from zhifa.core.testing import fields, food_label_item
from zhifa.parties.models import Party
from zhifa.people.models import Officer
from zhifa.people.services import issue_certificate


def open_food_label_case(tree, users, *, place: str):
    today = clock.today()
    item = food_label_item(tree.market)
    lead = Officer.objects.create(name="李明", id_number="610113199003071237", home_agency=tree.market, user=users.officer_a)
    second = Officer.objects.create(name="周强", id_number="440524198001010013", home_agency=tree.market)
    for officer, number in ((lead, "61992120240001"), (second, "61992120240002")):
        issue_certificate(officer, number=number, fields=[fields()["SCJG"]], issuing_authority="秦川市人民政府",
                          issued_on=today - datetime.timedelta(days=200), expires_on=today + datetime.timedelta(days=1500))
    party = Party.objects.create(kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L",
                                 legal_representative="李四", address="云岭县人民路1号", region=tree.county,
                                 agency=tree.market)
    return case_services.open_case(actor=users.officer_a, agency=tree.market, item=item, party=party,
                                   cause="经营标签不符合规定的食品案", occurred_on=today - datetime.timedelta(days=20),
                                   place=place, facts="当事人经营标签不符合规定的预包装食品。", officers=[lead, second])
