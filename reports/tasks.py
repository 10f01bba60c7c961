"""Background work: batch PDF exports for advisers (django.tasks API, database backend)."""

from __future__ import annotations

import logging
import tempfile
import zipfile

from django.core.files import File
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from assessment.i18n import file_slug
from reports.comparison import latest_shared_rounds
from reports.models import ReportExport
from reports.pdf import cached_pdf
from reports.report import build_report
from reports.storage import export_storage

logger = logging.getLogger(__name__)


@task()
def export_reports(export_id: str) -> None:
    """Render (or take from the cache) each chosen municipality's latest shared report and
    zip them. Visibility is checked again here with the requesting adviser's scope: a round
    unshared between request and run is left out."""
    export = ReportExport.objects.select_related("requested_by").get(pk=export_id)
    ReportExport.objects.filter(pk=export.pk).update(status=ReportExport.Status.RUNNING)
    name = f"{export.pk}.zip"
    try:
        rounds = latest_shared_rounds(export.requested_by, export.numbers)
        ReportExport.objects.filter(pk=export.pk).update(total=len(rounds))
        # Built in a temporary file of this worker's own, then stored where every worker
        # and web process finds it (reports/storage.py).
        with tempfile.TemporaryFile() as scratch:
            with zipfile.ZipFile(scratch, "w", zipfile.ZIP_STORED) as archive:
                for assessment in rounds:
                    report = build_report(assessment)
                    municipality = assessment.municipality
                    arcname = (
                        f"{municipality.number}-{file_slug(municipality.name)}-"
                        f"{assessment.period}.pdf"
                    )
                    archive.writestr(arcname, cached_pdf(report))
                    ReportExport.objects.filter(pk=export.pk).update(done=F("done") + 1)
            scratch.seek(0)
            name = export_storage().save(name, File(scratch, name=name))
    except Exception as exc:
        logger.exception("Report export %s failed", export.pk)
        ReportExport.objects.filter(pk=export.pk).update(
            status=ReportExport.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
        raise
    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.DONE, file=name, finished_at=timezone.now()
    )
