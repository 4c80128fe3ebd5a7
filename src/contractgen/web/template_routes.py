"""The template pages: the catalog, a template's form, its live preview, downloads and
the answers saved or loaded as a data file.

``GET /templates``                      the catalog
``GET /templates/{id}``                 the form (blank; ``?sample=1`` fills it from sample-data.yaml)
``POST /templates/{id}``                the answers checked: the form again with the preview, or 422
``POST /templates/{id}/preview``        the preview page alone (for the form's iframe), 422 with problems
``POST /templates/{id}/download?format=docx|md|html``   the contract file
``POST /templates/{id}/answers?format=yaml|json``       the answers as a data file
``POST /templates/{id}/load``           a data file uploaded (field ``answers``) fills the form
``POST /templates/{id}/language?lang=`` the UI language switched, the answers kept (form.js)

The answers of every post are kept in the session (:data:`KEPT`), so that the form
asked for in the other language (``GET /templates/{id}?lang=en``, the switch in the nav)
comes back filled in, with JavaScript (form.js posts the form to ``/language``, which
redirects there) or without it (the answers last posted).

The answers are validated as ``build`` validates a data file (:mod:`contractgen.web.forms`)
and the contract is built with the policy ``build`` uses for the template's folder. The
form and the preview speak the template's language unless the page was asked for in the
other (``?lang=``, kept in the form as ``ui_lang``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from functools import cached_property
from html import escape
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import i18n
from ..checks.selection import CheckPolicy
from ..diagnostics import InputErrors, UserError
from ..pipeline import Built, Template, build, load_template, output_name, render_outputs
from ..spec import load_data_file, load_spec
from ..writers.html import HtmlWriter, stylesheet
from . import forms, labels, security
# The writers read the message language from i18n's one global: every page that renders
# with them takes turns through the one lock of checker.message_lang.
from .checker import message_lang
from .site import Site, TemplateInfo, WebError
from .. import rx

DOWNLOADS = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}
ANSWERS = {"yaml": "application/yaml; charset=utf-8", "json": "application/json; charset=utf-8"}
DATA_SUFFIXES = (".yaml", ".yml", ".json")
LANG_FIELD = "ui_lang"
KEPT = "form-answers.json"  # in the session folder: {template id: the values last posted}
_NOT_ASCII_WORD = rx.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Answers:
    """One template's form as a request has it: the template, the values as typed, the
    language, and once checked the problems and the built contract."""

    info: TemplateInfo
    template: Template
    values: dict[str, str]
    lang: str
    checked: forms.Checked | None = None
    built: Built | None = None
    preview: bytes = b""  # the built contract as the preview page shows it
    problem: str = ""  # a problem with the request itself (a bad upload), shown at the top

    @property
    def spec(self):
        return self.template.spec

    @cached_property
    def currencies(self) -> dict[str, str]:
        return forms.amount_currencies(self.template)

    def data(self) -> dict:
        """The answers that apply, as a data file holds them."""
        return forms.posted_data(self.spec, self.values, self.currencies)


def routes(site: Site) -> list:
    pages = TemplatePages(site)
    return [Route("/templates", pages.catalog, methods=["GET"], name="templates"),
            Route("/templates/{id}", pages.show, methods=["GET"], name="template"),
            Route("/templates/{id}", pages.submit, methods=["POST"], name="template_submit"),
            Route("/templates/{id}/preview", pages.preview, methods=["POST"], name="template_preview"),
            Route("/templates/{id}/download", pages.download, methods=["POST"], name="template_download"),
            Route("/templates/{id}/answers", pages.answers, methods=["POST"], name="template_answers"),
            Route("/templates/{id}/load", pages.load, methods=["POST"], name="template_load"),
            Route("/templates/{id}/language", pages.language, methods=["POST"], name="template_language")]


class TemplatePages:
    def __init__(self, site: Site):
        self.site = site

    # -- the pages ------------------------------------------------------------------

    async def catalog(self, request: Request) -> Response:
        return self.site.render(request, "templates.html", templates=[described(i) for i in self.site.templates()])

    async def show(self, request: Request) -> Response:
        info = self.site.template(request.path_params["id"])
        lang = _lang(request.query_params.get("lang"), info)
        template = await run_in_threadpool(_load, info)
        answers = Answers(info, template, {}, lang)
        sample = info.path / "sample-data.yaml"
        if request.query_params.get("sample") and sample.is_file():
            raw, _ = load_data_file(sample)
            answers.values = forms.values_from_data(template.spec, raw)
            await run_in_threadpool(_check_and_build, answers, answers.data())
        elif request.query_params.get("lang") in labels.LANGS and (kept := self.kept(request, answers)):
            # The language switched: the same answers, the contract if they build (the
            # fields are not marked: the person did not ask for the contract).
            answers.values = kept
            await run_in_threadpool(_check_and_build, answers, answers.data())
            if answers.built is None:
                answers.checked = None
            return self.page(request, answers, restored=True)
        return self.page(request, answers)

    async def submit(self, request: Request) -> Response:
        answers = await self.answers_of(request)
        await run_in_threadpool(_check_and_build, answers, answers.data())
        return self.page(request, answers)

    async def language(self, request: Request) -> Response:
        """The form posted by the language switch: its answers kept, the form again in the
        other language (a redirect, so that a reload does not post again)."""
        answers = await self.answers_of(request)
        lang = request.query_params.get("lang")
        target = f"/templates/{quote(answers.info.id)}" + (f"?lang={lang}" if lang in labels.LANGS else "")
        return RedirectResponse(target, status_code=303)

    async def preview(self, request: Request) -> Response:
        answers = await self.answers_of(request)
        await run_in_threadpool(_check_and_build, answers, answers.data())
        if answers.built is None:
            body = problems_page(answers, self.site)
            return _html(body, 422, findings=0, problems=max(answers.checked.count if answers.checked else 1, 1))
        return _html(answers.preview, 200, findings=len(answers.built.findings), problems=0)

    async def download(self, request: Request) -> Response:
        fmt = request.query_params.get("format", "docx")
        if fmt not in DOWNLOADS:
            raise WebError(400, "Choose a format: docx, md or html.")
        answers = await self.answers_of(request)
        raw = answers.data()
        await run_in_threadpool(_check_and_build, answers, raw)
        if answers.built is None:
            return self.page(request, answers)
        if answers.built.errors:
            answers.problem = self.site.t("The checks found {n} error(s) in the contract (see the preview); "
                                          "nothing was downloaded.", answers.lang, n=len(answers.built.errors))
            return self.page(request, answers)
        name = output_name(answers.spec, raw)
        data = await run_in_threadpool(_render_file, answers, fmt)
        return attachment(data, f"{name}.{fmt}", DOWNLOADS[fmt])

    async def answers(self, request: Request) -> Response:
        fmt = request.query_params.get("format", "yaml")
        if fmt not in ANSWERS:
            raise WebError(400, "Choose a format: yaml or json.")
        answers = await self.answers_of(request)
        raw = answers.data()
        try:
            name = output_name(answers.spec, raw) + "-data"
        except UserError:  # the fields the name is made of are not filled in yet
            name = f"{answers.info.id}-data"
        return attachment(forms.answers_file(raw, fmt), f"{name}.{fmt}", ANSWERS[fmt])

    async def load(self, request: Request) -> Response:
        answers = await self.answers_of(request)
        upload = (await self.site.form(request)).get("answers")
        raw, problem = self.read_upload(request, upload, answers.lang)
        if problem:
            answers.problem = problem
            return self.page(request, answers, status=400)
        answers.values = forms.values_from_data(answers.spec, raw)
        self.keep(request, answers)
        await run_in_threadpool(_check_and_build, answers, answers.data())
        return self.page(request, answers)

    # -- pieces ---------------------------------------------------------------------

    async def answers_of(self, request: Request) -> Answers:
        info = self.site.template(request.path_params["id"])
        form = await self.site.form(request)
        template = await run_in_threadpool(_load, info)
        values = forms.posted_values(template.spec, form)
        answers = Answers(info, template, values, _lang(form.get(LANG_FIELD), info))
        self.keep(request, answers)
        return answers

    def keep(self, request: Request, answers: Answers) -> None:
        """Keep the answers in the session folder (the form in the other language shows them)."""
        path = self.site.session_dir(request) / KEPT
        kept = _read_kept(path)
        kept[answers.info.id] = answers.values
        temporary = path.with_name(f"{KEPT}.{os.getpid()}.{id(request)}.tmp")
        temporary.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)

    def kept(self, request: Request, answers: Answers) -> dict[str, str]:
        """The answers last posted to this template's form in this session, {} for none."""
        values = _read_kept(self.site.session_dir(request) / KEPT).get(answers.info.id)
        return forms.posted_values(answers.spec, values) if isinstance(values, dict) else {}

    def read_upload(self, request: Request, upload, lang: str) -> tuple[dict, str]:
        """The data of an uploaded YAML/JSON file, or a problem to show (the file is saved
        in the session's folder under a name we choose, and read from there)."""
        if upload is None or isinstance(upload, str) or not upload.filename:
            return {}, self.site.t("Choose a YAML or JSON data file to load.", lang)
        shown = security.safe_name(upload.filename, "answers")
        suffix = Path(shown).suffix.lower()
        if suffix not in DATA_SUFFIXES:
            return {}, self.site.t("{name}: a data file must be .yaml, .yml or .json.", lang, name=shown)
        path = self.site.session_dir(request) / f"answers{suffix}"
        path.write_bytes(upload.file.read())
        try:
            raw, _lines = load_data_file(path)
        except UserError as exc:
            return {}, i18n.error_message(exc.message.replace(str(path), shown), lang)
        return raw, ""

    def page(self, request: Request, answers: Answers, status: int | None = None, restored: bool = False) -> Response:
        checked = answers.checked
        failed = answers.problem or (checked is not None and not checked.ok)
        preview = (answers.preview or (problems_page(answers, self.site) if failed else b"")).decode("utf-8")
        info = replace(answers.info, description=answers.spec.description or answers.info.description)
        context = dict(info=info, form=forms.form_for(answers.template, answers.lang), values=answers.values,
                       errors=checked.near_field if checked else {}, general=checked.general if checked else [],
                       problem=answers.problem, problem_count=_problem_count(answers), preview=preview,
                       findings=answers.built.findings if answers.built else None,
                       hidden=forms.hidden_fields(answers.spec, answers.values), truthy=forms.truthy,
                       date_input=forms.date_input, has_sample=(answers.info.path / "sample-data.yaml").is_file(),
                       lang_field=LANG_FIELD, include_prefix=forms.INCLUDE, restored=restored)
        code = status or (422 if failed else 200)
        return self.site.render(request, "form.html", status=code, lang=answers.lang, **context)


def described(info: TemplateInfo) -> TemplateInfo:
    """A catalog entry with its template's ``description:`` (the part titles without one)."""
    try:
        description = load_spec(info.path).description
    except UserError:
        description = ""
    return replace(info, description=description) if description else info


def _read_kept(path: Path) -> dict:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _lang(asked, info: TemplateInfo) -> str:
    return asked if asked in labels.LANGS else info.lang


def _load(info: TemplateInfo) -> Template:
    try:
        return load_template(info.path)
    except UserError:
        raise WebError(500, "This template does not load; run contractgen check on it.") from None


def _check_and_build(answers: Answers, raw: dict) -> None:
    """Validate the answers as ``build`` validates a data file, then build the contract
    with the policy ``build`` would use; a problem the build finds in the data (an amount
    with fractions of a cent) is a problem of the form too."""
    answers.checked = forms.check_answers(answers.spec, raw, answers.lang)
    if not answers.checked.ok:
        return
    try:
        answers.built = build(answers.template, answers.checked.data, CheckPolicy.resolve(answers.info.path))
        with message_lang(answers.lang):
            answers.preview = HtmlWriter(findings=answers.built.findings).render(answers.built.doc)
    except InputErrors as exc:
        answers.checked = forms.Checked(None, general=[forms.message_text(f, answers.lang) for f in exc.findings])
    except UserError as exc:
        answers.checked = forms.Checked(None, general=[i18n.error_message(exc.message, answers.lang)])


def _render_file(answers: Answers, fmt: str) -> bytes:
    with message_lang(answers.lang):
        return render_outputs(answers.built.doc, [fmt])[0][1]


def _problem_count(answers: Answers) -> int:
    return (answers.checked.count if answers.checked else 0) + bool(answers.problem)


def problems_page(answers: Answers, site: Site) -> bytes:
    """What the preview shows while the answers do not build: their problems."""
    checked = answers.checked or forms.Checked(None)
    colon = "：" if answers.lang == i18n.ZH else ": "
    items = [f"<li>{escape(_label_of(answers, name))}{colon}{escape(m)}</li>"
             for name, messages in checked.near_field.items() for m in messages]
    items += [f"<li>{escape(m)}</li>" for m in checked.general]
    title = site.t("Fix {n} problem(s) in the form to see the contract.", answers.lang, n=max(checked.count, 1))
    html_lang = "zh-CN" if answers.lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<style>\n{stylesheet()}</style>\n</head>\n<body>\n"
            f'<section class="build-error" id="form-problems"><p class="panel-title">{escape(title)}</p>'
            f'<ul>{"".join(items)}</ul></section>\n</body>\n</html>\n').encode("utf-8")


def _label_of(answers: Answers, name: str) -> str:
    fs = answers.spec.data.get(name)
    return fs.label or name if fs else name


def _html(body: bytes, status: int, findings: int, problems: int) -> Response:
    return Response(body, status_code=status, media_type="text/html; charset=utf-8",
                    headers={"X-Findings": str(findings), "X-Problems": str(problems), "Cache-Control": "no-store"})


def attachment(data: bytes, filename: str, media_type: str) -> Response:
    """A download named ``filename``: an ASCII fallback and the RFC 5987 UTF-8 name, so
    HZCS-2024-001-湖州织里….docx arrives as it is called."""
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": content_disposition(filename), "Cache-Control": "no-store"})


def content_disposition(filename: str) -> str:
    """``attachment; filename="HZCS-2024-001_.docx"; filename*=UTF-8''HZCS-2024-001-%E6%B9%96….docx``:
    the name made safe (no folders, quotes or control characters), ASCII for old clients."""
    name = security.safe_name(filename, "contract")
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    fallback = (_NOT_ASCII_WORD.sub("_", stem).strip("_.-") or "contract") + dot + _NOT_ASCII_WORD.sub("", suffix)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
