"""Publicity pages: the agency's publication queue and the reviewer's page (login), and the
portal's published decisions (no login, rows only through ``Publication.objects.public()``).

Views parse input and call ``zhifa.publicity.services``; refusals come back in Chinese.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date

from zhifa.core import clock
from zhifa.core.scoping import get_in_scope
from zhifa.core.views import ObjectDetailView, ObjectListView, ServiceActionView

from . import choices, forms, search, services
from .filters import PublicationFilterSet, public_search
from .masking import MASKED_FIELDS
from .models import Publication, PublicationAction

PUBLIC_PAGE_SIZE = 20


def deadline_text(publication, today) -> str:
    if publication.status != choices.PENDING:
        return ""
    days = (publication.due_on - today).days
    label = "（暂算）" if publication.due_provisional else ""
    if days < 0:
        return f"已超期{-days}天{label}"
    return f"今天到期{label}" if days == 0 else f"剩余{days}天{label}"


# ---------------------------------------------------------------------------------------
# Internal pages
# ---------------------------------------------------------------------------------------


class QueueView(ObjectListView):
    """Publications of the user's agencies: pending first by deadline, overdue in red."""

    model = Publication
    template_name = "publicity/queue.html"
    filterset_class = PublicationFilterSet
    select_related = ("agency",)
    title = "执法决定公示"
    columns = [
        ("决定书文号", "decision_number"),
        ("事项", "title"),
        ("相对人", "party_name"),
        ("类别", "kind"),
        ("状态", "status"),
        ("决定日期", lambda p: f"{p.decided_on:%Y-%m-%d}"),
        ("公示期限", lambda p: f"{p.due_on:%Y-%m-%d}"),
    ]

    def filter_queryset(self, qs):
        qs = super().filter_queryset(qs)
        if not self.request.GET.get("status"):
            return qs.order_by("status", "due_on", "id")
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = clock.today()
        ctx["items"] = [(obj, values, obj.is_overdue, deadline_text(obj, today)) for obj, values in ctx["rows"]]
        ctx["can_register"] = self.request.user.has_capability("publicity", "change")
        return ctx


class PublicationDetailView(ObjectDetailView):
    """The reviewer's page: original beside masked text, what was masked, release or decline,
    withdrawals and annotations due, and the history."""

    model = Publication
    template_name = "publicity/detail.html"

    def get_object(self):
        return get_in_scope(Publication.objects.select_related("agency", "case", "party", "released_by"),
                            self.request.user, "view", pk=self.kwargs["pk"])

    def get_extra_context(self, obj):
        user = self.request.user
        can_release = self._can(user, obj, "release")
        can_change = self._can(user, obj, "change")
        return {
            "publication": obj,
            "deadline_text": deadline_text(obj, clock.today()),
            "masked_fields": [
                ("相对人", obj.party_name, obj.public_party_name),
                *((label, getattr(obj, source), getattr(obj, target)) for source, target, label in MASKED_FIELDS),
            ],
            "report": obj.masking_report,
            "actions": obj.actions.select_related("done_by").all(),
            "revisions": obj.revisions.select_related("actor").all(),
            "is_pending": obj.status == choices.PENDING,
            "can_release": can_release,
            "can_change": can_change,
            "redactions_form": forms.RedactionsForm(initial={"redactions": "\n".join(obj.redactions)}),
            "release_form": forms.ReleaseForm(),
        }

    @staticmethod
    def _can(user, obj, action):
        if not (user.is_superuser or user.has_capability("publicity", action)):
            return False
        return Publication.objects.restrict(user, "change").filter(pk=obj.pk).exists()


class _PublicationAction(ServiceActionView):
    area = "publicity"

    def target(self):
        return get_in_scope(Publication.objects.select_related("agency"), self.request.user, "change",
                            pk=self.kwargs["pk"])


class RedactView(_PublicationAction):
    title = "调整遮蔽内容"
    submit_label = "保存并重新遮蔽"

    def build_form(self, obj, data=None):
        return forms.RedactionsForm(data, initial={"redactions": "\n".join(obj.redactions)})

    def perform(self, obj, form):
        publication = services.set_redactions(obj, actor=self.request.user, redactions=form.cleaned_data["redactions"])
        return "已重新生成公示内容，请核对。", publication.get_absolute_url()


class ReleaseView(_PublicationAction):
    action = "release"
    title = "审核发布"
    submit_label = "发布到公示平台"
    intro = "发布后公众即可查询；已发布的内容只能注明情况或撤回，不能修改。"

    def build_form(self, obj, data=None):
        return forms.ReleaseForm(data)

    def extra(self, obj):
        return {"publication": obj}

    def perform(self, obj, form):
        publication = services.release(obj, actor=self.request.user)
        return f"已公示：{publication.decision_number}", publication.get_absolute_url()


class DeclineView(_PublicationAction):
    action = "release"
    title = "决定不予公开"
    submit_label = "确认不予公开"

    def build_form(self, obj, data=None):
        return forms.DeclineForm(data)

    def perform(self, obj, form):
        publication = services.decline(obj, actor=self.request.user, **form.cleaned_data)
        return "已记录不予公开的理由。", publication.get_absolute_url()


class RegisterActionView(_PublicationAction):
    title = "登记撤销、变更或确认违法"
    submit_label = "登记"
    intro = "应在决定被撤销、变更或确认违法之日起3个工作日内撤回公示或注明情况（行政处罚法第四十八条）。"

    def build_form(self, obj, data=None):
        return forms.ActionForm(data)

    def perform(self, obj, form):
        action = services.register_action(obj, actor=self.request.user, **form.cleaned_data)
        return f"已登记，应于{action.due_on:%Y年%m月%d日}前办理。", obj.get_absolute_url()


class ApplyActionView(ServiceActionView):
    area = "publicity"
    action = "release"
    title = "办理撤回或注明"
    submit_label = "办理"

    def target(self):
        publications = Publication.objects.restrict(self.request.user, "change").values("pk")
        try:
            return PublicationAction.objects.select_related("publication").get(
                pk=self.kwargs["pk"], publication__in=publications)
        except PublicationAction.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None

    def back_url(self, obj):
        return obj.publication.get_absolute_url()

    def extra(self, obj):
        return {"intro": f"{obj.get_action_display()}：{obj.get_cause_display()}，期限{obj.due_on:%Y-%m-%d}。"}

    def build_form(self, obj, data=None):
        return forms.ApplyActionForm(data)

    def perform(self, obj, form):
        publication = services.apply_action(obj, actor=self.request.user)
        return f"已{obj.get_action_display()}。", publication.get_absolute_url()


class RegisterDecisionView(ServiceActionView):
    area = "publicity"
    title = "登记其他执法决定"
    submit_label = "登记"
    intro = "行政许可、征收征用等未在本系统办理的决定，登记后按期公示（许可7个工作日，其他20个工作日）。"

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("publicity:queue")

    def build_form(self, obj, data=None):
        return forms.RegisterDecisionForm(data, user=self.request.user)

    def perform(self, obj, form):
        publication = services.register_decision(actor=self.request.user, **form.cleaned_data)
        return f"已登记，应于{publication.due_on:%Y年%m月%d日}前公示。", publication.get_absolute_url()


# ---------------------------------------------------------------------------------------
# Public pages (no login)
# ---------------------------------------------------------------------------------------


def _page(queryset, number: str, size: int = PUBLIC_PAGE_SIZE):
    """One page without counting every match (stays flat at a million rows)."""
    try:
        page = max(int(number or 1), 1)
    except ValueError:
        page = 1
    rows = list(queryset[(page - 1) * size: page * size + 1])
    return {"number": page, "rows": rows[:size], "has_next": len(rows) > size, "has_previous": page > 1,
            "next": page + 1, "previous": page - 1}


# The columns the public list shows (``public_list.html``). Loading only these matters most
# in a search: the ranked window's rows are sorted with every selected column, and a
# publication's unmasked texts and search tokens made that sort cost twice the ranking.
PUBLIC_LIST_FIELDS = (
    "kind", "title", "public_title", "agency__name", "decision_number", "decided_on", "public_party_name",
    "fine_amount", "annotation", "published_on",
)


def public_list(request):
    """Published decisions: full-text search with filters (PUB-3)."""
    form = forms.PublicSearchForm(request.GET or None)
    queryset = Publication.objects.public().select_related("agency").only(*PUBLIC_LIST_FIELDS)
    if form.is_bound and form.is_valid():
        queryset = public_search(queryset, form.cleaned_data)
        searched = bool(form.cleaned_data.get("q"))
    else:
        queryset = public_search(queryset, {}) if not form.is_bound else queryset.none()
        searched = False
    query = request.GET.copy()
    query.pop("page", None)
    page = _page(queryset, request.GET.get("page"))
    # The last page of a search that filled the ranked window: older matches are not listed.
    listed = (page["number"] - 1) * PUBLIC_PAGE_SIZE + len(page["rows"])
    window_full = searched and not page["has_next"] and listed >= search.SEARCH_WINDOW
    return render(request, "publicity/public_list.html", {
        "title": "行政执法决定公示", "form": form, "page": page, "searched": searched, "querystring": query.urlencode(),
        "window_full": window_full, "window": search.SEARCH_WINDOW,
    })


PUBLIC_REVISIONS = ("released", "annotated", "withdrawn")


# The columns the public decision page shows (and its validators need): not the unmasked
# originals (facts, legal basis, result, party name), the search tokens or the masking report —
# loading and converting them was a good part of an uncached page's cost (issue #14), and the
# public view has no business holding them.
PUBLIC_DETAIL_FIELDS = (
    "kind", "decision_number", "public_title", "party_kind", "public_party_name", "credit_code",
    "public_facts", "public_legal_basis", "public_result", "fine_amount", "confiscation_amount",
    "decided_on", "published_on", "public_until", "status", "annotation", "withdrawn_on",
    "withdrawal_note", "updated_at", "agency__name",
)


def public_detail(request, pk):
    """One published decision: two queries (the publication with its agency, its public
    history). A published page changes only by a correction, an annotation or a withdrawal,
    each of which moves ``updated_at``: it is sent with ``Last-Modified`` and an ``ETag`` of its
    bytes, and a browser or proxy that already holds it gets ``304 Not Modified``."""
    publication = get_object_or_404(
        Publication.objects.public().select_related("agency").only(*PUBLIC_DETAIL_FIELDS), pk=pk)
    history = (publication.revisions.filter(kind__in=PUBLIC_REVISIONS).order_by("at", "id")
               .only("at", "kind", "note", "publication_id"))
    response = render(request, "publicity/public_detail.html", {
        "title": publication.public_title, "publication": publication, "history": history,
        "withdrawn": publication.status == choices.WITHDRAWN,
    })
    modified = int(publication.updated_at.timestamp())
    response["Last-Modified"] = http_date(modified)
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], last_modified=modified, response=response)
