"""The import graph, read from the source with ``ast``: imports only run downward.

Layers, top to bottom (a module may import its own layer and the layers below it):

3. ``app``, ``app_pages``: pages
2. ``ui``: widgets the pages share
1. ``genlab`` features: backends, classroom, provenance, study, diffusion, vision
0. ``genlab`` foundations: store, settings, errors, content and its schema (quiz_schema), world

``genlab`` never imports ``ui``, ``app_pages`` or ``streamlit``; no two ``genlab`` packages import each
other, even through a third; no module reaches into another module's private (``_x``) names; and no
module imports helpers from a test module or a ``conftest.py`` (shared helpers live in ``tests/support``,
the benches' in ``bench/support.py``, and the stand-in service both use in ``devtools``); the app never
imports ``tests``, ``bench`` or ``devtools``.
"""

import ast
import subprocess
import sys
import textwrap
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE_TREES = ("app.py", "app_pages", "ui", "genlab", "devtools", "bench", "deploy", "training", "tests")
FOUNDATIONS = {"genlab", "genlab.settings", "genlab.store", "genlab.errors", "genlab.content",
               "genlab.world", "genlab.identity", "genlab.uploads", "genlab.quiz_schema", "genlab.images"}
FEATURES = {"genlab.backends", "genlab.classroom", "genlab.provenance", "genlab.study", "genlab.diffusion",
            "genlab.vision", "genlab.lessons", "genlab.studio"}
LAYER_NAMES = {0: "genlab foundations", 1: "genlab features", 2: "ui", 3: "pages"}

#: Violations that live in files owned by other open work, each with the reason it is still here. The
#: tests below fail on any violation *not* listed and on any listed one that no longer occurs, so an
#: entry must be deleted in the change that fixes it.
KNOWN: dict[tuple[str, str], str] = {
}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the module imported (the deepest one that exists in the project, or the external name)
    name: str | None  # for ``from target import name``: the name, when it is not itself a module
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def project_files() -> dict[str, Path]:
    files: dict[str, Path] = {}
    for tree in SOURCE_TREES:
        base = ROOT / tree
        paths = [base] if base.suffix == ".py" else sorted(base.rglob("*.py"))
        for path in paths:
            files[module_name(path)] = path
    return files


def _resolve_relative(source: str, is_package: bool, level: int, module: str | None) -> str:
    parts = source.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, *([module] if module else [])])


def _attribute_names(tree: ast.AST) -> set[tuple[str, str]]:
    """(name, attribute) for every ``name.attribute`` in the tree."""
    return {(node.value.id, node.attr) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)}


@cache
def imports_of(source: str) -> tuple[tuple[Import, ...], frozenset[tuple[str, str]]]:
    """Every import in ``source`` (top level, inside functions and under TYPE_CHECKING alike), and the
    private attributes it reads from modules it imported (``module._x``)."""
    modules = project_files()
    path = modules[source]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []
    bound: dict[str, str] = {}  # local name -> project module it refers to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append(Import(source, alias.name, None, node.lineno))
                if alias.asname and alias.name in modules:
                    bound[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = (_resolve_relative(source, path.name == "__init__.py", node.level, node.module)
                    if node.level else node.module or "")
            for alias in node.names:
                child = f"{base}.{alias.name}"
                if child in modules:
                    found.append(Import(source, child, None, node.lineno))
                    bound[alias.asname or alias.name] = child
                else:
                    found.append(Import(source, base, alias.name, node.lineno))
    private_reads = frozenset((bound[name], attr) for name, attr in _attribute_names(tree)
                              if name in bound and _is_private(attr))
    return tuple(found), private_reads


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def package_of(module: str) -> str:
    """``genlab.store.engine`` -> ``genlab.store``; ``genlab.content`` -> ``genlab.content``."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "genlab" else parts[0]


def layer(module: str) -> int | None:
    top = module.split(".")[0]
    if top in ("app", "app_pages"):
        return 3
    if top == "ui":
        return 2
    if top != "genlab":
        return None
    package = package_of(module)
    if package in FOUNDATIONS:
        return 0
    if package in FEATURES:
        return 1
    raise AssertionError(f"{module} is in no layer: add its package to FOUNDATIONS or FEATURES in this test")


def all_imports(prefixes: tuple[str, ...] = ("app", "app_pages", "ui", "genlab")) -> Iterator[Import]:
    for source in project_files():
        if source.split(".")[0] in prefixes:
            yield from imports_of(source)[0]


def _check(kind: str, found: set[str]) -> None:
    expected = {text for (k, text) in KNOWN if k == kind}
    new = sorted(found - expected)
    fixed = sorted(expected - found)
    assert not new, f"{kind} imports:\n  " + "\n  ".join(new)
    assert not fixed, (f"no longer found, delete these entries from KNOWN in {Path(__file__).name}:\n  "
                       + "\n  ".join(fixed))


def upward_imports() -> set[str]:
    bad = set()
    for imp in all_imports():
        low, high = layer(imp.target), layer(imp.source)
        if low is not None and high is not None and low > high:
            bad.add(f"{imp.source} ({LAYER_NAMES[high]}) -> {imp.target} ({LAYER_NAMES[low]})")
    return bad


def test_every_project_module_is_in_a_layer() -> None:
    for module in project_files():
        layer(module)  # raises for a genlab package nobody placed


def test_imports_only_run_downward() -> None:
    _check("upward", upward_imports())


def test_the_engine_never_imports_the_ui_or_streamlit() -> None:
    bad = {f"{imp.source} -> {imp.target}" for imp in all_imports(("genlab",))
           if imp.target.split(".")[0] in ("ui", "app_pages", "app", "streamlit")}
    _check("engine-ui", bad)


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in all_imports(("genlab",)):
        if imp.target.split(".")[0] != "genlab":
            continue
        source, target = package_of(imp.source), package_of(imp.target)
        if source != target and target != "genlab":
            graph[source].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> set[str]:
    """Each cycle once, as ``a -> b -> a`` starting from its smallest name."""
    found = set()

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == path[0]:
                found.add(" -> ".join([*path, nxt]))
            elif nxt not in path and nxt > path[0]:
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {"a -> b -> c -> a"}
    assert cycles({"a": {"b"}, "b": set()}) == set()


def test_no_two_genlab_packages_import_each_other() -> None:
    _check("circular", cycles(package_graph()))


def private_imports() -> set[str]:
    bad = set()
    modules = project_files()
    for source in modules:
        if source.split(".")[0] == "tests":
            continue  # a test may pin a private helper of the module it tests
        found, reads = imports_of(source)
        for imp in found:
            if imp.name and _is_private(imp.name) and imp.target in modules and imp.target != source:
                bad.add(f"{source} -> {imp.target}.{imp.name}")
        bad |= {f"{source} -> {target}.{attr}" for target, attr in reads if target != source}
    return bad


def test_no_module_uses_another_modules_private_names() -> None:
    _check("private", private_imports())


def test_nothing_imports_a_test_module_or_a_conftest() -> None:
    """Helpers shared by tests live in tests/support; the benches have bench/support.py."""
    modules = project_files()
    bad = set()
    for source in modules:
        for imp in imports_of(source)[0]:
            leaf = imp.target.split(".")[-1]
            if imp.target in modules and imp.target != source and (leaf.startswith("test_") or leaf == "conftest"):
                bad.add(f"{source} -> {imp.target}")
    _check("test-helper", bad)


def test_the_app_never_imports_tests_benches_or_stand_ins() -> None:
    bad = {f"{imp.source} -> {imp.target}" for imp in all_imports(("app", "app_pages", "ui", "genlab"))
           if imp.target.split(".")[0] in ("tests", "bench", "devtools")}
    assert not bad, bad
    stand_in = {imp.target.split(".")[0] for imp in all_imports(("devtools",))} & {"genlab", "ui", "tests", "bench"}
    assert not stand_in, f"devtools stands apart from the app and the tests: {stand_in}"


def test_the_rules_catch_what_they_are_for(tmp_path: Path) -> None:
    """The rules above read real source: check they see each kind of violation in a sample."""
    sample = textwrap.dedent("""
        import genlab.store.engine as engine
        from genlab.classroom.rooms import _room
        from . import sibling

        def later():
            from ui import images
            return engine._private_helper, images
    """)
    tree = ast.parse(sample)
    assert ("engine", "_private_helper") in _attribute_names(tree)
    assert _resolve_relative("genlab.classroom.export", False, 1, None) == "genlab.classroom"
    assert _resolve_relative("genlab.classroom", True, 2, "store") == "genlab.store"
    assert layer("ui.images") > layer("genlab.classroom.rooms") > layer("genlab.store.engine")
    assert _is_private("_room") and not _is_private("__version__")


OFFLINE_PROBE = """
import sys
import genlab.backends.local  # noqa: F401
from genlab.backends import get_backend
get_backend("local", __import__("genlab.settings").settings.Settings())
loaded = sorted({m.split(".")[0] for m in sys.modules} & {"openai", "azure"})
print(",".join(loaded))
"""


def test_the_local_backend_does_not_load_the_cloud_sdks() -> None:
    """Offline learners pay neither the import time nor the attack surface of the cloud SDKs."""
    out = subprocess.run([sys.executable, "-c", OFFLINE_PROBE], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.strip() == "", f"the local backend path imported: {out.stdout.strip()}"


# --- session state ---------------------------------------------------------------------------------

#: Files whose session-state keys are still written as string literals, owned by other open work; the
#: keys test fails when one of them stops (delete it here) or another file starts.
LITERAL_KEY_FILES: dict[str, str] = {}
SESSION_METHODS = {"get", "pop", "setdefault"}


def _is_session_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


def literal_session_keys(source: str) -> set[str]:
    """String literals (and f-strings) used as ``st.session_state`` keys in ``source``."""
    tree = ast.parse(project_files()[source].read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Subscript) and _is_session_state(node.value):
            key = node.slice
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in SESSION_METHODS and _is_session_state(node.func.value) and node.args):
            key = node.args[0]
        elif isinstance(node, ast.Compare) and any(_is_session_state(c) for c in node.comparators):
            key = node.left
        if isinstance(key, ast.Constant | ast.JoinedStr):
            found.add(ast.unparse(key))
    return found


def test_session_state_keys_are_declared_in_ui_keys() -> None:
    """Pages and widgets name session-state keys through ui/keys.py, never as string literals."""
    offenders = {source for source in project_files()
                 if source.split(".")[0] in ("app", "app_pages", "ui") and source != "ui.keys"
                 and literal_session_keys(source)}
    new = sorted(offenders - set(LITERAL_KEY_FILES))
    assert not new, "string session-state keys (declare them in ui/keys.py):\n  " + "\n  ".join(
        f"{s}: {sorted(literal_session_keys(s))}" for s in new)
    fixed = sorted(set(LITERAL_KEY_FILES) - offenders)
    assert not fixed, f"no literal keys left, delete from LITERAL_KEY_FILES: {fixed}"


def test_each_declared_key_is_one_name() -> None:
    from ui import keys

    values = [v for k, v in vars(keys).items() if k.isupper()]
    assert len(values) == len(set(values)) and all(isinstance(v, str) and v for v in values)
