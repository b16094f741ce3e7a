"""SARIF 2.1.0 output: validated against the requirements we rely on, then read back."""

from __future__ import annotations

import copy
import io
import json
import re

import jsonschema
import pytest
from _report_data import (
    LINE_30102, LINE_INCOME_PROSE, LINE_T5_TOTAL, SEED_003, SHEET, check_docs, copy_seed, mistyped_t6_rows, run_cli,
    seed003_report, t6_document, use_test_rules, write_t6_workbook,
)

from budgetlint.report import render
from budgetlint.report.sarif import SARIF_SCHEMA_URI

SEED_001 = "001_cc27d041c9c85168.txt"

# Our own encoding of the parts of the SARIF 2.1.0 specification (OASIS, sections
# 3.13-3.58) that budgetlint produces and code-scanning consumers read.  Objects
# are closed (additionalProperties: false) so a misspelt property fails.
_MSG = {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
        "properties": {"text": {"type": "string", "minLength": 1}, "id": {"type": "string"}, "arguments": {"type": "array"}},
        "additionalProperties": False}
_MULTI = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}, "markdown": {"type": "string"}},
          "additionalProperties": False}
_BAG = {"type": "object"}
_ARTIFACT_LOCATION = {
    "type": "object",
    "properties": {"uri": {"type": "string", "minLength": 1}, "uriBaseId": {"type": "string"}, "index": {"type": "integer", "minimum": -1},
                   "description": _MSG, "properties": _BAG},
    "additionalProperties": False,
}
_REGION = {
    "type": "object",
    "properties": {"startLine": {"type": "integer", "minimum": 1}, "startColumn": {"type": "integer", "minimum": 1},
                   "endLine": {"type": "integer", "minimum": 1}, "endColumn": {"type": "integer", "minimum": 1},
                   "charOffset": {"type": "integer", "minimum": -1}, "charLength": {"type": "integer", "minimum": 0},
                   "snippet": _MULTI, "message": _MSG, "properties": _BAG},
    "additionalProperties": False,
}
_LOGICAL = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "fullyQualifiedName": {"type": "string"}, "decoratedName": {"type": "string"},
                   "kind": {"type": "string"}, "index": {"type": "integer", "minimum": -1}, "parentIndex": {"type": "integer", "minimum": -1},
                   "properties": _BAG},
    "additionalProperties": False,
}
_LOCATION = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "minimum": -1},
        "physicalLocation": {
            "type": "object", "required": ["artifactLocation"],
            "properties": {"artifactLocation": _ARTIFACT_LOCATION, "region": _REGION, "contextRegion": _REGION, "properties": _BAG},
            "additionalProperties": False,
        },
        "logicalLocations": {"type": "array", "items": _LOGICAL, "minItems": 1},
        "message": _MSG,
        "properties": _BAG,
    },
    "additionalProperties": False,
}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
_RULE = {
    "type": "object", "required": ["id"],
    "properties": {"id": {"type": "string", "minLength": 1}, "name": {"type": "string"}, "shortDescription": _MULTI,
                   "fullDescription": _MULTI, "help": _MULTI, "helpUri": {"type": "string"},
                   "defaultConfiguration": {"type": "object", "properties": {"level": _LEVEL, "enabled": {"type": "boolean"},
                                                                              "rank": {"type": "number"}, "parameters": _BAG},
                                            "additionalProperties": False},
                   "properties": _BAG},
    "additionalProperties": False,
}
_RESULT = {
    "type": "object", "required": ["message"],
    "properties": {
        "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": -1}, "level": _LEVEL,
        "kind": {"enum": ["notApplicable", "pass", "fail", "review", "open", "informational"]},
        "message": _MSG, "locations": {"type": "array", "items": _LOCATION},
        "relatedLocations": {"type": "array", "items": _LOCATION, "uniqueItems": True},
        "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
        "fingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
        "properties": _BAG,
    },
    "additionalProperties": False,
}
SARIF_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string"},
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "items": {
            "type": "object", "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {
                    "driver": {"type": "object", "required": ["name"], "properties": {
                        "name": {"type": "string", "minLength": 1}, "version": {"type": "string"}, "semanticVersion": {"type": "string"},
                        "informationUri": {"type": "string"}, "language": {"type": "string"},
                        "rules": {"type": "array", "items": _RULE, "uniqueItems": True}, "properties": _BAG,
                    }, "additionalProperties": False},
                }, "additionalProperties": False},
                "invocations": {"type": "array", "items": {
                    "type": "object", "required": ["executionSuccessful"],
                    "properties": {"executionSuccessful": {"type": "boolean"},
                                   "toolExecutionNotifications": {"type": "array", "items": {
                                       "type": "object", "required": ["message"],
                                       "properties": {"message": _MSG, "level": _LEVEL, "locations": {"type": "array", "items": _LOCATION},
                                                      "descriptor": {"type": "object"}, "properties": _BAG},
                                       "additionalProperties": False}},
                                   "properties": _BAG},
                    "additionalProperties": False}},
                "originalUriBaseIds": {"type": "object", "additionalProperties": {
                    "type": "object", "required": ["uri"], "properties": {"uri": {"type": "string", "pattern": "/$"}},
                    "additionalProperties": False}},
                "artifacts": {"type": "array", "items": {"type": "object", "properties": {"location": _ARTIFACT_LOCATION, "properties": _BAG},
                                                         "additionalProperties": False}},
                "results": {"type": "array", "items": _RESULT},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "language": {"type": "string", "pattern": "^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$"},
                "properties": _BAG,
            },
            "additionalProperties": False,
        }},
        "properties": _BAG,
    },
    "additionalProperties": False,
}
# RFC 3986 URI reference made of ASCII only (spaces and CJK must be percent-encoded).
_URI_REF = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def _validate(log: dict) -> None:
    jsonschema.Draft202012Validator(SARIF_SCHEMA).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"].get("rules", [])
    for res in run["results"]:
        # §3.27.6: ruleIndex points at the descriptor with the same id
        if "ruleIndex" in res:
            assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        for loc in res["locations"] + res.get("relatedLocations", []):
            art = loc["physicalLocation"]["artifactLocation"]
            assert _URI_REF.match(art["uri"]), art["uri"]
            if "index" in art:
                assert run["artifacts"][art["index"]]["location"]["uri"] == art["uri"]
            if "uriBaseId" in art:
                assert art["uriBaseId"] in run["originalUriBaseIds"]


# What GitHub code scanning states it needs from an uploaded SARIF file ("SARIF support for
# code scanning": required properties and the upload limits), as our own schema.  It is
# stricter than the specification: every result has a rule id, a text message, a location
# whose artifact URI is relative, a region with startLine >= 1 and partial fingerprints.
_RELATIVE_URI = {"type": "string", "minLength": 1, "not": {"pattern": "^(/|[A-Za-z][A-Za-z0-9+.-]*:)"}}
GITHUB_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["$schema", "version", "runs"],
    "properties": {
        "$schema": {"type": "string", "pattern": "sarif"},
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "maxItems": 20, "items": {
            "type": "object", "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name", "rules"],
                    "properties": {"name": {"type": "string", "minLength": 1},
                                   "rules": {"type": "array", "maxItems": 25000,
                                             "items": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "minLength": 1}}}}},
                }}},
                "results": {"type": "array", "maxItems": 25000, "items": {
                    "type": "object", "required": ["ruleId", "message", "locations", "partialFingerprints"],
                    "properties": {
                        "ruleId": {"type": "string", "minLength": 1},
                        "message": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}},
                        "locations": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {
                            "type": "object", "required": ["physicalLocation"],
                            "properties": {"physicalLocation": {
                                "type": "object", "required": ["artifactLocation", "region"],
                                "properties": {
                                    "artifactLocation": {"type": "object", "required": ["uri"], "properties": {"uri": _RELATIVE_URI}},
                                    "region": {"type": "object", "required": ["startLine"],
                                               "properties": {"startLine": {"type": "integer", "minimum": 1}}},
                                },
                            }},
                        }},
                        "partialFingerprints": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string", "minLength": 1}},
                    },
                }},
            },
        }},
    },
}


def _validate_for_github(log: dict) -> None:
    """GITHUB_SCHEMA, plus: rule ids known to the driver, fingerprints unique within each file."""
    jsonschema.Draft202012Validator(GITHUB_SCHEMA).validate(log)
    for run in log["runs"]:
        ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
        seen: dict[tuple[str, str], int] = {}
        for res in run["results"]:
            assert res["ruleId"] in ids, res["ruleId"]
            uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for key, fp in res["partialFingerprints"].items():
                seen[(uri, key + fp)] = seen.get((uri, key + fp), 0) + 1
        dup = [k for k, n in seen.items() if n > 1]
        assert not dup, f"{len(dup)} fingerprints shared within a file"


def test_github_schema_is_not_vacuous():
    good = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "S1"}]}}, "results": [
        {"ruleId": "S1", "message": {"text": "m"}, "partialFingerprints": {"k": "1"},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.txt"}, "region": {"startLine": 3}}}]}]}]}
    _validate_for_github(good)
    res = ("runs", 0, "results", 0)
    phys = res + ("locations", 0, "physicalLocation")
    breakages = [
        (("$schema",), None), (phys + ("region",), None), (phys + ("region", "startLine"), 0),
        (phys + ("artifactLocation", "uri"), "file:///work/a.txt"), (phys + ("artifactLocation", "uri"), "/work/a.txt"),
        (res + ("partialFingerprints",), None), (res + ("ruleId",), None), (res + ("locations",), []),
        (("runs", 0, "tool", "driver", "rules"), None), (res + ("ruleId",), "S2"),
    ]
    for path, value in breakages:
        bad = copy.deepcopy(good)
        node = bad
        for k in path[:-1]:
            node = node[k]
        if value is None:
            del node[path[-1]]
        else:
            node[path[-1]] = value
        with pytest.raises((jsonschema.ValidationError, AssertionError)):
            _validate_for_github(bad)
    twice = copy.deepcopy(good)
    twice["runs"][0]["results"].append(copy.deepcopy(good["runs"][0]["results"][0]))
    with pytest.raises(AssertionError, match="shared within a file"):
        _validate_for_github(twice)


def test_every_rule_on_real_seeds_is_accepted_by_github(tmp_path, monkeypatch):
    """The real rules on two seeds: every result has a region, a relative URI and a unique fingerprint."""
    from budgetlint.engine import run

    paths = [copy_seed(tmp_path, name=name, dest=f"{key}.txt") for key, name in (("001", SEED_001), ("003", SEED_003))]
    monkeypatch.chdir(tmp_path)
    report = run([p.name for p in paths], jobs=1)
    log = _sarif(report)
    _validate(log)
    _validate_for_github(log)
    assert len(log["runs"][0]["results"]) > 100


def test_results_outside_the_working_directory_stay_relative(tmp_path, monkeypatch):
    report, _, path = seed003_report(tmp_path / "docs")
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    log = _sarif(report)
    _validate_for_github(log)
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]} == {f"../docs/{path.name}"}


def test_pdf_findings_are_on_their_page(tmp_path):
    report, _, _ = seed003_report(tmp_path)
    f = report.findings[0]
    f.line, f.page = None, 3
    for t in f.terms:
        t["line"], t["page"] = None, 4
    log = _sarif(report)
    _validate_for_github(log)
    res = next(r for r in log["runs"][0]["results"] if r["ruleId"] == f.code)
    assert res["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}
    assert res["message"]["text"].startswith("[p.3] ")
    assert res["relatedLocations"][0]["physicalLocation"]["region"] == {"startLine": 4}
    assert res["relatedLocations"][0]["message"]["text"].endswith("[p.4]")


def _sarif(report) -> dict:
    buf = io.StringIO()
    render(report, "sarif", buf)
    return json.loads(buf.getvalue())


def test_schema_rejects_what_the_spec_forbids():
    """The schema is not vacuous: typical SARIF mistakes fail it."""
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"ruleId": "S1", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.txt"}, "region": {"startLine": 3}}}]}]}]}
    _validate(good)
    bad_variants = []
    b = copy.deepcopy(good); b["version"] = "2.0.0"; bad_variants.append(b)
    b = copy.deepcopy(good); b["runs"][0]["results"][0]["level"] = "fatal"; bad_variants.append(b)
    b = copy.deepcopy(good); b["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0; bad_variants.append(b)
    b = copy.deepcopy(good); del b["runs"][0]["results"][0]["message"]; bad_variants.append(b)
    b = copy.deepcopy(good); b["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["regoin"] = {}; bad_variants.append(b)
    b = copy.deepcopy(good); del b["runs"][0]["tool"]["driver"]["name"]; bad_variants.append(b)
    for bad in bad_variants:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft202012Validator(SARIF_SCHEMA).validate(bad)


def test_seed_report_is_valid_sarif_with_lines_and_terms(tmp_path, monkeypatch):
    report, doc, path = seed003_report(tmp_path)
    monkeypatch.chdir(tmp_path)
    log = _sarif(report)
    _validate(log)
    _validate_for_github(log)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"S901", "C901", "X901", "N901"}
    # rules carry their documentation (the rule docstring) and default level
    assert "Σ" in rules["S901"]["help"]["text"] and rules["S901"]["defaultConfiguration"]["level"] == "error"
    assert rules["S901"]["shortDescription"]["text"] == "类合计应等于所属各款之和"
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert set(by_rule) == {"S901", "C901", "X901", "N901"}
    cross = by_rule["C901"]
    phys = cross["locations"][0]["physicalLocation"]
    # relative to the working directory, percent-free here (ASCII file name)
    assert phys["artifactLocation"]["uri"] == path.name
    assert phys["region"]["startLine"] == LINE_30102
    assert cross["level"] == "error"
    assert cross["properties"]["expected"] == pytest.approx(3386.91)
    assert cross["properties"]["actual"] == pytest.approx(3368.91)
    assert cross["properties"]["row"]["label"] == "津贴补贴"
    assert "津贴补贴" in cross["message"]["text"]
    # the terms become related locations on their own lines
    related = by_rule["S901"]["relatedLocations"]
    assert len(related) == 9
    assert [r["physicalLocation"]["region"]["startLine"] for r in related][:3] == [276, 277, 278]
    assert related[1]["message"]["text"].startswith("+ 3368.91 津贴补贴")
    assert by_rule["X901"]["locations"][0]["physicalLocation"]["region"]["startLine"] == LINE_T5_TOTAL
    assert by_rule["N901"]["locations"][0]["physicalLocation"]["region"]["startLine"] == LINE_INCOME_PROSE
    assert all(r["partialFingerprints"]["budgetlintFingerprint/v1"] for r in run["results"])


def test_spreadsheet_findings_have_sheet_cell_logical_locations(tmp_path, monkeypatch):
    xl = write_t6_workbook(tmp_path / "预算 表6.xlsx", mistyped_t6_rows())
    monkeypatch.chdir(tmp_path)
    report = check_docs([t6_document(xl.name, mistyped_t6_rows())])
    log = _sarif(report)
    _validate(log)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    loc = results["C901"]["locations"][0]
    assert loc["logicalLocations"] == [{"name": "C8", "fullyQualifiedName": f"{SHEET}!C8", "kind": "element"}]
    # a workbook has no lines: the region is the cell's row, the message names the sheet cell
    assert loc["physicalLocation"]["region"] == {"startLine": 8}
    assert results["C901"]["message"]["text"].startswith(f"[{SHEET}!C8] ")
    _validate_for_github(log)
    # non-ASCII file names are percent-encoded UTF-8
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "%E9%A2%84%E7%AE%97%20%E8%A1%A86.xlsx"
    terms = results["S901"]["relatedLocations"]
    assert [t["logicalLocations"][0]["fullyQualifiedName"] for t in terms][:2] == [f"{SHEET}!C7", f"{SHEET}!C8"]


def test_fingerprints_survive_lines_inserted_above(tmp_path):
    a, _, _ = seed003_report(tmp_path / "a", dest="doc.txt")
    b_path = copy_seed(tmp_path / "b", dest="doc.txt")
    text = (tmp_path / "a" / "doc.txt").read_text(encoding="utf-8")
    b_path.write_text("新增的说明段落。\n\n另一段。\n" + text, encoding="utf-8")
    from budgetlint.loaders import load_document

    b = check_docs([load_document(b_path)])
    fa = {r["ruleId"]: r for r in _sarif_at(a, tmp_path / "a")["runs"][0]["results"]}
    fb = {r["ruleId"]: r for r in _sarif_at(b, tmp_path / "b")["runs"][0]["results"]}
    for code in fa:
        assert fb[code]["locations"][0]["physicalLocation"]["region"]["startLine"] == fa[code]["locations"][0]["physicalLocation"]["region"]["startLine"] + 3
        assert fb[code]["partialFingerprints"] == fa[code]["partialFingerprints"], code


def _sarif_at(report, cwd):
    from budgetlint.report.sarif import to_sarif

    return to_sarif(report, cwd=str(cwd))


def test_unreadable_file_is_a_notification(tmp_path, monkeypatch):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    use_test_rules(monkeypatch)
    monkeypatch.chdir(tmp_path)
    res = run_cli(["check", "--format", "sarif", "broken.xlsx"])
    assert res.exit_code == 1
    log = json.loads(res.stdout)
    _validate(log)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and notes[0]["level"] == "error" and "broken.xlsx" in notes[0]["message"]["text"]


def test_cli_sarif_on_seed_and_english(tmp_path, monkeypatch):
    copy_seed(tmp_path, mistakes={LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}, dest="seed003.txt")
    use_test_rules(monkeypatch)
    res = run_cli(["check", "--format", "sarif", "--lang", "en", "--output", "out.sarif", "seed003.txt"], cwd=tmp_path)
    assert res.exit_code == 1, res.stderr
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    _validate(log)
    run = log["runs"][0]
    assert run["language"] == "en-US"
    assert sorted(r["ruleId"] for r in run["results"]) == ["C901", "S901"]
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "seed003.txt" for r in run["results"])
    assert run["tool"]["driver"]["rules"][0]["shortDescription"]["text"].isascii()
