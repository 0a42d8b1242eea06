"""Coercive measures and enforcement (行政强制, 行政强制法): 查封、扣押、冻结 with their own
procedure (``procedure.py``), the period rules (``rules.py``) and the only code that changes
them (``services.py``); the enforcement of an unperformed decision (行政强制执行: 催告,
强制执行决定 or an application to the court) in the same shape.

Models live in ``models.py`` and are imported by ``zhifa.cases.models`` (app label ``cases``).
"""
