from django.urls import path  # noqa: F401

from .cockpit import urls as cockpit_urls
from .evaluation import urls as evaluation_urls

app_name = "supervision"

urlpatterns = [
    # Case-file evaluation (案卷评查, SUP-2) and the cockpit (驾驶舱, AI-2).
    *evaluation_urls.urlpatterns,
    *cockpit_urls.urlpatterns,
]
