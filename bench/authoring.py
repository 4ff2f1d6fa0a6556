"""Authoring (issue 13): saving an edited article and showing the preview, and the Word import.

* save + preview: on the real app (TestClient, SQLite, signed-in privacy officer with session and CSRF), the
  Amsterdam dossier stored once; each measurement posts one changed lid of article 6 through the editor
  form (a new version: parse, validate, check, store, version row + audit entry, registry sync) and then
  fetches the preview page (HTML from the same view model as the PDF). Median of ``SAVE_RUNS``.
  Baseline in the same run: a full re-render of the set (every document, PDF and DOCX, empty cache),
  median of ``FULL_RUNS``. Goal: the save + preview ≤ 300 ms.
* Word import: ``templates.wordimport.import_docx`` on a Word file of the Amsterdam text (heading styles +
  Word numbering), median of ``IMPORT_RUNS``; reported, no goal.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from bench.runner import Result, median, timed

ROOT = Path(__file__).resolve().parent.parent
AMSTERDAM = ROOT / "examples" / "amsterdam.yaml"
SAVE_RUNS = 15
FULL_RUNS = 3
IMPORT_RUNS = 7
PASSWORD = "bench-wachtwoord-lang-genoeg"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def _save_and_preview() -> tuple[list[float], str]:
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from registry.database import migrate
    from service.accounts import service as accounts
    from service.app import create_app
    from service.settings import Settings

    data_dir = Path(tempfile.mkdtemp(prefix="bench-auteur-"))
    url = f"sqlite:///{data_dir / 'bench.db'}"
    migrate(url)
    app = create_app(Settings(data_dir=data_dir, database_url=url))
    with Session(app.state.engine) as db:
        user = accounts.create_user(
            db, email="pf@bench.example", name="Privacy", role="privacyfunctionaris", password=PASSWORD
        )
        db.commit()
        # the privacy officer signs in with a second factor
        secret = accounts.enable_totp(db, user.id, app.state.totp_box)
        db.commit()
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    page = client.get("/aanmelden")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    r = client.post(
        "/aanmelden", data={"email": "pf@bench.example", "wachtwoord": PASSWORD, "csrf_token": token}
    )
    assert r.status_code == 303, r.text[:300]
    location = r.headers["location"]
    if location.startswith("/aanmelden/"):  # the TOTP step, computed as the authenticator app would
        import pyotp

        page = client.get(location)
        r = client.post(
            location.split("?")[0],
            data={
                "code": pyotp.TOTP(secret).now(),
                "volgende": "/",
                "csrf_token": CSRF.search(page.text).group(1),  # type: ignore[union-attr]
            },
        )
        assert r.status_code == 303 and not r.headers["location"].startswith("/aanmelden"), r.text[:300]
    page = client.get("/portaal/dossiers")
    r = client.post(
        "/portaal/dossiers",
        data={"csrf_token": CSRF.search(page.text).group(1)},  # type: ignore[union-attr]
        files={"bestand": ("amsterdam.yaml", AMSTERDAM.read_bytes(), "application/x-yaml")},
    )
    assert r.status_code == 303, r.text[:500]
    dossier_id = r.headers["location"].split("?")[0].rsplit("/", 1)[1]
    editor = client.get(f"/portaal/editor/{dossier_id}")
    token = CSRF.search(editor.text).group(1)  # type: ignore[union-attr]
    article = re.search(
        r'id="artikel-([a-z0-9_.-]+)" aria-labelledby', editor.text.split('id="kop-artikel-')[5]
    )
    key = re.findall(r'<section id="artikel-([a-z0-9_.-]+)"', editor.text)[5]
    leden = re.findall(
        rf'id="lid-{re.escape(key)}-(\d+)" name="lid-\d+"[^>]*>([^<]*)</textarea>', editor.text
    )
    assert leden, "artikel zonder leden"
    del article
    import html

    texts = {f"lid-{n}": html.unescape(t) for n, t in leden}
    counter = {"n": 0}

    def one() -> None:
        counter["n"] += 1
        form = dict(texts)
        form["lid-1"] = f"{texts['lid-1']} (wijziging {counter['n']})"
        r = client.post(
            f"/portaal/editor/{dossier_id}",
            data={"csrf_token": token, "actie": "artikel-wijzigen", "doel": key, "titel": "", **form},
        )
        assert r.status_code == 303, r.text[:800]
        p = client.get(f"/portaal/editor/{dossier_id}/voorbeeld")
        assert p.status_code == 200 and f"(wijziging {counter['n']})" in p.text

    times = timed(one, SAVE_RUNS, warmup=2)
    app.state.engine.dispose()
    return times, key


def _full_render() -> list[float]:
    from templates import load_dossier, render_set
    from templates.cache import RenderCache

    data = AMSTERDAM.read_bytes()
    return timed(
        lambda: render_set(load_dossier(data, "amsterdam.yaml"), cache=RenderCache()), FULL_RUNS, warmup=1
    )


def _word_import() -> tuple[list[float], int]:
    from templates import load_dossier
    from templates.wordimport import import_docx
    from templates.wordimport.samples import build_docx

    docx = build_docx(load_dossier(AMSTERDAM.read_bytes(), "amsterdam.yaml"), "stijlen")
    result = import_docx(docx)
    return timed(lambda: import_docx(docx), IMPORT_RUNS, warmup=1), result.paragraphs


def run() -> list[Result]:
    save, key = _save_and_preview()
    full = _full_render()
    imports, paragraphs = _word_import()
    s, f, w = median(save), median(full), median(imports)
    return [
        Result(
            name="Artikel opslaan + voorbeeld (Amsterdam)",
            baseline=f,
            candidate=s,
            ratio=f / s if s else None,
            goal="≤ 300 ms",
            met=s <= 0.300,
            notes=(
                f"editorformulier (nieuwe versie: valideren, controleren, opslaan, audit, registry) + "
                f"voorbeeldpagina; mediaan van {SAVE_RUNS}; basis: de hele set opnieuw renderen (PDF+DOCX), "
                f"mediaan van {FULL_RUNS}; artikel {key}"
            ),
        ),
        Result(
            name="Word-import Amsterdam",
            baseline=None,
            candidate=w,
            ratio=None,
            goal="gerapporteerd",
            met=None,
            notes=f"{paragraphs} alinea's (kopstijlen + Word-nummering); mediaan van {IMPORT_RUNS}",
        ),
    ]


if __name__ == "__main__":
    for r in run():
        print(r)
