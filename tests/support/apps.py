"""One app per settings shape per test process, given each test's own database.

Building the app is most of a small test's time (~0.3-0.6 s: Litestar parses
every handler's signature as it registers it). What a test needs fresh is the
state: engine, caches, limits (`registry.app.build_state`), which handlers,
hooks and the pipeline read from `app.state` at each request. So `app_for`
builds the app once for settings that differ only in their database and var
directory, and gives it a new state for each test; the compiled templates are
kept, as a running server keeps them.
"""

from __future__ import annotations

from litestar import Litestar

from registry.app import build_state, create_app
from registry.settings import Settings

_apps: dict[str, Litestar] = {}


def app_for(settings: Settings) -> Litestar:
    shape = settings.model_dump_json(exclude={"database_url", "var_dir"})
    app = _apps.get(shape)
    if app is None:
        app = _apps[shape] = create_app(settings)
    else:
        app.state = build_state(settings, templates=app.state.templates)
    return app
