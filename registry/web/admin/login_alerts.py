"""What a throttled sign-in says, and the email an account's owner gets when it
sees many failed sign-ins (rendered now, sent by the worker after the commit)."""

from __future__ import annotations

import math

from litestar.datastructures import State
from sqlmodel import Session, select

from registry.i18n import gettext as _
from registry.i18n import language
from registry.models import User
from registry.models.base import utcnow
from registry.notices.outbox import enqueue_message
from registry.services import login_throttle
from registry.services.sessions import SessionPolicy
from registry.services.users import normalise_email


def throttle_message(retry_after: int) -> str:
    if retry_after < 120:
        return _(
            "Too many failed sign-ins from here. Wait %(seconds)s seconds and try again.",
            seconds=retry_after,
        )
    return _(
        "Too many failed sign-ins. Wait %(minutes)s minutes and try again, or ask an "
        "administrator to check your account.",
        minutes=math.ceil(retry_after / 60),
    )


def alert_owner(state: State, session: Session, email: str, policy: SessionPolicy) -> None:
    """Tell the owner of `email` (once per window) that their account sees many failures."""
    try:
        address = normalise_email(email)
    except Exception:  # not an address: no account to tell
        return
    user = session.exec(select(User).where(User.email == address)).first()
    if user is None or not login_throttle.alert_due(session, user, policy):
        return
    context = {
        "email": user.email,
        "count": login_throttle.ALERT_AFTER,
        "minutes": int(policy.window.total_seconds() // 60),
        "password_url": f"{state.settings.base_url}/admin/password",
    }
    with language("en"):
        subject = state.templates.get_template("email/login_alert_subject.txt").render(context)
        text = state.templates.get_template("email/login_alert.txt").render(context)
        html = state.templates.get_template("email/login_alert.html").render(context)
    enqueue_message(
        session,
        to=user.email,
        lang="en",
        subject=" ".join(subject.split()),
        text=text,
        html=html,
        key=f"login-alert:{user.id}:{utcnow().strftime('%Y%m%d%H%M%S')}",
    )
