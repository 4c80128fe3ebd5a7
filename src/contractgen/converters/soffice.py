"""DOCX to PDF with one LibreOffice per process, started on first use and kept.

Starting LibreOffice costs about a second, converting a contract a third of that, so a
batch worker must not start one per row. :class:`OfficeServer` starts ``soffice
--headless`` once with a user profile of its own (parallel workers never share one) that
holds a small Basic macro, :data:`SERVE_MACRO`: it watches a queue folder, loads each
``N.docx`` that has an ``N.req`` beside it, exports ``N.pdf`` (or writes LibreOffice's
message to ``N.err``) and waits for the next. No Python–UNO bridge (python3-uno) is
needed, and a request is two file writes and a rename. Measured on 2 cores, 20 sample
contracts, 2 workers: one ``soffice --convert-to`` per row 34.8 s; one per worker
converting its 10 files in one call 10.0 s; this server 9.7 s for the whole batch (the
DOCX-only batch takes 3.3 s) — and it needs no chunk of a known size.

The server runs under a guard (:mod:`.guard`) whose standard input is a pipe from this
process: when this process ends in any way — a batch worker told to stop leaves with
``os._exit`` — the guard kills LibreOffice's process group and removes the profile. The
macro also stops when this process is gone (a second line of defence, on Linux).

:func:`convert_docx` is the entry point: one server per process, shared by its threads
(Dask runs tasks on several), conversions one at a time; a server that died or hung is
replaced at the next request. :func:`stop_server` ends it; it also runs at exit.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing import util as mp_util
from pathlib import Path
from xml.sax.saxutils import escape

from ..diagnostics import UserError

START_TIMEOUT = 90  # seconds for LibreOffice to start and create its profile
CONVERT_TIMEOUT = 180  # seconds for one document
POLL = 0.01  # seconds between looks at the queue
MISSING = "PDF output needs LibreOffice (soffice); install libreoffice-writer-nogui or use --format docx"
MODULE = "ContractgenPdf"

SERVE_MACRO = """REM contractgen's DOCX-to-PDF server (see contractgen/converters/soffice.py). A request
REM is STEM.docx with an empty STEM.req beside it; the answer is STEM.pdf, or STEM.err
REM holding LibreOffice's message. It stops when the ready file or its owner goes.
Option Explicit

Sub Serve
    Dim Request As String, WatchOwner As Boolean
    On Error Resume Next
    WatchOwner = FileExists("/proc/" & OWNER)
    Answer(QUEUE & "/ready", "", False)
    Do While FileExists(QUEUE & "/ready")
        If WatchOwner And Not FileExists("/proc/" & OWNER) Then Exit Do
        Request = Dir(QUEUE & "/*.req")
        If Request = "" Then
            Wait 20
        Else
            Convert(QUEUE & "/" & Left(Request, Len(Request) - 4))
        End If
    Loop
    StarDesktop.terminate()
End Sub

Sub Convert(Stem As String)
    Dim Doc As Object
    Dim Load(3) As New com.sun.star.beans.PropertyValue
    Dim Store(0) As New com.sun.star.beans.PropertyValue
    On Error GoTo Failed
    Load(0).Name = "Hidden" : Load(0).Value = True
    Load(1).Name = "ReadOnly" : Load(1).Value = True
    Load(2).Name = "MacroExecutionMode" : Load(2).Value = 0
    Load(3).Name = "UpdateDocMode" : Load(3).Value = 0
    Store(0).Name = "FilterName" : Store(0).Value = "writer_pdf_Export"
    Doc = StarDesktop.loadComponentFromURL(ConvertToURL(Stem & ".docx"), "_blank", 0, Load())
    If IsNull(Doc) Then
        Answer(Stem & ".err", "LibreOffice could not open the document", True)
    Else
        Doc.storeToURL(ConvertToURL(Stem & ".part"), Store())
        Doc.close(True)
        Name Stem & ".part" As Stem & ".pdf"
    End If
    Kill Stem & ".req"
    Exit Sub
Failed:
    Dim Message As String
    Message = Error$
    On Error Resume Next
    If Not IsNull(Doc) Then Doc.close(True)
    Answer(Stem & ".err", Message, True)
    Kill Stem & ".req"
End Sub

Sub Answer(Target As String, Message As String, Written As Boolean)
    Dim Unit As Integer
    On Error Resume Next
    Unit = FreeFile
    Open Target & ".part" For Output As #Unit
    If Written Then Print #Unit, Message
    Close #Unit
    Name Target & ".part" As Target
End Sub
"""

_LIBRARIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink">
 <library:library library:name="Standard" library:link="false"/>
</library:libraries>
"""

_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false">
{elements}</library:library>
"""

# The one setting that tells LibreOffice a profile is complete: without it, the first
# start replaces the profile's Basic libraries (our macro) with the installation's presets.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def find_soffice() -> str:
    """The ``soffice`` on the PATH, or the error that names what to install (exit 2)."""
    soffice = shutil.which("soffice")
    if not soffice:
        raise UserError(MISSING)
    return soffice


def _basic_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_profile(profile: Path, queue: Path, owner: int) -> None:
    """A LibreOffice user profile whose Standard library holds the server macro."""
    basic = profile / "user" / "basic"
    (basic / "Standard").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    (basic / "script.xlc").write_text(_LIBRARIES, encoding="utf-8")
    (basic / "dialog.xlc").write_text(_LIBRARIES, encoding="utf-8")
    (basic / "Standard" / "script.xlb").write_text(
        _LIBRARY.format(elements=f' <library:element library:name="{MODULE}"/>\n'), encoding="utf-8")
    (basic / "Standard" / "dialog.xlb").write_text(_LIBRARY.format(elements=""), encoding="utf-8")
    constants = f"Const QUEUE = {_basic_string(str(queue))}\nConst OWNER = {_basic_string(str(owner))}\n"
    source = escape(SERVE_MACRO.replace("Option Explicit\n", "Option Explicit\n" + constants, 1), {'"': "&quot;"})
    (basic / "Standard" / f"{MODULE}.xba").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
        f'<script:module xmlns:script="http://openoffice.org/2000/script" script:name="{MODULE}" '
        f'script:language="StarBasic">{source}</script:module>\n', encoding="utf-8")


class OfficeServer:
    """One running LibreOffice that converts DOCX bytes to PDF bytes, one at a time."""

    def __init__(self, soffice: str | None = None):
        self.owner = os.getpid()
        self.folder = Path(tempfile.mkdtemp(prefix="contractgen-soffice-"))
        self.queue = self.folder / "queue"
        try:
            self._start(soffice or find_soffice())
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self._numbers = itertools.count(1)
        self._wait_until_ready()

    def _start(self, soffice: str) -> None:
        self.queue.mkdir()
        profile = self.folder / "profile"
        write_profile(profile, self.queue, self.owner)
        command = [soffice, "--headless", "--invisible", "--norestore", "--nologo",
                   "--nodefault", "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
                   f"macro:///Standard.{MODULE}.Serve"]
        # UTC: the PDF's creation date is then always written "D:…Z'", which the writer
        # replaces with the contract's date (see writers/pdf.py)
        env = dict(os.environ, TZ="UTC")
        self.guard = subprocess.Popen([sys.executable, "-m", "contractgen.converters.guard", str(self.folder), "--",
                                       *command], stdin=subprocess.PIPE, env=env)

    def alive(self) -> bool:
        return self.guard.poll() is None and (self.queue / "ready").exists()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while not (self.queue / "ready").exists():
            if self.guard.poll() is not None or time.monotonic() > deadline:
                detail = self._log_tail()
                self.close()
                raise UserError("LibreOffice (soffice) did not start" + (f": {detail}" if detail else ""))
            time.sleep(POLL)

    def _log_tail(self) -> str:
        try:
            lines = (self.folder / "soffice.log").read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        lines = [line for line in lines if line.strip() and "javaldx" not in line]
        return lines[-1].strip() if lines else ""

    def convert(self, docx: bytes) -> bytes:
        """The PDF LibreOffice exports from ``docx``; a :class:`UserError` when it cannot."""
        stem = self.queue / str(next(self._numbers))
        stem.with_suffix(".docx").write_bytes(docx)
        stem.with_suffix(".req").touch()
        deadline = time.monotonic() + CONVERT_TIMEOUT
        pdf, err = stem.with_suffix(".pdf"), stem.with_suffix(".err")
        while True:
            if pdf.exists():
                data = pdf.read_bytes()
                self._forget(stem)
                return data
            if err.exists():
                message = err.read_text(encoding="utf-8", errors="replace").strip() or "no message"
                self._forget(stem)
                raise UserError(f"LibreOffice could not convert the document to PDF: {message.splitlines()[0]}")
            if self.guard.poll() is not None:
                raise UserError("LibreOffice stopped while converting the document to PDF")
            if time.monotonic() > deadline:
                self.close()
                raise UserError(f"LibreOffice took longer than {CONVERT_TIMEOUT} s to convert the document to PDF")
            time.sleep(POLL)

    def _forget(self, stem: Path) -> None:
        for suffix in (".docx", ".pdf", ".err"):
            stem.with_suffix(suffix).unlink(missing_ok=True)

    def close(self, timeout: float = 10.0) -> None:
        """End LibreOffice and remove its profile: the guard does both when its input ends."""
        if self.guard.stdin and not self.guard.stdin.closed:
            self.guard.stdin.close()
        try:
            self.guard.wait(timeout)
        except subprocess.TimeoutExpired:
            self.guard.kill()
            self.guard.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_LOCK = threading.Lock()
_SERVER: OfficeServer | None = None
_AT_EXIT: set[int] = set()  # processes that registered stop_server for their exit


def convert_docx(docx: bytes, soffice: str | None = None) -> bytes:
    """``docx`` as PDF, by this process's LibreOffice server (started on first use)."""
    global _SERVER
    with _LOCK:
        if _SERVER is None or _SERVER.owner != os.getpid() or not _SERVER.alive():
            if _SERVER is not None and _SERVER.owner == os.getpid():
                _SERVER.close()
            _stop_at_exit()
            _SERVER = OfficeServer(soffice)
        return _SERVER.convert(docx)


def stop_server() -> None:
    """End this process's LibreOffice server, if it runs (the next conversion starts one)."""
    global _SERVER
    with _LOCK:
        server, _SERVER = _SERVER, None
    if server is not None and server.owner == os.getpid():
        server.close()


def _stop_at_exit() -> None:
    """A pool worker ends through multiprocessing's exit function, which runs its
    finalizers but not atexit; the main process runs atexit. The guard's input ends with
    the process either way; stopping here waits until the profile is gone."""
    if os.getpid() not in _AT_EXIT:
        _AT_EXIT.add(os.getpid())
        atexit.register(stop_server)
        mp_util.Finalize(None, stop_server, exitpriority=50)
