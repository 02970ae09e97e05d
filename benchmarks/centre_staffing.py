"""The contact centre of each preset at its default staffing and with one agent fewer and more.

Prints, per preset and staffing (mean of seeds 1 and 2, three years): the agents' occupancy
over the hours on shift, the phone service level and abandonment (contacts that arrived while
the centre was open), the capacity cost, the firm's net profit and the customers lost — the
trade-off a student faces when moving the staffing slider. The default is marked ``*``.

Usage: ``python benchmarks/centre_staffing.py [PRESET ...]`` (default: the presets that run a
contact centre). About 15 runs of three years; a few minutes.
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np

from simulation import preset, run
from simulation.complaints.contacts import centre_kpis

PRESETS = ("baseline", "small-class", "product-defect", "loyalty-launch")
SEEDS = (1, 2)


def main(names) -> None:
    print(
        "preset          agents  occupancy  service level  abandoned  capacity cost CNY  net profit CNY  customers lost"
    )
    for name in names:
        sc = preset(name)
        if not sc.complaints.enabled:
            print(f"{name:15s} (no contact centre)")
            continue
        default = sc.complaints.agents
        for agents in (default - 1, default, default + 1):
            if agents < 1:
                continue
            varied = dataclasses.replace(sc, complaints=dataclasses.replace(sc.complaints, agents=agents))
            rows = []
            for seed in SEEDS:
                r = run(varied, seed=seed)
                k, s = centre_kpis(r), r.summary()
                rows.append(
                    (
                        k["occupancy"],
                        k["service_level"],
                        k["abandonment_rate"],
                        k["capacity_cost_cny"],
                        s["net_profit_cny"],
                        s["customers_left_truth"],
                    )
                )
            occ, sl, ab, cap, net, left = np.mean(rows, axis=0)
            mark = "*" if agents == default else " "
            print(
                f"{name:15s} {agents:4d}{mark}  {occ:9.1%}  {sl:13.1%}  {ab:9.1%}  {cap:17,.0f}  {net:14,.0f}  {left:14,.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:] or PRESETS)
