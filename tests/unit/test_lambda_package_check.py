"""tools/check_lambda_package.py finds missing run-time dependencies and forbidden packages."""

from __future__ import annotations

from pathlib import Path

from tools.check_lambda_package import problems


def _dist(root: Path, name: str, version: str, requires: list[str]) -> None:
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n")


def test_complete_closure_passes(tmp_path: Path) -> None:
    (tmp_path / "crisisdesk").mkdir()
    reqs = ["attrs>=22.2.0", "boto3", "tomli; python_version<'3.11'"]
    _dist(tmp_path, "jsonschema", "4.26.0", reqs)
    _dist(tmp_path, "attrs", "26.1.0", [])
    assert problems(tmp_path, max_mb=25) == []


def test_missing_dependency_forbidden_package_and_size_are_reported(tmp_path: Path) -> None:
    (tmp_path / "crisisdesk").mkdir()
    _dist(tmp_path, "jsonschema", "4.26.0", ["attrs>=22.2.0", "rpds-py>=0.25"])
    _dist(tmp_path, "attrs", "21.0.0", [])
    _dist(tmp_path, "numpy", "2.0.0", [])
    (tmp_path / "blob.bin").write_bytes(b"x" * 2_000_000)
    found = problems(tmp_path, max_mb=1)
    assert any("rpds-py" in f and "not in the package" in f for f in found)
    assert any("attrs>=22.2.0" in f and "21.0.0" in f for f in found)
    assert any(f.startswith("numpy must not") for f in found)
    assert any("over the 1 MB budget" in f for f in found)
