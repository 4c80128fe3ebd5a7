"""The web application behind `contractgen serve`: templates as forms, live preview,
batch, check and the clause library in a browser, on Starlette.

``create_app(WebConfig(templates_dir=...))`` gives the ASGI application; route modules
(named in :data:`contractgen.web.app.ROUTE_MODULES`) each expose ``routes(site)``.
"""

from __future__ import annotations

from .app import create_app
from .site import Site, TemplateInfo, WebConfig

__all__ = ["create_app", "Site", "TemplateInfo", "WebConfig"]
