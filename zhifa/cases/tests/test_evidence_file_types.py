"""Evidence forms refuse programs (issue #10 item 11): the upload allow-list of
``core.filetypes`` answers the web form with a Chinese message, and nothing is registered."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.cases.models import Evidence
from zhifa.records.models import StoredFile
from zhifa.records.testing import PE_HEAD


def test_plain_evidence_upload_of_a_program_is_refused_with_a_message(client, world, open_general):
    """A Windows program renamed ``现场照片.jpg`` posted through the no-JavaScript form: the page
    comes back with the reason, and neither a file nor an evidence item is stored."""
    case = open_general()
    client.force_login(world.users.auxiliary_a)
    upload = SimpleUploadedFile("现场照片.jpg", PE_HEAD + bytes(4000), content_type="image/jpeg")
    response = client.post(reverse("cases:evidence_add", args=[case.pk]), {
        "file": upload, "kind": "audiovisual", "title": "现场照片", "captured_at": "2026-11-01T10:00",
        "device": "手机", "place_text": "店内",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "“现场照片.jpg”是可执行程序或脚本，出于安全原因不能上传。" in html
    assert not Evidence.objects.exists() and not StoredFile.objects.exists()
