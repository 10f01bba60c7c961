from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessment.bank import BankError, read_bank_file
from assessment.scoring import RoleGroup

AUDIENCES = (
    (RoleGroup.POLITICIAN, "politicians"),
    (RoleGroup.ADMINISTRATION, "administration"),
)


class Command(BaseCommand):
    help = (
        "Print, per audience, how many questions a bank asks and the estimated answering time "
        "(and how many facts the coordinator records in the plan register)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("version", nargs="?", default="", help="bank version (default: all)")

    def handle(self, *args, **options) -> None:
        folder = Path(settings.BASE_DIR) / "fixtures" / "bank"
        paths = sorted(folder.glob(f"v{options['version'] or '*'}.yaml"))
        paths = [p for p in paths if p.stem[1:].isdigit()]
        if not paths:
            raise CommandError(f"no bank file for version {options['version']!r} in {folder}")
        for path in paths:
            try:
                bank = read_bank_file(path)
            except BankError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Question bank v{bank.version} (method {bank.method})")
            for role, label in AUDIENCES:
                questions = bank.questions_for(role)
                self.stdout.write(
                    f"  {label:<15} {len(questions):>3} questions, "
                    f"about {bank.estimated_minutes(role)} minutes"
                )
            if bank.register:
                self.stdout.write(
                    f"  {'coordinator':<15} {len(bank.register):>3} scored facts in the plan "
                    "register (plus the number of plans, for context)"
                )
