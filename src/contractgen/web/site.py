"""What every page and route shares: the configuration, the template catalog, the UI
language and labels, page rendering, the session folder and the guarded form parser."""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from . import labels, security
from .sessions import SessionStore

PAGES_DIR = Path(__file__).parent / "pages"
STATIC_DIR = Path(__file__).parent / "static"
NAV = (("/templates", "Templates"), ("/batch", "Batch"), ("/check", "Check"), ("/clauses", "Clauses"))
DESCRIBED_PARTS = 5  # a template's description: its first part titles
MAX_FILES = 200  # files in one form post (a contract set is a handful)


@dataclass(frozen=True)
class WebConfig:
    templates_dir: Path                 # folder of template folders (default: ./templates)
    clauses_dir: Path | None = None     # clause library root (default: ./clauses if present)
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None            # required for a non-loopback host
    max_upload_bytes: int = 50 * 2**20
    max_rows: int = 5000
    work_dir: Path | None = None        # parent of per-session folders (tests pass tmp_path)


@dataclass(frozen=True)
class TemplateInfo:
    id: str          # the template folder's name (the only thing a URL names)
    path: Path
    title: str
    lang: str        # "zh" / "en"
    description: str


class WebError(HTTPException):
    """An HTTP error whose page shows ``detail`` (an English label msgid) in the UI
    language, with ``{name}`` fields filled from ``values``."""

    def __init__(self, status_code: int, detail: str, **values):
        super().__init__(status_code, detail)
        self.values = values


CSRF_MESSAGE = "The form was missing its security token or it was stale. Reload the page and try again."


def template_info(folder: Path) -> TemplateInfo:
    """The catalog entry of one template folder (its contract.yaml is loaded)."""
    from ..spec import load_spec

    spec = load_spec(folder)
    lang = "zh" if spec.lang.lower().startswith("zh") else "en"
    sep = "、" if lang == "zh" else " · "
    titles = [p.title for p in spec.parts if p.title and p.kind != "cover"]
    shown = sep.join(titles[:DESCRIBED_PARTS]) + (("……" if lang == "zh" else " …") if len(titles) > DESCRIBED_PARTS else "")
    return TemplateInfo(folder.name, folder, spec.title, lang, shown)


class Site:
    def __init__(self, config: WebConfig):
        self.config = config
        self.secret = secrets.token_bytes(32)   # CSRF tokens: valid for this process only
        self.sessions = SessionStore(config.work_dir)
        self.pages = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PAGES_DIR)), autoescape=True,
                                        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    # -- templates -------------------------------------------------------------------

    def templates(self) -> list[TemplateInfo]:
        """Every template folder, sorted by id; one that does not load is skipped with a
        note on stderr."""
        root = Path(self.config.templates_dir)
        found = []
        for folder in sorted(p for p in root.iterdir() if (p / "contract.yaml").is_file()) if root.is_dir() else []:
            try:
                found.append(template_info(folder))
            except Exception as exc:  # noqa: BLE001 - a broken template must not hide the others
                print(f"note: template {folder.name} skipped: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return found

    def template(self, template_id: str) -> TemplateInfo:
        """The template named by a URL; 404 for anything that is not one of the catalog's ids."""
        for info in self.templates():
            if info.id == template_id:
                return info
        raise WebError(404, "No such template.")

    # -- language and labels ---------------------------------------------------------

    def lang(self, request: Request) -> str:
        """?lang= (kept in a cookie by render), else the cookie, else Accept-Language, else en."""
        asked = request.query_params.get("lang")
        if asked in labels.LANGS:
            return asked
        kept = request.cookies.get(security.LANG_COOKIE)
        if kept in labels.LANGS:
            return kept
        accept = request.headers.get("accept-language", "")
        first = accept.split(",")[0].strip().lower()
        return "zh" if first.startswith("zh") else "en"

    def t(self, msgid: str, lang: str, **values) -> str:
        return labels.label(msgid, lang, **values)

    # -- pages -----------------------------------------------------------------------

    def context(self, request: Request, lang: str) -> dict:
        token = self.csrf_token(request)

        def t(msgid: str, **values) -> str:
            return labels.label(msgid, lang, **values)

        def csrf_field() -> Markup:
            return Markup(f'<input type="hidden" name="{security.CSRF_FIELD}" value="{escape(token)}">')

        other = "en" if lang == "zh" else "zh"
        return {"request": request, "lang": lang, "t": t, "csrf_token": token, "csrf_field": csrf_field,
                "nav": [(href, t(text)) for href, text in NAV], "url_for": request.url_for,
                "switch_lang": other, "switch_url": str(request.url.include_query_params(lang=other)),
                "path": request.url.path}

    def render(self, request: Request, page: str, *, status: int = 200, lang: str | None = None,
               **context) -> HTMLResponse:
        lang = lang or self.lang(request)
        values = self.context(request, lang)
        values.update(context)
        body = self.pages.get_template(page).render(values)
        response = HTMLResponse(body, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        if request.query_params.get("lang") in labels.LANGS:
            response.set_cookie(security.LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
        return response

    # -- sessions and forms ----------------------------------------------------------

    def session_id(self, request: Request) -> str:
        return request.scope["state"]["session_id"]  # set by the middleware on every request

    def session_dir(self, request: Request, response=None) -> Path:
        """This browser session's private folder (``response`` is accepted and unused:
        the middleware sets the session cookie)."""
        return self.sessions.folder(self.session_id(request))

    def csrf_token(self, request: Request) -> str:
        return security.csrf_token(self.secret, self.session_id(request))

    async def form(self, request: Request) -> FormData:
        """The posted form, read with the upload limit (413 past it, while it streams) and
        its CSRF token checked (403 when missing or wrong). Read once: call it, not
        ``request.form()``."""
        cached = request.scope["state"].get("contractgen_form")
        if cached is not None:
            return cached
        limit = self.config.max_upload_bytes
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise self.too_large()
        state = request.scope["state"]
        header = request.headers.get(security.CSRF_HEADER)
        if header is not None and not security.csrf_ok(self.secret, state.get("session_id"), header):
            raise WebError(403, CSRF_MESSAGE)
        limited = Request(request.scope, security.limited_receive(request.receive, limit))
        try:
            form = await limited.form(max_files=MAX_FILES, max_fields=5000)
        except security.UploadTooLarge:
            raise self.too_large() from None
        if header is None and not security.csrf_ok(self.secret, state.get("session_id"),
                                                   _text(form.get(security.CSRF_FIELD))):
            await form.close()
            raise WebError(403, CSRF_MESSAGE)
        state["contractgen_form"] = form
        return form

    def too_large(self) -> HTTPException:
        mb = f"{self.config.max_upload_bytes / 2**20:g}"
        return WebError(413, "The upload is too large: at most {mb} MB.", mb=mb)


def _text(value) -> str | None:
    return value if isinstance(value, str) else None
