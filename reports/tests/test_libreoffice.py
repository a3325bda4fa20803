"""Each report file converts to PDF with LibreOffice without error.

Marked `libreoffice`: .ci/run installs libreoffice-calc and runs these on their own."""

import shutil
import subprocess

import pytest

from reports.models import RunStatus
from reports.services import request_run

pytestmark = pytest.mark.libreoffice


@pytest.mark.parametrize(
    "kind,period", [("monthly", "2026-03"), ("quarterly", "2026-Q1"), ("yearly", "2026")]
)
def test_report_converts_to_pdf(report_city, kind, period, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("没有找到 soffice：请安装 libreoffice-calc（.ci/run 会安装）")
    # the yearly appraisal of a year not yet closed asks for a confirmation (tested elsewhere)
    run = request_run(kind=kind, period=period, confirmed=True)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    out = tmp_path / "pdf"
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(out), run.file.path],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pdfs = list(out.glob("*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert pdfs[0].stat().st_size > 2000
