"""Who may change the installation: importing and saving datasets, deleting workshops and scenarios.

On one's own machine everything is open. A hosted installation limits these actions to
administrators with one or both of two environment variables (the same on every app
process; see docs/hosting.md):

``WIJKPROFIELEN_BEHEERSLEUTEL``
    An administrator key (at least 16 characters). An administrator types it once per
    browser session on the page where the action is.
``WIJKPROFIELEN_VERTROUWDE_KOP``
    The name of a request header that the reverse proxy sets after its own login (basic
    auth, single sign-on); a non-empty value is the administrator's name. The proxy must
    overwrite this header on every request, or anyone can send it.

>>> t = Toegang(sleutel="een-lange-beheersleutel", kop="X-Wijkprofielen-Beheerder")
>>> t.beperkt, t.sleutel_klopt("fout"), t.sleutel_klopt("een-lange-beheersleutel")
(True, False, True)
>>> t.beheerder_uit_kop({"x-wijkprofielen-beheerder": "anna"})
'anna'
>>> Toegang().beperkt
False
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import ConfigError

KEY_ENV = "WIJKPROFIELEN_BEHEERSLEUTEL"
HEADER_ENV = "WIJKPROFIELEN_VERTROUWDE_KOP"
MIN_KEY_LENGTH = 16


@dataclass(frozen=True)
class Toegang:
    """The access rule of this installation."""

    sleutel: str | None = None
    kop: str | None = None

    @property
    def beperkt(self) -> bool:
        """True when administrator actions need the key or the trusted header."""
        return bool(self.sleutel or self.kop)

    def sleutel_klopt(self, gegeven: str | None) -> bool:
        """Whether ``gegeven`` is the administrator key (compared in constant time)."""
        if not self.sleutel or not gegeven:
            return False
        return hmac.compare_digest(self.sleutel.encode("utf-8"), str(gegeven).encode("utf-8"))

    def beheerder_uit_kop(self, headers: Mapping[str, str] | None) -> str | None:
        """The administrator named by the trusted header, or None (headers compared case-insensitively)."""
        if not self.kop or not headers:
            return None
        wanted = self.kop.lower()
        for name, value in headers.items():
            if name.lower() == wanted and str(value).strip():
                return str(value).strip()
        return None


def from_env(environ: Mapping[str, str] | None = None) -> Toegang:
    """The access rule from the environment.

    Raises
    ------
    ConfigError
        When the key is shorter than 16 characters or the header name is not a header name.
    """
    env = os.environ if environ is None else environ
    sleutel = env.get(KEY_ENV, "").strip() or None
    kop = env.get(HEADER_ENV, "").strip() or None
    if sleutel is not None and len(sleutel) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"{KEY_ENV} is te kort ({len(sleutel)} tekens). Gebruik ten minste {MIN_KEY_LENGTH} willekeurige tekens, "
            "bijvoorbeeld de uitvoer van: python -c \"import secrets; print(secrets.token_urlsafe(24))\"."
        )
    if kop is not None and not all(ch.isalnum() or ch == "-" for ch in kop):
        raise ConfigError(
            f"{HEADER_ENV}={kop!r} is geen geldige naam van een HTTP-header. Gebruik letters, cijfers en '-', "
            "bijvoorbeeld X-Wijkprofielen-Beheerder."
        )
    return Toegang(sleutel, kop)
