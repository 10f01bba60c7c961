import pytest

from assessment.scoring import RoleGroup
from tests.factories import answer_everything


@pytest.fixture
def answered_assessment(vega_assessment):
    answer_everything(vega_assessment, RoleGroup.ADMINISTRATION, 2)
    answer_everything(vega_assessment, RoleGroup.ADMINISTRATION, 3)
    answer_everything(vega_assessment, RoleGroup.POLITICIAN, 4)
    answer_everything(vega_assessment, RoleGroup.POLITICIAN, 3)
    return vega_assessment
