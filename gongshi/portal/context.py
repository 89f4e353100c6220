"""What the portal's views share, built once per process: the read model, the search reader, lookups."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from litestar.datastructures import State

from gongshi.core.context import Workflow
from gongshi.portal.listing import AgencyNames
from gongshi.portal.query import Filters
from gongshi.portal.reader import SearchReader
from gongshi.settings import Settings

log = logging.getLogger("gongshi.portal")


@dataclass
class Portal:
    wf: Workflow
    settings: Settings
    reader: SearchReader
    names: AgencyNames

    @property
    def base_url(self) -> str:
        return self.settings.portal_base_url

    def warm_up(self) -> None:
        """Open the index and run one browse search, so the first visitor does not pay for it."""
        try:
            self.reader.search(Filters().search_query())
        except Exception as exc:  # the engine may not be built yet; the first search will retry
            log.info("search warm-up skipped: %s", exc)

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
