"""在屏幕上签名 on a phone (Chromium): the officer signs the 询问笔录 with the pointer on the case
page's signature pad; the case's document list then shows the new version, whose DOCX holds the
drawn PNG (its SM3 the one in the record)."""

import datetime
import hashlib
import io

import pytest
from docx import Document

from tests.browser.conftest import assert_fits_phone, login
from tests.browser.scenario import open_food_label_case
from zhifa.cases import services
from zhifa.cases.signing.models import DocumentSignature
from zhifa.core import clock
from zhifa.core.testing import PASSWORD
from zhifa.records.services import open_stored

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_officer_signs_the_interview_note_on_the_case_page(page, users, tree):
    case = open_food_label_case(tree, users, place="云岭县人民路1号店内")
    services.record_interview(case, actor=users.officer_a, interviewee="李四", place="店内",
                              time=clock.now() - datetime.timedelta(hours=1),
                              questions=[{"q": "饼干从哪里进的货？", "a": "从批发市场进的。"}])
    login(page, "officer_a", PASSWORD)
    page.goto(f"/cases/{case.pk}/signatures/new/")
    assert_fits_phone(page, "签名页面")
    page.select_option("#id_document_kind", "interview_record")
    page.select_option("#id_role", "officer1")
    page.fill("#id_signer_name", "李明")
    box = page.locator("#signature-pad").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] * 0.6)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * box["width"] / 14, box["y"] + box["height"] * (0.3 + 0.4 * (step % 2)))
    page.mouse.up()
    page.click("#signature-form button[type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/#documents", timeout=90_000)  # renders the DOCX: slow on a busy machine
    assert page.locator("#documents li", has_text="询问笔录").count() == 2  # the old version and the new one

    signature = DocumentSignature.objects.get(case=case)
    newest = case.documents.filter(code="interview_record").order_by("-pk").first()
    with open_stored(newest.docx) as handle:
        package = Document(io.BytesIO(handle.read())).part.package
    pictures = [p.blob for p in package.parts if p.partname.startswith("/word/media/")]
    assert [hashlib.new("sm3", blob).hexdigest() for blob in pictures] == [signature.image.hash]
