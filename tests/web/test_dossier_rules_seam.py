"""The import graph shows the dossier rules in the core and the web calling them.

"Is the clock running", "is it overdue at t", "which actions are allowed now", "has it
ended" and the export row live beside ``cchc.service.dossier.Dossier.apply``. Every web
module that shows or exports them reaches that module, and none keeps a copy: no status
lists, no transitions table, no timeliness judged on its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

WEB = Path(__file__).resolve().parents[2] / "src" / "cchc" / "web"
CORE = "cchc.service.dossier"

# The work list, the dashboard, the control sheet, the look-up, the survey sampling frame,
# the ledger export, the rating and the dossier page.
CALLERS = {
    "cchc.web.desk.worklist": ("deadline_at", "WAITING"),
    "cchc.web.desk.views": (),
    "cchc.web.desk.lookup": (),
    "cchc.web.desk.ledger": ("ledger_table",),
    "cchc.web.desk.rating": ("has_ended",),
    "cchc.web.desk.dashboard": (),
    "cchc.web.desk.papers": (),
    "cchc.web.surveys.sampling": (),
}
# Names that are rules of the core: importing them into the web means judging on one's own.
RULE_NAMES = {"TRANSITIONS", "classify", "DossierTimes", "TERMINAL_STATUSES", "Coalesce"}
# The SQL fast path of the work list and the partial index of open dossiers need the list of
# terminal statuses in SQL (held equal to the core by tests/web/test_desk_rules.py).
FAST_PATH = {("cchc.web.desk.worklist", "TERMINAL_STATUSES"), ("cchc.web.desk.models", "TERMINAL_STATUSES")}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("cchc")


@pytest.mark.parametrize("module", sorted(CALLERS))
def test_each_caller_reaches_the_core_dossier_rules(graph: grimp.ImportGraph, module: str) -> None:
    assert graph.find_shortest_chain(importer=module, imported=CORE), f"{module} ↛ {CORE}"
    names = CALLERS[module]
    if names:
        tree = ast.parse(Path(graph_file(module)).read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == CORE
            for alias in node.names
        }
        assert set(names) <= imported, (module, set(names) - imported)


def graph_file(module: str) -> Path:
    return WEB.parents[1] / (module.replace(".", "/") + ".py")


def web_modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(WEB.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(WEB.parents[1]).with_suffix("").parts)
        out.append((module, path))
    return out


def test_no_web_module_keeps_a_copy_of_a_dossier_rule() -> None:
    copies = []
    for module, path in web_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name in RULE_NAMES and (module, alias.name) not in FAST_PATH:
                        copies.append(f"{module} imports {alias.name}")
            # The waiting status written out is the start of a copy of "is the clock running".
            if isinstance(node, ast.Constant) and node.value == "supplement_requested":
                copies.append(f"{module}:{node.lineno} spells the status 'supplement_requested'")
    assert not copies, copies


def test_the_core_never_imports_the_web(graph: grimp.ImportGraph) -> None:
    assert not graph.find_shortest_chain(importer=CORE, imported="cchc.web")
