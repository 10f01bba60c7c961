"""The Nu Html Checker (vnu-jar from npm, on Debian's Java) finds no errors on any kind of page,
including error states and every wizard step."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assessment.models import QuestionBank
from assessment.scoring import RoleGroup
from tests.assessment.wizard_helpers import management, step_data, step_url
from tests.pages import build_site, page_urls

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _validate(pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    if not VNU.exists() or shutil.which("java") is None:
        pytest.fail("vnu.jar or java is missing: run `make test` (npm ci, default-jre-headless)")
    files = {}
    for index, (name, html) in enumerate(pages.items()):
        path = folder / f"page{index:03d}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = name
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    problems: dict[str, list[str]] = {}
    for message in json.loads(result.stdout or "{}").get("messages", []):
        name = files.get(message.get("url", "").removeprefix("file:"), message.get("url"))
        problems.setdefault(name, []).append(f"{message.get('lastLine')}: {message['message']}")
    return problems


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_page_is_valid_html(client, tmp_path):
    from django.core.management import call_command

    call_command("load_reference_data", verbosity=0)
    site = build_site()
    pages: dict[str, str] = {}
    logins = {"coordinator": site.coordinator, "adviser": site.adviser}
    for persona, urls in page_urls(site).items():
        client.logout()
        if persona in logins:
            client.force_login(logins[persona])
        for name, url in urls:
            response = client.get(url)
            assert response.status_code in (200, 410), (name, response.status_code)
            pages[name] = response.content.decode()

    # Error states.
    client.logout()
    pages["login with errors"] = client.post(reverse("login"), {"username": "x"}).content.decode()
    client.force_login(site.coordinator)
    pages["create with errors"] = client.post(
        reverse("assessment:create", kwargs={"number": "1815"}), {"period": "soon"}
    ).content.decode()
    assessment = site.open_assessment
    client.post(
        reverse("assessment:intro", kwargs={"pk": assessment.pk}), {"role_group": "administration"}
    )
    bank = QuestionBank.objects.get(version="1").parsed
    pages["wizard step with errors"] = client.post(
        step_url(assessment, "planning_strategy"),
        management(assessment, {"assessment_wizard_current_step": "planning_strategy"}),
    ).content.decode()
    for number, theme in enumerate(bank.themes, start=1):
        pages[f"wizard step {number}"] = client.get(
            step_url(assessment, theme.key)
        ).content.decode()
        data = management(assessment, step_data(bank, theme.key, RoleGroup.ADMINISTRATION))
        client.post(step_url(assessment, theme.key), data)
    pages["check your answers"] = client.get(step_url(assessment, "kontroll")).content.decode()

    problems = _validate(pages, tmp_path)
    assert len(pages) >= 40
    assert not problems, json.dumps(problems, indent=2, ensure_ascii=False)
