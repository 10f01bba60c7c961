import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessment.answers_file import (
    AnswersFileError,
    read_answers_file,
    register_facts_from,
    responses_from,
)
from assessment.models import Municipality, QuestionBank
from assessment.scoring import Profile, score
from reports.report import ReportContext, compose_report
from reports.rows import ReportData
from reports.selectors import file_report_inputs


class Command(BaseCommand):
    help = (
        "Score an answers file (docs/answers-format.md) and print, as JSON, the profile and "
        "what the report says: strengths, development areas and the ranked recommendations."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("answers", type=Path, help="answers file (JSON or YAML)")
        parser.add_argument("--json", type=Path, dest="json_out", help="also write the output here")
        parser.add_argument("--pdf", type=Path, dest="pdf_out", help="also write a PDF report here")
        parser.add_argument("--period", default="", help="election term shown in the PDF")
        parser.add_argument(
            "--language", default="", help="nb, nn or en (default: the municipality's)"
        )

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
            bank = record.parsed
            profile = score(bank.spec, responses_from(bank, data), register_facts_from(bank, data))
        except AnswersFileError as exc:
            raise CommandError(str(exc)) from exc
        language = options["language"] or municipality.report_language
        if language not in ("nb", "nn", "en"):
            raise CommandError("--language: nb, nn or en")
        period = options["period"] or str(data.get("period", ""))
        report = compose_report(
            bank=bank,
            inputs=file_report_inputs(profile, bank),
            context=ReportContext(
                municipality=municipality,
                period=period,
                round_label="",
                status_label="",
                when=timezone.now(),
            ),
            language=language,
        )
        output = {
            "municipality": {"number": municipality.number, "name": municipality.name},
            "profile": profile.to_dict(),
            "report": _findings(report, profile),
        }
        if options["pdf_out"]:
            from reports.pdf import cached_pdf  # only this option needs the PDF stack

            options["pdf_out"].write_bytes(cached_pdf(report))
        text = json.dumps(output, ensure_ascii=False, indent=2)
        if options["json_out"]:
            options["json_out"].write_text(text + "\n", encoding="utf-8")
        self.stdout.write(text)


def _findings(report: ReportData, profile: Profile) -> dict:
    """What the report says, as the council reads it (in the report's language)."""

    def themes(rows) -> list[dict]:
        return [{"theme": t.key, "name": t.name, "score": t.score} for t in rows]

    return {
        "language": report.language,
        "overall": report.overall,
        "level": report.band_label,
        "strengths": themes(report.strengths),
        "development_areas": themes(report.development_areas),
        "differ": [
            {
                "theme": g.key,
                "name": g.name,
                "politicians": g.politicians,
                "administration": g.administration,
                "difference": g.gap,
            }
            for g in report.differ
        ],
        "split": list(report.split_themes),
        "register": [
            {"fact": r.fact, "label": r.label, "status": r.status, "points": r.score}
            for r in report.register
        ],
        "recommendations": [
            {
                "rank": r.rank,
                "key": r.key,
                "title": r.title,
                "reason": r.reasons[0] if r.reasons else "",
                "why": r.why,
            }
            for r in report.recommendations
        ],
        "key_messages": list(report.key_messages),
    }
