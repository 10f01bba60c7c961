from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("konto/", include("django.contrib.auth.urls")),
    path(
        "tilgjengelighet/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("personvern/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("", include("assessment.urls")),
]
