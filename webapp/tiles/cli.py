"""`flask tiles ...`: operator commands for the density pyramid."""

import click
from flask.cli import AppGroup

from webapp.kernel.data.transactions import commit
from webapp.tiles.pyramid import pyramid_discrepancies, rebuild_pyramid

cli = AppGroup("tiles", help="Density pyramid behind the map's vector tiles.")


@cli.command("rebuild")
def rebuild_command():
    """Recompute every density cell from the cameras (camera writes wait meanwhile)."""
    result = rebuild_pyramid()
    commit()
    click.echo(f"density pyramid rebuilt: {result.cells} cells in {result.seconds:.1f} s")


@cli.command("check")
def check_command():
    """Compare the stored counts with a fresh count; exit status 1 on any difference."""
    differences = pyramid_discrepancies()
    for z, x, y, stored, actual in differences:
        click.echo(f"cell z={z} x={x} y={y}: stored {stored}, actual {actual}")
    if differences:
        raise SystemExit(1)
    click.echo("density pyramid matches the cameras")
