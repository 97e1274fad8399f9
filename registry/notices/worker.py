"""The worker: claims due outbox messages in batches and delivers them.

One SMTP connection serves every batch while there is work, and is closed when
the queue is empty. A failed message goes back to pending with its reason and
a doubled delay, until `outbox_max_attempts`; then it is failed. A worker that
dies holding a batch loses nothing: the lease runs out and another worker (or
the same one restarted) claims the rows again, so at most one batch is sent twice.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from jinja2 import Environment
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from registry.addresses import UnsafeHeader
from registry.db import read_session, transaction
from registry.enums import OutboxKind, SubscriberStatus, WebhookStatus
from registry.errors import InvalidInput
from registry.models import Company, OutboxMessage, RegistryVersion, Subscriber, WebhookEndpoint
from registry.models.base import utcnow
from registry.notices import contract_mail, keep, outbox, render, webhooks
from registry.notices.mail import MailConnection, MailError, open_connection
from registry.settings import Settings
from registry.templating import build_environment

log = logging.getLogger("registry.worker")
LEASE_SECONDS = 300.0


class Worker:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        secret_key: str | None = None,
        env: Environment | None = None,
        batch_size: int = 100,
        lease_seconds: float = LEASE_SECONDS,
        name: str | None = None,
    ) -> None:
        self.engine, self.settings = engine, settings
        self.secret_key = secret_key or settings.resolved_secret_key()
        self.env = env or build_environment()
        self.batch_size, self.lease_seconds = batch_size, lease_seconds
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
        self._mail: MailConnection | None = None
        self._contexts: dict[int, dict[str, Any]] = {}
        self._notices: dict[tuple[int, str], render.MailParts] = {}
        self._bodies: dict[int, bytes] = {}
        self._contract_notices: dict[tuple[int, str], render.MailParts] = {}
        self._connect_error = ""
        self._logged_kinds: set[str] = set()

    def run(self, stop: threading.Event) -> None:
        """Deliver until `stop` is set; sleep `worker_poll_seconds` when nothing is due."""
        log.info("worker %s started", self.name)
        while not stop.is_set():
            try:
                done = self.run_once()
            except SQLAlchemyError as error:
                log.warning("worker %s: database error: %s", self.name, error)
                done = 0
            except Exception:  # keep the thread alive; the lease returns the batch
                log.exception("worker %s: unexpected error", self.name)
                self.close()
                done = 0
            if not done:
                stop.wait(self.settings.worker_poll_seconds)
        self.close()
        log.info("worker %s stopped", self.name)

    def run_once(self) -> int:
        """Claim one batch, deliver it, record the results; how many were claimed."""
        with transaction(self.engine) as session:
            claimed = outbox.claim(
                session, worker=self.name, limit=self.batch_size, lease_seconds=self.lease_seconds
            )
        if not claimed:
            self.close()
            return 0
        results = self._deliver_all(claimed)
        with transaction(self.engine) as session:
            outbox.release(session, claimed[len(results) :])
            outbox.record(
                session,
                results,
                max_attempts=self.settings.outbox_max_attempts,
                retry_base=self.settings.outbox_retry_seconds,
            )
            keep.store(session, kept_items(results))
        return len(claimed)

    def close(self) -> None:
        if self._mail is not None:
            self._mail.close()
            self._mail = None

    def _deliver_all(self, claimed: list[OutboxMessage]) -> list[outbox.Result]:
        with read_session(self.engine) as session:
            subscriber_ids = [m.subscriber_id for m in claimed if m.subscriber_id is not None]
            subscribers = {
                s.id: s
                for s in session.exec(
                    select(Subscriber).where(col(Subscriber.id).in_(subscriber_ids))
                )
            }
            hooks = {
                w.id: w
                for w in session.exec(
                    select(WebhookEndpoint).where(
                        col(WebhookEndpoint.id).in_([m.webhook_id for m in claimed])
                    )
                )
            }
            for number in {m.version_number for m in claimed if m.version_number}:
                if number not in self._contexts:
                    version = session.get(RegistryVersion, number)
                    assert version is not None  # noqa: S101 (a foreign key guarantees it)
                    self._contexts[number] = render.version_context(
                        session, version, self.settings.base_url
                    )
            company = session.get(Company, 1)
            company_name = company.name if company else ""
            # Objection emails are answered to the company's privacy contact.
            reply_to = company.contact_email if company else ""
        mail_down = ""
        results: list[outbox.Result] = []
        deadline = time.monotonic() + self.lease_seconds / 2
        for message in claimed:
            if results and time.monotonic() > deadline:
                break  # slow servers: hand the rest back before the lease runs out
            if message.kind != OutboxKind.WEBHOOK and mail_down:
                results.append(outbox.Result(message, ok=False, error=mail_down))
                continue
            try:
                if message.kind == OutboxKind.WEBHOOK:
                    result = self._webhook(message, hooks.get(message.webhook_id))
                elif message.kind == OutboxKind.MESSAGE:
                    result = self._message(message, reply_to)
                elif message.kind == OutboxKind.CONTRACT:
                    result = contract_mail.deliver(self, message)
                else:
                    subscriber = subscribers.get(message.subscriber_id)
                    self._connect_error = ""
                    result = self._email(message, subscriber, company_name)
                    if not result.ok and self._connect_error:
                        mail_down = result.error  # the server cannot be reached: spare the rest
            except UnsafeHeader as error:  # this message can never be sent as it stands
                log.warning("worker %s: message %s: %s", self.name, message.id, error)
                result = outbox.Result(message, ok=False, final=True, error=str(error))
            except Exception as error:  # a bug must not stall the queue: record it, retry
                self._log_failure(message, error)
                result = outbox.Result(message, ok=False, error=f"{type(error).__name__}: {error}")
            results.append(result)
        return results

    def _email(
        self, message: OutboxMessage, subscriber: Subscriber | None, company: str
    ) -> outbox.Result:
        wanted = (
            SubscriberStatus.PENDING
            if message.kind == OutboxKind.CONFIRMATION
            else SubscriberStatus.CONFIRMED
        )
        if subscriber is None or subscriber.status != wanted:
            return outbox.Result(
                message, ok=False, final=True, error="not sent: the subscriber's status changed"
            )
        links = render.subscriber_links(
            subscriber, self.settings.base_url, self.secret_key, version=message.version_number
        )
        if message.kind == OutboxKind.CONFIRMATION:
            parts = render.render_confirmation(self.env, subscriber, links, company)
            msg_id = render.message_id(
                "confirm", message.dedupe_key.split(":")[-1], self.settings.mail_from
            )
            email = render.build_email(
                parts, to=subscriber.email, mail_from=self.settings.mail_from, msg_id=msg_id
            )
        else:
            number = message.version_number or 0
            key = (number, subscriber.lang)
            if key not in self._notices:
                self._notices[key] = render.render_notice(
                    self.env, self._contexts[number], subscriber.lang
                )
            parts = render.personalise(self._notices[key], links)
            msg_id = render.message_id(
                f"notice.v{number}", subscriber.public_id, self.settings.mail_from
            )
            email = render.build_email(
                parts,
                to=subscriber.email,
                mail_from=self.settings.mail_from,
                msg_id=msg_id,
                unsubscribe_url=links.unsubscribe,
                manage_url=links.manage,
            )
        return self._send(message, email, subscriber.email, msg_id)

    def _message(self, message: OutboxMessage, reply_to: str = "") -> outbox.Result:
        """A one-off email whose parts were rendered when it was owed."""
        parts = render.MailParts(message.subject, message.body_text, message.body_html)
        msg_id = render.message_id("message", str(message.id), self.settings.mail_from)
        email = render.build_email(
            parts,
            to=message.recipient,
            mail_from=self.settings.mail_from,
            msg_id=msg_id,
            reply_to=reply_to or None,
        )
        return self._send(message, email, message.recipient, msg_id)

    def _send(self, message: OutboxMessage, email: bytes, to: str, msg_id: str) -> outbox.Result:
        try:
            if self._mail is None:
                self._mail = self._connect()
            handed_at = utcnow()
            answer = self._mail.send(email, self.settings.mail_from, to)
        except MailError as error:
            if error.broken:
                self.close()
            log.warning("worker %s: message %s: %s", self.name, message.id, error.reason)
            return outbox.Result(message, ok=False, error=error.reason, final=error.permanent)
        handed = keep.Handed(
            "email", email, answer, handed_at, utcnow(), base_key(message), msg_id, to
        )
        return outbox.Result(message, ok=True, message_id=msg_id, response=answer, handed=handed)

    def _connect(self) -> MailConnection:
        try:
            return open_connection(self.settings.smtp_url, self.settings.var_dir)
        except MailError as error:
            self._connect_error = error.reason
            raise

    def _log_failure(self, message: OutboxMessage, error: Exception) -> None:
        """One line per failed message; the traceback once per kind of error per worker."""
        kind = type(error).__name__
        if kind in self._logged_kinds:
            log.warning("worker %s: message %s: %s: %s", self.name, message.id, kind, error)
            return
        self._logged_kinds.add(kind)
        log.error("worker %s: message %s", self.name, message.id, exc_info=error)

    def _webhook(self, message: OutboxMessage, hook: WebhookEndpoint | None) -> outbox.Result:
        if hook is None or hook.status != WebhookStatus.ACTIVE:
            return outbox.Result(message, ok=False, final=True, error="not sent: webhook removed")
        number = message.version_number or 0
        if number not in self._bodies:
            self._bodies[number] = render.webhook_body(self._contexts[number])
        try:
            body = self._bodies[number]
            headers = webhooks.signed_headers(hook.secret, body, str(message.id))
            handed_at = utcnow()
            answer = webhooks.deliver_signed(
                hook.url,
                body,
                headers,
                allow_insecure_loopback=self.settings.webhook_allow_insecure_loopback,
            )
        except webhooks.DeliveryError as error:
            return outbox.Result(message, ok=False, error=error.reason, final=error.permanent)
        except InvalidInput as error:  # the host now resolves to a private address
            return outbox.Result(message, ok=False, error=error.detail)
        handed = keep.Handed(
            "webhook", body, answer, handed_at, utcnow(), recipient=hook.url, headers=headers
        )
        return outbox.Result(message, ok=True, response=answer, handed=handed)


def base_key(message: OutboxMessage) -> str:
    """Which messages share a compression base: a notice's (version, language);
    a confirmation's (language, month); a one-off message none."""
    if message.kind == OutboxKind.NOTICE:
        return f"notice:{message.version_number}:{message.lang}"
    if message.kind == OutboxKind.CONFIRMATION:
        return f"confirm:{message.lang}:{utcnow():%Y-%m}"
    return ""


def kept_items(results: list[outbox.Result]) -> list[tuple[int | None, int | None, keep.Handed]]:
    return [
        (r.message.id, r.message.version_number, r.handed) for r in results if r.handed is not None
    ]


def start_thread(
    engine: Engine, settings: Settings, secret_key: str, env: Environment
) -> tuple[threading.Thread, threading.Event]:
    """The in-process worker of `registry serve`: a daemon thread, stopped by the event."""
    stop = threading.Event()
    worker = Worker(engine, settings, secret_key=secret_key, env=env)
    thread = threading.Thread(target=worker.run, args=(stop,), name="registry-worker", daemon=True)
    thread.start()
    return thread, stop


def start_in_process(app: Any) -> None:
    """on_startup: run a worker thread unless the settings or REGISTRY_NO_WORKER=1 say not."""
    state = app.state
    if not state.settings.worker_in_process or os.environ.get("REGISTRY_NO_WORKER") == "1":
        return
    state.worker = start_thread(state.engine, state.settings, state.secret_key, state.templates)


def stop_in_process(app: Any) -> None:
    worker = app.state.get("worker")
    if worker is not None:
        thread, stop = worker
        stop.set()
        thread.join(timeout=30)
