from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import LoginView, PasswordResetView
from django.urls import include, path
from django.views.generic import TemplateView

from assessment.accounts import AdminLoginForm, LoginForm, PasswordResetForm

admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Before Django's own: the same login view with a form that checks the user name first.
    path("konto/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    # Also for accounts with no password yet (a new coordinator who lost the welcome e-mail).
    path(
        "konto/password_reset/",
        PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path("konto/", include("django.contrib.auth.urls")),
    path(
        "tilgjengelighet/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("personvern/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("", include("reports.urls")),
    path("", include("assessment.urls")),
]

if settings.PLANPROFIL_OIDC_ENABLED:  # single sign-on, see assessment/oidc.py
    urlpatterns.insert(0, path("oidc/", include("assessment.oidc")))
