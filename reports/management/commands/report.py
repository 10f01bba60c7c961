from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.models import Assessment
from reports.pdf import cached_pdf, standalone_html
from reports.report import build_report


class Command(BaseCommand):
    help = (
        "Write an assessment's PDF report (in the municipality's language unless --lang), or "
        "with --html the HTML it is rendered from, which `weasyprint OUT.html out.pdf` renders "
        "the same. An open round that someone has answered gives a draft, without figures."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--out", type=Path, help="PDF file to write")
        parser.add_argument("--html", type=Path, help="HTML file to write")
        parser.add_argument("--lang", choices=["nb", "nn", "en"], help="report language")
        parser.add_argument(
            "--no-appendices",
            action="store_true",
            help="leave out the appendices (method, peers, answers, references)",
        )

    def handle(self, *args, **options) -> None:
        if not options["out"] and not options["html"]:
            raise CommandError("Give --out for the PDF, --html for its HTML, or both.")
        assessment = (
            Assessment.objects.select_related("municipality", "bank")
            .filter(pk=options["assessment_id"])
            .first()
        )
        if assessment is None:
            raise CommandError(f"No assessment with id {options['assessment_id']}")
        report = build_report(assessment, language=options["lang"])
        # An open round has no figures (assessment/privacy.py): once someone has submitted,
        # its report is a draft that says so on every page. Nothing submitted, or a closed
        # round without figures: nothing to report.
        submitted = sum(report.respondents_by_role.values())
        if not report.has_scores and not (report.draft and submitted):
            raise CommandError("Nobody has submitted answers yet; there is nothing to report.")
        appendices = not options["no_appendices"]
        if options["html"]:
            options["html"].write_text(standalone_html(report, appendices=appendices))
            self.stdout.write(f"Wrote {options['html']}")
        if options["out"]:
            options["out"].write_bytes(cached_pdf(report, appendices=appendices))
            self.stdout.write(f"Wrote {options['out']} ({report.municipality}, {report.language})")
