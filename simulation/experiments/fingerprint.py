"""Which model made a run: a hash of the model's source, read from its imports."""

from __future__ import annotations

__all__ = ["model_sources", "model_fingerprint"]


def model_sources(root: str = "simulation.model.firm") -> dict[str, bytes]:
    """Source of ``root`` and of every package module it imports, directly or not.

    Imports are read from the code (:mod:`ast`, function-level ones included), so the set
    follows the model wherever its modules live. A package's ``__init__`` counts when a
    module inside it is imported.
    """
    import ast
    from importlib import util

    seen: dict[str, bytes] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        try:
            spec = util.find_spec(name)
        except (ImportError, ValueError):  # a name imported from a module, not a module
            continue
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            continue
        with open(spec.origin, "rb") as f:
            source = f.read()
        seen[name] = source
        package = name if spec.submodule_search_locations is not None else name.rsplit(".", 1)[0]
        parts = name.split(".")
        todo += [".".join(parts[:k]) for k in range(2, len(parts))]  # enclosing packages
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
                module = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module
                if module and module.startswith("simulation"):
                    todo.append(module)
                    todo += [f"{module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                todo += [a.name for a in node.names if a.name.startswith("simulation")]
    return seen


def model_fingerprint() -> str:
    """A short hash of the model's source code.

    Hashes :mod:`simulation.model.firm` and every package module it imports, directly or
    not, wherever they live (the scenario, the model, the desk, the club and the helpers they
    use), read from the code's imports. Stored in the results file, so that a sweep is never
    resumed with a changed model, which would mix runs of two different models under one
    seed. (Deliberately cautious: an edit to any such module, even a docstring, makes the
    next resume ask for a new file.)
    """
    import hashlib

    h = hashlib.sha256()
    for name, source in sorted(model_sources().items()):
        h.update(name.encode() + b"\0" + source)
    return h.hexdigest()[:16]
