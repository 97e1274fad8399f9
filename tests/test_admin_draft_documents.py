"""The admin previews the draft's documents exactly as they will be published."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup

from registry.db import transaction
from registry.schemas import RecipientIn
from registry.services import draft
from tests.test_admin_pages import editor  # noqa: F401  (the signed-in editor fixture)
from tests.test_diff import NEW_RECIPIENT


def test_the_draft_annexes_show_an_unpublished_recipient(editor: Any, engine: Any) -> None:
    with transaction(engine) as session:
        draft.create_recipient(session, RecipientIn(**NEW_RECIPIENT), actor="test")
    for kind in ("annexes", "transfers"):
        answer = editor.get(f"/admin/preview/{kind}")
        assert answer.status_code == 200
        text = BeautifulSoup(answer.text, "html.parser").get_text(" ")
        assert "OpenAI, L.L.C." in text
        assert "Draft" in text
    assert editor.get("/admin/preview/nothing").status_code == 404
    published = editor.get("/annexes")
    assert "OpenAI, L.L.C." not in published.text
