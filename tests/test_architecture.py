"""Rules of the package's shape that a change could quietly break.

- The import graph runs downhill: no cycle among the modules of `harmonize` and `webui`.
  Only imports that run when a module is loaded count (module level, not under `TYPE_CHECKING`);
an import inside a function is the way a stage reaches a heavy or higher one lazily (torch
  for indexing, the report renderers) and is not an edge. A cycle makes the order modules
  are first imported in decide whether the package loads, so it fails here with the loop named.
- One home for the provision-id grammar: only `harmonize/ids.py` holds the codes that are
  not countries (UN, CoE) or splits a string on "/" (the package, the web layer, bench/).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("harmonize", "webui")
ID_HOME = ROOT / "harmonize" / "ids.py"
NON_COUNTRIES = {"UN", "CoE", "COE"}
SPLITTERS = {"split", "rsplit", "partition", "rpartition"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def load_time_imports(tree: ast.Module) -> list[ast.stmt]:
    """The import statements a module runs when it is loaded (also inside module-level try/if)."""
    found: list[ast.stmt] = []
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If):
            test = ast.unparse(node.test)
            if "TYPE_CHECKING" not in test:
                todo.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            todo.extend(node.body + node.orelse + node.finalbody + [s for h in node.handlers for s in h.body])
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in load_time_imports(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                # `from pkg import mod` imports the module pkg.mod when there is one
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                # importing a.b.c first imports a and a.b: the deepest known module is the edge
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path (first module repeated at the end), None when the graph has none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    assert len(graph) > 40 and graph["harmonize.service"], "the graph was not read"
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_check_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_package_imports_are_edges():
    graph = import_graph()
    assert "harmonize.ids" in graph["harmonize.service"] or any(
        "harmonize.ids" in graph[m] for m in graph["harmonize.service"])
    assert "harmonize.index.layout" in graph["harmonize.index.build"]


def id_grammar_outside_home(paths) -> list[str]:
    """file:line of every non-country code literal and every split on "/" outside ids.py."""
    found = []
    for path in paths:
        if path == ID_HOME:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Constant) and node.value in NON_COUNTRIES:
                found.append(f"{where} {node.value!r}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SPLITTERS
                  and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "/"):
                found.append(f"{where} .{node.func.attr}('/')")
    return found


def test_only_ids_holds_the_id_grammar():
    paths = [p for pkg in (*PACKAGES, "bench") for p in sorted((ROOT / pkg).rglob("*.py"))]
    assert len(paths) > 60
    assert id_grammar_outside_home(paths) == []


def test_the_id_check_sees_a_copy(tmp_path):
    copy = tmp_path / "copy.py"
    copy.write_text('NATIONAL = ("UN", "CoE")\ncountry = pid.split("/")[0]\n', encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert [f.split(" ", 1)[1] for f in id_grammar_outside_home([copy])] == ["'UN'", "'CoE'", ".split('/')"]
    finally:
        ROOT = saved
