"""Web pages for parties (thin: scoping and saving are in core, rules in ``services``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect

from zhifa.core.scoping import ensure_in_scope
from zhifa.core.views import ObjectDetailView, ObjectEditView, ObjectListView, resolve

from . import services
from .filters import PartyFilterSet
from .forms import CreditRatingForm, PartyForm
from .models import CreditRating, Party


class PartyListView(ObjectListView):
    model = Party
    filterset_class = PartyFilterSet
    prefetch_related = ("region",)  # not a join: the page is read from the name index
    columns = [
        ("姓名/名称", "name"), ("类型", "kind"), ("证件号码/统一社会信用代码", "display_identifier"),
        ("法定代表人/负责人", "legal_representative"), ("联系电话", "display_phone"),
        ("登记地", "region.name"), ("信用风险分类", "credit_class"),
    ]
    create_url_name = "parties:party_create"
    import_key = "parties"


class PartyDetailView(ObjectDetailView):
    """One party with masked identity/phone numbers, the reveal button and credit history."""

    model = Party
    template_name = "parties/party_detail.html"
    edit_url_name = "parties:party_edit"
    revealed = None
    fields = [
        ("类型", "kind"), ("姓名/名称", "name"), ("证件类型", "id_type"), ("证件号码", "masked_id_number"),
        ("性别", "gender"), ("出生日期", "birth_date"), ("统一社会信用代码", "credit_code"),
        ("法定代表人/负责人", "legal_representative"), ("经营范围", "business_scope"),
        ("联系电话", "display_phone"), ("住所/地址", "address"), ("登记地行政区划", "region"),
        ("录入单位", "agency"), ("信用风险分类", "credit_class"), ("分类日期", "credit_class_date"),
        ("分类来源", "credit_class_source"),
    ]

    def get_extra_context(self, obj):
        user = self.request.user
        can_change = Party.objects.restrict(user, "change").filter(pk=obj.pk).exists()
        agency = services.visible_registering_agency(obj, user)
        return {
            # the registering agency only where the reader's scope reaches it (else "—")
            "field_rows": [(label, agency if acc == "agency" else resolve(obj, acc)) for label, acc in self.fields],
            "ratings": CreditRating.objects.restrict(user).filter(party=obj).select_related("created_by"),
            "can_reveal": services.may_reveal(user) and obj.has_masked_fields,
            "can_rate": can_change,
            "revealed": self.revealed,
        }


class PartyRevealView(PartyDetailView):
    """POST: show one party's full ID/phone numbers once, and log it (查看完整证件号码)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        party = self.get_object()
        try:
            values = services.reveal(party, request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(party.get_absolute_url())
        labels = {"id_number": "证件号码", "phone": "联系电话"}
        self.revealed = [(labels[k], v) for k, v in values.items()]
        response = self.render_to_response(self.get_context_data(**kwargs))
        response["Cache-Control"] = "no-store"
        return response

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.may_reveal(request.user):
            raise PermissionDenied("您的角色不能查看完整证件号码。")
        return super().dispatch(request, *args, **kwargs)


class PartyEditView(ObjectEditView):
    model = Party
    form_class = PartyForm


class CreditRatingCreateView(ObjectEditView):
    """Add a credit/risk classification to a party the user may change."""

    model = Party
    form_class = CreditRatingForm

    def get_form(self, obj):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data)

    def post(self, request, *args, **kwargs):
        party = self.get_object()
        form = self.get_form(party)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.add_credit_rating(party, user=request.user, **form.cleaned_data)
                    ensure_in_scope(party, request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已登记信用风险分类：{party}")
                return redirect(party.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, object=party))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = f"登记信用风险分类：{kwargs.get('object')}"
        return ctx

    def get_object(self):
        if "pk" not in self.kwargs:
            raise Http404
        return super().get_object()
