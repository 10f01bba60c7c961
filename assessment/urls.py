from django.urls import path

from assessment.views import access, dashboard, register, respondents, wizard

app_name = "assessment"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("vurderinger/ny/", dashboard.start, name="start"),
    path(
        "kommunesok/forslag/", dashboard.municipality_suggestions, name="municipality_suggestions"
    ),
    path("vurderinger/ny/<str:number>/", dashboard.create, name="create"),
    path("vurderinger/<int:pk>/", dashboard.detail, name="detail"),
    path("vurderinger/<int:pk>/svar/", wizard.intro, name="intro"),
    path(
        "vurderinger/<int:pk>/svar/steg/",
        wizard.AssessmentWizard.as_view(),
        name="wizard",
    ),
    path(
        "vurderinger/<int:pk>/svar/steg/<str:step>/",
        wizard.AssessmentWizard.as_view(),
        name="wizard_step",
    ),
    path("vurderinger/<int:pk>/deltakere/", respondents.status, name="respondents"),
    path("vurderinger/<int:pk>/planregister/", register.plan_register, name="plan_register"),
    path("koordinatorer/", respondents.coordinators, name="coordinators"),
    path("vurderinger/<int:pk>/deling/", dashboard.share, name="share"),
    # Respondents without an account: an invitation starts a response (POST), which is then
    # bound to the browser session; the wizard's URLs carry no key.
    path("svar/fortsett/<str:key>/", wizard.resume, name="resume"),
    path("svar/<str:token>/", wizard.invite, name="invite"),
    path("besvarelse/<int:pk>/", wizard.response_home, name="response"),
    path(
        "besvarelse/<int:pk>/steg/",
        wizard.AssessmentWizard.as_view(respondent_mode=True, url_name="assessment:response_step"),
        name="response_wizard",
    ),
    path(
        "besvarelse/<int:pk>/steg/<str:step>/",
        wizard.AssessmentWizard.as_view(respondent_mode=True, url_name="assessment:response_step"),
        name="response_step",
    ),
    # Access to a municipality: asked for, decided by staff or its coordinators.
    path("tilgang/", access.request_access, name="access_request"),
    path("tilgang/sendt/", access.request_sent, name="access_request_sent"),
    path("tilgang/foresporsler/", access.review_list, name="access_review"),
    path("tilgang/foresporsler/<int:pk>/", access.review, name="access_review_one"),
]
