"""The cockpit page (驾驶舱) and the lists behind its figures."""

import datetime

from django.http import Http404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from zhifa.core import numbers
from zhifa.core.pagination import CappedPaginator
from zhifa.core.views import CapabilityRequiredMixin, resolve

from . import services

PERIODS = {"3": 3, "6": 6, "12": 12, "24": 24}


def _months(request) -> tuple[str, list[datetime.date]]:
    period = request.GET.get("months", "12")
    period = period if period in PERIODS else "12"
    return period, services.months_back(PERIODS[period])


def _link(metric, part, period, agency_id=None, base=None) -> str:
    url = (base or reverse("supervision:cockpit_list")) + f"?metric={metric.code}&part={part}&months={period}"
    return url + (f"&agency={agency_id}" if agency_id else "")


CELL = '<td class="rate">{}<br><small><a href="{}">{}</a>/<a href="{}">{}</a></small></td>'


def _percent(value) -> str | None:
    """A rate as the page prints it ("25.0"); formatted here, once, not per cell by the template."""
    return None if value is None else f"{value:.1f}"


def page_data(user, period: str, months: list[datetime.date]) -> dict:
    """The page's figures and the JSON its charts read (``json_script``)."""
    data = services.cockpit_data(user, months)
    metrics = data["metrics"]
    base = reverse("supervision:cockpit_list")
    rows = []
    for row in data["rows"]:
        cells = []
        for metric in metrics:
            num, den = row.counts.get(metric.numerator, 0), row.counts.get(metric.denominator, 0)
            value = services.rate(num, den)
            cells.append({"metric": metric, "value": value, "rate": _percent(value), "num": num, "den": den,
                          "num_url": _link(metric, "num", period, row.agency.pk, base),
                          "den_url": _link(metric, "den", period, row.agency.pk, base)})
        # The ranking table has a cell per agency and metric (1,000 for a city): rendered here
        # in one pass — through the template language they cost more than the rest of the page.
        # Safe without escaping: every value is a number or a URL built from numbers and the
        # metrics' fixed codes.
        cells_html = mark_safe("".join(CELL.format(f"<strong>{c['rate']}%</strong>" if c["rate"] is not None else "—",
                                                   c["num_url"].replace("&", "&amp;"), numbers.format_count(c["num"]),
                                                   c["den_url"].replace("&", "&amp;"), numbers.format_count(c["den"]))
                                       for c in cells))  # noqa: S308
        rows.append({"agency": row.agency, "cells": cells, "cells_html": cells_html,
                     "evaluation": str(row.evaluation) if row.evaluation is not None else None,
                     "open_alerts": str(row.open_alerts) if row.open_alerts is not None else None})
    totals = []
    for metric in metrics:
        num = sum(m[metric.numerator] for m in data["per_month"].values())
        den = sum(m[metric.denominator] for m in data["per_month"].values())
        totals.append({"metric": metric, "rate": _percent(services.rate(num, den)), "num": num, "den": den,
                       "num_url": _link(metric, "num", period), "den_url": _link(metric, "den", period)})
    labels = [f"{m.year}-{m.month:02d}" for m in months]
    chart = {
        "months": labels,
        "trend": [{"name": metric.label, "data": [services.rate(data["per_month"][m][metric.numerator],
                                                                data["per_month"][m][metric.denominator]) for m in months]}
                  for metric in metrics],
        "decided": [data["per_month"][m]["decided"] for m in months],
        "ranking": {"metric": metrics[0].label, "agencies": [r["agency"].short_name or r["agency"].name for r in rows],
                    "values": [r["cells"][0]["value"] for r in rows]},
        "alerts_by_model": [{"name": a["name"], "value": a["count"]} for a in data["alerts_by_model"] or []],
    }
    return {"rows": rows, "totals": totals, "metrics": metrics, "chart": chart,
            "has_alerts": data["has_alerts"], "alerts_by_model": data["alerts_by_model"]}


class CockpitView(CapabilityRequiredMixin, TemplateView):
    """Agencies ranked on every metric, monthly trends, evaluation scores and (when the alert
    registry is connected) open alerts and alerts by model; every figure links to its list."""

    area = "cockpit"
    template_name = "supervision/cockpit.html"

    def get_context_data(self, **kwargs):
        period, months = _months(self.request)
        data = page_data(self.request.user, period, months)
        order = self.request.GET.get("sort", "")
        if order in services.METRICS:
            index = list(services.METRICS).index(order)
            metric = services.METRICS[order]
            missing = float("inf") if metric.lower_is_better else float("-inf")
            data["rows"].sort(key=lambda r: (r["cells"][index]["value"] if r["cells"][index]["value"] is not None else missing),
                              reverse=not metric.lower_is_better)
        kpis = services.PANELS["kpis"](self.request.user) if "kpis" in services.PANELS else None
        return {**super().get_context_data(**kwargs), "title": "执法监督驾驶舱", "period": period, "periods": PERIODS,
                "kpis": kpis,
                "first": months[0], "last": months[-1], "sort": order, **data}


class CockpitListView(CapabilityRequiredMixin, TemplateView):
    """The rows behind one figure of the cockpit, through the user's scope: newest decision
    first, 50 a page (``CappedPaginator``: no exact count over the cases, a page reads one row
    more than it shows); the total shown is the figure itself, from the per agency and month table."""

    paginate_by = 50

    area = "cockpit"
    template_name = "supervision/cockpit_list.html"

    def get_context_data(self, **kwargs):
        metric = services.METRICS.get(self.request.GET.get("metric", ""))
        part = self.request.GET.get("part", "num")
        if metric is None or part not in ("num", "den"):
            raise Http404("指标不存在。")
        period, months = _months(self.request)
        agency_id = self.request.GET.get("agency")
        agency = None
        if agency_id:
            from zhifa.core.scoping import get_in_scope
            from zhifa.orgs.models import Agency

            agency = get_in_scope(Agency.objects.all(), self.request.user, "view", pk=agency_id)
        qs = services.drill_rows(self.request.user, metric, part, months, agency.pk if agency else None)
        source = services.SOURCES[metric.source]
        page = CappedPaginator(qs, self.paginate_by).get_page(self.request.GET.get("page"))
        rows = [(obj, [resolve(obj, accessor) for _, accessor in source.columns]) for obj in page.object_list]
        query = self.request.GET.copy()
        query.pop("page", None)
        what = metric.label + ("：分子" if part == "num" else "：分母")
        return {**super().get_context_data(**kwargs), "title": f"{what}（{agency or '全部执法主体'}）",
                "metric": metric, "part": part, "headers": [h for h, _ in source.columns], "rows": rows, "page": page,
                "count": services.figure_count(self.request.user, metric, part, months, agency.pk if agency else None),
                "querystring": query.urlencode(), "period": period,
                "first": months[0], "last": months[-1], "case_rows": metric.source in ("cases", "major_cases")}
