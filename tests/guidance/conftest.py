import pytest

from assessment import services
from assessment.models import Respondent
from assessment.scoring import Kind, RoleGroup


def answer_everything(assessment, role: RoleGroup, level: int) -> Respondent:
    """Save and submit one respondent's answers at `level` (1-5) through the services."""
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
            else:
                continue
            answers[q.key] = services.AnswerInput(value=value)
        services.answers_save(respondent=respondent, theme_key=theme.key, answers=answers)
    services.respondent_submit(respondent=respondent)
    return respondent


@pytest.fixture
def answered_assessment(vega_assessment):
    answer_everything(vega_assessment, RoleGroup.ADMINISTRATION, 2)
    answer_everything(vega_assessment, RoleGroup.ADMINISTRATION, 3)
    answer_everything(vega_assessment, RoleGroup.POLITICIAN, 4)
    answer_everything(vega_assessment, RoleGroup.POLITICIAN, 3)
    return vega_assessment


@pytest.fixture(autouse=True)
def _report_cache(settings, tmp_path):
    settings.PLANPROFIL_REPORT_CACHE = str(tmp_path / "reports")
