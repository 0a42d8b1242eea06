"""Rules for the organisation tree, used by views, the API and imports alike."""

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr


@transaction.atomic
def move_subtree(old_path: str, new_path: str) -> None:
    """Rewrite the paths of every agency and unit below ``old_path`` after a move."""
    from .models import Agency, Unit

    for model in (Agency, Unit):
        model.objects.filter(tree_path__startswith=old_path).exclude(tree_path=new_path).update(
            tree_path=Concat(Value(new_path), Substr("tree_path", len(old_path) + 1))
        )
