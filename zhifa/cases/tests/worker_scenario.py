"""A case with one generated document, built by a separate process (``zhifa shell -c``) for the
tests that run a real worker against a database of its own (zhifa/cases/tests/test_document_jobs.py).
Prints the document's id; its conversion is queued when the transaction commits."""

import datetime

from django.db import transaction

from zhifa.accounts import roles
from zhifa.catalog import services as catalog
from zhifa.core.testing import fields, make_user, org_tree
from zhifa.parties.models import Party
from zhifa.people.models import Officer

D = datetime.date


def make_document() -> int:
    from zhifa.cases import services
    from zhifa.cases.documents import generate_documents

    tree = org_tree()
    f = fields()
    officer_user = make_user("worker_officer", roles.OFFICER, agency=tree.market)
    item = catalog.create_item(
        agency=tree.market, code="SCJG-CF-0125", kind="penalty", field=f["SCJG"], valid_from=D(2019, 1, 1),
        version={"name": "对经营标签不符合规定的食品的行政处罚", "law_name": "《中华人民共和国食品安全法》",
                 "article": 125, "paragraph": 1, "item_no": 2, "basis_text": "经营标签不符合本法规定的食品。",
                 "penalty_basis": "《中华人民共和国食品安全法》第一百二十五条第一款第（二）项",
                 "violated_provision": "《中华人民共和国食品安全法》第七十一条第一款"},
    )
    company = Party.objects.create(kind=Party.LEGAL, name="云岭鑫达商贸有限公司", credit_code="91110000600037341L",
                                   legal_representative="李四", address="云岭县人民路1号", region=tree.county,
                                   agency=tree.market)
    officer = Officer.objects.create(name="李明", id_number="610113199003071237", home_agency=tree.market,
                                     user=officer_user, kind=Officer.KIND_OFFICER)
    case = services.open_case(actor=officer_user, agency=tree.market, item=item, party=company,
                              cause="经营标签不符合规定的食品案", occurred_on=D(2026, 10, 20), place="云岭县人民路1号店内",
                              officers=[officer])
    with transaction.atomic():
        document = generate_documents(case, ["filing_approval"], actor=officer_user)[0]
    return document.pk


if __name__ == "__main__":  # pragma: no cover - run through ``manage.py shell``
    print(make_document())
