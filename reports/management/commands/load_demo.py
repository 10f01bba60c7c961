"""A demo municipality with a finished, closed assessment and a coordinator login."""

import random
from datetime import UTC, date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessment import selectors, services
from assessment.models import Adviser, Assessment, Coordinator, Municipality, Respondent
from assessment.scoring import Kind, RoleGroup
from reports import services as reports_services

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "planprofil-demo"  # nosec B105 # published on purpose; DEBUG or --force only
ADVISER_USERNAME = "radgiver"
ADVISER_COUNTY = "18"  # Nordland
PEER_COUNT = 11
DEMO_MUNICIPALITY = "1815"  # Vega, 1 208 inhabitants
DEMO_PERIOD = "2023-2027"
EARLIER_CLOSED = datetime(2023, 6, 15, 12, 0, tzinfo=UTC)

# (role, how positive this person is overall, extra optimism on role-clarity themes)
DEMO_PEOPLE = [
    (RoleGroup.ADMINISTRATION, 0.0, 0),
    (RoleGroup.ADMINISTRATION, -0.3, 0),
    (RoleGroup.ADMINISTRATION, 0.2, 0),
    (RoleGroup.POLITICIAN, 0.4, 1),
    (RoleGroup.POLITICIAN, 0.1, 1),
    (RoleGroup.OTHER, 0.0, 0),
]
# A believable small-municipality profile: decent plans on paper, thin capacity.
THEME_LEVEL = {
    "planning_strategy": 3.4,
    "community_plan": 3.0,
    "action_finance": 2.6,
    "knowledge_base": 2.3,
    "participation": 3.2,
    "political_ownership": 2.7,
    "arenas": 2.4,
    "delegation": 3.1,
    "role_division": 2.8,
    "dev_leadership": 3.3,
    "dev_competence": 2.5,
    "dev_culture": 3.6,
    "resources": 1.9,  # bank v1
    "dev_finances": 2.0,  # bank v2: v1's "resources" split in two
    "dev_time": 1.8,
    "cooperation": 3.5,
}
# The demo round's plan register (bank v2): a strategy adopted on time, a community part from
# the previous term awaiting revision, a land-use part the strategy chose to keep, and a
# delegation regulation that is overdue.
DEMO_REGISTER = {
    "council_constituted": date(2023, 10, 19),
    "strategy_adopted": date(2024, 9, 12),
    "community_part": date(2020, 6, 18),
    "land_use_part": date(2016, 3, 10),
    "land_use_part_kept": True,
    "action_part": "linked",
    "plan_count": 14,
    "delegation_missing": True,
    "youth_council": True,
    "planning_cooperation": "other",
}


def _seeded(seed: int) -> random.Random:
    """The same demo every time: a seeded generator for made-up answers, not for secrets."""
    return random.Random(seed)  # nosec B311 # reproducible demo data, nothing secret


class Command(BaseCommand):
    help = "Create the demo coordinator and a closed demo assessment for Vega (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="load the demo although DEBUG is off (its logins have a published password)",
        )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                f"Refusing to load the demo with DEBUG off: its logins ({DEMO_USERNAME}, "
                f"{ADVISER_USERNAME}) have the published password {DEMO_PASSWORD!r}, so "
                "anyone could log in on this server. Set DJANGO_DEBUG=1 for a local demo "
                "(`make run` does), or add --force if you really mean to."
            )
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@example.invalid"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        municipality = Municipality.objects.get(number=DEMO_MUNICIPALITY)
        if Assessment.objects.filter(municipality=municipality, created_by=user).exists():
            self.stdout.write("Demo data already present.")
            return
        # The demo coordinator has been given access, as a real one would through a request.
        Coordinator.objects.get_or_create(user=user, municipality=municipality)
        # An earlier round on bank v1, so the development over time has something to show
        # and crosses versions, as real histories will.
        earlier = services.assessment_create(
            user=user, municipality=municipality, period="2019-2023", round="end", bank_version="1"
        )
        _fill(
            earlier,
            rng=_seeded(2019),
            shift=-0.4,
            people=[DEMO_PEOPLE[i] for i in (0, 1, 3, 4)],
        )
        reports_services.round_close(assessment=earlier)
        # The earlier round closed at the end of the previous term, as it would have.
        Assessment.objects.filter(pk=earlier.pk).update(closed_at=EARLIER_CLOSED)
        services.assessment_share(assessment=earlier, share=True)
        assessment = services.assessment_create(
            user=user, municipality=municipality, period=DEMO_PERIOD, round="baseline"
        )
        if selectors.bank_of(assessment).method >= 2:
            services.plan_register_save(assessment=assessment, actor=user, values=DEMO_REGISTER)
        _fill(assessment, rng=_seeded(1815), shift=0.0, people=DEMO_PEOPLE, owner=user)
        reports_services.round_close(assessment=assessment)
        services.assessment_share(assessment=assessment, share=True)
        self._peers(user_model)
        self.stdout.write(f"Demo assessment for {municipality} created and closed.")

    def _peers(self, user_model) -> None:
        """Other small Nordland municipalities with shared rounds, and an adviser for them."""
        adviser, created = user_model.objects.get_or_create(
            username=ADVISER_USERNAME, defaults={"email": "radgiver@example.invalid"}
        )
        if created:
            adviser.set_password(DEMO_PASSWORD)
            adviser.save()
        Adviser.objects.get_or_create(
            user=adviser,
            defaults={"organisation": "Nordland fylkeskommune", "counties": [ADVISER_COUNTY]},
        )
        peers = (
            Municipality.objects.filter(county_number=ADVISER_COUNTY, population__lte=2500)
            .exclude(number=DEMO_MUNICIPALITY)
            .order_by("number")[:PEER_COUNT]
        )
        coordinator, _ = user_model.objects.get_or_create(username="demo-peers")
        for index, place in enumerate(peers):
            rng = _seeded(int(place.number))
            Coordinator.objects.get_or_create(user=coordinator, municipality=place)
            round_ = services.assessment_create(
                user=coordinator, municipality=place, period=DEMO_PERIOD, round="baseline"
            )
            _fill(
                round_,
                rng=rng,
                shift=rng.uniform(-0.8, 0.8),
                people=[DEMO_PEOPLE[i] for i in (0, 1, 3, 4)],
            )
            reports_services.round_close(assessment=round_)
            services.assessment_share(assessment=round_, share=index % 4 != 3)


def _fill(assessment, *, rng: random.Random, shift: float, people, owner=None) -> None:
    """Submitted answers for demo respondents, written through the same services as the
    wizard (so demo data obeys every rule real answers do). The round is marked fictional:
    the municipality is real, the answers are invented, and every page says so."""
    Assessment.objects.filter(pk=assessment.pk).update(fictional=True)
    assessment.fictional = True
    bank = selectors.bank_of(assessment)
    for index, (role, mood, role_optimism) in enumerate(people):
        respondent = Respondent.objects.create(
            assessment=assessment, role_group=role.value, user=owner if index == 0 else None
        )
        answered: dict[str, str] = {}
        for theme in bank.themes:
            answers = {}
            for q in theme.questions:
                if not q.spec.asked_of(role):
                    continue
                if q.condition and answered.get(q.condition.question) not in q.condition.values:
                    continue
                level = THEME_LEVEL[theme.key] + shift + mood + rng.gauss(0, 0.6)
                if theme.dimension_key == "role_clarity":
                    level += role_optimism
                answers[q.key] = _answer(q, level, rng)
                answered[q.key] = answers[q.key].value
            services.answers_save(respondent=respondent, theme_key=theme.key, answers=answers)
        services.respondent_submit(respondent=respondent)


def _answer(q, level: float, rng: random.Random) -> services.AnswerInput:
    if q.dont_know and rng.random() < 0.05:
        return services.AnswerInput(dont_know=True)
    step = max(1, min(5, round(level)))
    if q.kind is Kind.SCALE:
        return services.AnswerInput(value=str(step))
    if q.kind is Kind.YESNO:
        return services.AnswerInput(value="yes" if step >= 4 else "partly" if step == 3 else "no")
    if q.kind is Kind.AWARENESS:
        # Those who rate the theme higher tend to believe the duty is met.
        return services.AnswerInput(value="yes" if step >= 3 else "no")
    if q.kind is Kind.CHOICE:
        ranked = sorted((c for c in q.choices if c.score is not None), key=lambda c: c.score or 0)
        if not ranked:  # a choice that describes, never scores: pick one
            return services.AnswerInput(value=rng.choice(q.choices).value)
        return services.AnswerInput(
            value=ranked[min(len(ranked) - 1, (step - 1) * len(ranked) // 5)].value
        )
    if q.kind is Kind.NUMBER:
        return services.AnswerInput(value=str(round(max(0.2, level / 3), 1)))
    return services.AnswerInput(value="")
