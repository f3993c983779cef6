"""What each app declares on its AppConfig (issue #26 item 4): its figures and its part of the demo. Every
module file of that kind is declared, so none is left out silently, and core finds them only there."""

from pathlib import Path

from django.apps import apps

from kechuang.core import demo, indicators


def _apps_with(name: str) -> list[str]:
    """The apps (in INSTALLED_APPS order) that have a module `name`, a file or a package."""
    return [
        c.label
        for c in apps.get_app_configs()
        if (Path(c.path) / f"{name}.py").exists() or (Path(c.path) / name / "__init__.py").exists()
    ]


def test_the_declared_indicator_modules():
    declared = indicators.declared_modules()
    assert declared == {
        "achievements": "kechuang.achievements.indicators",
        "agritech": "kechuang.agritech.indicators",
        "cooperation": "kechuang.cooperation.indicators",
        "enterprises": "kechuang.enterprises.indicators",
        "kcstats": "kechuang.statistics.indicators",
        "platforms": "kechuang.platforms.indicators",
        "programmes": "kechuang.programmes.indicators",
        "projects": "kechuang.projects.indicators",
        "proposals": "kechuang.proposals.indicators",
        "talent": "kechuang.talent.indicators",
        "vouchers": "kechuang.vouchers.indicators",
    }
    assert set(declared) == set(_apps_with("indicators")) - {"core"}  # core's is the registry itself


def test_every_registered_figure_comes_from_a_declared_module():
    modules = {path.split(".")[1] for path in indicators.declared_modules().values()}
    found = {i.module for i in indicators.all_indicators()}
    assert found <= modules
    assert modules <= found  # and every declared module registers figures


def test_the_declared_demo_builders():
    built = [(c.label, m.__name__) for c, m in demo.builders()]
    assert [label for label, _ in built] == _apps_with("demo")
    assert all(name == f"{apps.get_app_config(label).name}.demo" for label, name in built)
    assert {label for label, _ in built} >= {"core", "accounts", "enterprises", "programmes", "vouchers"}
    districts = {c.label for c, m in demo.builders() if hasattr(m, "build_district")}
    assert districts == {"accounts", "enterprises", "kcstats"}
