"""The Batch page: choose a template, upload a CSV/XLSX, see the dry run's problems per
row, start the batch (a background thread), follow its progress, download the zip.

Routes: ``GET /batch`` (the page), ``POST /batch`` (upload; the header and row count are
checked at once, the dry run runs in the background), ``POST /batch/start``, ``GET
/batch/status`` (JSON for batch.js), ``GET /batch/download``, ``POST /batch/stop`` (the Stop
button of a running batch run).
Files of a session's batch live in ``<session>/batch/``: ``data.csv`` or ``data.xlsx``,
``pending.json`` (what was uploaded and what the dry run found), ``out/`` and the zip.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse
from starlette.routing import Route

from .. import i18n
from ..diagnostics import ContractgenError, InputErrors
from . import jobs as batch_jobs
from ..fsutil import write_text_atomic
from .jobs import DATA_SUFFIXES, ENCODINGS, JobBusy, Jobs, TooManyRows, replace_paths
from .security import safe_name
from .site import Site, WebError

PENDING = "pending.json"
MAX_SHOWN = 500  # problems listed on the page; the manifest of the run has every row
CHUNK = 1 << 20

# The batch code's messages that give command-line advice (--encoding), or a library's own
# words, reworded for the page: (the English message, the page's label). Every other
# message is translated by the catalog, as the CLI translates it.
WEB_WORDING = (
    (re.compile(r"(?P<name>.+): cannot tell the file's encoding; pass --encoding \(e\.g\. gb18030\)", re.S),
     "{name}: cannot tell the file's encoding. Choose its encoding (UTF-8 or GB18030) under "
     "“Encoding” and upload it again."),
    (re.compile(r"(?P<name>.+): not valid (?P<encoding>\S+) text \(.*\); pass --encoding, e\.g\. --encoding gb18030",
                re.S),
     "{name}: not valid {encoding} text. Choose the other encoding under “Encoding” (a CSV file saved "
     "by Excel or WPS on a Chinese computer is often GB18030) and upload it again."),
    (re.compile(r"(?P<name>.+): cannot read the workbook \(.*\)", re.S),
     "{name}: not an .xlsx workbook (an old .xls file, or a damaged one). Open it in Excel or WPS and save "
     "it as .xlsx or .csv."),
    (re.compile(r"internal error"), "An internal error occurred. It has been logged; please try again or tell "
     "your administrator."),
)


def routes(site: Site) -> list[Route]:
    jobs = Jobs()
    pages = BatchPages(site, jobs)
    return [Route("/batch", pages.page, methods=["GET"], name="batch"),
            Route("/batch", pages.upload, methods=["POST"], name="batch_upload"),
            Route("/batch/start", pages.start, methods=["POST"], name="batch_start"),
            Route("/batch/stop", pages.stop, methods=["POST"], name="batch_stop"),
            Route("/batch/status", pages.status, methods=["GET"], name="batch_status"),
            Route("/batch/download", pages.download, methods=["GET"], name="batch_download")]


def work_dir(site: Site, request: Request) -> Path:
    return site.session_dir(request) / "batch"


def read_pending(work: Path) -> dict | None:
    try:
        return json.loads((work / PENDING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class BatchPages:
    def __init__(self, site: Site, jobs: Jobs):
        self.site, self.jobs = site, jobs

    # -- pages ---------------------------------------------------------------------------

    def show(self, request: Request, *, status: int = 200, errors: list[str] = (), template_id: str = "",
             encoding: str = ""):
        """The page: the upload form, the dry run of the last upload, the job's progress."""
        lang = self.site.lang(request)
        work = work_dir(self.site, request)
        job = self.jobs.get(work.parent)
        pending = None if errors else read_pending(work)
        dry = None
        if pending is not None:
            template_id = template_id or pending["template"]
            encoding = encoding or pending.get("encoding") or ""
            problems = pending["problems"]
            dry = {"name": pending["name"], "rows": pending["rows"], "template": pending["template"],
                   "checked": problems is not None, "blocked": pending["blocked"]}
            if problems is not None:
                dry.update(bad_rows=len({row for row, _, _ in problems}), more=max(0, len(problems) - MAX_SHOWN),
                           problems=[(row, key, say(self.site, message, lang))
                                     for row, key, message in problems[:MAX_SHOWN]])
        return self.site.render(request, "batch.html", status=status, templates=self.site.templates(),
                                selected=template_id, errors=list(errors), dry=dry,
                                job=dict(job_state(job, lang, self.site), name=job.name) if job is not None else None,
                                running=self.jobs.running(work.parent),
                                running_run=self.jobs.running(work.parent, batch_jobs.RUN),
                                encodings=ENCODINGS, encoding=encoding, max_rows=self.site.config.max_rows,
                                max_mb=f"{self.site.config.max_upload_bytes / 2**20:g}")

    async def page(self, request: Request):
        return self.show(request, template_id=request.query_params.get("template", ""))

    def busy(self, request: Request, template_id: str = "", ignored: str = ""):
        """409: the session's job is running. The message says which job, of which file,
        and (``ignored``) which upload was not taken."""
        lang = self.site.lang(request)
        job = self.jobs.get(work_dir(self.site, request).parent)
        name = job.name if job is not None else ""
        if job is not None and job.kind == batch_jobs.DRY_RUN:
            text = self.site.t("The dry run of {name} is still running; wait until it has finished.", lang, name=name)
        else:
            text = self.site.t("A batch run of {name} is building its contracts; wait until it has finished.",
                               lang, name=name)
        errors = [text]
        if ignored:
            errors.append(self.site.t("{name} was not uploaded: upload it again once the batch has finished.",
                                      lang, name=ignored))
        return self.show(request, status=409, template_id=template_id, errors=errors)

    async def upload(self, request: Request):
        """Save the file, read its header and count its rows (at once: a bad file is told
        now), then dry-run the rows in the background and show the page."""
        form = await self.site.form(request)
        template_id = form.get("template") if isinstance(form.get("template"), str) else ""
        info = self.site.template(template_id)  # 404 for anything not in the catalog
        upload = form.get("file")
        encoding = form.get("encoding") if form.get("encoding") in ENCODINGS else None  # else: detect it
        lang = self.site.lang(request)
        refused = self.refusal(upload, lang)
        if refused is not None:
            return self.show(request, status=refused[0], template_id=info.id, errors=[refused[1]],
                             encoding=encoding or "")
        name = safe_name(upload.filename)
        suffix = Path(name).suffix.lower()
        work = work_dir(self.site, request)
        if not self.jobs.supersede(work.parent):  # a running dry run gives way to the new file
            return self.busy(request, info.id, ignored=name)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        data = work / f"data{suffix}"
        await save_upload(upload, data)
        shown = {str(data): name, str(info.path.resolve()): info.id, str(info.path): info.id}
        try:
            rows = await run_in_threadpool(batch_jobs.count_rows, info.path, data, self.site.config.max_rows,
                                           encoding)
        except TooManyRows:
            shutil.rmtree(work, ignore_errors=True)
            return self.show(request, status=413, template_id=info.id, encoding=encoding or "", errors=[self.site.t(
                "{name} has more than {n} rows; split it into smaller files.", lang, name=name,
                n=self.site.config.max_rows)])
        except ContractgenError as exc:
            shutil.rmtree(work, ignore_errors=True)
            return self.show(request, status=422, template_id=info.id, encoding=encoding or "",
                             errors=problem_lines(self.site, exc, shown, lang))
        pending = {"template": info.id, "name": name, "data": data.name, "rows": rows, "problems": None,
                   "blocked": False, "encoding": encoding}
        write_pending(work, pending)

        def finish(dry: batch_jobs.DryRun) -> None:
            problems = [(row, key, replace_paths(message, shown)) for row, key, message in dry.problems]
            write_pending(work, dict(pending, problems=problems, blocked=dry.collisions > 0))

        try:
            self.jobs.start_dry_run(work.parent, info.path, data, work, rows, finish, shown, name, encoding)
        except JobBusy:  # another request of this session started a batch run meanwhile
            return self.busy(request, info.id, ignored=name)
        return RedirectResponse("/batch", status_code=303)

    def refusal(self, upload, lang: str) -> tuple[int, str] | None:
        """Status and message for a post without a file or with a file that is no sheet."""
        if not isinstance(upload, UploadFile) or not upload.filename:
            return 400, self.site.t("Choose a CSV or XLSX file to upload.", lang)
        name = safe_name(upload.filename)
        if Path(name).suffix.lower() not in DATA_SUFFIXES:
            return 422, self.site.t("{name}: not a CSV or XLSX file; save the sheet as .csv or .xlsx.", lang, name=name)
        return None

    async def start(self, request: Request):
        await self.site.form(request)
        work = work_dir(self.site, request)
        pending = read_pending(work)
        lang = self.site.lang(request)
        if pending is None or pending["problems"] is None:
            if self.jobs.running(work.parent):
                return self.busy(request)
            return self.show(request, status=400, errors=[self.site.t("Upload a data file first.", lang)])
        if pending["blocked"]:
            return self.show(request, status=422, errors=[self.site.t(
                "Rows share an output name (see the dry run): the batch cannot start. Make each row's name "
                "unique, e.g. with a distinct contract number, and upload the file again.", lang)])
        info = self.site.template(pending["template"])
        data = work / pending["data"]
        shown = {str(data): pending["name"], str(info.path.resolve()): info.id, str(info.path): info.id}
        try:
            self.jobs.start_run(work.parent, info.path, data, work, pending["rows"], shown, pending["name"],
                                pending.get("encoding"))
        except JobBusy:
            return self.busy(request)
        return RedirectResponse("/batch", status_code=303)

    async def stop(self, request: Request):
        """The Stop button: the running batch stops after the rows being written; the page
        then lists what it recorded. Nothing running: the page as it is."""
        await self.site.form(request)
        self.jobs.stop(work_dir(self.site, request).parent)
        return RedirectResponse("/batch", status_code=303)

    async def status(self, request: Request):
        job = self.jobs.get(work_dir(self.site, request).parent)
        state = job_state(job, self.site.lang(request), self.site) if job is not None else {"status": "none"}
        return JSONResponse(state, headers={"Cache-Control": "no-store"})

    async def download(self, request: Request):
        work = work_dir(self.site, request)
        job = self.jobs.get(work.parent)
        if job is None or job.kind != batch_jobs.RUN or job.status != batch_jobs.DONE or not job.zip_path.is_file():
            raise WebError(404, "No finished batch to download.")
        pending = read_pending(work) or {}
        name = f"{pending.get('template', 'batch')}-contracts.zip"
        return FileResponse(job.zip_path, media_type="application/zip", filename=name,
                            headers={"Cache-Control": "no-store"})


def write_pending(work: Path, pending: dict) -> None:
    write_text_atomic(work / PENDING, json.dumps(pending, ensure_ascii=False))


def say(site: Site, message: str, lang: str) -> str:
    """A message of the batch code as the page words it (:data:`WEB_WORDING`), else as the
    catalog translates it for the CLI."""
    for pattern, text in WEB_WORDING:
        m = pattern.fullmatch(message)
        if m is not None:
            values = m.groupdict()
            if "encoding" in values:
                values["encoding"] = values["encoding"].upper()
            return site.t(text, lang, **values)
    return i18n.error_message(message, lang)


def job_state(job: batch_jobs.Job, lang: str, site: Site) -> dict:
    """The job as the page and batch.js see it: messages in the UI language, the zip's URL."""
    state = job.as_dict()
    state["failures"] = [dict(f, message=say(site, f["message"], lang)) for f in state["failures"]]
    state["error"] = say(site, state["error"], lang) if state["error"] else ""
    finished_run = job.kind == batch_jobs.RUN and job.status == batch_jobs.DONE
    state["download"] = "/batch/download" if finished_run else None
    return state


async def save_upload(upload: UploadFile, path: Path) -> None:
    """Copy an uploaded file (already within the size limit) to a path of our choosing."""
    with open(path, "wb") as out:
        while chunk := await upload.read(CHUNK):
            out.write(chunk)


def problem_lines(site: Site, exc: ContractgenError, shown: dict[str, str], lang: str) -> list[str]:
    """An error as lines for the page, in the UI language, without our file paths."""
    if isinstance(exc, InputErrors):
        lines = []
        for f in exc.findings:
            suggestion = i18n.finding_suggestion(f, lang)
            text = i18n.finding_message(f, lang) + (f" ({suggestion})" if suggestion else "")
            lines.append(replace_paths(text, shown))
        return lines
    return [say(site, replace_paths(exc.message, shown), lang)]
