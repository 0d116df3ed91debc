"""`flask users ...`: create accounts, list them, change roles. Passwords never come from argv."""

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.accounts.service import AccountError, create_user, find_user, set_role
from webapp.kernel.data.models import User
from webapp.kernel.data.transactions import commit
from webapp.kernel.extensions import db
from webapp.kernel.vocabulary import ROLES

cli = AppGroup("users", help="Manage accounts.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # Piped in (scripts, tests): the first line of standard input.
    return sys.stdin.readline().rstrip("\r\n")


@cli.command("create")
@click.argument("login")
@click.option("--role", type=click.Choice(ROLES), default=ROLES[0], show_default=True)
def create_command(login: str, role: str) -> None:
    """Create an account; the password is read from a prompt or standard input."""
    password = _read_password()
    try:
        user = create_user(login, password, role)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    commit()
    click.echo(f"created {user.login} ({user.role})")


@cli.command("list")
def list_command() -> None:
    """List accounts: login, role, active, created."""
    users = db.session.scalars(select(User).order_by(User.login)).all()
    if not users:
        click.echo("no users")
    for user in users:
        state = "active" if user.active else "disabled"
        click.echo(f"{user.login}\t{user.role}\t{state}\t{user.created_at:%Y-%m-%d}")


@cli.command("reset-two-factor")
@click.argument("login")
def reset_two_factor_command(login: str) -> None:
    """Remove an account's second factor (a lost phone, a new SECRET_KEY); it can set one up again."""
    user = find_user(login)
    if user is None:
        raise click.ClickException(f"no user called {login!r}")
    user.totp_secret = None
    commit()
    click.echo(f"{user.login}: second factor removed")


@cli.command("set-role")
@click.argument("login")
@click.argument("role", type=click.Choice(ROLES))
def set_role_command(login: str, role: str) -> None:
    """Change an account's role."""
    user = find_user(login)
    if user is None:
        raise click.ClickException(f"no user called {login!r}")
    previous = user.role
    set_role(user, role)
    commit()
    click.echo(f"{user.login}: {previous} -> {role}")
