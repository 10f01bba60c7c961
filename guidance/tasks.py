"""Background work: batch PDF exports for advisers (django.tasks API, database backend)."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from assessment.comparison import latest_shared_rounds
from assessment.i18n import file_slug
from guidance.models import ReportExport
from guidance.pdf import cached_pdf
from guidance.report import build_report

logger = logging.getLogger(__name__)


@task()
def export_reports(export_id: str) -> None:
    """Render (or take from the cache) each chosen municipality's latest shared report and
    zip them. Visibility is checked again here with the requesting adviser's scope: a round
    unshared between request and run is left out."""
    export = ReportExport.objects.select_related("requested_by").get(pk=export_id)
    ReportExport.objects.filter(pk=export.pk).update(status=ReportExport.Status.RUNNING)
    target = Path(settings.PLANPROFIL_EXPORT_DIR)
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{export.pk}.zip"
    try:
        rounds = latest_shared_rounds(export.requested_by, export.numbers)
        ReportExport.objects.filter(pk=export.pk).update(total=len(rounds))
        with zipfile.ZipFile(path.with_suffix(".tmp"), "w", zipfile.ZIP_STORED) as archive:
            for assessment in rounds:
                report = build_report(assessment)
                municipality = assessment.municipality
                name = (
                    f"{municipality.number}-{file_slug(municipality.name)}-{assessment.period}.pdf"
                )
                archive.write(cached_pdf(report), arcname=name)
                ReportExport.objects.filter(pk=export.pk).update(done=F("done") + 1)
        path.with_suffix(".tmp").replace(path)
    except Exception as exc:
        logger.exception("Report export %s failed", export.pk)
        ReportExport.objects.filter(pk=export.pk).update(
            status=ReportExport.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
        raise
    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.DONE, file=str(path), finished_at=timezone.now()
    )
