"""Template management pages: list, versions, upload, download, preview, permissions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhifa.core.testing import PASSWORD
from zhifa.documents import services
from zhifa.documents.builtin import builtin_template_bytes
from zhifa.documents.models import DocumentTemplate

from .conftest import docx_text, make_docx

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _upload(code, agency, user, marker="自有"):
    return services.upload_template(code=code, data=make_docx(f"{marker}{{{{ party.name }}}}"), agency=agency, user=user)


def test_list_shows_every_kind_with_flat_queries(client, tree, users, django_assert_max_num_queries):
    """The list shows all kinds and the templates in use, in a constant number of queries."""
    for code in ("penalty_decision", "service_receipt", "closing_report"):
        _upload(code, tree.market, users.admin_a)
        _upload(code, tree.township_office, users.admin_a)
    _login(client, users.officer_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("documents:template_list"))
    content = response.content.decode()
    assert response.status_code == 200
    for title in ("立案审批表", "行政处罚决定书", "信用修复告知书", "不予行政处罚决定书"):
        assert title in content
    assert "云岭县市场监督管理局（第1版）" in content
    assert "云岭镇综合行政执法办公室" not in content  # outside the officer's agency
    assert "上传模板" not in content


def test_kind_page_lists_versions_and_template_fields(client, tree, users, django_assert_max_num_queries):
    """The kind page lists the versions (old ones kept), the built-in one and the template fields."""
    for marker in ("一", "二", "三"):
        _upload("penalty_decision", tree.market, users.admin_a, marker)
    _login(client, users.admin_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("documents:template_kind", args=["penalty_decision"]))
    content = response.content.decode()
    assert content.count("历史版本") == 2 and "当前使用" in content
    assert "启用此版本" in content and "party.id_number" in content and "系统内置" in content
    assert client.get(reverse("documents:template_kind", args=["nope"])).status_code == 404


def test_admin_uploads_through_the_form(client, tree, users):
    """The administrator uploads a DOCX for an agency; it becomes the active version."""
    _login(client, users.admin_a)
    page = client.get(reverse("documents:template_upload") + "?code=payment_notice")
    assert page.status_code == 200 and "默认（所有执法主体通用）" not in page.content.decode()
    upload = SimpleUploadedFile("通知书.docx", make_docx("缴款：{{ penalty.amount_upper }}"), content_type=DOCX)
    response = client.post(reverse("documents:template_upload"),
                           {"code": "payment_notice", "agency": tree.market.pk, "file": upload, "note": "新格式"})
    assert response.status_code == 302
    template = DocumentTemplate.objects.get()
    assert (template.agency, template.version, template.is_active, template.note) == (tree.market, 1, True, "新格式")
    assert template.uploaded_by == users.admin_a


def test_invalid_upload_shows_chinese_error(client, tree, users):
    """A template with an undefined template field, or a non-DOCX file, is refused with the reason."""
    _login(client, users.admin_a)
    bad = SimpleUploadedFile("bad.docx", make_docx("{{ party.fax }}"), content_type=DOCX)
    response = client.post(reverse("documents:template_upload"),
                           {"code": "penalty_decision", "agency": tree.market.pk, "file": bad})
    assert response.status_code == 200 and "party.fax" in response.content.decode()
    text = SimpleUploadedFile("a.docx", b"not a zip", content_type=DOCX)
    response = client.post(reverse("documents:template_upload"),
                           {"code": "penalty_decision", "agency": tree.market.pk, "file": text})
    assert "不是 Word" in response.content.decode()
    other = SimpleUploadedFile("a.docx", make_docx("{{ party.name }}"), content_type=DOCX)
    response = client.post(reverse("documents:template_upload"),
                           {"code": "penalty_decision", "agency": tree.other_market.pk, "file": other})
    assert response.status_code == 200 and not DocumentTemplate.objects.exists()


def test_officer_cannot_upload_or_switch_versions(client, tree, users):
    """Officers may look at templates but not upload or switch versions."""
    template = _upload("penalty_decision", tree.market, users.admin_a)
    _login(client, users.officer_a)
    assert client.get(reverse("documents:template_upload")).status_code == 403
    assert client.post(reverse("documents:template_deactivate", args=[template.pk])).status_code == 403
    template.refresh_from_db()
    assert template.is_active


def test_activate_and_deactivate_pages(client, tree, users):
    """The administrator switches back to an older version and can stop using a template."""
    v1 = _upload("penalty_decision", tree.market, users.admin_a, "一")
    v2 = _upload("penalty_decision", tree.market, users.admin_a, "二")
    _login(client, users.admin_a)
    assert client.post(reverse("documents:template_activate", args=[v1.pk])).status_code == 302
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.is_active and not v2.is_active
    client.post(reverse("documents:template_deactivate", args=[v1.pk]))
    assert services.resolve_template("penalty_decision", tree.market) is None


def test_downloads_and_scope(client, tree, users):
    """A version and the built-in template can be downloaded; another county's cannot."""
    template = _upload("penalty_decision", tree.market, users.admin_a)
    _login(client, users.officer_a)
    response = client.get(reverse("documents:template_download", args=[template.pk]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX and response.content.startswith(b"PK")
    builtin = client.get(reverse("documents:builtin_download", args=["service_receipt"]))
    assert builtin.content == builtin_template_bytes("service_receipt")
    client.logout()
    _login(client, users.officer_b)
    assert client.get(reverse("documents:template_download", args=[template.pk])).status_code == 404


def test_preview_pdf(client, tree, users, fake_pdf):
    """The preview renders the sample case with the template that applies to the user, a
    chosen version, or the built-in one, and returns a PDF."""
    template = _upload("penalty_decision", tree.market, users.admin_a, "本局格式")
    _login(client, users.officer_a)
    response = client.get(reverse("documents:template_preview", args=["penalty_decision"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "本局格式" in docx_text(fake_pdf[-1][0])
    client.get(reverse("documents:template_preview", args=["penalty_decision"]) + "?builtin=1")
    assert "本局格式" not in docx_text(fake_pdf[-1][0])
    response = client.get(reverse("documents:template_preview", args=["penalty_decision"]) + f"?template={template.pk}")
    assert response.status_code == 200


def test_preview_error_is_shown(client, tree, users, monkeypatch):
    """When LibreOffice is missing the preview page says so instead of failing silently."""
    monkeypatch.setenv("ZHIFA_SOFFICE", "/nonexistent/soffice")
    _login(client, users.officer_a)
    response = client.get(reverse("documents:template_preview", args=["penalty_decision"]), follow=True)
    assert "未找到 LibreOffice" in response.content.decode()


def test_root_admin_replaces_the_default_through_the_form(client, tree, root_admin, users):
    """The root administrator may leave the agency empty to replace the default for everyone."""
    _login(client, root_admin)
    assert "默认（所有执法主体通用）" in client.get(reverse("documents:template_upload")).content.decode()
    upload = SimpleUploadedFile("d.docx", make_docx("{{ agency.name }}"), content_type=DOCX)
    response = client.post(reverse("documents:template_upload"), {"code": "hearing_notice", "agency": "", "file": upload})
    assert response.status_code == 302
    default = DocumentTemplate.objects.get()
    assert default.agency is None and services.resolve_template("hearing_notice", tree.other_market) == default
    client.logout()
    _login(client, users.admin_a)
    upload = SimpleUploadedFile("d.docx", make_docx("{{ agency.name }}"), content_type=DOCX)
    response = client.post(reverse("documents:template_upload"), {"code": "hearing_notice", "agency": "", "file": upload})
    assert response.status_code == 200 and DocumentTemplate.objects.count() == 1
