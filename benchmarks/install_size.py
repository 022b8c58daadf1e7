"""What an install of cchc weighs, and what the web stack adds to it (docs/decisions/0003).

Reads the dependencies of pyproject.toml, follows them through the metadata of the
distributions installed in this environment (markers evaluated, extras followed) and adds
up the files each distribution installed (its RECORD). Prints the whole closure, the
closure without the web stack, and the largest distributions. No network, no install:
run it in the project's virtualenv, ``.venv/bin/python benchmarks/install_size.py``.
"""

from __future__ import annotations

import contextlib
import importlib.metadata as md
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
#: The distributions only the web application (cchc.web, cchc serve/manage/backup/...) imports.
WEB = {
    "django",
    "django-ninja",
    "django-htmx",
    "argon2-cffi",
    "waitress",
    "whitenoise",
    "psycopg",
    "segno",
    "redis",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


DISTS = {_norm(d.metadata["Name"]): d for d in md.distributions()}


def _size(name: str) -> int:
    total = 0
    for f in DISTS[name].files or []:
        with contextlib.suppress(OSError):
            total += os.path.getsize(DISTS[name].locate_file(f))
    return total


def closure(requirements: list[str]) -> set[str]:
    """Names of the installed distributions the requirements pull in."""
    env = default_environment()
    seen: set[tuple[str, frozenset[str]]] = set()
    stack = [Requirement(r) for r in requirements]
    while stack:
        req = stack.pop()
        name = _norm(req.name)
        key = (name, frozenset(req.extras))
        if name not in DISTS or key in seen:
            continue
        seen.add(key)
        for text in DISTS[name].requires or []:
            sub = Requirement(text)
            extras = ["", *req.extras]
            if sub.marker is None or any(sub.marker.evaluate({**env, "extra": e}) for e in extras):
                stack.append(sub)
    return {name for name, _ in seen}


def _mb(names: set[str]) -> float:
    return sum(_size(n) for n in names) / 1e6


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = project["dependencies"] + project.get("optional-dependencies", {}).get("web", [])
    core = [d for d in deps if _norm(Requirement(d).name) not in WEB]
    everything, without_web = closure(deps), closure(core)
    web_only = everything - without_web
    print(f"cchc with the web stack: {len(everything)} distributions, {_mb(everything):.1f} MB")
    print(f"cchc without it:         {len(without_web)} distributions, {_mb(without_web):.1f} MB")
    print(f"the web stack adds:      {len(web_only)} distributions, {_mb(web_only):.1f} MB")
    print(
        "  "
        + ", ".join(f"{n} {_size(n) / 1e6:.1f}" for n in sorted(web_only, key=_size, reverse=True))
    )
    largest = sorted(without_web, key=_size, reverse=True)[:8]
    print("largest without it (MB): " + ", ".join(f"{n} {_size(n) / 1e6:.1f}" for n in largest))
    code = "import sys, cchc.cli; print(sorted({'django', 'ninja'} & set(sys.modules)))"
    times = []
    for _ in range(7):  # the best of seven: the machine is shared
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=True,
        )
        line = [x for x in out.stderr.splitlines() if x.rstrip().endswith("| cchc.cli")][-1]
        times.append(int(line.split("|")[1]))
    print(
        f"import cchc.cli: {min(times) / 1000:.0f} ms (best of 7); "
        f"web modules imported: {out.stdout.strip()}"
    )


if __name__ == "__main__":
    main()
