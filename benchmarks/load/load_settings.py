"""Settings for the load benchmark: the application's own, with one change.

Every simulated citizen comes from 127.0.0.1, so the public look-up's per-address limit
(``CCHC_LOOKUP_PER_MINUTE``, 20 a minute) would answer 429 to nearly all of them; it is
lifted here so the look-up itself is measured. Nothing else differs from ``cchc serve``.
"""

from cchc.web.settings import *  # noqa: F403

CCHC_LOOKUP_PER_MINUTE = 10**9
