"""Rounds for the council paper: a closed, shared bank-v2 round of Vega whose groups differ,
and an open one with one submitted answer."""

from __future__ import annotations

import pytest

from assessment.models import Assessment, QuestionBank
from assessment.scoring import RoleGroup
from tests.assessment.adviser_factories import closed_round
from tests.factories import answer_everything


@pytest.fixture
def bank_v2(db) -> QuestionBank:
    return QuestionBank.objects.get(version="2")


@pytest.fixture
def closed(alice, vega, bank_v2) -> Assessment:
    # Administration at 4, politicians at 2: development areas, gaps and recommendations.
    return closed_round(vega, bank_v2, levels=(4, 2))


@pytest.fixture
def open_round(alice, vega, bank_v2) -> Assessment:
    assessment = Assessment.objects.create(
        municipality=vega, bank=bank_v2, period="2023-2027", round=Assessment.Round.MIDTERM
    )
    answer_everything(assessment, RoleGroup.POLITICIAN, 3)
    return assessment
