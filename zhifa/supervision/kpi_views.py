"""The action plan's targets page (行动方案目标) and its Excel export, for the user's region."""

from urllib.parse import quote

from django.http import HttpResponse
from django.views import View
from django.views.generic import TemplateView

from zhifa.core import clock
from zhifa.core.scoping import region_part
from zhifa.core.views import CapabilityRequiredMixin

from . import kpis

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _region(user) -> tuple[str, str]:
    from zhifa.orgs.models import Region

    path = "/" if user.is_superuser else region_part(user.scope_path or "/")
    region = Region.objects.restrict(user, "view").filter(path=path).first()
    return path, region.name if region else "全部区域"


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return clock.today().year
    return year if 2000 <= year <= clock.today().year else clock.today().year


class KPIView(CapabilityRequiredMixin, TemplateView):
    area = "cockpit"
    template_name = "supervision/kpis.html"

    def get_context_data(self, **kwargs):
        path, name = _region(self.request.user)
        year = _year(self.request)
        values = kpis.evaluate(path, year)
        return {**super().get_context_data(**kwargs), "title": "行动方案目标", "region_name": name,
                "kpis": {"year": year, "values": values, "baseline": kpis.baseline_year()},
                "years": list(range(year - kpis.TREND_YEARS + 1, year + 1))}


class KPIExportView(CapabilityRequiredMixin, View):
    area = "cockpit"

    def get(self, request):
        path, name = _region(request.user)
        year = _year(request)
        content = kpis.kpis_xlsx(name, kpis.evaluate(path, year))
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{name}{year}年行动方案目标.xlsx')}"
        return response
