"""Chinese formats, with ISO first among the input formats.

A field renders its value in the first input format of the language: Django's zh-Hans puts
2026/12/15 and 20:45 first, so a form saved untouched sends dates no date picker takes and times
cut to the minute. ISO dates and times to the second keep every value as it is; the other
formats are still read.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05'
    "%Y/%m/%d",  # '2016/09/05'
]

TIME_INPUT_FORMATS = [
    "%H:%M:%S",  # '20:45:29'
    "%H:%M",  # '20:45'
    "%H:%M:%S.%f",  # '20:45:29.000200'
]

DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # '2016-09-05 20:45:29'
    "%Y-%m-%d %H:%M",  # '2016-09-05 20:45'
    "%Y-%m-%d %H:%M:%S.%f",  # '2016-09-05 20:45:29.000200'
    "%Y/%m/%d %H:%M:%S",  # '2016/09/05 20:45:29'
    "%Y/%m/%d %H:%M",  # '2016/09/05 20:45'
]
