import factory
from django.contrib.auth import get_user_model

from assessment.models import Assessment, Coordinator, Respondent

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
