"""Check a built Lambda package: its run-time closure is complete and it stays small.

    python tools/check_lambda_package.py .aws-sam/build/ClassifyFunction [--max-mb 25]

Every distribution in the package must have its requirements (markers evaluated for
Python 3.11 on Linux) either in the package or provided by the Lambda Python runtime, and
numpy/scikit-learn must not be there. Exit 1 with the reasons otherwise.
"""

from __future__ import annotations

import argparse
import ast
import importlib.metadata as md
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# What the AWS Lambda Python 3.11 runtime ships (boto3 and its dependencies).
RUNTIME_PROVIDED = frozenset(
    canonicalize_name(n)
    for n in ("boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3")
)
# Distributions shipped for a run-time module only; their declared requirements serve their
# CLI. The modules Lambda imports are checked to need nothing but the stdlib and themselves.
RUNTIME_MODULES_ONLY = {"chalice": ("chalice/__init__.py", "chalice/app.py")}
FORBIDDEN = frozenset(canonicalize_name(n) for n in ("numpy", "scikit-learn", "scipy", "pandas"))
ENV = {"python_version": "3.11", "python_full_version": "3.11.0", "sys_platform": "linux",
       "platform_system": "Linux", "platform_machine": "aarch64", "implementation_name": "cpython",
       "platform_python_implementation": "CPython", "os_name": "posix", "extra": ""}


def package_mb(package: Path) -> float:
    """Size of the package's files in MB."""
    return sum(f.stat().st_size for f in package.rglob("*") if f.is_file()) / 1e6


def problems(package: Path, max_mb: float) -> list[str]:
    """Return what is wrong with the package at `package` (empty when it is fine)."""
    found = md.distributions(path=[str(package)])
    dists = {canonicalize_name(d.metadata["Name"]): d for d in found}
    out: list[str] = []
    if "crisisdesk" not in {p.name for p in package.iterdir()}:
        out.append("the crisisdesk package is missing")
    for name, dist in sorted(dists.items()):
        if name in FORBIDDEN:
            out.append(f"{name} must not be shipped to Lambda")
        if name in RUNTIME_MODULES_ONLY:
            out += _foreign_imports(package, name, RUNTIME_MODULES_ONLY[name])
            continue
        for raw in dist.requires or []:
            req = Requirement(raw)
            if req.marker is not None and not req.marker.evaluate(ENV):
                continue
            dep = canonicalize_name(req.name)
            if dep in RUNTIME_PROVIDED:
                continue
            have = dists.get(dep)
            if have is None:
                out.append(f"{name} needs {req}, which is not in the package")
            elif req.specifier and not req.specifier.contains(have.version, prereleases=True):
                out.append(f"{name} needs {req}, the package has {have.version}")
    size = package_mb(package)
    if size > max_mb:
        out.append(f"package is {size:.1f} MB, over the {max_mb:g} MB budget")
    return out


def _foreign_imports(package: Path, top: str, modules: tuple[str, ...]) -> list[str]:
    out = []
    for rel in modules:
        tree = ast.parse((package / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for mod in names:
                root = mod.split(".")[0]
                if root != top and root not in sys.stdlib_module_names:
                    out.append(f"{rel} imports {mod}, which the package does not ship")
    return out


def main(argv: list[str] | None = None) -> int:
    """Check one built package directory; print the findings."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("package", type=Path)
    p.add_argument("--max-mb", type=float, default=25.0)
    args = p.parse_args(argv)
    if not args.package.is_dir():
        print(f"error: {args.package} is not a directory (run sam build first)", file=sys.stderr)
        return 2
    found = problems(args.package, args.max_mb)
    for line in found:
        print(f"error: {line}", file=sys.stderr)
    if not found:
        print(f"{args.package.name}: {package_mb(args.package):.1f} MB, run-time closure complete")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
