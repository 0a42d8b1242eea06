"""Web pages of the desk (工作台): the home page with 待办/已办, messages, reminder settings,
global search and the role dashboard. Thin: the rules are in ``todos``, ``services``, ``search``
and ``dashboards``."""

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhifa.core import clock
from zhifa.core.dashboard import alerts_for, cards_for
from zhifa.core.pagination import CappedPaginator

from . import dashboards, services
from .models import CHANNEL_CHOICES, IN_APP
from .search import search as run_search
from .todos import URGENCY_LABELS, done_for, todos_for


def _scope_name(user):
    for node in (getattr(user, "unit", None), getattr(user, "agency", None), getattr(user, "region", None)):
        if node is not None:
            return str(node)
    return "全部" if user.is_superuser else ""


@login_required
def desk(request):
    """The home page of every signed-in role: 待办 sorted by deadline with counts per kind, 已办,
    unread messages, and the counters and alerts of the apps."""
    user = request.user
    today = clock.today()
    kind = request.GET.get("kind", "")
    desk = todos_for(user, today=today)
    items = [i for i in desk.items if not kind or i.kind == kind]
    tab = "done" if request.GET.get("tab") == "done" else "todo"
    return render(request, "workspace/desk.html", {
        "title": "工作台", "desk": desk, "items": items, "kind": kind, "tab": tab, "today": today,
        "rows": [(i, i.deadline_text(today), URGENCY_LABELS[i.urgency]) for i in items],
        "done": done_for(user) if tab == "done" else [],
        "unread_messages": services.unread_count(user),
        "latest_messages": list(services.my_messages(user).filter(read_at__isnull=True)[:5]),
        "cards": cards_for(user), "alerts": alerts_for(user), "scope_name": _scope_name(user),
    })


def unread(request):
    """The header badge's count of unread messages (fetched by static/zhifa/nav.js after the page
    loads, so that pages themselves pay no query for it). Signed out, it answers a JSON 401 — not
    a redirect to the sign-in page, which a fetch would follow and whose CSRF cookie would then
    replace the one of a sign-in form already open in the browser."""
    from django.http import JsonResponse

    if not request.user.is_authenticated:
        return JsonResponse({"error": {"status": 401, "code": "not_authenticated", "message": "请先登录。"}},
                            status=401)
    return JsonResponse({"unread": services.unread_count(request.user)})


@login_required
def message_list(request):
    """The person's messages, newest first (index ``workspace_msg_user_newest``)."""
    qs = services.my_messages(request.user).order_by("-created_at", "-id")
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "workspace/message_list.html", {
        "title": "站内消息", "page": page, "unread": services.unread_count(request.user),
        "only_unread": bool(request.GET.get("unread"))})


@login_required
@require_POST
def message_read(request, pk=None):
    """Mark one message (or all) read, then go to the message's page or back to the list."""
    try:
        services.mark_read(request.user, pk)
    except ValidationError:
        flash.error(request, "消息不存在。")
        return redirect("workspace:messages")
    if pk is not None:
        target = services.my_messages(request.user).filter(pk=pk).values_list("url", flat=True).first()
        if target and target.startswith("/") and not target.startswith("//") and request.POST.get("open"):
            return redirect(target)
    return redirect("workspace:messages")


class PreferenceForm(forms.Form):
    """提醒设置"""

    channels = forms.MultipleChoiceField(
        label="另经以下渠道提醒（站内消息总会保存）", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[c for c in CHANNEL_CHOICES if c[0] != IN_APP])
    lead_days = forms.IntegerField(label="期限前几个工作日提醒", min_value=0, max_value=services.MAX_LEAD_DAYS)
    digest = forms.BooleanField(label="每天早上收到待办汇总", required=False)
    gateway_id = forms.CharField(label="政务消息平台账号（浙政钉、粤政易等）", required=False, max_length=80)


@login_required
def preferences(request):
    """The person's reminder settings."""
    from .reminders import preference_of

    pref = preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.save_preference(request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                flash.success(request, "提醒设置已保存。")
                return redirect("workspace:preferences")
    else:
        form = PreferenceForm(initial={"channels": pref.channels, "lead_days": pref.lead_days, "digest": pref.digest,
                                       "gateway_id": pref.gateway_id})
    return render(request, "workspace/preferences.html", {"title": "提醒设置", "form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def search(request):
    """Results of the header's search box, grouped by kind and capped."""
    results = run_search(request.user, request.GET.get("q", ""))
    return render(request, "workspace/search.html", {"title": "全局检索", "results": results})


@login_required
def dashboard(request):
    """The role dashboard (看板) with charts."""
    panels = dashboards.panels_for(request.user, clock.today())
    return render(request, "workspace/dashboard.html", {"title": "我的看板", "panels": panels})
