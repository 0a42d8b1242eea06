"""The agency head self-assesses an indicator of the 三项制度 assessment on a phone (375 px):
opens the assessment, a computed indicator with its figure and rows, then an evidenced one,
uploads an evidence file and saves a self score; the supervisor then sees the file."""

from tests.browser.conftest import assert_fits_phone, login
from zhifa.core import clock
from zhifa.core.testing import PASSWORD
from zhifa.supervision.assessment import services


def test_agency_self_assesses_with_evidence_on_a_phone(page, tree, users, tmp_path):
    assessment = services.create_assessment(users.supervisor_a, year=clock.today().year - 1, agency=tree.market)
    login(page, "head_a", PASSWORD)
    page.goto("/supervision/assessments/")
    assert_fits_phone(page, "考评列表")
    page.click(f"text={tree.market.name}")
    page.wait_for_url(f"**/supervision/assessments/{assessment.pk}/")
    assert page.locator(r"text=/平台计算\d+项/").count() == 1
    assert_fits_phone(page, "考评页面")
    computed = assessment.items.get(indicator__number=36)
    page.goto(f"/supervision/assessments/items/{computed.pk}/")
    page.wait_for_selector("text=计算规则")
    assert page.locator("text=无应公示的许可、处罚决定").count() >= 1
    evidenced = assessment.items.get(indicator__number=1)
    page.goto(f"/supervision/assessments/items/{evidenced.pk}/")
    page.wait_for_selector("text=不由数据计算的原因")
    evidence = tmp_path / "事前公开规定.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("#id_evidence-file", str(evidence))
    page.fill("#id_evidence-note", "本局规定")
    page.click("button:has-text('上传')")
    page.wait_for_selector("text=已上传佐证材料")
    page.fill("#id_self-score", "0.5")
    page.fill("#id_self-note", "已制定并公开。")
    page.click("button:has-text('保存自评')")
    page.wait_for_selector("text=已保存自评")
    assert_fits_phone(page, "指标页面")
    item = assessment.items.get(indicator__number=1)
    assert str(item.self_score) == "0.50" and item.self_note == "已制定并公开。" and item.evidence.get().file.original_name == "事前公开规定.pdf"
