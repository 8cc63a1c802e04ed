"""`hfspec render`: catalogue and pixi documents in Markdown and HTML, user templates, hostile
content and hostile templates, and a real headless browser that opens the HTML file."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest
from click.testing import CliRunner
from browser import chromium, console_errors, distinct_bytes
from markupsafe import escape

from hfspec.cli import main
from hfspec.resources import national_catalogue
from hfspec.spec.project import load_project

HOSTILE_TEMPLATE = "{{ ''.__class__ }}"
HOSTILE_SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def national():
    return load_project([national_catalogue()])


def titles(project, lang: str = "da") -> list[str]:
    return [spec.title.get(lang) for spec in project.indicators.values()]


def render(args, expect: int = 0) -> str:
    """Run `hfspec render ARGS` in-process; returns stdout (and stderr on failure)."""
    result = CliRunner().invoke(main, ["render", *[str(a) for a in args]], catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result.output


def md_unescape(text: str) -> str:
    """What a Markdown reader shows for backslash-escaped text."""
    return re.sub(r"\\([\\`*_{}\[\]<>()#+\-.!|~&=])", r"\1", text)


def md_cells(row: str) -> list[str]:
    """The cells of a GitHub table row (a `|` escaped with a backslash does not split)."""
    inner = row.strip()[1:-1]
    return re.split(r"(?<!\\)\|", inner)


def assert_valid_md_tables(text: str) -> int:
    """Every table: a header, a `|---|` delimiter with as many cells, rows with as many cells."""
    lines = text.splitlines()
    tables = 0
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|(:?-{3,}:?\|)+", lines[i + 1]):
            tables += 1
            width = len(md_cells(lines[i]))
            assert len(md_cells(lines[i + 1])) == width, lines[i]
            assert i == 0 or lines[i - 1] == "", f"a table needs a blank line before it: {lines[i - 1]!r}"
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                assert lines[i].endswith("|") and len(md_cells(lines[i])) == width, f"row has the wrong number of cells: {lines[i]}"
                i += 1
        else:
            assert not (lines[i].startswith("|") and lines[i].endswith("|")), f"table row outside a table: {lines[i]}"
            i += 1
    return tables


@pytest.fixture
def hostile_catalogue(tmp_path: Path) -> Path:
    (tmp_path / "kf").mkdir()
    (tmp_path / "kf" / "evil.yaml").write_text(dedent("""\
        kind: Indicator
        id: HF-X-01
        title:
          da: "Farlig <b>titel</b> & {{ 7 * 7 }}"
          en: "Evil <b>title</b> & {{ 7 * 7 }}"
        description: "Tekst med {{ ''.__class__ }} og <script>alert(1)</script> | *stjerne* _x_"
        source: "{% for x in range(3) %}loop{% endfor %}"
        type: process
        dataset: borgere
        measure: count(distinct borger_id)
        cream:
          clear: {score: 4, reason: "<img src=x onerror=alert(2)>"}
        """), encoding="utf-8")
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(dedent("""\
        kind: Catalogue
        id: hostile
        title: "Katalog <script>alert(3)</script>"
        include: [kf/*.yaml]
        """), encoding="utf-8")
    return catalogue


# --- the national catalogue -------------------------------------------------------------------

def test_markdown_catalogue_has_every_title_and_valid_tables(national, tmp_path):
    out = tmp_path / "katalog.md"
    render(["--format", "md", "--out", out])
    text = out.read_text(encoding="utf-8")
    shown = md_unescape(text)
    for title in titles(national):
        assert title in shown
    for heading in ("## Procesindikatorer", "## Outcomeindikatorer", "## Økonomiindikatorer", "## Strukturindikatorer"):
        assert heading in text
    positions = [text.index(f"## {h}") for h in ("Procesindikatorer", "Outcomeindikatorer", "Økonomiindikatorer", "Strukturindikatorer")]
    assert positions == sorted(positions)
    assert assert_valid_md_tables(text) >= 2 * len(national.indicators)
    assert "`share(last(boligsituation == \"egen_bolig\" by dato) per borger_id)`" in text  # the formula, as the language prints it
    assert "mindst 80\u00a0%" in text and "●●●●●" in text


@pytest.mark.parametrize("template", ["catalogue", "pixi"])
def test_html_document_is_self_contained(national, tmp_path, template):
    out = tmp_path / f"{template}.html"
    render(["--template", template, "--format", "html", "--out", out])
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and '<html lang="da">' in text
    for title in titles(national):
        assert str(escape(title)) in text
    assert "@page" in text and "size: A4" in text
    for external in ("http:", "https:", "<script", "<link", "@import", "url(", "src=", "//fonts"):
        assert external not in text, external


def test_html_catalogue_starts_each_type_on_a_new_page(tmp_path):
    out = tmp_path / "k.html"
    render(["--out", out])  # html from the suffix
    text = out.read_text(encoding="utf-8")
    assert ".type-section { break-before: page;" in text
    sections = re.findall(r'<section class="type-section type-(\w+)"', text)
    assert sections == ["process", "outcome", "economy", "structure"]


def test_english(national, tmp_path):
    text = render(["--lang", "en", "--format", "md"])
    shown = md_unescape(text)
    for title in titles(national, "en"):
        assert title in shown
    assert "## Process indicators" in text and "CREAM assessment" in text
    assert "Procesindikatorer" not in text


def test_pixi_markdown(national):
    text = render(["--template", "pixi"])
    assert assert_valid_md_tables(text) == 1
    shown = md_unescape(text)
    for title in titles(national):
        assert title in shown
    assert "Vælg få nøgletal" in text and "Inddrag bostøttemedarbejderne" in text and "Inddrag ledelsen" in text
    assert "Der er valgt 65 nøgletal" in text  # the national catalogue is far from a short list
    english = render(["--template", "pixi", "--lang", "en"])
    assert "Choose few key figures" in english and "Vælg få" not in english


def test_pixi_of_a_short_list_has_no_warning(tmp_path):
    local = tmp_path / "local.yaml"
    local.write_text(dedent("""\
        kind: Catalogue
        id: vejle
        title: Vejles nøgletal
        extends: national
        select: [HF-O-01, HF-P-07, HF-E-04]
        """), encoding="utf-8")
    text = render([local, "--template", "pixi"])
    assert "# Vejles nøgletal" in text and "Der er valgt" not in text
    assert text.index("HF-P-07") < text.index("HF-O-01") < text.index("HF-E-04")  # grouped by type


# --- user templates --------------------------------------------------------------------------

def test_user_template_overrides_by_name(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "catalogue.md.j2").write_text("EGEN {{ catalogue.title | md }}: {{ indicators | length }}\n"
                                            "{% for type in types %}{{ type.id }}={{ type.count }} {% endfor %}\n", encoding="utf-8")
    (folder / "base.html.j2").write_text("<!DOCTYPE html><title>MIN RAMME</title>{% block header %}{% endblock %}"
                                         "{% block content %}{% endblock %}", encoding="utf-8")
    text = render(["--templates", folder])
    assert text == "EGEN Nationalt nøgletalskatalog for Housing First: 65\nprocess=16 outcome=35 economy=9 structure=5 \n"
    page = render(["--templates", folder, "--format", "html"])
    assert "MIN RAMME" in page and "HF-O-01" in page  # shipped catalogue.html.j2 inside the user's base
    assert "<style>" not in page


@pytest.mark.parametrize("source, code, line, message", [
    ("ok\n{{ ''.__class__.__mro__ }}\n", "HF802", 2, "unsafe"),
    ("{{ catalogue.title }}\n{% set x = [] %}{{ x.append(1) }}\n", "HF802", 2, "unsafe"),
    ("a\nb\n{% for x in %}\n", "HF801", 3, "syntax error"),
    ("{{ catalogue.titel }}\n", "HF801", 1, "did you mean `title`?"),
    ("{{ indicatrs }}\n", "HF801", 1, "did you mean `indicators`?"),
    ("x\n{{ 1 / 0 }}\n", "HF801", 2, "ZeroDivisionError"),
    ("{% include 'missing.j2' %}\n", "HF801", 0, "missing.j2"),
], ids=["mro", "mutate", "syntax", "undefined-attribute", "undefined-name", "zero-division", "missing-include"])
def test_bad_user_templates_are_diagnostics(tmp_path, source, code, line, message):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "catalogue.md.j2").write_text(source, encoding="utf-8")
    result = CliRunner().invoke(main, ["render", "--templates", str(folder), "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert f"error[{code}]" in result.output and message in result.output
    assert "Traceback" not in result.output
    if line:
        assert f"catalogue.md.j2:{line}:" in result.output


def test_missing_template_folder_and_unwritable_output(tmp_path):
    result = CliRunner().invoke(main, ["render", "--templates", str(tmp_path / "nope"), "--lang", "en"])
    assert result.exit_code == 1 and "error[HF801]" in result.output
    result = CliRunner().invoke(main, ["render", "--out", str(tmp_path / "no" / "such" / "dir.md"), "--lang", "en"])
    assert result.exit_code == 1 and "error[HF803]" in result.output


def test_help_does_not_import_jinja():
    code = "import sys, hfspec.cli; print('jinja2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# --- hostile content -------------------------------------------------------------------------

def test_hostile_content_is_escaped_in_html(hostile_catalogue, tmp_path):
    out = tmp_path / "evil.html"
    render([hostile_catalogue, "--format", "html", "--out", out])
    text = out.read_text(encoding="utf-8")
    for raw in (HOSTILE_SCRIPT, "<script>alert(3)</script>", "<img src=x", "<b>titel</b>"):
        assert raw not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "&lt;img src=x onerror=alert(2)&gt;" in text
    assert str(escape(HOSTILE_TEMPLATE)) in text  # shown, not evaluated
    assert "{{ 7 * 7 }}" in text and ">49<" not in text and "looplooploop" not in text
    assert "&lt;class" not in text and "<class" not in text


def test_hostile_content_is_literal_text_in_markdown(hostile_catalogue):
    text = render([hostile_catalogue, "--template", "catalogue"])
    shown = md_unescape(text)
    assert HOSTILE_TEMPLATE in shown and HOSTILE_SCRIPT in shown and "{% for x in range(3) %}loop{% endfor %}" in shown
    assert not re.search(r"(?<!\\)<(script|img|b)\b", text)  # no raw HTML reaches the Markdown: every `<` is escaped
    assert "looplooploop" not in text and "<class" not in text and "49" not in text
    assert "\\*stjerne\\*" in text and "\\_x\\_" in text
    assert_valid_md_tables(text)
    pixi = render([hostile_catalogue, "--template", "pixi"])
    assert not re.search(r"(?<!\\)<script", pixi) and "# Katalog <script>alert(3)</script>" in md_unescape(pixi)
    assert_valid_md_tables(pixi)


# --- a real browser --------------------------------------------------------------------------

def test_html_opens_in_a_real_browser(national, tmp_path):
    browser = chromium(tmp_path / "profile")
    page = tmp_path / "katalog.html"
    render(["--format", "html", "--out", page])
    dom = browser.dom(page)
    for title in titles(national):
        assert html.escape(title, quote=False) in dom.stdout, title
    shot = tmp_path / "shot.png"
    run = browser.screenshot(page, shot, "1200,1600")
    assert shot.stat().st_size > 30_000
    assert distinct_bytes(shot) > 64  # text and colour bands, not an empty page
    assert not console_errors(dom, run)


def test_templates_get_plain_data_only(national):
    import json

    from hfspec.catalogue.document import document_context

    context = document_context(national, "da")
    assert json.loads(json.dumps(context)) == context  # only dicts, lists, strings, numbers, booleans and null
    first = context["indicators"][0]
    assert set(first) >= {"id", "title", "description", "type", "measure", "filter", "dataset", "by", "period", "target",
                          "instrument", "source", "goal", "cream"}
    assert [row["key"] for row in first["cream"]["rows"]] == ["clear", "relevant", "economic", "adequate", "monitorable"]
