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

import zlib
from typing import Callable

import numpy as np

__all__ = ["Streams", "Buffered", "stream_key"]

BLOCK = 4096


def stream_key(name: str) -> int:
    """The fixed spawn key of a named stream (CRC-32 of its name)."""
    return zlib.crc32(name.encode("utf-8"))


class Buffered:
    """Hands out draws of one distribution one at a time, refilled in blocks.

    Parameters
    ----------
    rng : the element's generator.
    draw : ``draw(rng, n)`` returns an array of ``n`` draws.
    """

    __slots__ = ("rng", "draw", "buf", "i", "n")

    def __init__(self, rng: np.random.Generator, draw: Callable[[np.random.Generator, int], np.ndarray]):
        self.rng = rng
        self.draw = draw
        self.buf: list[float] = []
        self.i = 0
        self.n = 0

    def __call__(self) -> float:
        i = self.i
        if i >= self.n:
            self.buf = self.draw(self.rng, BLOCK).tolist()
            self.n = len(self.buf)
            i = 0
        self.i = i + 1
        return self.buf[i]


class Streams:
    """The named random generators of one run, all derived from ``seed``.

    >>> s = Streams(42)
    >>> u = s.uniform("dropout")        # a Buffered U(0, 1) source
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

    def uniform(self, name: str) -> Buffered:
        """Buffered U(0, 1) draws of element ``name``."""
        return Buffered(self.generator(name), lambda rng, n: rng.random(n))

    def exponential(self, name: str) -> Buffered:
        """Buffered unit-mean exponential draws of element ``name``."""
        return Buffered(self.generator(name), lambda rng, n: rng.standard_exponential(n))

    def gamma(self, name: str, shape: float) -> Buffered:
        """Buffered Gamma(shape, scale=1) draws of element ``name``."""
        return Buffered(self.generator(name), lambda rng, n: rng.standard_gamma(shape, n))

    def beta(self, name: str, a: float, b: float) -> Buffered:
        """Buffered Beta(a, b) draws of element ``name``."""
        return Buffered(self.generator(name), lambda rng, n: rng.beta(a, b, n))

    def normal(self, name: str) -> Buffered:
        """Buffered standard normal draws of element ``name``."""
        return Buffered(self.generator(name), lambda rng, n: rng.standard_normal(n))
