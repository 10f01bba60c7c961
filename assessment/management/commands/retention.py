from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessment import services


class Command(BaseCommand):
    help = (
        "Rounds closed more than N years ago: remove every individual answer, comment, "
        "respondent and invitation, keeping the frozen results (default), or --delete the "
        "rounds whole. Run it from cron, e.g. yearly: manage.py retention --years 10"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--years", type=int, required=True, help="keep this many years")
        parser.add_argument(
            "--delete", action="store_true", help="delete the rounds, not only the answers"
        )
        parser.add_argument("--dry-run", action="store_true", help="say what would happen")

    def handle(self, *args, **options) -> None:
        if options["years"] < 1:
            raise CommandError("--years must be 1 or more.")
        cutoff = timezone.now() - timedelta(days=365 * options["years"])
        if options["dry_run"]:
            from assessment.models import Assessment, Respondent

            rounds = Assessment.objects.filter(status="closed", closed_at__lt=cutoff)
            respondents = Respondent.objects.filter(assessment__in=rounds).count()
            self.stdout.write(
                f"Would {'delete' if options['delete'] else 'anonymise'} {rounds.count()} "
                f"rounds closed before {cutoff:%Y-%m-%d} ({respondents} respondents)."
            )
            return
        result = services.rounds_retention(closed_before=cutoff, delete=options["delete"])
        verb = "Deleted" if options["delete"] else "Anonymised"
        self.stdout.write(
            f"{verb} {result.rounds} rounds closed before {cutoff:%Y-%m-%d} "
            f"({result.respondents} respondents' answers removed)."
        )
