"""Public pages of 双随机、一公开 (no log-in, under /public/): the random-inspection list, annual plans,
every published draw with its re-run instructions, the draw's open data and the algorithm itself."""

from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from zhifa.core.pagination import CappedPaginator
from zhifa.inspections.models import Draw, InspectionListEntry, InspectionPlan, PlanItem

from . import algorithm, services

ALGORITHM_FILE = Path(algorithm.__file__)
DOWNLOAD_NAME = "zhifa_draw.py"


def _page(request, qs, per_page=30):
    return CappedPaginator(qs, per_page).get_page(request.GET.get("page"))


def draw_list(request):
    """抽取公示: every draw whose inputs are published, newest first."""
    qs = Draw.objects.public().select_related("agency").order_by("-draw_date", "-id")
    return render(request, "inspections/draws/public_draw_list.html", {"title": "双随机抽取公示", "page": _page(request, qs)})


def entry_list(request):
    """随机抽查事项清单 as published (INS-1)."""
    qs = InspectionListEntry.objects.public().select_related("agency", "item").order_by("agency_id", "id")
    return render(request, "inspections/draws/public_entry_list.html",
                  {"title": "随机抽查事项清单", "page": _page(request, qs, 50)})


def plan_list(request):
    qs = InspectionPlan.objects.public().select_related("agency").order_by("-year", "-id")
    return render(request, "inspections/draws/public_plan_list.html", {"title": "年度抽查计划", "page": _page(request, qs)})


def plan_detail(request, pk):
    plan = get_object_or_404(InspectionPlan.objects.public().select_related("agency"), pk=pk)
    items = PlanItem.objects.public().filter(plan=plan).select_related("entry__item", "entry__agency")
    return render(request, "inspections/draws/public_plan_detail.html", {
        "title": str(plan), "plan": plan, "items": items, "participants": plan.participants.all(),
        "draws": Draw.objects.public().filter(plan=plan).order_by("-draw_date", "-id")[:50],
    })


def draw_detail(request, pk):
    """One draw: inputs digest, commitment, witnesses, lottery, result digest and how to re-run it."""
    draw = get_object_or_404(Draw.objects.public().select_related("agency", "plan", "region"), pk=pk)
    data_url = request.build_absolute_uri(reverse("draws_public:open_data", args=[draw.pk]))
    script_url = request.build_absolute_uri(reverse("draws_public:algorithm"))
    return render(request, "inspections/draws/public_draw_detail.html", {
        "title": f"{draw.number} {draw.title}", "draw": draw, "witnesses": draw.witnesses.order_by("position"),
        "entries": draw.entries.select_related("agency", "item").order_by("id"),
        "data_url": data_url, "script_url": script_url, "script_name": DOWNLOAD_NAME,
    })


def open_data(request, pk):
    """The draw's open data (``zhifa-draw-open-data/1``): what a re-run needs, nothing personal."""
    draw = get_object_or_404(Draw.objects.public(), pk=pk)
    response = HttpResponse(services.open_data_bytes(draw), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="draw-{draw.pk}.json"'
    return response


def algorithm_file(request):
    """The algorithm module itself, runnable with Python 3 alone (the same file the server runs)."""
    response = HttpResponse(ALGORITHM_FILE.read_bytes(), content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{DOWNLOAD_NAME}"'
    return response
