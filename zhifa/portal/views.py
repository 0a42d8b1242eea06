"""Public portal pages: no login; rows only through ``Model.objects.public()``.

Public pages (PUB-1 "before", PUB-2 "during") read nothing from the session and may be cached
by ``zhifa.core.public.PublicPortalMiddleware``. The few staff pages that live under the
portal's URL prefix (freshness report, service-guide upkeep, printable certificate QR code)
require a login and are sent with ``Cache-Control: private, no-store`` so the middleware never
caches them.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from zhifa.cases.procedures import PROCEDURES
from zhifa.catalog import choices as catalog_choices
from zhifa.catalog.models import Benchmark, BenchmarkTier, Delegation, Item, SpecialListEntry
from zhifa.core import clock
from zhifa.core.views import CapabilityRequiredMixin, ServiceActionView
from zhifa.orgs.models import Agency, Unit
from zhifa.people.models import Certificate, Officer
from zhifa.review.models import MajorDecisionCatalog

from . import filters, forms, services
from .models import DutyChange, LawChange, ServiceGuide

PAGE_SIZE = 20


def _page(request, queryset, size=PAGE_SIZE):
    page = Paginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _list(request, template, title, queryset, filterset_class, **extra):
    """A filtered, paginated public list."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    qs = filterset.qs if filterset.is_bound else queryset
    page, querystring = _page(request, qs)
    return render(request, template, {"title": title, "filterset": filterset, "page": page,
                                      "querystring": querystring, **extra})


def _with_versions(items, today):
    rows = []
    for item in items:
        current, upcoming = services.split_versions(item, today)
        rows.append({"item": item, "version": current, "upcoming": upcoming})
    return rows


# -- home and "before" pages (事前公开, PUB-1) -------------------------------------------------


def home(request):
    counts = {
        "agencies": Agency.objects.public().count(),
        "officers": Officer.objects.public().count(),
        "items": Item.objects.public().count(),
    }
    return render(request, "portal/home.html", {"title": "行政执法公示", "counts": counts})


def agency_list(request):
    qs = Agency.objects.public().select_related("region").order_by("region__code", "name")
    return _list(request, "portal/agency_list.html", "执法主体", qs, filters.AgencyFilterSet)


def agency_detail(request, pk):
    agency = get_object_or_404(Agency.objects.public().select_related("region", "entrusted_by"), pk=pk)
    today = clock.today()
    units = Unit.objects.public().filter(agency=agency).order_by("name")
    items = (
        Item.objects.public().filter(agency=agency).select_related("field")
        .prefetch_related(services.public_versions_prefetch()).order_by("code", "id")
    )
    kinds = dict(catalog_choices.ITEM_KIND_CHOICES)
    kind_counts = [
        (kinds[row["kind"]], row["kind"], row["n"])
        for row in Item.objects.public().filter(agency=agency).values("kind").annotate(n=Count("id")).order_by("kind")
    ]
    page, querystring = _page(request, items)
    delegated = (
        Delegation.objects.public().filter(agency=agency).select_related("item", "item__agency").order_by("item__code")
    )
    return render(request, "portal/agency_detail.html", {
        "title": agency.name,
        "agency": agency,
        "units": units,
        "officer_count": Officer.objects.public().filter(home_agency=agency).count(),
        "kind_counts": kind_counts,
        "page": page,
        "querystring": querystring,
        "item_rows": _with_versions(page.object_list, today),
        "delegated": delegated,
        "guides": ServiceGuide.objects.public().filter(agency=agency).order_by("title", "id"),
        "major_count": MajorDecisionCatalog.objects.public().filter(agency=agency).count(),
        "remedies": services.remedies_for(agency),
    })


def officer_list(request):
    today = clock.today()
    certificates = (
        Certificate.objects.public().filter(status=Certificate.VALID, expires_on__gte=today)
        .prefetch_related("fields").order_by("number")
    )
    qs = (
        Officer.objects.public()
        .select_related("home_agency", "unit")
        .prefetch_related(Prefetch("certificates", queryset=certificates, to_attr="public_certificates"))
        .order_by("name", "id")
    )
    return _list(request, "portal/officer_list.html", "执法人员", qs, filters.OfficerFilterSet)


def item_list(request, inspection=False):
    today = clock.today()
    qs = Item.objects.public().select_related("agency", "field").prefetch_related(services.public_versions_prefetch())
    if inspection:
        qs = qs.filter(kind="inspection")
    qs = qs.order_by("code", "id")
    title = "随机抽查事项清单" if inspection else "执法事项"
    filterset = filters.ItemFilterSet(request.GET or None, queryset=qs, request=request)
    if inspection:
        filterset.form.fields.pop("kind", None)
    page, querystring = _page(request, filterset.qs if filterset.is_bound else qs)
    return render(request, "portal/item_list.html", {
        "title": title, "filterset": filterset, "page": page, "querystring": querystring,
        "rows": _with_versions(page.object_list, today), "inspection": inspection,
    })


def inspection_list(request):
    """随机抽查事项清单: the catalog's items of the inspection kind (INS-1's list as published)."""
    return item_list(request, inspection=True)


def item_detail(request, pk):
    today = clock.today()
    item = get_object_or_404(
        Item.objects.public().select_related("agency", "field").prefetch_related(services.public_versions_prefetch()), pk=pk
    )
    current, upcoming = services.split_versions(item, today)
    benchmarks = (
        Benchmark.objects.public().filter(item=item)
        .prefetch_related(Prefetch("tiers", queryset=BenchmarkTier.objects.public())).order_by("valid_from")
    )
    return render(request, "portal/item_detail.html", {
        "title": item.name, "item": item, "version": current, "upcoming": upcoming,
        "benchmarks": benchmarks,
        "special_entries": SpecialListEntry.objects.public().filter(item=item).order_by("list_kind", "id"),
        "delegations": Delegation.objects.public().filter(item=item).select_related("agency"),
        "remedies": services.remedies_for(item.agency),
    })


def benchmark_list(request):
    qs = (
        Benchmark.objects.public().select_related("item", "item__agency")
        .prefetch_related(Prefetch("tiers", queryset=BenchmarkTier.objects.public()))
        .order_by("item__code", "item_id", "version")
    )
    return _list(request, "portal/benchmark_list.html", "裁量基准", qs, filters.BenchmarkFilterSet,
                 today=clock.today())


def major_catalog(request):
    qs = MajorDecisionCatalog.objects.public().select_related("agency").order_by("agency__name", "agency_id", "order", "id")
    return _list(request, "portal/major_catalog.html", "重大执法决定法制审核目录清单", qs, filters.MajorCatalogFilterSet)


def procedure_list(request):
    """The procedures with their flow charts, drawn from the definitions the case engine enforces."""
    from zhifa.cases.coercion.procedure import PROCEDURES as COERCION_PROCEDURES  # 行政强制措施、行政强制执行
    from zhifa.inspections.acts.procedure import PROCEDURE as INSPECTION_PROCEDURE  # 涉企行政检查

    procedures = [{"procedure": p, "flow": p.flow()}
                  for p in (*PROCEDURES.values(), *COERCION_PROCEDURES, INSPECTION_PROCEDURE)]
    return render(request, "portal/procedure_list.html", {"title": "执法流程", "procedures": procedures})


def remedies(request):
    qs = Agency.objects.public().select_related("region").order_by("region__code", "name")
    filterset = filters.AgencyFilterSet(request.GET or None, queryset=qs, request=request)
    page, querystring = _page(request, filterset.qs if filterset.is_bound else qs)
    rows = [(agency, services.remedies_for(agency)) for agency in page.object_list]
    return render(request, "portal/remedies.html", {
        "title": "救济途径", "rules": services.REMEDY_RULES, "filterset": filterset, "page": page,
        "querystring": querystring, "rows": rows,
    })


def guide_list(request):
    qs = ServiceGuide.objects.public().select_related("agency").order_by("agency__name", "agency_id", "title", "id")
    return _list(request, "portal/guide_list.html", "办事指南", qs, filters.GuideFilterSet)


def guide_detail(request, pk):
    guide = get_object_or_404(ServiceGuide.objects.public().select_related("agency"), pk=pk)
    item = Item.objects.public().filter(pk=guide.item_id).first() if guide.item_id else None
    return render(request, "portal/guide_detail.html", {"title": guide.title, "guide": guide, "item": item,
                                                        "remedies": services.remedies_for(guide.agency)})


def open_data(request):
    base = "/api/public/"
    endpoints = [
        ("执法主体", "agencies/", "名称、行政区划、主体性质、办公地址、联系电话、职权依据、复议机关、管辖法院"),
        ("执法机构", "units/", "所属执法主体、名称、类型、办公地址、联系电话、职责"),
        ("执法人员", "officers/", "姓名、性别、执法主体、执法机构、职务、执法证号、执法领域"),
        ("执法证件状态", "certificates/?number=证号", "按证号查询证件的实时状态（有效、暂扣、收回、注销、过期）"),
        ("执法事项", "items/", "事项编码、名称、类型、执法领域、实施主体、法律依据（条款项）"),
        ("裁量基准", "benchmarks/", "事项、版本、有效期、法定幅度、各档次情形及处罚幅度"),
        ("办事指南", "guides/", "执法主体、名称、适用对象、办理条件、申请材料、流程、时限、地点"),
        ("电子技术监控设备设置地点", "monitoring-devices/", "设备编号、执法主体、设置地点、经纬度、监控事项、审核和公布日期"),
    ]
    rows = [
        {"label": label, "url": base + path, "csv": None if "?" in path else base + path + "?format=csv",
         "fields": fields}
        for label, path, fields in endpoints
    ]
    return render(request, "portal/open_data.html", {"title": "开放数据", "rows": rows,
                                                     "docs_url": "/api/public/docs/"})


# -- "during": certificate verification (事中公示, PUB-2) ---------------------------------------


def verify_lookup(request):
    number = (request.GET.get("number") or "").strip()
    error = ""
    if number:
        cert = services.find_certificate(number)
        if cert is not None:
            return redirect("portal:verify", number=cert.number)
        error = "未找到该证号的行政执法证，请核对后重新输入。"
    return render(request, "portal/verify_lookup.html", {"title": "执法证件核验", "number": number, "error": error},
                  status=404 if error else 200)


def verify(request, number):
    cert = services.find_certificate(number)
    if cert is None:
        # shown on the portal's 404 page (zhifa.core.errors): e.g. a forged QR code
        raise Http404("该证件不存在：系统中没有这个证号的行政执法证，扫描的二维码可能是伪造的。"
                      "请通过“证件核验”输入证号核对，或向发证机关反映。")
    return render(request, "portal/verify.html", {
        "title": f"执法证件核验：{cert.number}", "cert": cert, "officer": cert.officer,
        "result": services.verification(cert), "checked_at": clock.now(),
    })


def verify_qr(request, number):
    """The QR code (PNG) of the certificate's verification link."""
    cert = services.find_certificate(number)
    if cert is None:
        raise Http404("未找到该证号的行政执法证。")
    url = request.build_absolute_uri(services.verify_path(cert.number))
    response = HttpResponse(services.qr_png(url), content_type="image/png")
    # Built from the request's host: never shared through the portal cache.
    response["Cache-Control"] = "private, max-age=300"
    return response


# -- staff pages (login required; never cached) --------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class StaffPage(CapabilityRequiredMixin, TemplateView):
    """A logged-in page of the portal app (under /portal/): the internal layout and menu."""

    area = "portal"
    action = "view"


class CertificateQRView(StaffPage):
    """A printable card with the certificate's QR code and the link it encodes."""

    area = "people"
    template_name = "portal/certificate_qr.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        try:
            cert = Certificate.objects.restrict(self.request.user, "view").select_related(
                "officer__home_agency").get(pk=self.kwargs["pk"])
        except Certificate.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None
        ctx.update(title=f"执法证二维码：{cert.number}", cert=cert,
                   verify_url=self.request.build_absolute_uri(services.verify_path(cert.number)))
        return ctx


class FreshnessView(StaffPage):
    """公示更新检查 (PUB-5): content due after changes of law and of duties."""

    template_name = "portal/freshness.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        since = None
        raw = self.request.GET.get("since")
        if raw:
            try:
                since = datetime.date.fromisoformat(raw)
            except ValueError:
                ctx["since_error"] = "起始日期格式应为 YYYY-MM-DD。"
        report = services.freshness_report(user, since=since)
        only_overdue = self.request.GET.get("overdue") == "true"
        can_change = user.has_capability("portal", "change")
        ctx.update(
            title="公示更新检查", report=report, overdue=report.overdue, only_overdue=only_overdue,
            law_days=services.LAW_DAYS, duty_days=services.DUTY_DAYS, since=since or "",
            can_change=can_change,
            editable_laws={c.pk for c, *_ in report.law_sections if services.may_edit_law_change(c, user)},
            changeable_duties=set(
                DutyChange.objects.restrict(user, "change").filter(
                    pk__in=[c.pk for c, *_ in report.duty_sections]).values_list("pk", flat=True)
            ) if can_change else set(),
        )
        return ctx


@method_decorator(never_cache, name="dispatch")
class _FormPage(ServiceActionView):
    """A staff form page: ``build_form`` / ``save`` (which calls a service) / ``success_url``."""

    area = "portal"
    action = "change"
    template_name = "portal/staff_form.html"

    def target(self):
        return None

    def page_title(self, obj) -> str:
        return self.title if obj is None else f"{self.title}：{obj}"

    def back_url(self, obj):
        return self.success_url(None)

    def save(self, obj, form):
        raise NotImplementedError

    def perform(self, obj, form):
        saved = self.save(obj, form)
        return f"已保存：{saved}", self.success_url(saved)

    def success_url(self, saved):
        return reverse("portal:freshness")


class GuideManageView(StaffPage):
    """The guides of the user's agencies, published or not, with links to edit them."""

    template_name = "portal/guide_manage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = ServiceGuide.objects.restrict(self.request.user).select_related("agency").order_by("agency__name", "title")
        q = (self.request.GET.get("q") or "").strip()
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(agency__name__icontains=q))
        page, querystring = _page(self.request, qs)
        changeable = set(
            ServiceGuide.objects.restrict(self.request.user, "change")
            .filter(pk__in=[g.pk for g in page.object_list]).values_list("pk", flat=True)
        )
        ctx.update(title="办事指南维护", page=page, querystring=querystring, q=q, changeable=changeable,
                   can_change=self.request.user.has_capability("portal", "change"))
        return ctx


class GuideEditView(_FormPage):
    title = "办事指南"

    def target(self):
        if "pk" not in self.kwargs:
            return None
        try:
            return ServiceGuide.objects.restrict(self.request.user, "change").get(pk=self.kwargs["pk"])
        except ServiceGuide.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None

    def build_form(self, obj, data=None):
        return forms.ServiceGuideForm(data, instance=obj, user=self.request.user)

    def save(self, obj, form):
        return services.save_guide(form.instance, self.request.user)

    def success_url(self, saved):
        return reverse("portal:guide_manage")


class LawChangeEditView(_FormPage):
    title = "登记法律法规变更"
    intro = (f"登记后，现行版本引用该法律法规的执法事项须在施行之日起{services.LAW_DAYS}个工作日内"
             "发布新版本（新版本生效日期不早于施行日期）。")

    def target(self):
        if "pk" not in self.kwargs:
            return None
        change = get_object_or_404(LawChange, pk=self.kwargs["pk"])
        if not services.may_edit_law_change(change, self.request.user):
            raise PermissionDenied("只有登记人或系统管理员可以修改该记录。")
        return change

    def build_form(self, obj, data=None):
        return forms.LawChangeForm(data, instance=obj)

    def save(self, obj, form):
        if obj is not None:
            form.instance.full_clean()
            form.instance.save()
            return form.instance
        data = form.cleaned_data
        return services.record_law_change(law_name=data["law_name"], effective_on=data["effective_on"],
                                          description=data["description"], document=data["document"],
                                          actor=self.request.user)


class DutyChangeCreateView(_FormPage):
    title = "登记职责调整"
    intro = (f"登记后，该执法主体的办事指南和职责及依据须在调整之日起{services.DUTY_DAYS}个工作日内更新。")

    def build_form(self, obj, data=None):
        return forms.DutyChangeForm(data, user=self.request.user)

    def save(self, obj, form):
        data = form.cleaned_data
        return services.record_duty_change(agency=data["agency"], effective_on=data["effective_on"],
                                           description=data["description"], document=data["document"],
                                           actor=self.request.user)


@never_cache
@require_POST
def duty_text_confirm(request, pk):
    """Confirm that the agency's duty text was updated for a duty change."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={reverse('portal:freshness')}")
    if not request.user.has_capability("portal", "change"):
        raise PermissionDenied("您的角色没有此项操作权限。")
    change = get_object_or_404(DutyChange.objects.restrict(request.user, "change"), pk=pk)
    try:
        services.confirm_duty_text(change, request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已确认：{change.agency.name}的职责及依据已更新。")
    return redirect(reverse("portal:freshness") + f"#duty-{change.pk}")
