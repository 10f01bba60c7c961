"""One of every kind of page, with the data it needs: shared by the axe and vnu tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from assessment import services
from assessment.models import AccessRequest, Adviser, Assessment, Municipality, QuestionBank
from assessment.scoring import RoleGroup
from reports import services as reports_services
from tests.factories import CoordinatorFactory, UserFactory, answer_everything


@dataclass
class Site:
    coordinator: object
    adviser: object
    open_assessment: Assessment
    closed_assessment: Assessment
    token: str
    revoked_token: str


def build_site() -> Site:
    bank = QuestionBank.objects.get(version="1")
    vega = Municipality.objects.get(number="1815")
    coordinator = CoordinatorFactory(municipality=vega, user=UserFactory(username="kari")).user
    closed = Assessment.objects.create(
        municipality=vega, bank=bank, period="2023-2027", created_by=coordinator
    )
    for role, level in [
        (RoleGroup.POLITICIAN, 4),
        (RoleGroup.POLITICIAN, 3),
        (RoleGroup.ADMINISTRATION, 2),
        (RoleGroup.ADMINISTRATION, 3),
    ]:
        answer_everything(closed, role, level)
    reports_services.round_close(assessment=closed)
    services.assessment_share(assessment=closed, share=True)
    open_ = Assessment.objects.create(
        municipality=vega, bank=bank, period="2027-2031", created_by=coordinator
    )
    link = services.invitations_create(
        assessment=open_, role_group="politician", group_link=True, link_for=lambda t: t
    )
    revoked = services.invitations_create(
        assessment=open_, role_group="administration", group_link=True, link_for=lambda t: t
    )
    assert link is not None and revoked is not None
    services.invitation_revoke(invitation=revoked.invitation)
    adviser = UserFactory(username="rita")
    Adviser.objects.create(user=adviser, counties=["18"])
    AccessRequest.objects.create(
        municipality=vega, name="Per Hansen", job_title="Planrådgiver", email="per@vega.kommune.no"
    )
    return Site(coordinator, adviser, open_, closed, link.token, revoked.token)


def page_urls(site: Site) -> dict[str, list[tuple[str, str]]]:
    """(name, url) per persona: 'anonymous', 'coordinator', 'adviser'."""
    o, c = site.open_assessment.pk, site.closed_assessment.pk
    return {
        "anonymous": [
            ("landing", reverse("assessment:home")),
            ("login", reverse("login")),
            ("password reset", reverse("password_reset")),
            ("accessibility statement", reverse("accessibility")),
            ("privacy", reverse("privacy")),
            ("invitation", reverse("assessment:invite", kwargs={"token": site.token})),
            (
                "revoked invitation",
                reverse("assessment:invite", kwargs={"token": site.revoked_token}),
            ),
            ("access request", reverse("assessment:access_request")),
            ("access request sent", reverse("assessment:access_request_sent")),
        ],
        "coordinator": [
            ("my assessments", reverse("assessment:home")),
            ("start: search", reverse("assessment:start") + "?q=ve"),
            ("create", reverse("assessment:create", kwargs={"number": "1815"})),
            ("assessment", reverse("assessment:detail", kwargs={"pk": o})),
            ("participants", reverse("assessment:respondents", kwargs={"pk": o})),
            ("coordinators", reverse("assessment:coordinators")),
            ("access requests", reverse("assessment:access_review")),
            ("results of an open round", reverse("reports:results", kwargs={"pk": o})),
            ("intro", reverse("assessment:intro", kwargs={"pk": o})),
            ("results", reverse("reports:results", kwargs={"pk": c})),
            ("action plan", reverse("reports:action_plan", kwargs={"pk": c})),
            ("workshop", reverse("reports:workshop", kwargs={"pk": c})),
            ("share", reverse("assessment:share", kwargs={"pk": c})),
            ("over time", reverse("reports:municipality", kwargs={"number": "1815"})),
        ],
        "adviser": [
            ("adviser dashboard", reverse("reports:adviser_dashboard")),
            ("compare", reverse("reports:adviser_compare") + "?m=1815"),
            ("adviser results", reverse("reports:results", kwargs={"pk": c})),
        ],
    }
