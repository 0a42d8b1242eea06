"""Template versions and resolution: uploads, agency-only use, defaults, permissions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from zhifa.core.models import ChangeLog
from zhifa.documents import services
from zhifa.documents.context import sample_context
from zhifa.documents.models import DocumentTemplate

from .conftest import docx_text, make_docx

pytestmark = pytest.mark.django_db


def _own(marker: str) -> bytes:
    return make_docx(f"{marker}：{{{{ agency.name }}}}", "当事人：{{ party.name }}", "{{ penalty.amount_upper }}")


def test_upload_creates_versions_used_for_that_agency_only(tree, users, fake_pdf):
    """A second upload for an agency is version 2 and becomes active; version 1 is kept;
    render_document uses it for that agency only, other agencies keep the built-in one."""
    first = services.upload_template(code="penalty_decision", data=_own("第一版"), agency=tree.market, user=users.admin_a)
    second = services.upload_template(code="penalty_decision", data=_own("第二版"), agency=tree.market,
                                      user=users.admin_a, note="按新格式调整")
    first.refresh_from_db()
    assert (first.version, first.is_active, second.version, second.is_active) == (1, False, 2, True)
    assert first.file.name != second.file.name and DocumentTemplate.objects.count() == 2

    ctx = sample_context("penalty_decision")
    mine = services.render_document("penalty_decision", ctx, agency=tree.market)
    assert mine.template == second and mine.source == "云岭县市场监督管理局模板第2版"
    assert "第二版：云岭县市场监督管理局" in docx_text(mine.docx) and mine.pdf.startswith(b"%PDF")

    other = services.render_document("penalty_decision", ctx, agency=tree.other_market)
    assert other.template is None and "第二版" not in docx_text(other.docx)
    assert services.render_document("advance_notice", ctx, agency=tree.market).template is None


def test_default_upload_applies_where_no_own_template(tree, users, root_admin, fake_pdf):
    """A default template uploaded by the root administrator is used by every agency without
    its own; an agency's own template still wins."""
    default = services.upload_template(code="payment_notice", data=_own("默认"), agency=None, user=root_admin)
    own = services.upload_template(code="payment_notice", data=_own("自有"), agency=tree.market, user=users.admin_a)
    assert services.resolve_template("payment_notice", tree.other_market) == default
    assert services.resolve_template("payment_notice", None) == default
    assert services.resolve_template("payment_notice", tree.market) == own
    assert services.source_label(default) == "默认模板第1版"


def test_activate_older_version_and_deactivate(tree, users, fake_pdf):
    """An older version can be made current again; deactivating falls back to the built-in."""
    v1 = services.upload_template(code="service_receipt", data=_own("一"), agency=tree.market, user=users.admin_a)
    v2 = services.upload_template(code="service_receipt", data=_own("二"), agency=tree.market, user=users.admin_a)
    services.activate_template(v1, user=users.admin_a)
    v2.refresh_from_db()
    assert services.resolve_template("service_receipt", tree.market) == v1 and not v2.is_active
    services.deactivate_template(v1, user=users.admin_a)
    assert services.resolve_template("service_receipt", tree.market) is None


def test_upload_is_audited(tree, users):
    """Uploading writes the new version and the deactivation of the old one to the audit trail."""
    services.upload_template(code="closing_report", data=_own("一"), agency=tree.market, user=users.admin_a)
    services.upload_template(code="closing_report", data=_own("二"), agency=tree.market, user=users.admin_a)
    actions = list(ChangeLog.objects.filter(content_type__model="documenttemplate").values_list("action", flat=True))
    assert actions.count("create") == 2 and "update" in actions


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4 not a word file", "不是 Word"),
        (make_docx("当事人：{{ party.fax }}"), "party.fax"),
        (make_docx("{% for e in evidence %}{{ e.pages }}{% endfor %}"), "evidence[].pages"),
        (make_docx("{{ party.name"), "模板语法错误"),
        (b"", "空的"),
    ],
)
def test_invalid_uploads_are_refused_in_chinese(tree, users, data, message):
    """Non-DOCX files and templates with undefined or broken template fields are refused, and
    nothing is stored."""
    with pytest.raises(ValidationError) as excinfo:
        services.upload_template(code="penalty_decision", data=data, agency=tree.market, user=users.admin_a)
    assert message in excinfo.value.messages[0]
    assert not DocumentTemplate.objects.exists()


def test_who_may_upload(tree, users, root_admin):
    """Officers cannot upload; a county administrator only for agencies in the county and not
    the defaults; only the root administrator (or a superuser) replaces the defaults."""
    data = _own("x")
    with pytest.raises(PermissionDenied):
        services.upload_template(code="penalty_decision", data=data, agency=tree.market, user=users.officer_a)
    with pytest.raises(PermissionDenied):
        services.upload_template(code="penalty_decision", data=data, agency=tree.market, user=users.admin_b)
    with pytest.raises(PermissionDenied, match="默认模板"):
        services.upload_template(code="penalty_decision", data=data, agency=None, user=users.admin_a)
    assert services.may_manage_defaults(root_admin) and not services.may_manage_defaults(users.admin_a)
    assert services.may_manage_agency(users.admin_a, tree.township_office)
    assert not services.may_manage_agency(users.admin_a, tree.other_market)
    assert not services.may_manage_agency(users.head_a, tree.market)


def test_other_agencies_templates_are_not_visible(tree, users, root_admin):
    """Users see the defaults and their own subtree's templates, not another county's."""
    services.upload_template(code="penalty_decision", data=_own("云"), agency=tree.market, user=users.admin_a)
    services.upload_template(code="penalty_decision", data=_own("青"), agency=tree.other_market, user=users.admin_b)
    services.upload_template(code="penalty_decision", data=_own("默"), agency=None, user=root_admin)

    def owners(user):
        return sorted(t.owner_label for t in DocumentTemplate.objects.restrict(user, "view").select_related("agency"))

    assert owners(users.officer_a) == ["云岭县市场监督管理局", "默认"]
    assert owners(users.officer_b) == ["青石县市场监督管理局", "默认"]
    assert owners(users.admin_b) == ["青石县市场监督管理局", "默认"]
    assert owners(users.auditor_a) == []  # no documents capability


def test_render_error_names_the_template(tree, users, fake_pdf, monkeypatch):
    """A template that fails at render time raises DocumentRenderError naming kind and source."""
    template = services.upload_template(code="payment_notice", data=_own("x"), agency=tree.market, user=users.admin_a)
    template.file.save("broken.docx", ContentFile(make_docx("{{ nothing_here }}")))
    with pytest.raises(services.DocumentRenderError, match="罚款缴纳通知书.*云岭县市场监督管理局模板第1版.*nothing_here"):
        services.render_document("payment_notice", {}, agency=tree.market)
    with pytest.raises(services.DocumentRenderError, match="未知的文书种类"):
        services.render_document("no_such_kind", {})


def test_render_documents_converts_in_one_batch(tree, fake_pdf):
    """Several documents (e.g. a decision and the credit-repair notice: 两书同达) are converted
    in one LibreOffice run."""
    codes = ["penalty_decision", "credit_repair_notice", "service_receipt"]
    rendered = services.render_documents([(c, sample_context(c)) for c in codes], agency=tree.market)
    assert [r.code for r in rendered] == codes and len(fake_pdf) == 1 and len(fake_pdf[0]) == 3
    assert rendered[1].filename_stem == "信用修复告知书_云市监信修〔2026〕37号"
