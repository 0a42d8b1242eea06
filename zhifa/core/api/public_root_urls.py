"""URL root used only to generate the open-data API schema with its full paths."""

from django.urls import include, path

urlpatterns = [path("api/public/", include("zhifa.core.api.public_urls"))]
