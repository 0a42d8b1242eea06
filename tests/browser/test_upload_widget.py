"""The resumable-upload widget (records/upload.js) in headless Chromium, phone-sized: the run's
one shared browser (tests/browser/conftest.py), like every other browser test."""

import hashlib
import os

from zhifa.records.models import StoredFile
from zhifa.records.testing import MP4_HEAD

MIB = 1024 * 1024


def test_widget_uploads_in_chunks_and_resumes_after_network_errors(page, live_server, users, tmp_path):
    """A 9 MiB file goes up in 4 MiB chunks; the answer to the first chunk is lost and the second
    chunk fails in the network, yet the upload resumes from the server's offset and fills the
    hidden input with the stored file's id."""
    from django.test import Client

    client = Client()
    client.force_login(users.officer_a)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page.set_default_timeout(30_000)
    seen, broken = [], set()

    def flaky(route):
        request = route.request
        if request.method == "PATCH":
            offset = request.headers.get("upload-offset")
            seen.append(offset)
            if offset == "0" and "lost answer" not in broken:
                broken.add("lost answer")
                route.fetch()  # the server stores the chunk, but the phone never hears back
                route.abort("failed")
                return
            if offset == str(4 * MIB) and "network" not in broken:
                broken.add("network")
                route.abort("internetdisconnected")
                return
        route.continue_()

    page.route("**/api/records/uploads/**", flaky)
    data = MP4_HEAD + os.urandom(9 * MIB + 17)
    path = tmp_path / "执法记录仪.mp4"
    path.write_bytes(data)
    page.goto("/records/upload/")
    page.set_input_files("#id_upload_file", str(path))
    page.wait_for_function("() => document.getElementById('id_stored_file').value !== ''")  # a function: an expression would need eval, which the CSP forbids
    stored = StoredFile.objects.get(pk=int(page.input_value("#id_stored_file")))
    assert stored.hash == hashlib.new("sm3", data).hexdigest() and stored.size == len(data)
    assert "上传完成" in page.inner_text(".zhifa-upload")
    assert broken == {"lost answer", "network"}
    assert seen.count("0") == 1  # after the lost answer it continued at the server's offset
    assert str(8 * MIB) in seen
