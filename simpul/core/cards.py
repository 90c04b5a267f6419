"""The card every module contributes to the home page (see `SimpulModule.home_cards`)."""

from dataclasses import dataclass, field


@dataclass
class Card:
    title: str
    value: str | int = ""
    text: str = ""
    url: str = ""
    tone: str = "primary"  # bootstrap colour
    items: list = field(default_factory=list)
