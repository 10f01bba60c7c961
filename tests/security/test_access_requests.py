"""Who may speak for a municipality: nobody by being first; a request decided by staff, or by
the municipality's coordinators when it has any; coordinators add and remove colleagues; every
change is recorded."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessment.models import AccessRequest, AuditEvent, Coordinator, Municipality
from tests.factories import CoordinatorFactory, UserFactory

REQUEST = {
    "municipality": "1856",  # Røst: no coordinator yet
    "name": "Ingrid Olsen",
    "job_title": "Planrådgiver",
    "email": "ingrid@rost.kommune.no",
    "message": "Vi vil starte før budsjettet.",
}


def _ask(client, capture, **changes):
    with capture(execute=True):
        response = client.post(reverse("assessment:access_request"), REQUEST | changes)
    return response


def test_the_front_page_says_how_to_get_access(client, db):
    body = client.get(reverse("assessment:home")).content.decode()
    assert reverse("assessment:access_request") in body


def test_request_for_a_municipality_without_coordinators_goes_to_staff(
    client, staff, django_capture_on_commit_callbacks
):
    response = _ask(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == reverse("assessment:access_request_sent")
    request = AccessRequest.objects.get()
    assert request.status == AccessRequest.Status.PENDING
    assert request.municipality.number == "1856"
    [notice] = mail.outbox
    assert notice.to == ["stine@distriktssenteret.no"]
    assert "ingrid@rost.kommune.no" in notice.body
    assert reverse("assessment:access_review") in notice.body
    # A reload of the form (same person, same municipality) does not pile up requests.
    _ask(client, django_capture_on_commit_callbacks)
    assert AccessRequest.objects.count() == 1


def test_request_for_a_municipality_with_coordinators_goes_to_them_without_naming_them(
    client, alice, staff, django_capture_on_commit_callbacks
):
    response = _ask(client, django_capture_on_commit_callbacks, municipality="1815")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert alice.email not in page and "alice" not in page
    [notice] = mail.outbox
    assert notice.to == [alice.email]  # not staff: the municipality decides


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"municipality": "9999"}, "municipality"),
        ({"municipality": "²"}, "municipality"),
        ({"name": ""}, "name"),
        ({"name": "x\x00y"}, "name"),
        ({"message": "x" * 1001}, "message"),
    ],
)
def test_bad_requests_are_refused_with_a_message(
    client, db, changes, field, django_capture_on_commit_callbacks
):
    response = _ask(client, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "data-error-summary" in response.content.decode()
    # What was typed is kept.
    assert response.context["form"].data["job_title"] == "Planrådgiver"
    assert not AccessRequest.objects.exists()
    assert mail.outbox == []


def test_staff_approve_and_the_person_gets_an_email_to_set_a_password(
    client, staff, django_capture_on_commit_callbacks
):
    _ask(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    request = AccessRequest.objects.get()
    client.force_login(staff)
    page = client.get(reverse("assessment:access_review"))
    assert "ingrid@rost.kommune.no" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessment:access_review_one", kwargs={"pk": request.pk}),
            {"decision": "approve"},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.APPROVED
    assert request.decided_by == staff
    coordinator = Coordinator.objects.get(municipality__number="1856")
    assert coordinator.user.email == "ingrid@rost.kommune.no"
    assert not coordinator.user.has_usable_password()
    [welcome] = mail.outbox
    assert welcome.to == ["ingrid@rost.kommune.no"]
    assert re.search(r"/konto/reset/[^/\s]+/[^/\s]+/", welcome.body)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"access_requested", "access_approved", "coordinator_added"} <= actions
    # Deciding twice is refused politely.
    again = client.post(
        reverse("assessment:access_review_one", kwargs={"pk": request.pk}),
        {"decision": "reject"},
        follow=True,
    )
    assert again.status_code == 200
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.APPROVED


def test_rejection_tells_the_person(client, staff, django_capture_on_commit_callbacks):
    _ask(client, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    request = AccessRequest.objects.get()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assessment:access_review_one", kwargs={"pk": request.pk}),
            {"decision": "reject"},
        )
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.REJECTED
    assert not Coordinator.objects.filter(municipality__number="1856").exists()
    [message] = mail.outbox
    assert message.to == ["ingrid@rost.kommune.no"]


def test_coordinators_decide_requests_for_their_own_municipality_only(
    client, alice, bob, charlie, django_capture_on_commit_callbacks
):
    _ask(client, django_capture_on_commit_callbacks, municipality="1815")
    vega_request = AccessRequest.objects.get()
    client.force_login(bob)  # Utsira's coordinator
    assert "ingrid" not in client.get(reverse("assessment:access_review")).content.decode()
    response = client.post(
        reverse("assessment:access_review_one", kwargs={"pk": vega_request.pk}),
        {"decision": "approve"},
    )
    assert response.status_code == 404
    client.force_login(charlie)  # coordinates nothing
    assert client.get(reverse("assessment:access_review")).status_code == 404
    client.force_login(alice)
    response = client.post(
        reverse("assessment:access_review_one", kwargs={"pk": vega_request.pk}),
        {"decision": "approve"},
    )
    assert response.status_code == 302
    assert Coordinator.objects.filter(
        municipality__number="1815", user__email="ingrid@rost.kommune.no"
    ).exists()


def test_a_logged_in_outsider_cannot_claim_a_municipality(client, charlie):
    """The old loophole: any account (an adviser, another municipality's colleague) could
    start a round for a municipality without a coordinator and become its coordinator."""
    client.force_login(charlie)
    response = client.post(
        reverse("assessment:create", kwargs={"number": "1856"}),
        {"period": "2023-2027", "round": "baseline"},
    )
    assert response.status_code == 403
    assert not Coordinator.objects.filter(user=charlie).exists()


def test_coordinators_add_and_remove_colleagues_and_it_is_recorded(
    client, alice, vega, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assessment:coordinators"),
            {"action": "add", "municipality": vega.pk, "email": "kari@vega.kommune.no"},
        )
    kari = Coordinator.objects.get(municipality=vega, user__email="kari@vega.kommune.no")
    response = client.post(
        reverse("assessment:coordinators"),
        {"action": "remove", "municipality": vega.pk, "coordinator": kari.pk},
    )
    assert response.status_code == 302
    assert not Coordinator.objects.filter(pk=kari.pk).exists()
    events = list(
        AuditEvent.objects.filter(municipality=vega).values_list("action", "subject", "actor")
    )
    assert ("coordinator_added", "kari@vega.kommune.no", alice.pk) in events
    assert ("coordinator_removed", "kari@vega.kommune.no", alice.pk) in events
    page = client.get(reverse("assessment:coordinators")).content.decode()
    assert "kari@vega.kommune.no" in page  # in the list of changes


def test_the_last_coordinator_cannot_be_removed_and_tampering_is_no_500(client, alice, vega):
    client.force_login(alice)
    own = Coordinator.objects.get(user=alice)
    response = client.post(
        reverse("assessment:coordinators"),
        {"action": "remove", "municipality": vega.pk, "coordinator": own.pk},
        follow=True,
    )
    assert Coordinator.objects.filter(pk=own.pk).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    for municipality, coordinator in [("1151", own.pk), (vega.pk, "x"), (vega.pk, "²")]:
        response = client.post(
            reverse("assessment:coordinators"),
            {"action": "remove", "municipality": municipality, "coordinator": coordinator},
            follow=True,
        )
        assert response.status_code == 200
    assert Coordinator.objects.filter(pk=own.pk).exists()


def test_another_municipality_cannot_remove_our_coordinators(client, alice, bob, vega):
    CoordinatorFactory(municipality=vega, user=UserFactory(username="kari"))
    kari = Coordinator.objects.get(user__username="kari")
    client.force_login(bob)
    client.post(
        reverse("assessment:coordinators"),
        {"action": "remove", "municipality": vega.pk, "coordinator": kari.pk},
    )
    assert Coordinator.objects.filter(pk=kari.pk).exists()
    assert Municipality.objects.get(pk=vega.pk).coordinators.count() == 2
