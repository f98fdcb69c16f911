"""Provisional public holidays of a year the State Council has not announced yet.

China's holidays are fixed by 《全国年节及纪念日放假办法》 (revised by State Council decree 795 of
2024-11-10, in force since 2025-01-01), article 2:

=========  ======  ==============================================================
元旦        1 day   January 1
春节        4 days  除夕 (the last day of the lunar year: 12-30, or 12-29 in a short
                    twelfth month) and lunar 1-1 to 1-3
清明节      1 day   the day of the 清明 solar term
劳动节      2 days  May 1 and 2
端午节      1 day   lunar 5-5
中秋节      1 day   lunar 8-15
国庆节      3 days  October 1 to 3
=========  ======  ==============================================================

Every year the General Office's notice then arranges them: it joins them to weekends, moves
rest days (调休, article 7) with make-up working days (调休上班), and names the working day on
which a holiday that falls on a Saturday or Sunday is made up (补假, article 6). The notice
decides all of that, so none of it is guessed here: a provisional year has exactly the statutory
holiday days above, no make-up working days, and a holiday on a weekend is not moved. Until the
notice is entered, deadlines in such a year can only fall earlier than the notice will make them,
never later.

Lunar dates and the solar term come from `lunar-python` (pure Python, MIT), not from tables kept
here. Years before 2025 were under the older rules and get nothing (weekends only), as do years
past `LAST_YEAR`.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

DECREE = "《全国年节及纪念日放假办法》（国务院令第795号，2025年1月1日起施行）"
FIRST_YEAR = 2025  # decree 795 is in force from 2025-01-01
LAST_YEAR = 2199  # the calendar table's range

NEW_YEAR, SPRING, QINGMING, LABOUR = "元旦", "春节", "清明节", "劳动节"
DRAGON_BOAT, MID_AUTUMN, NATIONAL = "端午节", "中秋节", "国庆节"
NAMES = (NEW_YEAR, SPRING, QINGMING, LABOUR, DRAGON_BOAT, MID_AUTUMN, NATIONAL)


def covers(year: int) -> bool:
    """Whether `year` can have a provisional calendar (decree 795 in force, within range)."""
    return FIRST_YEAR <= year <= LAST_YEAR


def provisional_holidays(year: int) -> dict[date, str]:
    """The statutory holiday days of `year` by decree 795, each with its name (two holidays on
    one day, e.g. 中秋 on 10-3, are joined: 国庆节、中秋节); empty for a year `covers` refuses."""
    return dict(_derive(year)) if covers(year) else {}


@lru_cache(maxsize=256)
def _derive(year: int) -> tuple[tuple[date, str], ...]:
    # ~30 ms a year (the solar terms are computed), hence the cache; the library (~25 ms to
    # import) is loaded only when a year without its notice is first derived.
    from lunar_python import Lunar, Solar

    spring = _solar(Lunar.fromYmd(year, 1, 1).getSolar())
    eve = spring - timedelta(days=1)  # 除夕: the preceding lunar year's last day
    qingming = _solar(Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"])
    days: dict[date, list[str]] = {}
    spans = [
        (NEW_YEAR, date(year, 1, 1), 1),
        (SPRING, eve, 4),
        (QINGMING, qingming, 1),
        (LABOUR, date(year, 5, 1), 2),
        (DRAGON_BOAT, _solar(Lunar.fromYmd(year, 5, 5).getSolar()), 1),
        (NATIONAL, date(year, 10, 1), 3),  # before 中秋: the notices say 国庆节、中秋节
        (MID_AUTUMN, _solar(Lunar.fromYmd(year, 8, 15).getSolar()), 1),
    ]
    for name, first, length in spans:
        for i in range(length):  # 春节 falls on Jan 21 at the earliest: 除夕 is in `year` too
            days.setdefault(first + timedelta(days=i), []).append(name)
    return tuple(sorted((d, "、".join(names)) for d, names in days.items()))


def _solar(solar) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())
