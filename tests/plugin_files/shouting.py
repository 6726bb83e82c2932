"""A local plugin that adds an output format."""

from leadkit import hookimpl


def render(report, options):  # type: ignore[no-untyped-def]
    return "\n".join(f.kind.upper() for f in report.findings) + "\n"


@hookimpl
def register_renderers(register) -> None:  # type: ignore[no-untyped-def]
    register("shout", render, extension="txt", description="kinds in capitals")
