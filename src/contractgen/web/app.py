"""``create_app(config)``: the Starlette application of `contractgen serve`.

The guard middleware runs before every route: Host check, access token, session cookie,
a session-less POST refused, security headers, and an internal error turned into a
generic page. Route modules named in :data:`ROUTE_MODULES` each give ``routes(site)``.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import traceback
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import security, sessions
from .site import CSRF_MESSAGE, STATIC_DIR, Site, WebConfig

# Each engineer's routes: a module exposing ``routes(site) -> list[BaseRoute]``.
ROUTE_MODULES: tuple[str, ...] = ("contractgen.web.template_routes",
                                  "contractgen.web.batch_routes", "contractgen.web.check_routes",
                                  "contractgen.web.clause_routes")

TITLES = {400: "Bad request", 401: "Access token needed", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 413: "Upload too large", 421: "Wrong host", 422: "Cannot process this input",
          500: "Something went wrong"}
MESSAGES = {400: "The request could not be understood.",
            401: "This server needs its access token: open the address printed when it started (it ends in ?token=…).",
            403: "This request is not allowed.",
            404: "There is no such page.",
            405: "This page does not accept that request.",
            421: "This server answers only to its own address.",
            500: "An internal error occurred. It has been logged; please try again or tell your administrator."}
WRONG_TOKEN = ("The access token is wrong: it may be mistyped, or from an earlier start of the server (a restart "
               "makes a new one). Open the address the server printed when it last started (it ends in ?token=…).")
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def create_app(config: WebConfig) -> Starlette:
    if config.token is None and not security.is_loopback(config.host):
        from dataclasses import replace
        config = replace(config, token=security.new_token())  # never open on a network
    site = Site(config)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        site.sessions.close()

    async def home(request: Request):
        return site.render(request, "home.html", templates=site.templates())

    routes = [Route("/", home, name="home"),
              Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")]
    for name in ROUTE_MODULES:
        routes += importlib.import_module(name).routes(site)
    handler = lambda request, exc: error_response(site, request, exc)  # noqa: E731
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPException: handler})
    app.state.site = site
    app.add_middleware(Guard, site=site)
    return app


def error_response(site: Site, request: Request, exc: HTTPException):
    status = exc.status_code
    lang = site.lang(request)
    standard = exc.detail in (None, "") or exc.detail == HTTPStatus(status).phrase
    message = (site.t(MESSAGES.get(status, "The request could not be completed."), lang) if standard
               else site.t(exc.detail, lang, **getattr(exc, "values", {})))
    title = site.t("Wrong access token" if exc.detail == WRONG_TOKEN else TITLES.get(status, HTTPStatus(status).phrase),
                   lang)
    response = site.render(request, "error.html", status=status, lang=lang, title=title, message=message,
                           code=status)
    response.headers.update(exc.headers or {})  # e.g. a 405's Allow
    return response


class Guard:
    """Pure ASGI middleware, so it sees every request and can still answer errors."""

    def __init__(self, app, site: Site):
        self.app, self.site = app, site

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        state = scope.setdefault("state", {})
        kept = request.cookies.get(security.SESSION_COOKIE)
        new_session = not sessions.valid_id(kept)
        state["session_id"] = sessions.new_id() if new_session else kept
        cookies: list[str] = []
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for key, value in security.HEADERS.items():
                    if key.lower().encode() not in names:
                        headers.append((key.lower().encode(), value.encode()))
                headers += [(b"set-cookie", c.encode()) for c in cookies]
                message = {**message, "headers": headers}
            await send(message)

        refusal = self.refusal(request, scope)
        if refusal is not None:
            return await refusal(scope, receive, send_with_headers)
        token = self.site.config.token
        if token and security.same(request.query_params.get("token"), token):
            cookies.append(f"{security.TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict")
            if request.method == "GET":
                url = request.url.remove_query_params("token")
                return await RedirectResponse(str(url), 303)(scope, receive, send_with_headers)
        if new_session:
            cookies.append(f"{security.SESSION_COOKIE}={state['session_id']}; Path=/; HttpOnly; SameSite=Lax")
        self.site.sessions.touch(state["session_id"])
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise
            print(traceback.format_exc(), file=sys.stderr, flush=True)
            page = error_response(self.site, request, HTTPException(500))
            await page(scope, receive, send_with_headers)

    def refusal(self, request: Request, scope):
        """The error response for a request refused before any route runs, else None."""
        config = self.site.config
        if not security.allowed_host(request.headers.get("host", ""), config.host, config.port):
            return error_response(self.site, request, HTTPException(421))
        token = config.token
        if token:
            given = (request.query_params.get("token") or request.cookies.get(security.TOKEN_COOKIE)
                     or security.bearer(request.headers.get("authorization")))
            if not given:
                return error_response(self.site, request, HTTPException(401))
            if not security.same(given, token):  # a mistyped address, or the token of an earlier start
                return error_response(self.site, request, HTTPException(401, WRONG_TOKEN))
        if request.method in UNSAFE_METHODS and not sessions.valid_id(request.cookies.get(security.SESSION_COOKIE)):
            # A post from a page we never served (a cross-site form has no session cookie).
            return error_response(self.site, request, HTTPException(403, CSRF_MESSAGE))
        return None
