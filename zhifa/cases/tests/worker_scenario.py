"""A case with one generated document, built by a separate process (``zhifa shell -c``) for the
tests that run a real worker against a database of its own (zhifa/cases/tests/test_document_jobs.py).
Prints the document's id; its conversion is queued when the transaction commits."""

import datetime

from django.db import transaction

from zhifa.accounts import roles
from zhifa.core.testing import food_label_item, make_user, org_tree
from zhifa.parties.models import Party
from zhifa.people.models import Officer

D = datetime.date


def make_document() -> int:
    from zhifa.cases import services
    from zhifa.cases.documents import generate_documents

    tree = org_tree()
    officer_user = make_user("worker_officer", roles.OFFICER, agency=tree.market)
    item = food_label_item(tree.market)
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
