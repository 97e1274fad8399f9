"""Every Korean page, email and PDF, rendered for real: no placeholder particle such as (은)는."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient
from pypdf import PdfReader

from registry.app import create_app
from registry.db import transaction
from registry.enums import UserRole
from registry.notices.worker import Worker
from registry.services import draft, versions
from registry.services.objection_mail import Mailer
from registry.settings import Settings
from registry.templating import build_environment
from tests.support.admin import make_user, sign_in
from tests.support.notices import SmtpSink, add_confirmed, publish_change

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

PLACEHOLDER = re.compile(r"\((?:은|는|이|가|을|를|과|와)\)|\(으\)로")
PUBLIC = ["/", "/annexes", "/changes", "/documents", "/changes.atom"]
ADMIN = [
    "/admin/recipients",
    "/admin/recipients/new",
    "/admin/recipients/datadog",
    "/admin/recipients/openai",
    "/admin/preview",
    "/admin/preview/transfers",
    "/admin/preview/annexes",
    "/admin/company",
    "/admin/history",
    "/admin/users",
    "/admin/subscribers",
    "/admin/objections",
    "/admin/organisations",
]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    smtp = SmtpSink().start()
    yield smtp
    smtp.stop()


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _rendered(client: Any, number: int) -> dict[str, str]:
    """Every page and PDF a Korean reader or a Korean-speaking legal team sees."""
    seen: dict[str, str] = {}
    for path in [*PUBLIC, f"/objections/new?version={number}"]:
        sep = "&" if "?" in path else "?"
        answer = client.get(f"{path}{sep}lang=ko")
        assert answer.status_code == 200, path
        seen[path] = answer.text
    for path in ["/transfers.pdf", "/annexes.pdf"]:
        for version in (1, number):
            answer = client.get(f"{path}?lang=ko&version={version}")
            assert answer.status_code == 200, path
            seen[f"{path}?version={version}"] = _pdf_text(answer.content)
    client.get("/admin/recipients?lang=ko")  # the admin follows the lang cookie
    for path in [*ADMIN, f"/admin/versions/{number}/deliveries"]:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert '<html lang="ko"' in answer.text, path
        seen[path] = answer.text
    link = re.search(r'href="(/admin/objections/[^"?/]+)"', seen["/admin/objections"])
    assert link is not None
    seen["objection"] = client.get(link.group(1)).text
    evidence = client.get(f"/admin/versions/{number}/evidence.pdf?lang=ko")
    assert evidence.status_code == 200
    seen["evidence.pdf"] = _pdf_text(evidence.content)
    return seen


def test_no_placeholder_particle_in_any_korean_page_email_or_pdf(
    settings: Settings, engine: Any, sink: SmtpSink
) -> None:
    mail = settings.model_copy(update={"smtp_url": sink.url, "outbox_retry_seconds": 0})
    add_confirmed(engine, 1, prefix="hangul", lang="ko")
    number = publish_change(engine)  # upcoming: Datadog gains India, OpenAI added, IPinfo leaves
    with transaction(engine) as session:  # a destination without a legal basis: a warning
        draft.patch_recipient(session, "openai", {"destinations": ["US", "CN"]}, actor="test")
    with TestClient(app=create_app(mail), base_url="http://testserver.local") as client:
        client.post("/subscribe", data={"email": "new@example.com", "lang": "ko"}, headers=FORM)
        client.post(
            "/objections",
            data={
                "version": str(number),
                "contact_email": "objector@example.com",
                "reason": "이전 국가가 늘어나는 것에 동의하지 않습니다.",
                "lang": "ko",
            },
            headers=FORM,
        )
        sign_in(client, make_user(engine, UserRole.ADMIN))
        seen = _rendered(client, number)
    worker = Worker(engine, mail)
    while worker.run_once():
        pass
    with transaction(engine) as session:
        mailer = Mailer(build_environment(), mail.base_url)
        versions.withdraw_version(session, number, "고객사의 이의 제기", "legal@x", mailer)
    while worker.run_once():
        pass
    worker.close()
    for message in sink.messages():
        body = "\n".join(
            part.get_content()
            for part in message.walk()
            if part.get_content_type() in ("text/plain", "text/html")
        )
        seen[f"mail to {message['To']}: {message['Subject']}"] = f"{message['Subject']}\n{body}"
    korean_mail = [key for key in seen if key.startswith("mail to") and re.search("[가-힣]", key)]
    assert len(korean_mail) >= 3  # confirmation, notice, objection confirmation, withdrawal
    found = {where: PLACEHOLDER.findall(text) for where, text in seen.items()}
    assert {where: hits for where, hits in found.items() if hits} == {}
    # The Korean pages say their numbers in Korean order ("1 / 2쪽") and name countries in Korean.
    assert re.search(r"1 / \d+쪽", seen["/transfers.pdf?version=1"])
    assert "중국" in seen["/admin/recipients/openai"]
    # The deliveries' column headers and every admin date are in Korean, not codes or ISO stamps.
    form = seen["/admin/recipients/datadog"]  # the company's names (대만), Korean beside categories
    assert "대만" in form and "타이완" not in form
    assert '<span lang="en">Email</span> <span lang="ko">(이메일 주소)</span>' in form
    # "Active": 활성 for an account, 이용 중 for a recipient (msgctxt "account").
    assert re.search(r'name="is_active"[^>]*> 활성</label>', seen["/admin/users"])
    assert "이용 중" in seen["/admin/recipients"]
    # The objection names its answer language, not its code.
    assert re.search("답변 언어</dt><dd>(English|한국어)</dd>", seen["objection"])
    deliveries = seen[f"/admin/versions/{number}/deliveries"]
    assert "대기 중" in deliveries and ">Pending<" not in deliveries
    iso = re.compile(r"(?<!content=\")\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")  # not meta data
    stamped = {where: iso.findall(text) for where, text in seen.items() if where in ADMIN}
    stamped["evidence.pdf"] = iso.findall(seen["evidence.pdf"])
    assert {where: hits for where, hits in stamped.items() if hits} == {}
