"""The situation tests compare ETags across requests; a block's key holds the minute
(situation.fragments.minute), so a run that crosses a minute boundary would see a new ETag for
unchanged data. The minute is held still here; fragments' own tests move it on purpose."""

import pytest

from deskpemilu.situation import fragments


@pytest.fixture(autouse=True)
def still_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fragments, "minute", lambda: "202402140900")
