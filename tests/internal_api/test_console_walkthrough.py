"""Rough edges a newcomer walkthrough of the console found: English codes, developer field keys."""

from __future__ import annotations

import re
from typing import Any

from gongshi.core.context import Workflow
from gongshi.worker import run_once
from tests.factories import intake, token
from tests.internal_api.test_console import _login


def _post(client: Any, url: str, csrf: str, **form: str) -> Any:
    return client.post(url, data={**form, "_csrf_token": csrf}, follow_redirects=True)


def _public(page: str) -> str:
    return page.split('id="pub-h"')[1].split("</section>")[0]


def test_public_version_names_penalty_kinds_in_chinese(client: Any, wf: Workflow) -> None:
    body = intake(penalty={"categories": ["confiscation", "fine"], "fine_yuan": "19000.00"})
    decision_id = client.post("/api/v1/decisions", json=body, headers=token(wf, "submitter")).json()["id"]
    run_once(wf)
    _login(client, wf)
    public = _public(client.get(f"/console/decisions/{decision_id}").text)
    assert "<dt>处罚</dt><dd>没收违法所得、没收非法财物、罚款，罚款 19000.00 元</dd>" in public
    assert "confiscation" not in public and "fine" not in public
