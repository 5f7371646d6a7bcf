"""No code in functions/, infra/, workflows/ or template.yaml deletes or hides platform content."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("functions", "infra", "workflows", "template.yaml")
TEXT_SUFFIXES = {".py", ".json", ".yaml", ".yml", ".toml", ".txt", ".sh", ".html", ".js"}
HIDE_NAMES = {"is_hidden", "hide", "hidden", "hide_comment", "hide_reply"}
HTTP_RECEIVERS = {"requests", "httpx", "urllib3", "session", "http", "api", "graph", "twitter"}
# Delete endpoints: X v1.1 destroy, X v2 paths below /2/tweets/ (by id), Graph method override.
DELETE_PATHS = re.compile(
    r"statuses/destroy|direct_messages/events/destroy|/2/tweets/|/2/dm_events/"
    r"|[?&]method=delete|x-http-method-override|[?&](is_)?hidden?=",
    re.IGNORECASE,
)
TEXT_RULES = [
    re.compile(r"[\"']?Method[\"']?\s*:\s*[\"']?DELETE", re.IGNORECASE),  # ASL http:invoke, YAML
    re.compile(r"\bis_hidden\b"),
    DELETE_PATHS,
]


def _docstring_ids(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _is_delete(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and str(node.value).upper() == "DELETE"


def _call_name(func: ast.expr) -> tuple[str, str]:
    if isinstance(func, ast.Attribute):
        receiver = func.value
        base = receiver.id if isinstance(receiver, ast.Name) else getattr(receiver, "attr", "")
        return str(base).lower(), func.attr
    if isinstance(func, ast.Name):
        return "", func.id
    return "", ""


def scan_python(source: str, where: str) -> list[str]:
    """Findings for one Python file: DELETE calls, hide params, delete endpoints."""
    tree = ast.parse(source)
    docstrings = _docstring_ids(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Call):
            receiver, name = _call_name(node.func)
            for kw in node.keywords:
                if kw.arg in ("method", "http_method", "verb") and _is_delete(kw.value):
                    found.append(f"{where}:{line}: {name}(method='DELETE')")
                if kw.arg in HIDE_NAMES:
                    found.append(f"{where}:{line}: {name}({kw.arg}=...)")
            if node.args and _is_delete(node.args[0]):
                found.append(f"{where}:{line}: {name}('DELETE', ...)")
            if name == "delete" and receiver in HTTP_RECEIVERS:
                found.append(f"{where}:{line}: {receiver}.delete(...)")
            if name in HIDE_NAMES:
                found.append(f"{where}:{line}: {name}(...) call")
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and str(key.value).lower() in HIDE_NAMES:
                    found.append(f"{where}:{line}: {{{key.value!r}: ...}} hide parameter")
                is_method = isinstance(key, ast.Constant) and key.value in ("method", "_method")
                if is_method and _is_delete(value):
                    found.append(f"{where}:{line}: {{'method': 'delete'}} override")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and DELETE_PATHS.search(node.value)
        ):
            found.append(f"{where}:{line}: delete endpoint {node.value!r}")
    return found


def scan_text(text: str, where: str) -> list[str]:
    """Findings for a non-Python file (ASL JSON, YAML templates, scripts)."""
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        for rule in TEXT_RULES:
            if rule.search(line):
                found.append(f"{where}:{number}: {line.strip()[:120]}")
    return found


def scan_tree(root: Path) -> list[str]:
    """Scan every text file under the deploy-relevant paths of root."""
    found: list[str] = []
    for name in SCANNED:
        base = root / name
        files = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for path in files:
            if not path.is_file() or path.suffix not in TEXT_SUFFIXES or ".venv" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            where = str(path.relative_to(root))
            found += scan_python(text, where) if path.suffix == ".py" else scan_text(text, where)
    return found


def test_codebase_never_deletes_or_hides_platform_content() -> None:
    assert (ROOT / "functions" / "crisisdesk" / "adapters" / "x.py").is_file()
    assert scan_tree(ROOT) == []


PLANTED = [
    'urllib.request.Request(url, method="DELETE")',
    'transport.request("DELETE", "/v23.0/123_456", token=t)',
    "requests.delete(f'https://graph.facebook.com/v23.0/{comment_id}')",
    'client.post(f"/v23.0/{cid}", json={"is_hidden": True})',
    'http.post(url, params={"method": "delete"})',
    'url = f"https://api.x.com/2/tweets/{tweet_id}"',
    'url = "https://api.twitter.com/1.1/statuses/destroy/" + tid + ".json"',
    'graph.post(path + "?is_hidden=true")',
    "hide_comment(comment_id)",
]


@pytest.mark.parametrize("line", PLANTED)
def test_scanner_catches_planted_python(line: str) -> None:
    assert scan_python(line, "planted.py"), line


def test_scanner_catches_planted_config(tmp_path: Path) -> None:
    (tmp_path / "workflows").mkdir()
    (tmp_path / "workflows" / "x.asl.json").write_text(
        '{"Type": "Task", "Resource": "arn:aws:states:::http:invoke",\n'
        ' "Parameters": {"Method": "DELETE", "ApiEndpoint": "https://api.x.com/2/tweets/1"}}'
    )
    assert len(scan_tree(tmp_path)) == 2


def test_scanner_ignores_unrelated_deletes() -> None:
    ok = (
        '"""Never DELETE; see /2/tweets/:id docs."""\n'
        "dynamodb.delete_item(TableName=t, Key=k)\n"
        "sqs.delete_message(QueueUrl=q, ReceiptHandle=h)\n"
        'FORBIDDEN = frozenset({"is_hidden", "hide"})\n'
        'if method == "DELETE":\n    pass\n'
        '@app.route("/notes/{id}", methods=["DELETE"])\ndef f():\n    pass\n'
    )
    assert scan_python(ok, "ok.py") == []
