from zhifa.core.dashboard import register_card

from .models import Agency, Unit

register_card("执法主体", "orgs:agency_list", lambda user: Agency.objects.restrict(user), "orgs")
register_card("执法机构", "orgs:unit_list", lambda user: Unit.objects.restrict(user), "orgs")
