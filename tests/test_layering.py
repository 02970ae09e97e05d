"""The package's rooms and the one-way flow between them, read from the code (AST).

Every import is counted, function-level ones too. The rules:

- no import cycle among the package's modules;
- no ``from .x import _private`` across modules;
- each module imports only from its own folder or from folders below it in :data:`LAYERS`;
- plotly only in ``figures`` and ``notebook``, ipywidgets only in ``notebook``, tqdm only
  where progress is shown, simpy only in the model and its desk;
- one helper per job: the copies that once existed (column checks, "did you mean" hints,
  date conversion, the collector block, the data-set folder) are not written again.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "simulation"

#: Folders from the bottom up; a module may import its own folder and the ones before it.
#: ``model.streams`` and ``model.records`` (the random streams and the event log) sit below the
#: desk and the club, which the rest of ``model`` plugs in.
LAYERS = [
    ("common",),
    ("scenario",),
    ("model.streams", "model.records"),
    ("complaints", "loyalty"),
    ("model",),
    ("analytics",),
    ("interventions", "experiments"),
    ("data",),
    ("database",),
    ("lessons",),
    ("figures",),
    ("notebook",),
    ("grading", "roleplay"),
    ("cli",),
]

#: Third-party packages and the folders allowed to import them.
ONLY_IN = {
    "plotly": {"figures", "notebook"},
    "ipywidgets": {"notebook"},
    "anywidget": {"notebook"},
    "tqdm": {"experiments", "interventions", "grading"},
    "simpy": {"model", "complaints", "loyalty", "interventions"},
    "joblib": {"experiments", "grading"},
    "dask": {"experiments", "grading"},
    # the class server's HTTP framework (the standard library's): only the role-play serves pages
    "http": {"roleplay"},
}


def _modules() -> dict[str, Path]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


MODULES = _modules()


def _imports(name: str, path: Path):
    """``(target module, imported name or None, line)`` for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                yield (full if full in MODULES else module), alias.name, node.lineno


def _own_module(target: str) -> str | None:
    while target not in MODULES and "." in target:
        target = target.rsplit(".", 1)[0]
    return target if target in MODULES else None


EDGES = defaultdict(set)
IMPORTS = []
for _name, _path in MODULES.items():
    for _target, _alias, _line in _imports(_name, _path):
        IMPORTS.append((_name, _target, _alias, _line))
        if _target.startswith("simulation"):
            _t = _own_module(_target)
            if _t and _t != _name:
                EDGES[_name].add(_t)


def _folder(module: str) -> str:
    """``simulation.model.firm`` -> ``model``; the package itself -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else ""


def _layer(module: str) -> int | None:
    rest = module.split(".", 1)[1] if "." in module else ""
    best = None
    for i, names in enumerate(LAYERS):
        for prefix in names:
            if rest == prefix or rest.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (i, len(prefix))
    return None if best is None else best[0]


def test_every_folder_has_a_layer():
    folders = sorted({_folder(m) for m in MODULES} - {""})
    assert [f for f in folders if _layer(f"simulation.{f}") is None] == []
    top = [m for m in MODULES if m.count(".") == 1 and _folder(m) == ""]
    assert sorted(top) == ["simulation.__main__"], "modules belong in a folder, not at the top"


def test_no_import_cycles():
    """Tarjan's strongly connected components over module imports; a package importing its
    own children (re-exports in ``__init__``) is not counted as a cycle."""
    graph = {
        m: {t for t in EDGES[m] if not (MODULES[t].name == "__init__.py" and m.startswith(t + "."))} for m in MODULES
    }
    index, low, stack, on, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in MODULES:
        if v not in index:
            visit(v)
    assert cycles == []


def test_no_private_names_across_modules():
    bad = [
        f"{m}:{line} imports {alias} from {t}"
        for m, t, alias, line in IMPORTS
        if t.startswith("simulation")
        and alias
        and alias.startswith("_")
        and not alias.startswith("__")
        and _own_module(t) != m
    ]
    assert bad == []


def test_imports_point_down_the_layers():
    bad = []
    for m, t, _alias, line in IMPORTS:
        if not t.startswith("simulation.") or _folder(m) == "":
            continue
        here, there = _layer(m), _layer(_own_module(t) or t)
        if there is not None and here is not None and there > here:
            bad.append(f"{m}:{line} imports {t} (layer {LAYERS[there]} is above {LAYERS[here]})")
    assert bad == []


@pytest.mark.parametrize("library", sorted(ONLY_IN))
def test_third_party_libraries_stay_in_their_folders(library):
    bad = [
        f"{m}:{line}"
        for m, t, _alias, line in IMPORTS
        if t.split(".")[0] == library and _folder(m) not in ONLY_IN[library]
    ]
    assert bad == [], f"{library} imported outside {sorted(ONLY_IN[library])}"


@pytest.mark.parametrize(
    "pattern, home",
    [
        ("def require_columns", "simulation/common/checks.py"),
        ("difflib.get_close_matches", "simulation/common/checks.py"),
        ("gc.disable()", "simulation/common/collector.py"),
        ('"timedelta64[s]"', "simulation/common/dates.py"),
        ("parents[2]", None),
        ('"none", "member", "silver"', "simulation/scenario/loyalty_parts.py"),
        ('"price", "competitor", "product"', "simulation/model/records.py"),
        ("def field_value", "simulation/scenario/fields.py"),
    ],
)
def test_one_helper_per_job(pattern, home):
    """Each job has one home; ``home=None`` means the pattern must not appear at all."""
    found = sorted(
        str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py") if pattern in p.read_text(encoding="utf-8")
    )
    assert found == ([home] if home else [])


def test_the_model_fingerprint_covers_every_model_module():
    """A resumed experiment must notice any change to the model, wherever its modules live."""
    from simulation.experiments.fingerprint import model_sources

    covered = set(model_sources())
    model = {m for m in MODULES if _folder(m) in ("scenario", "model", "complaints", "loyalty")}
    assert model - covered == set()
    assert not any(_folder(m) in ("figures", "notebook", "cli", "experiments") for m in covered)
