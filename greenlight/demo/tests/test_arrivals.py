"""Projects arrive by season and category: few in February (春节), more in spring and autumn."""

import random
from collections import Counter
from datetime import date

from greenlight.demo.history import History


def _months(category: str, n: int = 4000) -> Counter:
    sim = History()
    sim.rng, sim.today = random.Random(1), date(2026, 11, 20)
    return Counter(sim._arrival(category, 15, 1500).month for _ in range(n))


def test_fewer_arrive_around_the_spring_festival_than_in_spring_and_autumn():
    months = _months("small_low_risk")
    assert months[2] * 2 < months[4]
    assert months[2] * 2 < months[11]
    assert all(months[m] for m in range(1, 13))  # every month has some


def test_public_buildings_peak_in_spring_and_roads_avoid_the_rainy_season():
    gov, roads = _months("gov_building"), _months("linear")
    assert gov[4] > gov[11]
    assert roads[7] * 1.5 < roads[4]
    assert gov[4] / sum(gov.values()) > roads[4] / sum(roads.values())
