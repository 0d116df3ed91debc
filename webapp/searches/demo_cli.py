"""`flask searches seed-demo`: the demo audit log `make run` loads (webapp.searches.demo), a command of the
searches' CLI group."""

import click

from webapp.kernel.transactions import commit
from webapp.searches.cli import cli
from webapp.searches.demo import demo_loaded, load_demo_log


@cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when a demo log is loaded already.")
def seed_demo_command(if_empty: bool) -> None:
    """Load a small generated network log, marked demo wherever it is shown."""
    if if_empty and demo_loaded():
        click.echo("searches: a demo log is loaded already; nothing done")
        return
    stored = load_demo_log(progress=lambda message: click.echo(f"  {message}"))
    commit()
    click.echo(f"searches: demo network log loaded ({stored:,} generated searches, marked demo)")
