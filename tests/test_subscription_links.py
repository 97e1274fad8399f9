"""The manage and unsubscribe links are checked like the confirmation link.

A link whose MAC does not match, or that was made for another purpose, answers
404 and changes nothing, by GET or by the one-click POST.
"""

from __future__ import annotations

from typing import Any

import pytest

from registry.enums import SubscriberStatus
from registry.settings import Settings
from tests.support.notices import SmtpSink
from tests.test_subscriptions import (  # noqa: F401  (fixtures)
    FORM,
    confirmed_with_mail,
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
