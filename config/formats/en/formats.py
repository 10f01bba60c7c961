"""English dates and numbers as en-GB writes them: "29 November 2026", "29/11/2026", 14:30.

Django's own en_GB formats, with the month written in full in running text (en_GB's default
"29 Nov 2026" abbreviates it) and the 24-hour clock the Norwegian public sector uses.
"""

# en-GB as the base (input formats, separators, first day of week), then adjusted below.
from django.conf.locale.en_GB.formats import *  # type: ignore[import-untyped]  # noqa: F403

DATE_FORMAT = "j F Y"  # 29 November 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 29 November 2026, 14:30
SHORT_DATE_FORMAT = "d/m/Y"  # 29/11/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 29/11/2026 14:30
