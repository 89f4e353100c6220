"""What the portal's views share, built once per process: the read model, the search reader, lookups."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.datastructures import State

from gongshi.portal.listing import AgencyNames, SearchReader
from gongshi.publication.context import Workflow
from gongshi.settings import Settings


@dataclass
class Portal:
    wf: Workflow
    settings: Settings
    reader: SearchReader
    names: AgencyNames

    @property
    def base_url(self) -> str:
        return self.settings.portal_base_url

    @classmethod
    def create(cls, settings: Settings, wf: Workflow, reader: SearchReader | None = None) -> Portal:
        return cls(
            wf=wf,
            settings=settings,
            reader=reader or SearchReader.for_settings(settings),
            names=AgencyNames(wf),
        )


def provide_portal(state: State) -> Portal:
    portal: Portal = state.portal
    return portal
