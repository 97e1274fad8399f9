"""Keep what was sent: the evidence is byte for byte what the mail server received,
whatever happens to the templates afterwards; webhooks keep body, signature and
answer; the bytes are stored compactly and pruned after the retention period."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import update
from sqlmodel import Session, select

from registry.db import transaction
from registry.models import KeptBase, KeptMessage
from registry.models.base import utcnow
from registry.notices import keep
from registry.notices.worker import Worker
from registry.services.evidence import evidence
from registry.settings import Settings
from registry.templating import build_environment
from tests.support.notices import SmtpSink, add_confirmed, publish_change


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


def _deliver(engine: Any, settings: Settings) -> None:
    worker = Worker(engine, settings)
    while worker.run_once():
        pass
    worker.close()


def test_evidence_lists_for_each_message_the_sha256_of_the_bytes_the_server_received(
    client: Any, engine: Any, settings: Settings, viewer_headers: Any, sink: SmtpSink
) -> None:
    add_confirmed(engine, 3)
    add_confirmed(engine, 2, prefix="kunde", lang="ko")
    number = publish_change(engine)
    _deliver(engine, settings.model_copy(update={"smtp_url": sink.url}))
    received = {hashlib.sha256(content).hexdigest() for _to, content in sink.received}
    assert len(received) == 5
    data = client.get(f"/api/v1/versions/{number}/evidence", headers=viewer_headers).json()
    assert {m["sha256"] for m in data["messages"]} == received
    ids = {m["Message-ID"] for m in sink.messages()}
    assert {m["message_id"] for m in data["messages"]} == ids
    assert all(d["sha256"] in received for d in data["notices"])
    assert all(m["server_reply"] == "250 OK queued" for m in data["messages"])
    with Session(engine) as session:
        for kept in session.exec(select(KeptMessage)).all():
            raw = keep.raw_bytes(session, kept)
            assert hashlib.sha256(raw).hexdigest() in received
            assert b"\n" not in raw.replace(b"\r\n", b"")  # RFC 5322: CRLF only
    assert data["notice_as_sent"]["ko"]["source"] == "kept"
    assert data["notice_as_sent"]["ko"]["sha256"] in received


def test_changing_a_template_after_sending_does_not_change_the_evidence(
    engine: Any, settings: Settings, sink: SmtpSink
) -> None:
    add_confirmed(engine, 2)
    number = publish_change(engine)
    _deliver(engine, settings.model_copy(update={"smtp_url": sink.url}))
    before_env = build_environment()
    changed_env = build_environment()
    changed_env.loader = ChoiceLoader(
        [
            DictLoader({"email/notice.txt": "A NEW TEMPLATE", "email/notice_subject.txt": "NEW"}),
            before_env.loader,  # type: ignore[list-item]
        ]
    )
    with Session(engine) as session:
        before = evidence(session, number, before_env, settings.base_url)
        after = evidence(session, number, changed_env, settings.base_url)
    assert after["notice_as_sent"]["en"] == before["notice_as_sent"]["en"]
    assert after["notice_as_sent"]["en"]["source"] == "kept"
    assert after["notice_as_sent"]["ko"]["source"] == "not sent yet"  # nobody reads Korean
    assert "A NEW TEMPLATE" not in after["notice_as_sent"]["en"]["text"]
    assert after["messages"] == before["messages"]


def test_the_evidence_carries_its_own_sha256_and_the_version_hash(
    client: Any, engine: Any, viewer_headers: Any
) -> None:
    import rfc8785

    number = publish_change(engine)
    data = client.get(f"/api/v1/versions/{number}/evidence", headers=viewer_headers).json()
    body = {k: v for k, v in data.items() if k != "evidence_sha256"}
    assert data["evidence_sha256"] == hashlib.sha256(rfc8785.dumps(body)).hexdigest()
    version = client.get(f"/api/v1/versions/{number}").json()
    assert data["content_hash"] == version["content_hash"]


def test_webhooks_keep_the_body_its_signature_and_the_answer(
    engine: Any, settings: Settings
) -> None:
    from tests.test_changes_and_webhooks import Receiver  # the loopback endpoint

    server = Receiver()
    import threading

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        hook_settings = settings.model_copy(update={"webhook_allow_insecure_loopback": True})
        from registry.notices import webhooks

        with transaction(engine) as session:
            webhooks.store(session, url=server.url, secret="s3cret", description="")
        publish_change(engine)
        _deliver(engine, hook_settings)
    finally:
        server.shutdown()
        server.server_close()
    headers, body = server.deliveries[0]
    with Session(engine) as session:
        kept = session.exec(select(KeptMessage).where(KeptMessage.channel == "webhook")).one()
        assert keep.raw_bytes(session, kept) == body
        assert (
            keep.kept_out(kept)["headers"]["X-Registry-Signature"]
            == headers["X-Registry-Signature"]
        )
        assert kept.reply == "HTTP 200"


def test_kept_bytes_are_compact_and_pruned_after_the_retention_period(
    engine: Any, settings: Settings, sink: SmtpSink
) -> None:
    add_confirmed(engine, 60)
    publish_change(engine)
    _deliver(engine, settings.model_copy(update={"smtp_url": sink.url}))
    sent = sum(len(content) for _to, content in sink.received)
    with Session(engine) as session:
        stored = keep.storage_bytes(session)
    assert stored < sent / 10  # each message is a small delta against its language's first
    with transaction(engine) as session:
        assert keep.prune(session, years=10) == 0
        session.execute(
            update(KeptMessage).values(handed_at=utcnow() - timedelta(days=366 * 10 + 3))
        )
    with transaction(engine) as session:
        assert keep.prune(session, years=10, dry_run=True) == 60
        assert keep.prune(session, years=10) == 60
    with Session(engine) as session:
        assert session.exec(select(KeptMessage)).all() == []
        assert session.exec(select(KeptBase)).all() == []


def test_damaged_kept_bytes_are_refused(engine: Any, settings: Settings, sink: SmtpSink) -> None:
    add_confirmed(engine, 2)
    publish_change(engine)
    _deliver(engine, settings.model_copy(update={"smtp_url": sink.url}))
    with transaction(engine) as session:
        session.execute(update(KeptMessage).values(sha256="0" * 64))
    with Session(engine) as session:
        kept = session.exec(select(KeptMessage)).first()
        assert kept is not None
        with pytest.raises(keep.KeptBytesDamaged):
            keep.raw_bytes(session, kept)


def test_kept_bytes_survive_export_and_import(
    engine: Any, settings: Settings, sink: SmtpSink, tmp_path: Any
) -> None:
    import json

    from registry.db import make_engine
    from registry.migrate import upgrade
    from registry.services.backup import export_registry, import_registry

    add_confirmed(engine, 2)
    publish_change(engine)
    _deliver(engine, settings.model_copy(update={"smtp_url": sink.url}))
    with engine.connect() as connection:
        exported = json.loads(json.dumps(export_registry(connection)))
    target = make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    upgrade(target)
    with target.begin() as connection:
        import_registry(connection, exported)
    received = {hashlib.sha256(content).hexdigest() for _to, content in sink.received}
    with Session(target) as session:
        kept = session.exec(select(KeptMessage)).all()
        assert {hashlib.sha256(keep.raw_bytes(session, k)).hexdigest() for k in kept} == received
    target.dispose()
