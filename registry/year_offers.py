"""Projects offered for the next year's list when it is started (SPEC §3.5, §3.9).

Apps above registry (the pipeline's 成熟 projects) register a provider in their
AppConfig.ready(); the year cycle's preview page lists what they offer, each linking to the
page where it can be admitted. registry imports none of them.
"""

from dataclasses import dataclass
from decimal import Decimal

_PROVIDERS = []


@dataclass
class Offer:
    name: str
    region: str
    amount: Decimal  # 万元
    note: str
    url: str


def register_offer_provider(provider):
    """`provider(to_year, user) -> list[Offer]`."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def offers(to_year: int, user) -> list[Offer]:
    return [offer for provider in _PROVIDERS for offer in provider(to_year, user)]
