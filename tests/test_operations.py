"""Operations: backup and restore round-trip, retention."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessment import selectors
from assessment.models import Answer, Assessment, Respondent, ResultSnapshot
from assessment.scoring import RoleGroup
from reports import services as reports_services
from reports.report import build_report
from tests.factories import answer_everything


@pytest.fixture
def closed_round(vega_assessment):
    for role, level in [
        (RoleGroup.POLITICIAN, 4),
        (RoleGroup.POLITICIAN, 2),
        (RoleGroup.ADMINISTRATION, 3),
        (RoleGroup.ADMINISTRATION, 5),
    ]:
        answer_everything(vega_assessment, role, level, comment="kommentar")
    reports_services.round_close(assessment=vega_assessment)
    return vega_assessment


@pytest.mark.django_db(transaction=True)
def test_dumpdata_and_loaddata_round_trip_a_full_database(tmp_path):
    """The backup recipe in docs/operations.md: dumpdata, an empty database, loaddata; the
    restored database gives the same report."""
    from django.core.management import call_command as cc

    cc("load_reference_data", verbosity=0)
    from assessment.models import Municipality, QuestionBank
    from tests.factories import AssessmentFactory, CoordinatorFactory, UserFactory

    vega = Municipality.objects.get(number="1815")
    user = CoordinatorFactory(municipality=vega, user=UserFactory(username="alice")).user
    assessment = AssessmentFactory(
        municipality=vega, bank=QuestionBank.objects.get(version="1"), created_by=user
    )
    for role, level in [
        (RoleGroup.POLITICIAN, 4),
        (RoleGroup.POLITICIAN, 2),
        (RoleGroup.ADMINISTRATION, 3),
        (RoleGroup.ADMINISTRATION, 5),
    ]:
        answer_everything(assessment, role, level)
    reports_services.round_close(assessment=assessment)
    before = build_report(Assessment.objects.get(pk=assessment.pk))
    counts = {
        m.__name__: m.objects.count() for m in (Assessment, Respondent, Answer, ResultSnapshot)
    }
    backup = tmp_path / "backup.json"
    cc(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=["contenttypes", "auth.permission", "sessions", "admin.logentry"],
        output=str(backup),
        verbosity=0,
    )
    cc("flush", interactive=False, verbosity=0)
    assert Assessment.objects.count() == 0
    cc("loaddata", str(backup), verbosity=0)
    assert {
        m.__name__: m.objects.count() for m in (Assessment, Respondent, Answer, ResultSnapshot)
    } == counts
    after = build_report(Assessment.objects.get(pk=assessment.pk))
    assert (after.overall, after.dimensions, after.gaps, after.recommendations) == (
        before.overall,
        before.dimensions,
        before.gaps,
        before.recommendations,
    )


def test_retention_anonymises_old_rounds_and_keeps_their_results(closed_round):
    Assessment.objects.filter(pk=closed_round.pk).update(
        closed_at=timezone.now() - timedelta(days=365 * 11)
    )
    before = build_report(Assessment.objects.get(pk=closed_round.pk))
    out = io.StringIO()
    call_command("retention", years=10, dry_run=True, stdout=out)
    assert "Would anonymise 1 rounds" in out.getvalue()
    assert Respondent.objects.count() == 4
    call_command("retention", years=10, stdout=io.StringIO())
    assert Respondent.objects.count() == 0 and Answer.objects.count() == 0
    after = build_report(Assessment.objects.get(pk=closed_round.pk))
    assert (after.overall, after.dimensions) == (before.overall, before.dimensions)
    assert selectors.assessment_profile(closed_round).respondents == 4


def test_retention_keeps_recent_rounds_and_can_delete(closed_round):
    call_command("retention", years=10, stdout=io.StringIO())
    assert Respondent.objects.count() == 4
    Assessment.objects.filter(pk=closed_round.pk).update(
        closed_at=timezone.now() - timedelta(days=365 * 3)
    )
    call_command("retention", years=2, delete=True, stdout=io.StringIO())
    assert not Assessment.objects.filter(pk=closed_round.pk).exists()
