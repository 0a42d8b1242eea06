"""Inspection models, one module per domain; each module's models are imported here.

- ``draws``: 随机抽查事项清单, target and inspector registers, annual plans, public draws (INS-1, INS-2)
- ``inspection``: the inspection act itself, 涉企检查 approval and caps, 扫码入企, joint inspection (INS-3, INS-4)
- ``devices``: the equipment register and non-site supervision records (Art. 41 of the penalty law)
"""
from .devices import *  # noqa: F401, F403, E402
from .draws import *  # noqa: F401, F403, E402
from .inspection import *  # noqa: F401, F403, E402
