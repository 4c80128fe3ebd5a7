"""The Check page: upload one contract, or several files checked as one contract set, see
the findings (a list in the UI language and the preview page with the findings marked) and
download them as the JSON ``contractgen check --format json`` prints.

Routes: ``GET /check`` (the upload form), ``POST /check`` (save and check, then to the
result), ``GET /check/result``, ``GET /check/preview`` (the preview page, shown in a
frame), ``GET /check/findings.json``. A session's files live in ``<session>/check/``,
each in a numbered folder under its display name (``files.json`` lists them); the
findings are worked out again for each view, in the language it is asked in.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from .. import i18n
from ..diagnostics import ContractgenError
from ..readers.contract_set import SET_SUFFIXES
from .batch_routes import save_upload
from .checker import CONTRACT_SUFFIXES, Checked, check_files
from .security import inside, safe_name
from .site import Site, WebError

INDEX = "files.json"
MAX_CHECK_FILES = 20


def routes(site: Site) -> list[Route]:
    pages = CheckPages(site)
    return [Route("/check", pages.page, methods=["GET"], name="check"),
            Route("/check", pages.upload, methods=["POST"], name="check_upload"),
            Route("/check/result", pages.result, methods=["GET"], name="check_result"),
            Route("/check/preview", pages.preview, methods=["GET"], name="check_preview"),
            Route("/check/findings.json", pages.json, methods=["GET"], name="check_json")]


def check_dir(site: Site, request: Request) -> Path:
    return site.session_dir(request) / "check"


class CheckPages:
    def __init__(self, site: Site):
        self.site = site

    def show(self, request: Request, *, status: int = 200, errors: list[str] = ()):
        return self.site.render(request, "check.html", status=status, errors=list(errors),
                                max_files=MAX_CHECK_FILES,
                                max_mb=f"{self.site.config.max_upload_bytes / 2**20:g}")

    async def page(self, request: Request):
        return self.show(request)

    async def upload(self, request: Request):
        form = await self.site.form(request)
        lang = self.site.lang(request)
        uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
        problems = upload_problems(uploads, lang, self.site)
        if problems:
            status = 400 if not uploads else 422
            return self.show(request, status=status, errors=problems)
        folder = check_dir(self.site, request)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        names, paths = [], []
        for number, upload in enumerate(uploads, start=1):
            # Each file in a folder of its own under its display name, which the readers
            # and messages then use; two uploads of the same name cannot collide.
            name = safe_name(upload.filename)
            (folder / f"{number:02d}").mkdir()
            path = inside(folder / f"{number:02d}", name)
            await save_upload(upload, path)
            names.append(name)
            paths.append(path)
        try:
            await run_in_threadpool(check_files, paths, names)
        except ContractgenError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            shown = {str(p): n for p, n in zip(paths, names)}
            message = i18n.error_message(exc.message, lang)
            for path in sorted(shown, key=len, reverse=True):
                message = message.replace(path, shown[path])
            return self.show(request, status=422, errors=[message])
        index = [{"file": p.relative_to(folder).as_posix(), "name": n} for p, n in zip(paths, names)]
        (folder / INDEX).write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        return RedirectResponse("/check/result", status_code=303)

    async def checked(self, request: Request) -> Checked:
        """The session's uploaded files checked again; 404 when nothing was uploaded."""
        folder = check_dir(self.site, request)
        try:
            index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise WebError(404, "Nothing has been checked yet: upload a contract first.") from None
        paths = [folder / item["file"] for item in index]  # names this app wrote
        return await run_in_threadpool(check_files, paths, [item["name"] for item in index])

    async def result(self, request: Request):
        checked = await self.checked(request)
        lang = self.site.lang(request)
        files = []
        for path, found in checked.results:
            items = [{"code": f.code, "severity": f.severity, "line": f.line,
                      "message": checked.tidy(i18n.finding_message(f, lang)),
                      "suggestion": checked.tidy(i18n.finding_suggestion(f, lang)), "excerpt": f.excerpt}
                     for f in found]
            files.append({"name": str(path), "findings": items})
        findings = checked.findings
        errors = sum(f.severity == "error" for f in findings)
        return self.site.render(request, "check_result.html", files=files, errors=errors,
                                warnings=len(findings) - errors, is_set=len(files) > 1,
                                preview_url=f"/check/preview?lang={lang}")

    async def preview(self, request: Request):
        checked = await self.checked(request)
        page = await run_in_threadpool(checked.page, self.site.lang(request))
        return Response(page, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"})

    async def json(self, request: Request):
        checked = await self.checked(request)
        body = checked.as_json(self.site.lang(request))
        return Response(body.encode("utf-8"), media_type="application/json",
                        headers={"Content-Disposition": 'attachment; filename="findings.json"',
                                 "Cache-Control": "no-store"})


def upload_problems(uploads: list[UploadFile], lang: str, site: Site) -> list[str]:
    """Why these files cannot be checked, before any is saved: none, too many, a type the
    readers do not read, a contract-set YAML (it names files the app cannot open)."""
    if not uploads:
        return [site.t("Choose one or more contract files (.docx, .md, .txt, .html) to check.", lang)]
    if len(uploads) > MAX_CHECK_FILES:
        return [site.t("At most {n} files at once.", lang, n=MAX_CHECK_FILES)]
    problems = []
    for upload in uploads:
        name = safe_name(upload.filename)
        suffix = Path(name).suffix.lower()
        if suffix in SET_SUFFIXES:
            problems.append(site.t("{name}: a contract-set file names other files; upload the contract files "
                                   "themselves (the first is the main contract).", lang, name=name))
        elif suffix not in CONTRACT_SUFFIXES:
            problems.append(site.t("{name}: not a contract file this app reads (.docx, .md, .txt, .html).", lang, name=name))
    return problems
