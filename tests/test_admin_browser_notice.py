"""In a real Chromium: the publish form's notice warning follows the date as it is typed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from registry.db import transaction
from registry.services.organisations import save_organisation
from tests.support.browser import page, server, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_the_notice_warning_follows_the_chosen_date(server: Any, page: Any) -> None:
    base, email, engine = server
    with transaction(engine) as session:
        for name, days in (("Short Ltd", 15), ("Standard SA", 30), ("Careful AG", 60)):
            save_organisation(session, name=name, notice_days=days, actor="legal@example.com")
    sign_in(page, base, email)
    page.goto(base + "/admin/preview")
    names = page.locator("#owed-notice li:visible strong")
    assert names.all_inner_texts() == ["Careful AG"]
    today = datetime.now(UTC).date()
    page.locator("#f-effective_at").fill((today + timedelta(days=20)).isoformat())
    assert names.all_inner_texts() == ["Careful AG", "Standard SA"]
    page.locator("#f-effective_at").fill((today + timedelta(days=90)).isoformat())
    assert not page.locator("#owed-notice").is_visible()
