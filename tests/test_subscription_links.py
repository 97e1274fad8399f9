"""The manage and unsubscribe links are checked like the confirmation link.

A link whose MAC does not match, or that was made for another purpose, answers
404 and changes nothing, by GET or by the one-click POST.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Any

import pytest

from registry.enums import SubscriberStatus
from registry.models.base import utcnow
from registry.notices.tokens import make_token
from registry.settings import Settings
from tests.support.notices import SmtpSink
from tests.test_subscriptions import (  # noqa: F401  (fixtures)
    FORM,
    confirmed_with_mail,
    deliver,
    link,
    mail_client,
    mail_settings,
    sink,
    subscriber,
)

ADDRESS = "cy@example.com"


def forged(path: str, mac: str = "A" * 24) -> str:
    """The same public id under a MAC nobody issued."""
    prefix, _sep, token = path.rpartition("/")
    public_id = token.partition(".")[0]
    return f"{prefix}/{public_id}.{mac}"


@pytest.fixture
def manage_path(mail_client: Any, engine: Any, mail_settings: Settings, sink: SmtpSink) -> str:
    return link(
        confirmed_with_mail(mail_client, engine, mail_settings, sink), "/subscriptions/manage/"
    )


def test_a_forged_manage_link_shows_nothing_and_changes_nothing(
    mail_client: Any, engine: Any, manage_path: str
) -> None:
    bad = forged(manage_path)
    assert mail_client.get(bad).status_code == 404
    assert mail_client.post(bad, data={"lang": "ko"}, headers=FORM).status_code in (403, 404)
    record = subscriber(engine, ADDRESS)
    assert record is not None and record.lang == "en"
    assert mail_client.get(manage_path).status_code == 200


def test_a_forged_unsubscribe_link_unsubscribes_nobody(
    mail_client: Any, engine: Any, manage_path: str
) -> None:
    unsubscribe = manage_path.replace("/manage/", "/unsubscribe/")
    bad = forged(unsubscribe)
    assert mail_client.get(bad).status_code == 404
    one_click = mail_client.post(bad, content=b"List-Unsubscribe=One-Click", headers=FORM)
    assert one_click.status_code == 404
    assert subscriber(engine, ADDRESS).status == SubscriberStatus.CONFIRMED  # type: ignore[union-attr]


def test_a_manage_token_does_not_open_the_unsubscribe_route_unless_issued_for_it(
    mail_client: Any, engine: Any, manage_path: str, mail_settings: Settings
) -> None:
    from registry.notices.tokens import make_token, public_id_of

    token = manage_path.rpartition("/")[2]
    confirm_token = make_token(
        mail_settings.resolved_secret_key(), "confirm-not-unsubscribe", public_id_of(token)
    )
    response = mail_client.post(
        f"/subscriptions/unsubscribe/{confirm_token}",
        content=b"List-Unsubscribe=One-Click",
        headers=FORM,
    )
    assert response.status_code == 404
    assert subscriber(engine, ADDRESS).status == SubscriberStatus.CONFIRMED  # type: ignore[union-attr]


def documented_mac(secret_key: str, purpose: str, public_id: str, extra: str = "") -> str:
    """The MAC as the module docstring describes it, computed here independently: the
    first 18 bytes of HMAC-SHA256(key, "purpose:public_id:extra"), URL-safe base64."""
    digest = hmac.new(
        secret_key.encode(), f"{purpose}:{public_id}:{extra}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def test_a_manage_link_opens_only_the_subscriber_it_was_issued_for(
    mail_client: Any, engine: Any, manage_path: str
) -> None:
    mail_client.post("/subscribe", data={"email": "other@example.com"}, headers=FORM)
    other = subscriber(engine, "other@example.com")
    assert other is not None
    prefix, _sep, token = manage_path.rpartition("/")
    mac = token.partition(".")[2]
    # The MAC covers the public id: moved onto someone else's id it opens nothing.
    assert mail_client.get(f"{prefix}/{other.public_id}.{mac}").status_code == 404
    one_click = mail_client.post(
        f"{prefix.replace('/manage', '/unsubscribe')}/{other.public_id}.{mac}",
        content=b"List-Unsubscribe=One-Click",
        headers=FORM,
    )
    assert one_click.status_code == 404
    assert subscriber(engine, "other@example.com").status == SubscriberStatus.PENDING  # type: ignore[union-attr]


def test_an_old_confirmation_link_confirms_nothing_after_leaving_and_subscribing_again(
    mail_client: Any, engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    confirmation = confirmed_with_mail(mail_client, engine, mail_settings, sink)
    old_confirm = link(confirmation, "/subscriptions/confirm/")
    unsubscribe = link(confirmation, "/subscriptions/manage/").replace("/manage/", "/unsubscribe/")
    mail_client.post(unsubscribe, content=b"List-Unsubscribe=One-Click", headers=FORM)
    mail_client.post("/subscribe", data={"email": ADDRESS}, headers=FORM)
    assert subscriber(engine, ADDRESS).status == SubscriberStatus.PENDING  # type: ignore[union-attr]
    # The link from before covers the old request's nonce: it no longer confirms.
    assert mail_client.get(old_confirm).status_code == 404
    assert subscriber(engine, ADDRESS).status == SubscriberStatus.PENDING  # type: ignore[union-attr]
    deliver(engine, mail_settings)
    new_confirm = link(sink.messages()[-1], "/subscriptions/confirm/")
    assert new_confirm != old_confirm
    assert mail_client.get(new_confirm).status_code == 200
    assert subscriber(engine, ADDRESS).status == SubscriberStatus.CONFIRMED  # type: ignore[union-attr]


def test_links_carry_a_96_bit_id_and_the_documented_mac(
    engine: Any, mail_settings: Settings, manage_path: str
) -> None:
    """Links already in people's mailboxes keep working only while the MAC is computed
    the same way; the id and nonce are long enough not to be guessed."""
    record = subscriber(engine, ADDRESS)
    assert record is not None
    key = mail_settings.resolved_secret_key()
    assert re.fullmatch(r"[0-9a-f]{24}", record.public_id)
    assert re.fullmatch(r"[0-9a-f]{16}", record.confirm_nonce)
    assert manage_path.rpartition("/")[2] == (
        f"{record.public_id}.{documented_mac(key, 'manage', record.public_id)}"
    )
    # Every MAC character counts, a trailing letter as much as any other.
    macs = [documented_mac(key, "manage", f"{n:024x}") for n in range(400)]
    assert any(mac.endswith("X") for mac in macs)
    for n, mac in enumerate(macs):
        assert make_token(key, "manage", f"{n:024x}") == f"{n:024x}.{mac}"


def test_leaving_records_when_and_an_unknown_language_is_400_naming_it(
    mail_client: Any, engine: Any, manage_path: str
) -> None:
    refused = mail_client.post(
        manage_path, data={"lang": "fr"}, headers=FORM | {"Accept": "application/json"}
    )
    assert refused.status_code == 400
    assert refused.json()["extra"] == [
        {"key": "lang", "message": "must be one of en, ko", "source": "body"}
    ]
    assert subscriber(engine, ADDRESS).lang == "en"  # type: ignore[union-attr]
    before = utcnow()
    unsubscribe = manage_path.replace("/manage/", "/unsubscribe/")
    mail_client.post(unsubscribe, content=b"List-Unsubscribe=One-Click", headers=FORM)
    record = subscriber(engine, ADDRESS)
    assert record is not None and record.status == SubscriberStatus.UNSUBSCRIBED
    assert record.unsubscribed_at is not None and before <= record.unsubscribed_at <= utcnow()
