import pytest

from deskpemilu.results.contests import clear_cache


@pytest.fixture(autouse=True)
def _contests_from_the_database() -> None:
    # The contest cache lives a minute per process: a test run before on this worker (another
    # app's) may have set a contest's mode in a transaction since rolled back. Start from the
    # database.
    clear_cache()
