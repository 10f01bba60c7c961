import factory
from django.contrib.auth import get_user_model

from assessment import services
from assessment.models import Assessment, Coordinator, Respondent
from assessment.scoring import Kind, RoleGroup

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coordinator
        django_get_or_create = ("user", "municipality")

    user = factory.SubFactory(UserFactory)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    period = "2023-2027"
    round = Assessment.Round.BASELINE


class RespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Respondent

    role_group = "administration"


def answer_everything(
    assessment: Assessment, role: RoleGroup, level: int, *, comment: str | None = None
) -> Respondent:
    """Save and submit one respondent's answers at `level` (1-5) through the same services
    as the wizard, optionally with a comment on every theme."""
    respondent = Respondent.objects.create(assessment=assessment, role_group=role.value)
    bank = assessment.bank.parsed
    for theme in bank.themes:
        answers = {}
        for q in theme.questions:
            if not q.spec.asked_of(role):
                continue
            if q.kind is Kind.SCALE:
                value = str(level)
            elif q.kind is Kind.YESNO:
                value = "yes" if level >= 4 else "partly" if level == 3 else "no"
            elif q.kind is Kind.CHOICE:
                value = q.choices[min(len(q.choices) - 1, 5 - level)].value
            elif q.kind is Kind.NUMBER:
                value = "1.5"
            elif q.kind is Kind.AWARENESS:
                value = "yes" if level >= 3 else "no"
            else:
                continue
            answers[q.key] = services.AnswerInput(value=value)
        services.answers_save(
            respondent=respondent, theme_key=theme.key, answers=answers, comment=comment
        )
    services.respondent_submit(respondent=respondent)
    return respondent
