"""How customers leave and come back: the dropout rules of the firm.

:class:`LeavingRules` is mixed into :class:`simulation.model.firm.Firm`; it reads the firm's
per-customer state (``p``, ``lp``, ``sat``, ``logit_shift``, ``mass`` …) and its random
streams. Two models (``Dropout.model``):

- ``after_purchase`` (BG/NBD, Fader, Hardie & Lee 2005): after each repeat order the
  customer leaves with ``p_eff``, ``logit p_eff = logit p + k (s_ref - s) / 10 + shift``;
  when the customer's last wait ran at ``m`` times their natural order rate (a discount,
  the club's goal gradient, low satisfaction), the chance becomes ``1 - (1 - p_eff)^(1/m)``
  so that the leaving rate per day (``≈ m λ p``) does not depend on how often they buy:
  a discount that doubles orders does not double the chances to leave;
- ``constant_hazard``: the customer leaves when an Exp(1) "leaving mass" is spent at rate
  ``h_eff = h exp(k (s_ref - s) / 10 + shift)`` per day.

``shift`` is the per-customer ``logit_shift`` that the loyalty club and the complaint desk
adjust. A lost customer comes back after an exponential time at ``comeback_per_year``.
"""

from __future__ import annotations

import math

from .records import EV

__all__ = ["LeavingRules"]

INF = float("inf")


class LeavingRules:
    """Dropout, churn reasons and win-backs (a mixin of :class:`~simulation.model.firm.Firm`)."""

    def _odds_shift(self, i: int) -> float:
        return self.satisfaction_effect * (self.s_ref - self.sat[i]) / 10.0 + self.logit_shift[i]

    def leaves_after_order(self, i: int) -> bool:
        """BG/NBD dropout after a repeat order: leave with p_eff (satisfaction-shifted odds)."""
        if self.no_dropout:
            return False
        p = self.dropout_prob[i]
        shift = self._odds_shift(i)
        if shift != 0.0:
            x = self.dropout_logit[i] + shift
            p_eff = 1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0
        else:
            p_eff = p
        m = self.gap_mult[i]
        if m != 1.0:
            if 0.0 < p_eff < 1.0:
                p_eff = -math.expm1(math.log1p(-p_eff) / m)
            if 0.0 < p < 1.0:
                p = -math.expm1(math.log1p(-p) / m)
        u = self.u_drop()
        if u >= p_eff:
            return False
        self.leave(i, ordinary=u < p, frac=u / p if u < p else 0.0)
        return True

    def weigh_leaving(self, i: int) -> None:
        """The decision after a bad experience: leave with ``expit(logit q0 + k (s_ref - s) / 10 + shift)``.

        Skipped when the customer has already left (or left and came back) since. A customer
        who leaves here leaves for the reason of their last bad experience (product, service
        or, when the desk failed them, complaint); their ordering process is interrupted.
        """
        if not self.alive[i] or self.bad[i] < 0:
            return
        x = self.incident_logit + self._odds_shift(i)
        q = 1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0
        if self.u_incident() < q:
            self.leave(i, ordinary=False)
            proc = self.proc[i]
            if proc is not None and proc.is_alive and proc is not self.env.active_process:
                proc.interrupt("left after a bad experience")

    def time_to_leave(self, i: int) -> float:
        """Constant-hazard model: days until the customer's leaving mass is spent."""
        h = self._hazard(i)
        return self.mass[i] / h if h > 0 else INF

    def _hazard(self, i: int) -> float:
        return self.hazard_day[self.seg[i]] * math.exp(self._odds_shift(i))

    def spend_leaving_mass(self, i: int, days: float) -> None:
        self.mass[i] = max(0.0, self.mass[i] - self._hazard(i) * days)

    def leave(self, i: int, ordinary: bool | None = None, frac: float | None = None) -> None:
        """The customer silently leaves; the reason is attributed to what drove the odds up.

        Of the leaving chance ``p_eff``, the part ``p`` the customer would have had anyway is
        ordinary churn (price or competitor); the excess ``p_eff - p`` is attributed to the
        customer's last bad experience (product, service or complaint).
        """
        if ordinary is None:  # constant-hazard model
            base = self.hazard_day[self.seg[i]]
            u = self.u_reason()
            h = self._hazard(i)
            ordinary = u * h < base
            frac = u * h / base if ordinary else 0.0
        if ordinary:
            reason = 0 if frac < self.price_share else 1
        elif self.bad[i] >= 0:
            reason = self.bad[i]
        else:  # low satisfaction with no single cause
            reason = 0 if self.u_reason() < self.price_share else 1
        self.alive[i] = False
        self.dropped_day[i] = self.env.now
        self.reason[i] = reason
        self.log.add(self.env.now, EV["dropout"], i, code=reason, satisfaction=self.sat[i])
        for hook in self.hooks["leave"]:
            hook(self, i)

    def time_to_comeback(self, i: int) -> float:
        """Days until a lost customer comes back by themselves (exponential), or inf."""
        r = self.comeback_day
        return self.e_back() / r if r > 0 else INF

    def come_back(self, i: int) -> None:
        """A lost customer returns: alive again, satisfaction halfway back to its start."""
        self.alive[i] = True
        self.dropped_day[i] = math.nan  # the events table keeps the history
        self.reason[i] = -1
        self.sat[i] = 0.5 * (self.sat[i] + self.sat0[i])
        self.bad[i] = -1
        self.mass[i] = self.e_mass()
        self.log.add(self.env.now, EV["comeback"], i, satisfaction=self.sat[i])
