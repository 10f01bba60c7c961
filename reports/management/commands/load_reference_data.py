import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessment import services
from assessment.bank import BankError, read_bank_file
from assessment.models import QuestionBank
from content import services as content_services
from content.documents import read_yaml
from guidance.library import LibraryError, parse_library, read_library_file
from guidance.services import library_install

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
POPULATION_YEAR = 2024


def _versions(folder: Path) -> list[Path]:
    """v1.yaml, v2.yaml, ...; translation files beside them are merged by the readers."""
    return sorted(p for p in folder.glob("v*.yaml") if re.fullmatch(r"v\d+\.yaml", p.name))


class Command(BaseCommand):
    help = "Load municipalities, sources and every question bank in fixtures/ (idempotent)."

    def handle(self, *args, **options) -> None:
        count = services.municipalities_import(
            csv_path=FIXTURES / "municipalities.csv", population_year=POPULATION_YEAR
        )
        self.stdout.write(f"Municipalities: {count}")
        count = content_services.sources_load(document=read_yaml(FIXTURES / "sources.yaml"))
        self.stdout.write(f"Sources: {count}")
        source_keys = {s["key"] for s in read_yaml(FIXTURES / "sources.yaml")["sources"]}
        for path in _versions(FIXTURES / "bank"):
            try:
                bank = read_bank_file(path, source_keys=source_keys)
                record = services.bank_install(bank=bank)
            except (BankError, services.ServiceError) as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            self.stdout.write(
                f"Question bank v{record.version}: {len(bank.questions)} questions, "
                f"{len(bank.themes)} themes ({record.status})"
            )
        published = QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED)
        for path in _versions(FIXTURES / "library"):
            # Library vN is written for bank vN's keys, and checked against it.
            bank_record = published.filter(version=path.stem[1:]).first() or published.first()
            try:
                library = parse_library(
                    read_library_file(path),
                    bank=bank_record.parsed if bank_record else None,
                    source_keys=source_keys,
                )
                library_install(library=library)
            except (LibraryError, services.ServiceError) as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            self.stdout.write(
                f"Recommendation library v{library.version}: "
                f"{len(library.recommendations)} recommendations, {len(library.examples)} examples"
            )
