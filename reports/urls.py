"""Results, reports and the adviser workspace: everything that shows figures."""

from django.urls import path

from reports.views import action_plan, advisers, council_paper, results, rounds

app_name = "reports"

urlpatterns = [
    path("vurderinger/<int:pk>/lukk/", rounds.close, name="close"),
    path("vurderinger/<int:pk>/resultat/", results.results, name="results"),
    path("vurderinger/<int:pk>/rapport.pdf", results.report_pdf, name="report_pdf"),
    path("vurderinger/<int:pk>/handlingsplan/", action_plan.action_plan, name="action_plan"),
    path("vurderinger/<int:pk>/verksted/", results.workshop, name="workshop"),
    path("vurderinger/<int:pk>/saksframlegg/", council_paper.council_paper, name="council_paper"),
    path(
        "vurderinger/<int:pk>/saksframlegg.pdf",
        council_paper.council_paper_pdf_view,
        name="council_paper_pdf",
    ),
    path(
        "vurderinger/<int:pk>/saksframlegg.docx",
        council_paper.council_paper_docx,
        name="council_paper_docx",
    ),
    path("kommuner/<str:number>/", advisers.municipality, name="municipality"),
    path("radgiver/", advisers.dashboard, name="adviser_dashboard"),
    path("radgiver/oversikt.<str:fmt>", advisers.dashboard_export, name="adviser_dashboard_export"),
    path("radgiver/sammenlign/", advisers.compare, name="adviser_compare"),
    path("radgiver/sammenlign.<str:fmt>", advisers.compare_export, name="adviser_compare_export"),
    path("radgiver/eksport/", advisers.export_start, name="adviser_export_start"),
    path("radgiver/eksport/<uuid:pk>/", advisers.export_status, name="adviser_export"),
    path(
        "radgiver/eksport/<uuid:pk>/last-ned/",
        advisers.export_download,
        name="adviser_export_download",
    ),
    path("api/v1/oversikt.json", advisers.dashboard_json, name="api_dashboard"),
]
