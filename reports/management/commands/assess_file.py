import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment.answers_file import AnswersFileError, read_answers_file, responses_from
from assessment.models import Municipality, QuestionBank
from assessment.scoring import score


class Command(BaseCommand):
    help = "Score an answers file (docs/answers-format.md) and print the profile as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("answers", type=Path, help="answers file (JSON)")
        parser.add_argument(
            "--json", type=Path, dest="json_out", help="also write the profile here"
        )
        parser.add_argument("--pdf", type=Path, dest="pdf_out", help="also write a PDF report here")
        parser.add_argument("--period", default="", help="election term shown in the PDF")

    def handle(self, *args, **options) -> None:
        try:
            data = read_answers_file(options["answers"])
            number = str(data["municipality"])
            municipality = Municipality.objects.filter(number=number).first()
            if municipality is None:
                raise AnswersFileError(f"'municipality': no municipality number {number!r}")
            record = QuestionBank.objects.filter(version=str(data["bank_version"])).first()
            if record is None:
                raise AnswersFileError(f"'bank_version': no question bank {data['bank_version']!r}")
            profile = score(record.parsed.spec, responses_from(record.parsed, data))
        except AnswersFileError as exc:
            raise CommandError(str(exc)) from exc
        output = {
            "municipality": {"number": municipality.number, "name": municipality.name},
            "profile": profile.to_dict(),
        }
        if options["pdf_out"]:
            options["pdf_out"].write_bytes(_pdf(record, profile, municipality, options["period"]))
        text = json.dumps(output, ensure_ascii=False, indent=2)
        if options["json_out"]:
            options["json_out"].write_text(text + "\n", encoding="utf-8")
        self.stdout.write(text)


def _pdf(record: QuestionBank, profile, municipality: Municipality, period: str) -> bytes:
    # Imported here: only this option needs the report stack.
    from django.utils import timezone

    from reports.pdf import cached_pdf
    from reports.report import ReportContext, compose_report
    from reports.selectors import file_report_inputs

    report = compose_report(
        bank=record.parsed,
        inputs=file_report_inputs(profile),
        context=ReportContext(
            municipality=municipality,
            period=period,
            round_label="",
            status_label="",
            when=timezone.now(),
        ),
        language=municipality.report_language,
    )
    return cached_pdf(report)
