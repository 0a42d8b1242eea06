"""掌上执法 in Chromium with the network switched off (UX-2, issue #15 item 10): three items
captured offline arrive exactly once after reconnecting; a page closed in the middle of a sync
resumes when reopened, with nothing lost and nothing twice (one of its items is the party's
signature drawn on the screen)."""

import hashlib

import pytest

from tests.browser.conftest import assert_fits_phone, login, wait_for_service_worker
from zhifa.cases.models import Evidence, Inspection, Interview
from zhifa.cases.tests.conftest import open_general, world  # noqa: F401  (fixtures)
from zhifa.core.testing import PASSWORD
from zhifa.mobile.models import Capture
from zhifa.mobile.tests.conftest import photo_bytes
from zhifa.records.models import Upload

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DONE = "() => document.querySelectorAll('#queue li[data-state=accepted], #queue li[data-state=conflict]').length === {n}"


@pytest.fixture(autouse=True)
def _documents_wait_for_the_worker(settings):
    """The 询问笔录/现场检查笔录 a capture produces are converted to PDF by the task layer; here
    they wait in the queue (a conversion is seconds of LibreOffice, beside the point of a sync test)."""
    settings.ZHIFA_JOBS_SYNC = False


def _open_app(page):
    page.goto("/m/")
    page.wait_for_selector("body[data-ready='1']")


def _capture(page, case, kind, fields, file=None):
    page.select_option("#case", str(case.pk))
    page.select_option("#kind", kind)
    for name, value in fields.items():
        page.fill(f"#{name}", value)
    if file is not None:
        page.set_input_files("#file", files=[{"name": file[0], "mimeType": "image/png", "buffer": file[1]}])
    count = page.locator("#queue li").count()
    page.click("#save")
    page.wait_for_function(f"() => document.querySelectorAll('#queue li').length === {count + 1}")


def _go_offline_with_the_app_cached(page):
    _open_app(page)
    wait_for_service_worker(page)
    page.context.set_offline(True)
    page.reload()  # the shell now comes from the service worker's cache
    page.wait_for_selector("body[data-ready='1']")
    assert page.text_content("#net") == "离线"


def test_three_items_captured_offline_arrive_exactly_once(page, world, open_general):  # noqa: F811
    case = open_general()
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 34.258333, "longitude": 108.928667})
    login(page, world.officer_user.username, PASSWORD)
    _go_offline_with_the_app_cached(page)
    assert case.cause in page.text_content("#cases")  # the offline bundle, from IndexedDB
    assert_fits_phone(page, "掌上执法")

    photo = photo_bytes(40_000)
    _capture(page, case, "photo", {"title": "货架照片", "place": "店内"}, ("shelf.png", photo))
    _capture(page, case, "inspection_note", {"place": "店内", "content": "检查预包装食品标签", "findings": "3种食品无生产日期"})
    _capture(page, case, "interview_note", {"place": "店内", "interviewee": "李四", "question": "进货来源？", "answer": "批发市场"})
    assert page.locator("#queue li[data-state=pending]").count() == 3
    assert not Capture.objects.exists()

    page.context.set_offline(False)
    page.wait_for_function(DONE.format(n=3), timeout=60_000)
    assert page.locator("#queue li[data-state=accepted]").count() == 3
    assert Capture.objects.filter(case=case, state="accepted").count() == 3
    evidence = Evidence.objects.get(case=case)
    assert evidence.file.hash == hashlib.new("sm3", photo).hexdigest()
    assert float(evidence.latitude) == pytest.approx(34.258333) and evidence.file.size == len(photo)
    assert Capture.objects.get(kind="photo").client_sha256 == hashlib.sha256(photo).hexdigest()
    assert Inspection.objects.filter(case=case).count() == 1 and Interview.objects.filter(case=case).count() == 1

    page.reload()  # a second sync of the same queue changes nothing
    page.wait_for_selector("body[data-ready='1']")
    page.click("#sync")
    page.wait_for_function(DONE.format(n=3), timeout=60_000)
    assert Capture.objects.count() == 3 and Evidence.objects.filter(case=case).count() == 1
    assert Inspection.objects.filter(case=case).count() == 1 and Interview.objects.filter(case=case).count() == 1


def test_a_page_closed_mid_sync_resumes_without_loss_or_duplicate(page, world, open_general, settings):  # noqa: F811
    settings.ZHIFA_MOBILE_CHUNK_BYTES = 16 * 1024
    case = open_general()
    login(page, world.officer_user.username, PASSWORD)
    _go_offline_with_the_app_cached(page)
    big = photo_bytes(200_000)
    _capture(page, case, "photo", {"title": "现场录像截图"}, ("big.png", big))
    _capture(page, case, "inspection_note", {"place": "仓库", "content": "检查库存", "findings": "无异常"})
    page.select_option("#kind", "signature")  # the party signs on the screen (现场签名)
    box = page.locator("#signature-pad").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 30)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 25, box["y"] + 30 + (step % 3) * 20)
    page.mouse.up()
    _capture(page, case, "signature", {"signer": "李四"})

    chunks = []

    def hold_the_fourth_chunk(route):
        if route.request.method != "PATCH":
            route.continue_()
            return
        chunks.append(route.request.headers.get("upload-offset"))
        if len(chunks) <= 3:
            route.continue_()
        # the fourth chunk never leaves the phone: the page is closed while it is in flight

    page.route("**/api/records/uploads/**", hold_the_fourth_chunk)
    page.context.set_offline(False)
    for _ in range(200):
        if len(chunks) >= 4:
            break
        page.wait_for_timeout(50)
    assert len(chunks) == 4
    page.close()

    upload = Upload.objects.get()
    # three chunks were let through (a fourth may have been in flight when the page closed)
    assert 3 * 16 * 1024 <= upload.received < len(big) and not upload.is_complete
    assert Capture.objects.count() == 1 and not Evidence.objects.exists()  # the later items wait their turn

    reopened = page.context.new_page()
    _open_app(reopened)
    reopened.wait_for_function(DONE.format(n=3), timeout=60_000)
    assert Capture.objects.count() == 3 and Upload.objects.count() == 2  # the big file's upload was resumed
    files = {e.title: e.file for e in Evidence.objects.filter(case=case)}
    assert set(files) == {"现场录像截图", "当事人签名：李四"} and files["现场录像截图"].size == len(big)
    signature = Capture.objects.get(kind="signature")
    assert files["当事人签名：李四"].content_type == "image/png" and files["当事人签名：李四"] == signature.stored_file
    assert len(signature.client_sha256) == 64  # hashed on the phone, checked by the server
    assert files["现场录像截图"].hash == hashlib.new("sm3", big).hexdigest()
    assert Inspection.objects.filter(case=case).count() == 1


def test_a_refusal_to_sign_from_the_phone_is_printed_on_the_document(page, world, open_general):  # noqa: F811
    """拒绝签名 on the phone: no picture is needed, the document must be named, and the refusal
    reaches the case as a signature record that prints “拒绝签名” on the 询问笔录."""
    from zhifa.cases.signing.models import DocumentSignature

    case = open_general()
    login(page, world.officer_user.username, PASSWORD)
    _open_app(page)
    _capture(page, case, "interview_note", {"place": "店内", "interviewee": "李四", "question": "进货来源？", "answer": "批发市场"})
    page.wait_for_function(DONE.format(n=1), timeout=60_000)

    page.select_option("#case", str(case.pk))
    page.select_option("#kind", "signature")
    page.select_option("#signer_role", "interviewee")
    page.fill("#signer", "李四")
    page.check("#refused")
    page.click("#save")
    assert "须选择所涉文书" in page.text_content("#form-error")  # a refusal names its document
    page.select_option("#document", "interview_record")
    page.click("#save")
    page.wait_for_function(DONE.format(n=2), timeout=60_000)
    assert page.locator("#queue li[data-state=accepted]").count() == 2
    signature = DocumentSignature.objects.get(case=case)
    assert signature.refused and signature.image_id is None and signature.code == "interview_record"
    assert Capture.objects.get(kind="signature").file_size is None
