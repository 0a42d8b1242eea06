"""The case page's signature form (在屏幕上签名): the officer — or the party, a witness, on the
officer's screen — signs on a canvas; ``services.sign_with_png`` prints it on the document."""

from ..views.actions import CaseActionView
from . import services
from .forms import SignatureForm


class SignatureAddView(CaseActionView):
    """GET the signature pad and the case's signatures; POST records the signature."""

    template_name = "cases/signature_form.html"
    form_class = SignatureForm
    title = "在屏幕上签名"
    intro = ("签名连同签名人、签名时间和签名图片的 SM3 哈希打印在所签文书的签名栏，并记入案件的全过程记录；"
             "文书已生成的，生成加入签名的新版本，旧版本保留。")
    anchor = "documents"
    submit_label = "确认签名"

    def form_kwargs(self, case):
        return {"case": case, "user": self.request.user}

    def page_context(self, case, form) -> dict:
        return {"signatures": list(services.signatures_of(case))}

    def perform(self, case, form):
        data = form.cleaned_data
        png = b"" if data["refused"] else services.decode_data_url(data["image"])
        signature = services.sign_with_png(case, actor=self.request.user, png=png, code=data["document_kind"],
                                           role=data["role"], signer_name=data["signer_name"],
                                           refused=data["refused"])
        done = "已登记拒绝签名" if signature.refused else "已签名"
        again = f"，已生成加入签名的《{signature.regenerated.title}》新版本" if signature.regenerated else ""
        return f"{done}：{signature.get_role_display()}{signature.signer_name}（{signature.get_code_display()}）{again}。"
