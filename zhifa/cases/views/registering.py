"""Registering cases: the general procedure's form and the on-the-spot procedure on a phone."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from zhifa.core import clock
from zhifa.core.views import CapabilityRequiredMixin, add_validation_error
from zhifa.records.services import log_access

from .. import choices, forms, rules, services
from ..models import Case
from .common import CaseAccessMixin, initial_from_post, store_posted_file, stored_file_of


class CaseCreateView(CapabilityRequiredMixin, TemplateView):
    """线索登记 (general procedure): calls ``services.open_case``."""

    template_name = "cases/case_form.html"
    area = "cases"
    action = "change"

    def render_form(self, form, status=200):
        return self.render_to_response(self.get_context_data(form=form, title="登记案件"), status=status)

    def get(self, request, *args, **kwargs):
        return self.render_form(forms.CaseCreateForm(user=request.user, officer=services.officer_of(request.user)))

    def post(self, request, *args, **kwargs):
        if "find_party" in request.POST:
            initial = initial_from_post(request.POST, forms.CaseCreateForm)
            form = forms.CaseCreateForm(initial=initial, user=request.user,
                                        party_query=request.POST.get("party_q", "").strip())
            return self.render_form(form)
        form = forms.CaseCreateForm(request.POST, user=request.user)
        status = 200
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.open_case(
                    actor=request.user, agency=data["agency"], unit=data["unit"], item=data["item"],
                    party=data["party"], cause=data["cause"], source=data["source"],
                    occurred_on=data["occurred_on"], place=data["place"], facts=data["facts"],
                    officers=form.officers(), violation_ended_on=data["violation_ended_on"],
                    violation_continuing=data["violation_continuing"], grave_safety_harm=data["grave_safety_harm"],
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(request, f"已登记案件：{case.cause}。")
                return redirect(case.get_absolute_url())
        return self.render_form(form, status)


class SimpleCaseView(CapabilityRequiredMixin, TemplateView):
    """当场处罚 on a phone: register, propose, record the photo and decide — in one
    transaction, so a refusal leaves nothing half-written."""

    template_name = "cases/simple_form.html"
    area = "cases"
    action = "change"

    def render_forms(self, form, party_form, status=200, missing=()):
        return self.render_to_response(self.get_context_data(
            form=form, party_form=party_form, missing=list(missing), title="当场处罚",
        ), status=status)

    def get(self, request, *args, **kwargs):
        user = request.user
        return self.render_forms(forms.SimpleCaseForm(user=user), forms.QuickPartyForm(prefix="new_party", user=user))

    def post(self, request, *args, **kwargs):
        user = request.user
        post = request.POST
        if "find_party" in post:
            form = forms.SimpleCaseForm(initial=initial_from_post(post, forms.SimpleCaseForm), user=user,
                                        party_query=post.get("party_q", "").strip())
            party_form = forms.QuickPartyForm(
                initial=initial_from_post(post, forms.QuickPartyForm, "new_party"), prefix="new_party", user=user)
            return self.render_forms(form, party_form)
        form = forms.SimpleCaseForm(post, request.FILES, user=user)
        new_party = post.get("party_mode") == forms.SimpleCaseForm.PARTY_NEW
        party_form = forms.QuickPartyForm(post if new_party else None, prefix="new_party", user=user)
        valid = form.is_valid()
        if new_party:
            valid = party_form.is_valid() and valid
        if not valid:
            return self.render_forms(form, party_form)
        try:
            case = self.decide(form.cleaned_data, party_form if new_party else None)
        except services.TransitionRefused as exc:
            form.add_error(None, f"不能{exc.transition.name}，以下条件尚未满足（未保存任何内容）：")
            return self.render_forms(form, party_form, missing=exc.missing)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.render_forms(form, party_form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_forms(form, party_form, status=403)
        messages.success(request, f"已当场作出处罚决定，决定书文号：{case.decision_number}。")
        return redirect("cases:simple_done", pk=case.pk)

    def decide(self, data, party_form) -> Case:
        """Parse the form's files and party, then ``services.decide_on_the_spot`` does the rest."""
        user = self.request.user
        photo = None
        if data.get("stored_file"):
            photo = stored_file_of(user, data["stored_file"])
        elif data.get("photo"):
            photo = store_posted_file(data["photo"])
        party = party_form.save(commit=False) if party_form is not None else data["party"]
        return services.decide_on_the_spot(
            actor=user, item=data["item"], party=party, cause=data["cause"], place=data["place"],
            facts=data["facts"], level=data["level"], penalty_kinds=data["penalty_kinds"],
            fine_amount=data["fine_amount"], deviation_reason=data["deviation_reason"],
            certificate_shown=data["certificate_shown"], party_heard=data["party_heard"], photo=photo,
        )


class SimpleDoneView(CaseAccessMixin, TemplateView):
    """The result of an on-the-spot decision: its number and the decision to hand over."""

    template_name = "cases/simple_done.html"

    def get(self, request, *args, **kwargs):
        case = self.get_case()
        if case.procedure != choices.SIMPLE or not case.decision_number:
            return redirect(case.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case = self.get_case()
        log_access(self.request.user, "view", case.stream_key, request=self.request)
        documents = list(case.documents.select_related("pdf"))
        ctx.update(
            title="当场处罚决定", case=case, documents=documents,
            decision=next((d for d in documents if d.code == "on_the_spot_decision"), None),
            amount_due=rules.amount_due(case, clock.today()),
        )
        return ctx
