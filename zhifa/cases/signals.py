"""Keep ``Case.search_text`` right when a party's name changes (the list search reads it)."""

from django.db.models import Value
from django.db.models.functions import Concat, Lower
from django.db.models.signals import post_save


def party_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A party renamed: the search text of its cases gets the new name."""
    from .models import SEARCH_SEPARATOR, Case

    if created or raw or (update_fields is not None and "name" not in update_fields):
        return
    sep = Value(SEARCH_SEPARATOR)
    Case._base_manager.filter(party_id=instance.pk).exclude(
        search_text__endswith=SEARCH_SEPARATOR + instance.name.lower()
    ).update(search_text=Concat(Lower("number"), sep, Lower("cause"), sep, Value(instance.name.lower())))


def connect():
    from zhifa.parties.models import Party

    post_save.connect(party_saved, sender=Party, dispatch_uid="cases.party_search_text")
