"""A program disguised as a photo is refused in the browser (issue #10 item 11): the upload
widget (records/upload.js) shows the server's Chinese message, the hidden input stays empty and
nothing is stored."""

from tests.browser.conftest import login
from zhifa.core.testing import PASSWORD
from zhifa.records.models import StoredFile, Upload
from zhifa.records.testing import ELF_HEAD, MP4_HEAD


def test_upload_widget_shows_why_a_program_is_refused(page, users, tmp_path, settings):
    """An ELF program named 现场照片.jpg stops after its first chunk with the reason; a real video
    afterwards goes through."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ZHIFA_UPLOAD_TEMP_DIR = str(tmp_path / "media" / "tmp")
    program = tmp_path / "现场照片.jpg"
    program.write_bytes(ELF_HEAD + bytes(300_000))
    login(page, "officer_a", PASSWORD)
    page.goto("/records/upload/")
    page.set_input_files("#id_upload_file", str(program))
    status = page.locator(".zhifa-upload [role=status]")
    status.filter(has_text="不能上传").wait_for()
    assert "“现场照片.jpg”是可执行程序或脚本，出于安全原因不能上传。" in status.inner_text()
    assert page.input_value("#id_stored_file") == ""
    assert not StoredFile.objects.exists() and not Upload.objects.exists()

    video = tmp_path / "执法记录仪.mp4"
    video.write_bytes(MP4_HEAD + bytes(300_000))
    page.set_input_files("#id_upload_file", str(video))
    page.wait_for_function("() => document.getElementById('id_stored_file').value !== ''")  # a function: an expression would need eval, which the CSP forbids
    assert StoredFile.objects.get().content_type == "video/mp4"
