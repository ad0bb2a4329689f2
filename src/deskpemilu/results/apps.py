from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "deskpemilu.results"
    label = "results"
    verbose_name = "Hasil"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from deskpemilu.audit.vouched import vouch
        from deskpemilu.core import nav
        from deskpemilu.regions.signals import regions_created
        from deskpemilu.results.integrity import check_states, check_versions
        from deskpemilu.results.rollups import check_rollups, rows_for_new_regions

        nav.register("results_home", _("Hasil"), 10)
        nav.register("contest_settings", _("Mode verifikasi"), 82)

        # What `verify_audit` checks of the count besides the chain.
        vouch("versions match their audit entries", check_versions)
        vouch("sheets their verifications", check_states)
        vouch("rollups their sheets", lambda: _rollups(check_rollups()))
        # A region loaded after the elections gets its rollup rows as it is created.
        regions_created.connect(rows_for_new_regions, dispatch_uid="results.rollup_rows")


def _rollups(problems: list[str]) -> tuple[int, list[str]]:
    from deskpemilu.results.models import Rollup

    return Rollup.objects.count(), [f"rollup {p}" for p in problems]
