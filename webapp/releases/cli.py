"""`flask opendata release` and `flask opendata withdraw`: commands of the open-data group."""

import click

from webapp.kernel.data.transactions import commit
from webapp.opendata.cli import cli
from webapp.releases.making import publish_release, withdraw_release


@cli.command("release")
def release_command():
    """Freeze the open data as the next numbered release (files, hashes, datapackage.json)."""
    number = publish_release(click.echo)
    click.echo(f"release {number} published")


@cli.command("withdraw")
@click.argument("number", type=click.IntRange(min=1))
@click.option("--reason", required=True, help="Why (10 to 500 characters; shown with the release for good).")
def withdraw_command(number: int, reason: str):
    """Withdraw a release: it stays listed with the reason; its files are no longer served."""
    withdraw_release(number, reason)
    commit()
    click.echo(f"release {number} withdrawn")
