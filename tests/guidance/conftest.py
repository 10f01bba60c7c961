import pytest

from assessment.scoring import RoleGroup
from reports import services as reports_services
from tests.factories import answer_everything


@pytest.fixture
def answered_assessment(vega_assessment):
    answer_everything(vega_assessment, RoleGroup.ADMINISTRATION, 2)
    answer_everything(vega_assessment, RoleGroup.ADMINISTRATION, 3)
    answer_everything(vega_assessment, RoleGroup.POLITICIAN, 4)
    answer_everything(vega_assessment, RoleGroup.POLITICIAN, 3)
    # Figures exist only for a closed round (assessment/privacy.py).
    reports_services.round_close(assessment=vega_assessment)
    return vega_assessment
