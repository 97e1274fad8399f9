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
        try:
            temporary.write_bytes(message)
            temporary.replace(self.directory / name)
        except OSError as error:  # a full or read-only disk: leave no empty .tmp behind
            temporary.unlink(missing_ok=True)
            raise MailError(f"cannot write {self.directory}: {error.strerror or error}") from None
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
        self._in_data = False
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
        options = self._address_options(sender, recipient)
        try:
            return self._transaction(message, sender, recipient, options)
        except MailError:
            raise
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            # A timeout or a lost connection: an answer may still be in flight, so the
            # replies can no longer be matched to commands. Open a new session.
            raise MailError(f"connection lost: {error}", broken=True) from None
        except Exception as error:  # any other failure mid-transaction is handled alike
            # An encoding or protocol error left the session half-open: reset it (not
            # possible once DATA was accepted: the server reads RSET as message text).
            clean = not self._in_data and self._reset()
            raise MailError(f"{type(error).__name__}: {error}", broken=not clean) from None
        finally:
            self.smtp.command_encoding = "ascii"

    def _address_options(self, sender: str, recipient: str) -> list[str]:
        """SMTPUTF8 for a non-ASCII address if the server offers it; else refuse this message."""
        if sender.isascii() and recipient.isascii():
            return []
        if self.smtp.has_extn("smtputf8"):
            return ["SMTPUTF8"]
        raise MailError(
            "the address is not ASCII and the server does not offer SMTPUTF8", permanent=True
        )

    def _transaction(self, message: bytes, sender: str, recipient: str, options: list[str]) -> str:
        code, answer = self.smtp.mail(sender, options)
        if code != 250:
            raise self._refused("MAIL FROM", code, answer)
        code, answer = self.smtp.rcpt(recipient)
        if code not in (250, 251):
            raise self._refused("RCPT TO", code, answer)
        self._in_data = True
        try:
            code, answer = self.smtp.data(message)
        finally:
            self._in_data = False
        if code != 250:
            raise MailError(
                f"DATA: {code} {answer.decode(errors='replace')}", permanent=_permanent(code)
            )
        return f"{code} {answer.decode(errors='replace')}"

    def _refused(self, command: str, code: int, answer: bytes) -> MailError:
        """The transaction is abandoned: reset it so the next message starts clean."""
        clean = self._reset()
        reason = f"{command}: {code} {answer.decode(errors='replace')}"
        return MailError(reason, permanent=clean and _permanent(code), broken=not clean)

    def _reset(self) -> bool:
        """RSET; False when the session cannot be trusted any more (reconnect)."""
        try:
            code, _answer = self.smtp.rset()
        except Exception:  # a failed RSET means: reconnect
            return False
        return code == 250

    def close(self) -> None:
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            self.smtp.close()


def _permanent(code: int) -> bool:
    """A 5xx says this message cannot be delivered, except 503 (bad sequence of
    commands), which says the session was left in a wrong state, by an earlier
    message or by us: never this message's fault, so it is tried again."""
    return code >= 500 and code != 503


def open_connection(smtp_url: str, var_dir: Path) -> MailConnection:
    if smtp_url:
        return SmtpConnection(smtp_url)
    return FileConnection(var_dir / "mail")
