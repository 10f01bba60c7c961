from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.models import Assessment
from reports.pdf import cached_pdf
from reports.report import build_report


class Command(BaseCommand):
    help = "Write an assessment's PDF report (in the municipality's language unless --lang)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--out", type=Path, required=True, help="PDF file to write")
        parser.add_argument("--lang", choices=["nb", "nn", "en"], help="report language")

    def handle(self, *args, **options) -> None:
        assessment = (
            Assessment.objects.select_related("municipality", "bank")
            .filter(pk=options["assessment_id"])
            .first()
        )
        if assessment is None:
            raise CommandError(f"No assessment with id {options['assessment_id']}")
        if assessment.is_open:
            raise CommandError(
                "The round is still open, so there is nothing to report yet: figures are "
                "computed once, when it is closed (see docs/method.md, privacy)."
            )
        report = build_report(assessment, language=options["lang"])
        if not report.has_scores:
            raise CommandError("Nobody has submitted answers yet; there is nothing to report.")
        options["out"].write_bytes(cached_pdf(report))
        self.stdout.write(f"Wrote {options['out']} ({report.municipality}, {report.language})")
