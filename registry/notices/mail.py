"""Mail backends: SMTP from REGISTRY_SMTP_URL, or `.eml` files under var/mail/.

A backend opens one connection that sends many messages (the worker keeps it
for as long as it has work). `send` returns the server's answer to record;
`MailError` says whether trying again could help.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

SMTP_TIMEOUT = 30


class MailError(Exception):
    def __init__(self, reason: str, *, permanent: bool = False, broken: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent  # retrying this message cannot help (5xx)
        self.broken = broken  # the connection is gone: open a new one


class MailConnection(Protocol):
    def send(self, message: bytes, sender: str, recipient: str) -> str: ...

    def close(self) -> None: ...


class FileConnection:
    """Writes each message as an .eml file (the default: `make run` needs no mail server)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def send(self, message: bytes, sender: str, recipient: str) -> str:
        name = f"{uuid.uuid4().hex}.eml"
        temporary = self.directory / f".{name}.tmp"
        temporary.write_bytes(message)
        temporary.replace(self.directory / name)
        return f"written to {self.directory / name}"

    def close(self) -> None:
        return None


class SmtpConnection:
    """One SMTP session: smtps:// is TLS at once; smtp:// upgrades with STARTTLS if offered."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("REGISTRY_SMTP_URL must be smtp://host:port or smtps://host:port")
        context = ssl.create_default_context()
        try:
            if parts.scheme == "smtps":
                self.smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    parts.hostname, parts.port or 465, timeout=SMTP_TIMEOUT, context=context
                )
            else:
                self.smtp = smtplib.SMTP(parts.hostname, parts.port or 25, timeout=SMTP_TIMEOUT)
                self.smtp.ehlo()
                if self.smtp.has_extn("starttls"):
                    self.smtp.starttls(context=context)
                    self.smtp.ehlo()
            if parts.username:
                self.smtp.login(unquote(parts.username), unquote(parts.password or ""))
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"cannot connect to {parts.hostname}: {error}", broken=True) from None

    def send(self, message: bytes, sender: str, recipient: str) -> str:
        try:
            code, answer = self.smtp.mail(sender)
            if code != 250:
                self.smtp.rset()
                raise MailError(
                    f"MAIL FROM: {code} {answer.decode(errors='replace')}", permanent=code >= 500
                )
            code, answer = self.smtp.rcpt(recipient)
            if code not in (250, 251):
                self.smtp.rset()
                raise MailError(
                    f"RCPT TO: {code} {answer.decode(errors='replace')}", permanent=code >= 500
                )
            code, answer = self.smtp.data(message)
            if code != 250:
                raise MailError(
                    f"DATA: {code} {answer.decode(errors='replace')}", permanent=code >= 500
                )
            return f"{code} {answer.decode(errors='replace')}"
        except smtplib.SMTPServerDisconnected as error:
            raise MailError(f"connection lost: {error}", broken=True) from None
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"{type(error).__name__}: {error}", broken=True) from None

    def close(self) -> None:
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()


def open_connection(smtp_url: str, var_dir: Path) -> MailConnection:
    if smtp_url:
        return SmtpConnection(smtp_url)
    return FileConnection(var_dir / "mail")
