"""Built-in template of the coordination documents (协调衔接): the 案件移送函 that sends a case to
another enforcement agency (行政处罚法第二十二条至第二十五条), in the layout of ``builtin.py``.
Registered into ``builtin.BUILDERS``; fields are the ``transfer.*`` keys of ``context.py``
(written by ``zhifa.coordination.transfers.services.send``)."""

from .builtin import _Builder


def _case_transfer_letter(b: _Builder):
    b.header()
    b.para("{{ transfer.to_agency }}：", indent=False)
    b.para("本机关在办理{{ party.name }}{{ case.cause }}（案件编号：{{ case.number }}）过程中，经审查认为："
           "{{ transfer.reason }}")
    b.para("根据{{ transfer.legal_basis }}的规定，现将该案移送你单位处理。")
    b.lead("随函移送：", "{{ transfer.materials }}")
    b.para("请你单位于{{ transfer.answer_due }}前签收并书面答复是否接收；不予接收的，请说明理由并将案件退回本机关。"
           "对管辖有异议的，可以报请共同的上一级行政机关指定管辖。")
    b.contact()
    b.seal("（本函一式两份，一份送受移送机关，一份附卷存档。）")


COORDINATION_BUILDERS = {"case_transfer_letter": _case_transfer_letter}
