"""Legal writes the Korean of a new recipient and of the summary in the admin (real Chromium);
the Korean notice, page and PDF show it."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from registry.db import transaction
from registry.notices.worker import Worker
from registry.settings import Settings
from tests.support.browser import page, server, sign_in  # noqa: F401 (fixtures)
from tests.support.legal import complete_recipient
from tests.support.notices import SmtpSink, add_confirmed

pytestmark = pytest.mark.browser

KO = {
    "purposes": "고객 지원 화상 통화",
    "data_categories": "이름\n이메일 주소",
    "retention": "지원 계약 종료 시까지",
    "summary": "고객 지원을 위해 Zoom(미국)을 추가했습니다.",
}


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    smtp = SmtpSink().start()
    yield smtp
    smtp.stop()


def _pdf_text(browser_page: Any, url: str) -> str:
    answer = browser_page.request.get(url)
    assert answer.status == 200
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.body())).pages)


def test_legal_writes_korean_in_the_admin_and_the_korean_notice_page_and_pdf_show_it(
    server: Any,
    page: Any,
    sink: SmtpSink,
    tmp_path: Path,
) -> None:
    base, email, engine = server
    add_confirmed(engine, 1, prefix="hangul", lang="ko")
    sign_in(page, base, email)
    page.get_by_role("link", name="Add a recipient").click()
    page.get_by_label("Legal name").fill("Zoom Video Communications, Inc.")
    page.get_by_label("Short name").fill("Zoom")
    page.get_by_label("Find a country").fill("united states")
    page.locator("input[name=destinations][value=US]").check()
    page.locator("#f-mechanism-US").select_option("scc")
    page.locator("#f-scc_module-US").select_option("3")
    page.get_by_label("Purposes of use").fill("Customer support video calls")
    page.get_by_label("Name", exact=True).check()
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Retention period").fill("Until the end of the support contract")
    # "Copy English" puts the English just typed into the Korean field, to translate in place.
    page.locator("#translation-retention button.copy-english").click()
    assert page.locator("#f-ko-retention").input_value() == "Until the end of the support contract"
    page.locator("#f-ko-purposes").fill(KO["purposes"])
    page.locator("#f-ko-data_categories").fill(KO["data_categories"])
    page.locator("#f-ko-retention").fill(KO["retention"])
    page.get_by_role("button", name="Add to draft").click()
    page.wait_for_url("**/admin/recipients/zoom?notice=created")
    assert page.locator("#f-ko-retention").input_value() == KO["retention"]

    with transaction(engine) as session:  # the rest legal fills in (address, PIPA items…)
        complete_recipient(session, "zoom")
    page.get_by_role("link", name="Preview & publish").click()
    assert page.locator(".checklist-items li").all_inner_texts() == []
    page.get_by_label("Summary of the changes").fill("Added Zoom (USA) for customer support")
    page.locator("#f-ko-summary").fill(KO["summary"])
    page.get_by_label("Takes effect on").fill(time.strftime("%Y-%m-%d", time.gmtime()))
    page.get_by_label("Reason for shorter notice").fill("Contract signed today")
    page.locator("#f-confirm_audience").check()  # one Korean subscriber is told
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_url("**/admin/versions/2?notice=published")

    page.goto(base + "/?lang=ko&version=2")
    row = page.locator("#recipient-zoom").inner_text()
    assert KO["purposes"] in row and KO["retention"] in row and "이메일 주소" in row
    page.goto(base + "/changes?lang=ko")
    assert KO["summary"] in page.locator("#version-2").inner_text()
    assert KO["retention"] in _pdf_text(page, base + "/transfers.pdf?lang=ko&version=2")

    settings = Settings(
        database_url=str(engine.url),
        var_dir=tmp_path / "worker-var",
        secret_key="browser-test-secret-" + "x" * 32,
        environment="test",
        base_url=base,
        smtp_url=sink.url,
        worker_in_process=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    worker = Worker(engine, settings)
    while worker.run_once():
        pass
    worker.close()
    (notice,) = [m for m in sink.messages() if "hangul" in str(m["To"])]
    text = notice.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert KO["summary"] in text
    assert KO["retention"] in text
