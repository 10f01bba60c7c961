"""Invited respondents see their own browser language if we have it, else the municipality's
official language form (Vanylven is nynorsk)."""

import pytest
from django.urls import reverse

from assessment import services
from assessment.models import Assessment, Municipality


@pytest.fixture
def vanylven_link(db, bank_record):
    place = Municipality.objects.get(number="1511")
    assessment = Assessment.objects.create(municipality=place, bank=bank_record, period="2023-2027")
    issued = services.invitations_create(
        assessment=assessment, role_group="politician", group_link=True, link_for=lambda t: t
    )
    assert issued is not None
    return reverse("assessment:invite", kwargs={"token": issued.token})


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("", "nn"), ("de-DE,de;q=0.9", "nn"), ("en-GB,en;q=0.8", "en"), ("nb-NO,nb;q=0.9", "nb")],
)
def test_invitation_language(client, vanylven_link, accept, expected):
    response = client.get(vanylven_link, HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 200
    assert f'<html lang="{expected}"' in response.content.decode()


def test_chosen_language_wins(client, vanylven_link, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    response = client.get(vanylven_link, HTTP_ACCEPT_LANGUAGE="")
    assert '<html lang="nb"' in response.content.decode()
