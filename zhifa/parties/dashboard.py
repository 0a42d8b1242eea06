"""Workbench cards of parties."""

from zhifa.core.dashboard import register_card

from .models import Party

register_card("当事人", "parties:party_list", lambda user: Party.objects.restrict(user), "parties")
