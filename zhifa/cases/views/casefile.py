"""The case file (案卷): its page, the PDF and the media archive; every view is logged (REC-4)."""


from django.http import FileResponse
from django.views.generic import TemplateView

from zhifa.records.services import log_access

from .common import CaseAccessMixin


class CaseFileView(CaseAccessMixin, TemplateView):
    """The case file (案卷): the 卷内目录 of the 正卷 and the 副卷 in ``CASE_FILE_ORDER``, with
    downloads of the whole file as one PDF and of the media package; viewing is logged."""

    template_name = "cases/case_file.html"

    def get_context_data(self, **kwargs):
        from ..casefile import CASE_FILE_ORDER, VOLUMES, volumes

        case = self.get_case()
        log_access(self.request.user, "view", case.stream_key, request=self.request)
        return {**super().get_context_data(**kwargs), "case": case, "title": f"案卷：{case.number or case.cause}",
                "volumes": volumes(case),
                "order": [(VOLUMES[code], [s.title for s in CASE_FILE_ORDER if s.volume == code]) for code in VOLUMES]}


class CaseFilePdfView(CaseAccessMixin, TemplateView):
    """The whole case file as one PDF (卷内目录 + documents); the download is logged."""

    def get(self, request, *args, **kwargs):
        from urllib.parse import quote

        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.http import HttpResponse
        from django.shortcuts import redirect

        from ..casefile import case_file_pdf

        case = self.get_case()
        try:
            content = case_file_pdf(case)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("cases:case_file", pk=case.pk)
        log_access(request.user, "download", case.stream_key, request=request)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{case.number or case.pk}-案卷.pdf')}"
        return response


class CaseFileMediaView(CaseAccessMixin, TemplateView):
    """The media package (ZIP with a hash manifest); the download is logged."""

    def get(self, request, *args, **kwargs):
        from ..casefile import media_package

        case = self.get_case()
        log_access(request.user, "download", case.stream_key, request=request)
        return FileResponse(media_package(case), as_attachment=True, filename=f"{case.number or case.pk}-音像材料.zip",
                            content_type="application/zip")
