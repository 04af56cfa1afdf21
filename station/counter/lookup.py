"""Dossier lookup on the backend, with the outcome the counter shows: found, not there yet, offline, refused."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from uploader.client import BackendClient
from uploader.config import UploaderConfig
from uploader.errors import BackendRejectedError, TransportError, UploadError
from uploader.models import Dossier


class LookupFailure(Enum):
    NOT_FOUND = "not-found"  # not on the backend (yet): the code may be mistyped
    OFFLINE = "offline"  # backend unreachable: the counter works on, document types typed freely
    REFUSED = "refused"  # the backend or the uploader said why (message: its Vietnamese user message)
    ERROR = "error"  # anything else (message: technical)


@dataclass(frozen=True)
class DossierLookup:
    code: str
    dossier: Dossier | None = None
    failure: LookupFailure | None = None
    message: str = ""

    @property
    def is_open(self) -> bool:
        return self.dossier is not None and self.dossier.status == "open"

    @property
    def required_codes(self) -> list[str]:
        if self.dossier is None:
            return []
        return [d.code for d in self.dossier.required_documents if d.required]


def classify(code: str, err: BaseException) -> DossierLookup:
    if isinstance(err, BackendRejectedError) and err.status == 404:
        return DossierLookup(code, failure=LookupFailure.NOT_FOUND)
    if isinstance(err, TransportError):
        return DossierLookup(code, failure=LookupFailure.OFFLINE)
    if isinstance(err, UploadError):
        return DossierLookup(code, failure=LookupFailure.REFUSED, message=err.user_message)
    return DossierLookup(code, failure=LookupFailure.ERROR, message=str(err))


def lookup_dossier(config: UploaderConfig, code: str) -> DossierLookup:
    """One GET on the backend (blocking: call off the GUI thread). Never raises for a backend problem."""
    try:  # every failure is an outcome the counter shows, never a crash
        client = BackendClient(config)
    except Exception as err:
        return classify(code, err)
    try:
        return DossierLookup(code, client.get_dossier(code))
    except Exception as err:
        return classify(code, err)
    finally:
        client.close()
