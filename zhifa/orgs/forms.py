from zhifa.core.forms import ScopedModelForm

from .models import Agency, Region, Unit


class RegionForm(ScopedModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "parent"]


class AgencyForm(ScopedModelForm):
    class Meta:
        model = Agency
        fields = [
            "name", "short_name", "region", "parent", "legal_status", "kind", "credit_code", "entrusted_by",
            "address", "phone", "legal_basis", "fine_bank", "fine_account_name", "fine_account", "review_body", "court",
            "hearing_fine_person", "hearing_fine_organisation", "is_active",
        ]


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = ["agency", "name", "kind", "address", "phone", "duties", "is_active"]
