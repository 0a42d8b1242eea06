"""Web pages for regions, agencies and units (thin: scoping and saving are in core)."""

from zhifa.core.views import ObjectDetailView, ObjectEditView, ObjectListView

from .filters import AgencyFilterSet, RegionFilterSet, UnitFilterSet
from .forms import AgencyForm, RegionForm, UnitForm
from .models import Agency, Region, Unit


class RegionListView(ObjectListView):
    model = Region
    filterset_class = RegionFilterSet
    select_related = ("parent",)
    columns = [("名称", "name"), ("代码", "code"), ("层级", "level"), ("上级", "parent.name")]
    create_url_name = "orgs:region_create"
    import_key = "regions"


class RegionDetailView(ObjectDetailView):
    model = Region
    template_name = "orgs/region_detail.html"
    fields = [("名称", "name"), ("行政区划代码", "code"), ("层级", "level"), ("上级", "parent")]
    edit_url_name = "orgs:region_edit"

    def get_extra_context(self, obj):
        return {
            "children": Region.objects.restrict(self.request.user).filter(parent=obj),
            "agencies": Agency.objects.restrict(self.request.user).filter(region=obj).select_related("region"),
        }


class RegionEditView(ObjectEditView):
    model = Region
    form_class = RegionForm


class AgencyListView(ObjectListView):
    model = Agency
    filterset_class = AgencyFilterSet
    select_related = ("region", "parent")
    columns = [
        ("名称", "name"), ("行政区划", "region.name"), ("主体性质", "legal_status"), ("执法类别", "kind"),
        ("上级执法主体", "parent.name"), ("联系电话", "phone"),
    ]
    create_url_name = "orgs:agency_create"
    import_key = "agencies"


class AgencyDetailView(ObjectDetailView):
    model = Agency
    template_name = "orgs/agency_detail.html"
    fields = [
        ("名称", "name"), ("简称", "short_name"), ("行政区划", "region"), ("上级执法主体", "parent"),
        ("主体性质", "legal_status"), ("执法类别", "kind"), ("统一社会信用代码", "credit_code"),
        ("委托机关", "entrusted_by"), ("办公地址", "address"), ("联系电话", "phone"),
        ("设立及职权依据", "legal_basis"), ("罚没款代收银行", "fine_bank"), ("收款户名", "fine_account_name"),
        ("收款账号", "fine_account"), ("行政复议机关", "review_body"), ("行政诉讼管辖法院", "court"),
        ("听证标准（公民）", lambda o: o.hearing_fine_person or "平台默认"),
        ("听证标准（组织）", lambda o: o.hearing_fine_organisation or "平台默认"),
        ("有效", lambda o: "是" if o.is_active else "否"),
    ]
    edit_url_name = "orgs:agency_edit"

    def get_extra_context(self, obj):
        user = self.request.user
        return {
            "units": Unit.objects.restrict(user).filter(agency=obj),
            "children": Agency.objects.restrict(user).filter(parent=obj),
        }


class AgencyEditView(ObjectEditView):
    model = Agency
    form_class = AgencyForm


class UnitListView(ObjectListView):
    model = Unit
    filterset_class = UnitFilterSet
    select_related = ("agency",)
    columns = [("名称", "name"), ("执法主体", "agency.name"), ("类型", "kind"), ("办公地址", "address"), ("联系电话", "phone")]
    create_url_name = "orgs:unit_create"
    import_key = "units"


class UnitDetailView(ObjectDetailView):
    model = Unit
    fields = [
        ("名称", "name"), ("执法主体", "agency"), ("类型", "kind"), ("办公地址", "address"),
        ("联系电话", "phone"), ("职责", "duties"), ("有效", lambda o: "是" if o.is_active else "否"),
    ]
    edit_url_name = "orgs:unit_edit"


class UnitEditView(ObjectEditView):
    model = Unit
    form_class = UnitForm
