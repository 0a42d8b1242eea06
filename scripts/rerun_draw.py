#!/usr/bin/env python3
"""Re-run a published 双随机 draw of zhifa and check it byte for byte (standard library only).

    python3 scripts/rerun_draw.py https://<portal>/public/open-data/draws/<id>.json
    python3 scripts/rerun_draw.py draw.json --result recomputed.json

Exit status: 0 every published value reproduced, 1 a mismatch, 2 not drawn yet or unreadable.
The algorithm is not copied here: this script loads ``zhifa/inspections/draws/algorithm.py`` of the
same checkout (the module the server runs; the portal serves the same file as ``zhifa_draw.py``).
See docs/inspections-draws.md.
"""

import importlib.util
import sys
from pathlib import Path

ALGORITHM = Path(__file__).resolve().parent.parent / "zhifa" / "inspections" / "draws" / "algorithm.py"


def load_algorithm():
    """The draw algorithm module, loaded by path (no Django, no third-party package)."""
    spec = importlib.util.spec_from_file_location("zhifa_draw", ALGORITHM)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(load_algorithm().main())
