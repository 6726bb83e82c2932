"""A local plugin whose source, finding kind, renderer and publisher declare their options."""

from dataclasses import dataclass
from typing import Any

from leadkit.api import Dataset, Finding, FindingKind, Option, SourceAdapter, hookimpl


class Declared(SourceAdapter):
    """Reads nothing, but says what it was configured with (as a note)."""

    type = "declared"
    declared_options = (
        Option("url", str, doc="the tracker's base URL", required=True),
        Option("page_size", int, 100, "items per page"),
        Option("projects", list, [], "projects to read"),
    )

    def pages(self, window, *, updated_since=None):  # type: ignore[no-untyped-def]
        o = self.source.options
        note = f"declared: {o['url']} {o['page_size']} {','.join(o['projects'])}"
        yield Dataset(window=window, notes=[note], sources=[self.source.name])


@dataclass
class Patience:
    min_days: float


class PatienceKind(FindingKind[Patience]):
    kind = "patience"
    options = (Option("min_days", float, 2.0, "days before anyone is impatient"),)

    def run(self, ctx):  # type: ignore[no-untyped-def]
        days = ctx.plugin_options(self.kind)["min_days"]
        yield Finding(kind=self.kind, severity="info", message="patience", metrics=Patience(days))


def render_csv(report: Any, options: dict[str, Any]) -> str:
    sep = options["delimiter"]
    rows = [sep.join(["kind", "severity"])]
    rows += [sep.join([f.kind, f.severity]) for f in report.findings]
    return "\n".join(rows) + "\n"


def publish_count(report: Any, context: Any) -> str:
    prefix = context.config.plugin_options["counter"]["prefix"]
    return f"{prefix}{len(report.findings)} findings"


@hookimpl
def register_sources(register):  # type: ignore[no-untyped-def]
    register(Declared)


@hookimpl
def register_analyses(register):  # type: ignore[no-untyped-def]
    register(PatienceKind())


@hookimpl
def register_renderers(register):  # type: ignore[no-untyped-def]
    register(
        "csv",
        render_csv,
        extension="csv",
        description="one row per finding",
        options=[Option("delimiter", str, ",", "the field separator")],
    )


@hookimpl
def register_publishers(register):  # type: ignore[no-untyped-def]
    register("counter", publish_count, options=[Option("prefix", str, "", "put before")])
