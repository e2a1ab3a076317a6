"""Versions and citation: both versions everywhere, a CITATION.cff that the CFF schema accepts, cite() styles."""

import json
import re
import shutil
import tomllib

import jsonschema
import pytest
import yaml
from conftest import ROOT
from typer.testing import CliRunner

import analysis
from analysis import about, config
from analysis.cli import app
from analysis.sources.build import write_datapackage

SCHEMA = ROOT / "tests" / "fixtures" / "cff-schema-1.2.0.json"  # CFF 1.2.0 schema as shipped by cffconvert 2.0.0


def _cff() -> dict:
    # the schema's own note: YAML dates must be validated as strings
    return json.loads(json.dumps(yaml.safe_load((ROOT / "CITATION.cff").read_text()), default=str))


def test_citation_cff_is_valid_against_the_cff_schema():
    schema = json.loads(SCHEMA.read_text())
    assert schema["$id"].startswith("https://citation-file-format.github.io/1.2.0/")
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(_cff())


def test_the_schema_check_would_catch_a_broken_file():
    schema = json.loads(SCHEMA.read_text())
    broken = {k: v for k, v in _cff().items() if k != "authors"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(broken)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate(dict(_cff(), license="MIT-ish"))


def test_one_semantic_version_everywhere():
    assert re.fullmatch(r"\d+\.\d+\.\d+", analysis.__version__)
    assert _cff()["version"] == analysis.__version__
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in py["project"]["dynamic"]
    assert py["tool"]["setuptools"]["dynamic"]["version"]["attr"] == "analysis.about.__version__"
    assert f"## {analysis.__version__} " in (ROOT / "CHANGELOG.md").read_text()


def test_data_version_is_status_date_plus_content_hash(tmp_path):
    ds = analysis.load()
    version = analysis.data_version(ds)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}\+[0-9a-f]{10}", version)
    assert version.startswith(ds.status_date.isoformat())
    copy = shutil.copytree(config.DATA_DIR, tmp_path / "data")
    assert analysis.data_version(analysis.load(copy)) == version  # same content, same version
    states = copy / "states.csv"
    states.write_text(states.read_text().replace("Lithuania", "Lithuania ", 1))
    write_datapackage(copy)  # validate checks every file against its recorded checksum: record the edit
    changed = analysis.data_version(analysis.load(copy))
    assert changed != version and changed.split("+")[0] == version.split("+")[0]


@pytest.mark.parametrize("style", about.CITE_STYLES)
def test_cite_carries_both_versions_and_the_title(style):
    text = analysis.cite(style)
    assert analysis.data_version() in text
    assert analysis.__version__ in text
    assert _cff()["title"] in text


def test_bibtex_is_one_entry_with_balanced_braces():
    entry = analysis.cite("bibtex")
    assert entry.startswith("@misc{") and entry.endswith("}")
    assert entry.count("{") == entry.count("}")
    assert "author = {{The treaty-exits maintainers}}" in entry


def test_unknown_style_is_one_clear_line():
    with pytest.raises(ValueError, match="style must be one of text, apa, bibtex"):
        analysis.cite("chicago")
    result = CliRunner().invoke(app, ["cite", "--style", "chicago"])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1


def test_version_option_prints_both_versions():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"treaty-exits {analysis.__version__} · data {analysis.data_version()}"


def test_reports_provenance_names_both_versions():
    from analysis import tables

    text = tables.provenance()
    assert analysis.__version__ in text and analysis.data_version() in text
