"""Factor matching on small cases whose optimum is known by hand."""

import pytest

from greenlight.pipeline import matching as m


def _ids(result):
    return set(result.selected)


def test_knapsack_prefers_the_two_small_over_the_one_big():
    # given land 100: A (60 land, value 50), B (50 land, value 40), C (40 land, value 30)
    items = [
        m.Item(1, 50, {"land": 60}),
        m.Item(2, 40, {"land": 50}),
        m.Item(3, 30, {"land": 40}),
    ]
    # when
    result = m.match(items, {"land": 100})
    # then A+C = 80 beats B+C = 70, A alone 50 and A+B (110 land) does not fit
    assert result.feasible and _ids(result) == {1, 3}
    assert result.objective == 80
    by_id = {v.id: v for v in result.verdicts}
    assert by_id[2].reason == m.BLOCKED and by_id[2].blocked_by == {"land": 50}
    assert result.pools[0].binding and result.pools[0].slack == 0


def test_binding_land_quota_of_one_subdistrict_leaves_energy_slack():
    # given two subdistricts' land pools and a shared energy pool
    items = [
        m.Item(1, 100, {"land:1": 30, "energy": 10}),
        m.Item(2, 90, {"land:1": 30, "energy": 10}),
        m.Item(3, 10, {"land:2": 5, "energy": 10}),
    ]
    # when subdistrict 1 has land for only one of its two
    result = m.match(items, {"land:1": 40, "land:2": 50, "energy": 100})
    # then the better of the two is in, the other is blocked by land:1 only
    assert _ids(result) == {1, 3}
    verdict = next(v for v in result.verdicts if v.id == 2)
    assert verdict.blocked_by == {"land:1": 20}
    use = {p.key: p for p in result.pools}
    assert use["land:1"].binding and not use["energy"].binding
    assert use["energy"].used == 20


def test_two_constraints_change_the_optimum():
    # given a candidate with the best value that needs most of the energy
    items = [
        m.Item(1, 100, {"land": 10, "energy": 90}),
        m.Item(2, 60, {"land": 10, "energy": 50}),
        m.Item(3, 60, {"land": 10, "energy": 50}),
    ]
    # when energy is 100 and land plentiful
    result = m.match(items, {"land": 1000, "energy": 100})
    # then 2+3 (120) beats 1 (100)
    assert _ids(result) == {2, 3}
    assert next(v for v in result.verdicts if v.id == 1).blocked_by == {"energy": 90}


def test_a_need_beyond_the_whole_pool_is_a_shortfall_and_a_missing_pool_is_zero():
    items = [m.Item(1, 10, {"land": 150}), m.Item(2, 5, {"bond": 3})]
    result = m.match(items, {"land": 100})
    verdicts = {v.id: v for v in result.verdicts}
    assert verdicts[1].reason == m.NOT_MET and verdicts[1].shortfall == {"land": 50}
    assert verdicts[2].reason == m.NOT_MET and verdicts[2].shortfall == {"bond": 3}
    assert result.selected == ()


def test_pins_force_in_and_out():
    items = [
        m.Item(1, 50, {"land": 60}),
        m.Item(2, 40, {"land": 50}, pin="in"),
        m.Item(3, 30, {"land": 40}, pin="out"),
    ]
    result = m.match(items, {"land": 100})
    verdicts = {v.id: v.reason for v in result.verdicts}
    assert _ids(result) == {2}
    assert verdicts == {1: m.BLOCKED, 2: m.PINNED_IN, 3: m.PINNED_OUT}


def test_pins_that_overfill_a_pool_are_explained_not_crashed():
    items = [m.Item(1, 50, {"land": 60}, pin="in"), m.Item(2, 40, {"land": 50}, pin="in")]
    result = m.match(items, {"land": 100})
    assert not result.feasible and result.selected == ()
    assert result.conflicts == (("land", 110, 100),)
    assert {v.reason for v in result.verdicts} == {m.INFEASIBLE}


@pytest.mark.parametrize("n", [0, 1])
def test_empty_and_trivial_cases(n):
    items = [m.Item(i, 1, {}) for i in range(n)]
    result = m.match(items, {})
    assert result.feasible and len(result.selected) == n


def test_matching_is_pure_python_without_django():
    import subprocess
    import sys

    code = "import sys, greenlight.pipeline.matching; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
