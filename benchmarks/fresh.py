"""Set up Django for a benchmark: a fresh SQLite database under ``var/bench-<name>/`` (removed
first) unless ``ZHIFA_DATABASE_URL`` names a database, jobs run at once, every host allowed, and
the schema migrated."""

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(name: str, **settings_overrides) -> None:
    if "ZHIFA_DATABASE_URL" not in os.environ:
        bench_dir = ROOT / "var" / f"bench-{name}"
        shutil.rmtree(bench_dir, ignore_errors=True)
        bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ["ZHIFA_VAR_DIR"] = str(bench_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    os.environ.setdefault("ZHIFA_JOBS_SYNC", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    for key, value in settings_overrides.items():
        setattr(settings, key, value)
    call_command("migrate", verbosity=0)
