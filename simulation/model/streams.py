"""Random streams: one independent NumPy generator per stochastic element of the model.

Each element (the store's arrivals, the spend of orders, product failures, ...) draws from
its own ``numpy.random.Generator``. The generators come from one seed through
``SeedSequence(seed, spawn_key=(key,))`` where ``key`` is a fixed number derived from the
element's name, so adding a new element, or changing how often another element draws,
never shifts an existing stream. Same scenario + same seed = identical tables.

Draws are taken in blocks and handed out one by one as plain Python floats: the model's
per-event code then does no NumPy scalar work (NumPy scalars are slow in a hot loop).
"""

from __future__ import annotations

import functools
import itertools
import zlib
from typing import Callable

import numpy as np

__all__ = ["Streams", "buffered", "stream_key"]

BLOCK = 4096


def stream_key(name: str) -> int:
    """The fixed spawn key of a named stream (CRC-32 of its name)."""
    return zlib.crc32(name.encode("utf-8"))


def buffered(rng: np.random.Generator, draw: Callable[[np.random.Generator, int], np.ndarray]) -> Callable[[], float]:
    """A source of single draws, refilled in blocks of :data:`BLOCK`.

    ``draw(rng, n)`` returns an array of ``n`` draws; the source returns them one per call
    as plain floats, in order. Calling it is one C-level ``next`` on a chain of blocks, so
    the model's hot paths pay no Python function call per draw.
    """
    blocks = iter(lambda: draw(rng, BLOCK).tolist(), None)  # endless: never returns None
    return functools.partial(next, itertools.chain.from_iterable(blocks))


class Streams:
    """The named random generators of one run, all derived from ``seed``.

    >>> s = Streams(42)
    >>> u = s.uniform("dropout")        # a buffered U(0, 1) source: u() -> float
    >>> e = s.exponential("arrivals.store")
    """

    def __init__(self, seed: int):
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a whole number >= 0; got {seed!r}.")
        self.seed = int(seed)
        self._gens: dict[str, np.random.Generator] = {}

    def generator(self, name: str) -> np.random.Generator:
        """The generator of element ``name`` (created on first use, then reused)."""
        g = self._gens.get(name)
        if g is None:
            ss = np.random.SeedSequence(self.seed, spawn_key=(stream_key(name),))
            g = self._gens[name] = np.random.Generator(np.random.PCG64(ss))
        return g

    def uniform(self, name: str) -> Callable[[], float]:
        """Buffered U(0, 1) draws of element ``name``."""
        return buffered(self.generator(name), lambda rng, n: rng.random(n))

    def exponential(self, name: str) -> Callable[[], float]:
        """Buffered unit-mean exponential draws of element ``name``."""
        return buffered(self.generator(name), lambda rng, n: rng.standard_exponential(n))

    def gamma(self, name: str, shape: float) -> Callable[[], float]:
        """Buffered Gamma(shape, scale=1) draws of element ``name``."""
        return buffered(self.generator(name), lambda rng, n: rng.standard_gamma(shape, n))

    def beta(self, name: str, a: float, b: float) -> Callable[[], float]:
        """Buffered Beta(a, b) draws of element ``name``."""
        return buffered(self.generator(name), lambda rng, n: rng.beta(a, b, n))

    def normal(self, name: str) -> Callable[[], float]:
        """Buffered standard normal draws of element ``name``."""
        return buffered(self.generator(name), lambda rng, n: rng.standard_normal(n))
